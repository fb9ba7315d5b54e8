/**
 * 4. Chart rendering: ms per PNG for a 30-day and a 90-day chart with 6 series (top 5 and
 * Other, stacked daily spend, as reports draw them), and the PNG's size. The first render of
 * the process is reported apart: it reads the font and the wasm and runs resvg's code before
 * WebAssembly tiers it up, as a cold chart Lambda does.
 */
import type { ChartData } from '../common/contract.ts';
import { addDays } from '../common/dates.ts';
import { renderChart } from '../workflows/steps/chart/render.ts';
import { median } from './stats.ts';

const SERIES = [
  'Amazon EC2',
  'Amazon RDS',
  'AWS Data Transfer',
  'Amazon S3',
  'Amazon EKS',
  'Other',
];

function chartData(days: number): ChartData {
  const last = '2026-11-22';
  const dates = Array.from({ length: days }, (_, i) => addDays(last, i - days + 1));
  return {
    title: `AWS spend by service, last ${days} days`,
    unit: 'USD per day',
    dates,
    series: SERIES.map((name, s) => ({
      name,
      values: dates.map(
        (_, d) => Math.round((40 / (s + 1)) * (1 + 0.3 * Math.sin(d + s)) * 100) / 100,
      ),
    })),
    style: 'stacked',
  };
}

export interface ChartResult {
  days: number;
  renders: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  pngBytes: number;
  width: number;
  height: number;
}

export interface ChartBench {
  /** The process's first render (30 days), cold. */
  firstMs: number;
  charts: ChartResult[];
}

export async function benchCharts(options: {
  renders: number;
  maxSeconds: number;
}): Promise<ChartBench> {
  const deadline = performance.now() + options.maxSeconds * 1000;
  const t0 = performance.now();
  await renderChart(chartData(30));
  const firstMs = performance.now() - t0;
  const charts: ChartResult[] = [];
  for (const days of [30, 90]) {
    const data = chartData(days);
    const times: number[] = [];
    let last = await renderChart(data);
    for (let i = 0; i < options.renders && performance.now() < deadline; i++) {
      const t = performance.now();
      last = await renderChart(data);
      times.push(performance.now() - t);
    }
    charts.push({
      days,
      renders: times.length,
      medianMs: median(times),
      minMs: Math.min(...times),
      maxMs: Math.max(...times),
      pngBytes: last.png.byteLength,
      width: last.width,
      height: last.height,
    });
  }
  return { firstMs, charts };
}
