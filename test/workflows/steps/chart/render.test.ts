import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ChartData } from '../../../../common/contract.ts';
import {
  chartSvg,
  compactNumber,
  formatDay,
  formatTime,
  formatUsdTick,
  renderAssetPaths,
  renderChart,
  truncateName,
} from '../../../../workflows/steps/chart/render.ts';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const SERVICES = [
  'Amazon EC2',
  'Amazon RDS',
  'Amazon S3',
  'AmazonCloudWatch',
  'AWS Lambda',
  'Other',
];

/** `count` consecutive UTC days ending on `last`, computed without the clock. */
function days(count: number, last = '2024-11-30'): string[] {
  const end = Date.parse(`${last}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) =>
    new Date(end - (count - 1 - i) * 86_400_000).toISOString().slice(0, 10),
  );
}

/** Daily spend that varies by service and day, like a real account. */
function costChart(dayCount: number, names = SERVICES): ChartData {
  const dates = days(dayCount);
  return {
    title: `AWS spend by service, last ${dayCount} days`,
    unit: 'USD per day',
    dates,
    series: names.map((name, s) => ({
      name,
      values: dates.map(
        (_, d) => Math.round((40 / (s + 1)) * (1 + ((d * 7 + s * 3) % 5) / 10) * 100) / 100,
      ),
    })),
    style: 'stacked',
  };
}

function emptyChart(): ChartData {
  return { title: 'AWS spend', unit: 'USD per day', dates: days(30), series: [], style: 'stacked' };
}

/** Width and height from the IHDR chunk, which PNG requires to come first. */
function pngSize(png: Uint8Array): { width: number; height: number } {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  assert.equal(new TextDecoder().decode(png.subarray(12, 16)), 'IHDR');
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/** The x-axis date labels (`Nov 3`) drawn in an SVG. */
function dateLabels(svg: string): string[] {
  return [...svg.matchAll(/>((?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{1,2})</g)].map(
    (match) => match[1] ?? '',
  );
}

describe('Function: renderChart', () => {
  it('renders a 1600x800 PNG by default', async () => {
    // Prepare
    const data = costChart(30);

    // Act
    const chart = await renderChart(data);

    // Assess
    assert.deepEqual([...chart.png.subarray(0, 8)], PNG_SIGNATURE);
    assert.deepEqual(pngSize(chart.png), { width: 1600, height: 800 });
    assert.equal(chart.width, 1600);
    assert.equal(chart.height, 800);
  });

  it('follows the width, height and scale options', async () => {
    // Prepare
    const data = costChart(7);

    // Act
    const chart = await renderChart(data, { width: 600, height: 300, scale: 1 });

    // Assess
    assert.deepEqual(pngSize(chart.png), { width: 600, height: 300 });
    assert.equal(chart.width, 600);
    assert.equal(chart.height, 300);
  });

  it('gives byte-identical PNGs for the same input', async () => {
    // Prepare
    const data = costChart(30);

    // Act
    const first = await renderChart(data);
    const second = await renderChart(structuredClone(data));

    // Assess
    assert.ok(Buffer.from(first.png).equals(Buffer.from(second.png)));
  });

  it('renders an empty chart with a notice when there are no series', async () => {
    // Prepare
    const data = emptyChart();

    // Act
    const chart = await renderChart(data);
    const svg = chartSvg(data, 800, 400);

    // Assess
    assert.deepEqual(pngSize(chart.png), { width: 1600, height: 800 });
    assert.match(svg, /No data for this period/);
  });

  it('treats series with only null values as no data', () => {
    // Prepare
    const data: ChartData = {
      ...emptyChart(),
      series: [{ name: 'Amazon EC2', values: days(30).map(() => null) }],
    };

    // Act
    const svg = chartSvg(data, 800, 400);

    // Assess
    assert.match(svg, /No data for this period/);
  });

  it('draws a chart with data as a notably larger PNG than an empty one', async () => {
    // Prepare
    const data = costChart(30);

    // Act
    const full = await renderChart(data);
    const empty = await renderChart(emptyChart());

    // Assess
    assert.ok(
      full.png.length > 3 * empty.png.length,
      `chart ${full.png.length} bytes, empty ${empty.png.length} bytes`,
    );
  });

  it('renders 90 days of 6 series with thinned-out date labels', async () => {
    // Prepare
    const data = costChart(90);

    // Act
    const chart = await renderChart(data);
    const labels = dateLabels(chartSvg(data, 800, 400));

    // Assess
    assert.deepEqual(pngSize(chart.png), { width: 1600, height: 800 });
    assert.ok(labels.length >= 4 && labels.length <= 10, `labels: ${labels.join(', ')}`);
    assert.equal(labels.at(-1), 'Nov 30', 'the newest day keeps its label');
  });

  it('renders a single day', async () => {
    // Prepare
    const data = costChart(1);

    // Act
    const chart = await renderChart(data);
    const svg = chartSvg(data, 800, 400);

    // Assess
    assert.deepEqual(pngSize(chart.png), { width: 1600, height: 800 });
    assert.deepEqual(dateLabels(svg), ['Nov 30']);
  });

  it('draws every series name, the unit and dollar ticks on a stacked chart', () => {
    // Prepare
    const data = costChart(30);

    // Act
    const svg = chartSvg(data, 800, 400);

    // Assess
    for (const name of SERVICES) assert.ok(svg.includes(`>${name}<`), `legend shows ${name}`);
    assert.ok(svg.includes('>USD per day<'));
    assert.ok(svg.includes('>AWS spend by service, last 30 days<'));
    assert.match(svg, />\$\d+</);
    assert.ok(svg.includes('>Nov 30<'));
  });

  it('draws a line chart with gaps for null values and no dollar ticks', async () => {
    // Prepare
    const dates = days(14);
    const data: ChartData = {
      title: 'AWS/Lambda Errors FunctionName=api',
      unit: 'Count',
      dates,
      series: [
        { name: 'Errors', values: dates.map((_, i) => (i === 5 || i === 6 ? null : i * 3)) },
      ],
      style: 'line',
    };

    // Act
    const svg = chartSvg(data, 800, 400);
    const chart = await renderChart(data);

    // Assess
    assert.ok(svg.includes('>Errors<'));
    assert.ok(svg.includes('>Count<'));
    assert.doesNotMatch(svg, />\$/);
    // The gap splits the line into two sub-paths (two moves), before and after the missing days.
    const line = /<path d="(M[^"]*)" fill="none"[^>]*stroke-width="2"/.exec(svg)?.[1] ?? '';
    assert.equal(line.match(/M/g)?.length, 2, line);
    assert.deepEqual(pngSize(chart.png), { width: 1600, height: 800 });
  });

  it('draws a metric chart: one line per series, time labels at round UTC times', async () => {
    // Prepare: 24 hours at 5 minutes, from 08:15 to 08:10 the next day, two functions.
    const start = Date.parse('2026-11-26T08:15:00Z');
    const dates = Array.from({ length: 288 }, (_, i) =>
      new Date(start + i * 300_000).toISOString(),
    );
    const data: ChartData = {
      title: 'AWS/Lambda Errors FunctionName=api,worker (Sum), Last 24 hours',
      unit: 'Count per 5 minutes',
      dates,
      resolutionSeconds: 300,
      series: [
        { name: 'api', values: dates.map((_, i) => (i % 12) + 1) },
        { name: 'worker', values: dates.map((_, i) => (i % 7 === 0 ? 3 : 0)) },
      ],
      style: 'line',
    };

    // Act
    const svg = chartSvg(data, 800, 400);
    const chart = await renderChart(data);

    // Assess
    const labels = [...svg.matchAll(/>(\d{2}:\d{2}|Nov \d{1,2})</g)].map((m) => m[1]);
    assert.ok(labels.length >= 6 && labels.length <= 14, labels.join(' '));
    assert.ok(labels.includes('Nov 27'), 'midnight shows the date');
    for (const label of labels.filter((l) => l?.includes(':'))) {
      assert.match(label ?? '', /^\d{2}:00$/, 'time labels fall on whole hours');
    }
    assert.ok(svg.includes('>api<') && svg.includes('>worker<'));
    const lines = svg.match(/fill="none"[^>]*stroke-width="2"/g) ?? [];
    assert.equal(lines.length, 2, 'one line per series');
    assert.deepEqual(pngSize(chart.png), { width: 1600, height: 800 });
  });

  it('shows a time as hours and minutes, and midnight as the date', () => {
    assert.equal(formatTime('2026-11-27T08:15:00.000Z'), '08:15');
    assert.equal(formatTime('2026-11-27T00:00:00.000Z'), 'Nov 27');
  });

  it('truncates long legend names with an ellipsis and keeps unicode', async () => {
    // Prepare
    const long = 'Amazon Elastic Compute Cloud - Compute';
    const data = costChart(30, [long, 'Équipe données – Production', 'Team 🚀 Rocket', 'Other']);

    // Act
    const svg = chartSvg(data, 800, 400);
    const chart = await renderChart(data);

    // Assess
    assert.ok(svg.includes(`>${truncateName(long)}<`));
    assert.ok(!svg.includes(long));
    assert.ok(svg.includes('Équipe données – Production'));
    assert.ok(svg.includes('Team 🚀 Rocket'));
    assert.deepEqual(pngSize(chart.png), { width: 1600, height: 800 });
  });

  it('rejects a non-positive scale', async () => {
    // Prepare
    const data = costChart(7);

    // Act
    const rendering = renderChart(data, { scale: 0 });

    // Assess
    await assert.rejects(rendering, RangeError);
  });
});

describe('Function: renderAssetPaths', () => {
  it('reads the font and the wasm from COSTBOT_ASSETS_DIR when set', () => {
    // Prepare
    const env = { COSTBOT_ASSETS_DIR: '/x' };

    // Act
    const paths = renderAssetPaths(env);

    // Assess
    assert.equal(paths.font, join('/x', 'DejaVuSans.ttf'));
    assert.equal(paths.boldFont, join('/x', 'DejaVuSans-Bold.ttf'));
    assert.equal(paths.wasm, join('/x', 'index_bg.wasm'));
  });

  it('finds the packaged files when COSTBOT_ASSETS_DIR is not set', () => {
    // Prepare
    const env = {};

    // Act
    const paths = renderAssetPaths(env);

    // Assess
    assert.ok(paths.font.endsWith('DejaVuSans.ttf') && existsSync(paths.font));
    assert.ok(existsSync(paths.boldFont));
    assert.ok(paths.wasm.endsWith('index_bg.wasm') && existsSync(paths.wasm));
  });
});

describe('Function: formatDay', () => {
  it('shows a UTC date as month and day', () => {
    // Prepare
    const dates = ['2024-11-03', '2025-01-31', '2024-12-01'];

    // Act
    const labels = dates.map(formatDay);

    // Assess
    assert.deepEqual(labels, ['Nov 3', 'Jan 31', 'Dec 1']);
  });
});

describe('Function: formatUsdTick', () => {
  it('uses a dollar sign, k/M suffixes and puts the minus first', () => {
    // Prepare
    const values = [0, 20, 0.5, 950, 1500, 10_000, 2_500_000, -5000];

    // Act
    const labels = values.map(formatUsdTick);

    // Assess
    assert.deepEqual(labels, ['$0', '$20', '$0.50', '$950', '$1.5k', '$10k', '$2.5M', '-$5k']);
    assert.equal(compactNumber(1500), '1.5k');
  });
});
