/**
 * Draws a report's chart as a PNG without a browser or native canvas: ECharts renders an SVG
 * string server-side, resvg (WebAssembly) rasterizes it with a bundled DejaVu Sans font, so
 * the same bytes come out on a laptop and in Lambda.
 *
 * A cost chart has one point per day; a metric chart (`resolutionSeconds` set) one per period,
 * one line per series, its time labels at round UTC times (`08:00`, or the date at midnight).
 */

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { BarChart, LineChart } from 'echarts/charts';
import type {
  GraphicComponentOption,
  GridComponentOption,
  LegendComponentOption,
  TitleComponentOption,
} from 'echarts/components';
import {
  GraphicComponent,
  GridComponent,
  LegendComponent,
  TitleComponent,
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { readSetting } from '../../../common/config.ts';
import type { ChartData } from '../../../common/contract.ts';

export interface RenderedChart {
  png: Uint8Array;
  /** Pixel size of the PNG (the layout size times `scale`). */
  width: number;
  height: number;
}

export interface RenderOptions {
  /** Layout width in CSS pixels; default 800. */
  width?: number;
  /** Layout height in CSS pixels; default 400. */
  height?: number;
  /** Pixel density of the PNG; default 2, so Slack's downscaled preview stays sharp. */
  scale?: number;
}

/** Where the font and the resvg WebAssembly binary are read from. */
export interface RenderAssetPaths {
  font: string;
  boldFont: string;
  wasm: string;
}

type ChartOption = ComposeOption<
  | BarSeriesOption
  | LineSeriesOption
  | GridComponentOption
  | LegendComponentOption
  | TitleComponentOption
  | GraphicComponentOption
>;

export const DEFAULT_WIDTH = 800;
export const DEFAULT_HEIGHT = 400;
export const DEFAULT_SCALE = 2;

const FONT_FAMILY = 'DejaVu Sans';
const FONT_SIZE = 14;
const TITLE_FONT_SIZE = 18;
const PAD = 12;
const LEGEND_NAME_MAX = 28;
const LEGEND_ITEM_WIDTH = 14;
const LEGEND_ITEM_HEIGHT = 10;
const LEGEND_ITEM_GAP = 14;
/** Vertical room one legend row takes, text height plus ECharts' row gap. */
const LEGEND_ROW_HEIGHT = FONT_SIZE + 4 + LEGEND_ITEM_GAP;
const TEXT_COLOR = '#374151';
const TITLE_COLOR = '#111827';
const GRID_LINE_COLOR = '#e5e7eb';
const OTHER_COLOR = '#a8a29e';
/** Tableau 10 without its grey, which is kept for `Other`. */
const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#17becf',
];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** Label steps, in days, the x axis may use: every day, every few days, weekly, fortnightly. */
const LABEL_STEPS = [1, 2, 3, 7, 14, 28, 56, 91, 182, 364];
/** Label steps, in seconds, of a metric chart's time axis: round UTC times. */
const TIME_STEPS = [
  60, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600,
];

/*
 * Advance widths of ASCII 32..126 in DejaVu Sans and DejaVu Sans Bold (font units, 2048 per
 * em), read from the TTFs. Without a canvas ECharts estimates text with Arial-like widths,
 * which are ~12% narrower than DejaVu: labels would overflow the space laid out for them.
 */
const UNITS_PER_EM = 2048;
const REGULAR_WIDTHS = [
  651, 821, 942, 1716, 1303, 1946, 1597, 563, 799, 799, 1024, 1716, 651, 739, 651, 690, 1303, 1303,
  1303, 1303, 1303, 1303, 1303, 1303, 1303, 1303, 690, 690, 1716, 1716, 1716, 1087, 2048, 1401,
  1405, 1430, 1577, 1294, 1178, 1587, 1540, 604, 604, 1343, 1141, 1767, 1532, 1612, 1235, 1612,
  1423, 1300, 1251, 1499, 1401, 2025, 1403, 1251, 1403, 799, 690, 799, 1716, 1024, 1024, 1255, 1300,
  1126, 1300, 1260, 721, 1300, 1298, 569, 569, 1186, 569, 1995, 1298, 1253, 1300, 1300, 842, 1067,
  803, 1298, 1212, 1675, 1212, 1212, 1075, 1303, 690, 1303, 1716,
];
const BOLD_WIDTHS = [
  713, 934, 1067, 1716, 1425, 2052, 1786, 627, 936, 936, 1071, 1716, 778, 850, 778, 748, 1425, 1425,
  1425, 1425, 1425, 1425, 1425, 1425, 1425, 1425, 819, 819, 1716, 1716, 1716, 1188, 2048, 1585,
  1561, 1503, 1700, 1399, 1399, 1681, 1714, 762, 762, 1587, 1305, 2038, 1714, 1741, 1501, 1741,
  1577, 1475, 1397, 1663, 1585, 2259, 1579, 1483, 1485, 936, 748, 936, 1716, 1024, 1024, 1382, 1466,
  1214, 1466, 1389, 891, 1466, 1458, 702, 702, 1362, 702, 2134, 1458, 1407, 1466, 1466, 1010, 1219,
  979, 1458, 1335, 1892, 1321, 1335, 1192, 1458, 748, 1458, 1716,
];

/** Width of `text` in DejaVu Sans at `fontSize` px; generous for characters outside ASCII. */
function textWidth(text: string, fontSize: number, bold = false): number {
  const table = bold ? BOLD_WIDTHS : REGULAR_WIDTHS;
  let units = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    const ascii = code >= 32 && code < 127 ? table[code - 32] : undefined;
    // Accented Latin, Greek, Cyrillic are ~0.65 em; CJK and emoji a full em.
    units += ascii ?? (code < 0x2e80 ? 0.7 : 1) * UNITS_PER_EM;
  }
  return (units / UNITS_PER_EM) * fontSize;
}

let echartsReady = false;

/**
 * Registers only the parts the chart uses (a smaller Lambda bundle than all of ECharts) and
 * makes ECharts measure text with the widths resvg will draw it at. The measure is global to
 * ECharts in this process, which only ever draws with DejaVu Sans.
 */
function setUpEcharts(): void {
  if (echartsReady) return;
  echarts.use([
    BarChart,
    LineChart,
    GridComponent,
    LegendComponent,
    TitleComponent,
    GraphicComponent,
    SVGRenderer,
  ]);
  echarts.setPlatformAPI({
    measureText(text: string, font?: string) {
      const size = Number(/(\d+(?:\.\d+)?)px/.exec(font ?? '')?.[1] ?? 12);
      const bold = /\b(bold|bolder|[6-9]00)\b/.test(font ?? '');
      return { width: textWidth(text, size, bold) };
    },
  });
  echartsReady = true;
}

/** `2024-11-03` -> `Nov 3`, without `Date` so no time zone can shift the day. */
export function formatDay(date: string): string {
  const [, month, day] = /^\d{4}-(\d{2})-(\d{2})/.exec(date) ?? [];
  const name = MONTHS[Number(month) - 1];
  return name && day ? `${name} ${Number(day)}` : date;
}

/** `2026-11-27T08:15:00.000Z` -> `08:15`; midnight UTC -> `Nov 27`. */
export function formatTime(iso: string): string {
  const time = iso.slice(11, 16);
  return time === '00:00' ? formatDay(iso) : time;
}

/** Cuts a name to `max` characters (code points, so no emoji is split) with an ellipsis. */
export function truncateName(name: string, max = LEGEND_NAME_MAX): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

function trimNumber(value: number, digits: number): string {
  return value.toFixed(digits).replace(/\.?0+$/, '');
}

/**
 * Compact axis number: `950`, `1500` → `1.5k`, `3.2M`; cents below 10. Thousands always get
 * a suffix so one axis never mixes `$5,000` with `$10k`.
 */
export function compactNumber(value: number): string {
  const abs = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (abs >= 1e9) return `${sign}${trimNumber(abs / 1e9, 2)}B`;
  if (abs >= 1e6) return `${sign}${trimNumber(abs / 1e6, 2)}M`;
  if (abs >= 1e3) return `${sign}${trimNumber(abs / 1e3, 2)}k`;
  if (Number.isInteger(abs)) return `${sign}${abs}`;
  return `${sign}${abs < 10 ? abs.toFixed(2) : trimNumber(abs, 1)}`;
}

/** `$` axis label; the sign goes before the currency symbol (`-$5`, for credits). */
export function formatUsdTick(value: number): string {
  const text = compactNumber(value);
  return text.startsWith('-') ? `-$${text.slice(1)}` : `$${text}`;
}

/** How many x labels fit side by side without crowding the plot. */
function labelsThatFit(labels: string[], plotWidth: number): number {
  const widest = Math.max(0, ...labels.map((label) => textWidth(label, FONT_SIZE)));
  return Math.max(1, Math.floor(plotWidth / (widest + 14)));
}

/** Every how many days an x label fits without crowding the plot. */
function labelStep(labels: string[], plotWidth: number): number {
  const fits = labelsThatFit(labels, plotWidth);
  return LABEL_STEPS.find((step) => Math.ceil(labels.length / step) <= fits) ?? labels.length;
}

/**
 * The x labels and which of them show. Days: every `labelStep`-th, anchored on the newest day
 * so the day the report is about always has its label. Times: those at a multiple of the
 * shortest round step that fits, so labels read `06:00 12:00 18:00 Nov 28`.
 */
function xLabels(data: ChartData, plotWidth: number) {
  const resolution = data.resolutionSeconds;
  if (resolution === undefined) {
    const labels = data.dates.map(formatDay);
    const step = labelStep(labels, plotWidth);
    const lastIndex = labels.length - 1;
    return { labels, showLabel: (index: number) => (lastIndex - index) % step === 0 };
  }
  const labels = data.dates.map(formatTime);
  const fits = labelsThatFit(labels, plotWidth);
  const span = labels.length * resolution;
  const step =
    TIME_STEPS.find((s) => s >= resolution && span / s <= fits) ?? TIME_STEPS.at(-1) ?? 86_400;
  const seconds = data.dates.map((date) => Date.parse(date) / 1000);
  return { labels, showLabel: (index: number) => (seconds[index] ?? 1) % step === 0 };
}

/** Rows the legend wraps into, laid out like ECharts' horizontal box layout. */
function legendRows(names: string[], available: number): number {
  let rows = 1;
  let x = 0;
  for (const name of names) {
    const item = LEGEND_ITEM_WIDTH + 5 + textWidth(truncateName(name), FONT_SIZE);
    if (x > 0 && x + item > available) {
      rows += 1;
      x = 0;
    }
    x += item + LEGEND_ITEM_GAP;
  }
  return rows;
}

function colorFor(name: string, index: number): string {
  return name === 'Other' ? OTHER_COLOR : (PALETTE[index % PALETTE.length] ?? '#4e79a7');
}

function hasData(data: ChartData): boolean {
  return (
    data.dates.length > 0 &&
    data.series.some((series) => series.values.some((value) => value !== null))
  );
}

/** The ECharts option: layout sized for Slack's downscaled preview. */
function chartOption(data: ChartData, width: number): ChartOption {
  const title: TitleComponentOption = {
    text: data.title,
    left: PAD,
    top: 10,
    textStyle: {
      fontFamily: FONT_FAMILY,
      fontSize: TITLE_FONT_SIZE,
      fontWeight: 'bold',
      color: TITLE_COLOR,
      width: width - 2 * PAD,
      overflow: 'truncate',
    },
  };
  const base: ChartOption = {
    animation: false,
    backgroundColor: '#ffffff',
    textStyle: { fontFamily: FONT_FAMILY, fontSize: FONT_SIZE, color: TEXT_COLOR },
    title,
  };

  if (!hasData(data)) {
    return {
      ...base,
      graphic: {
        type: 'text',
        left: 'center',
        top: 'middle',
        style: {
          text: 'No data for this period',
          fontFamily: FONT_FAMILY,
          fontSize: 16,
          fill: '#6b7280',
        },
      },
    };
  }

  const stacked = data.style === 'stacked';
  const names = data.series.map((series) => series.name);
  const legendHeight = legendRows(names, width - 2 * PAD) * LEGEND_ROW_HEIGHT;
  // The y labels take ~60px; the rest is what the x labels share.
  const { labels, showLabel } = xLabels(data, width - 2 * PAD - 60);

  const series = data.series.map((item, index): BarSeriesOption | LineSeriesOption => {
    const color = colorFor(item.name, index);
    const values = item.values.slice(0, data.dates.length);
    if (stacked) {
      return {
        type: 'bar',
        name: item.name,
        stack: 'total',
        data: values,
        itemStyle: { color },
        barCategoryGap: '25%',
        barMaxWidth: 48,
      };
    }
    return {
      type: 'line',
      name: item.name,
      data: values,
      color,
      lineStyle: { width: 2 },
      // Points mark isolated values between gaps; on long ranges they would clutter.
      showSymbol: data.dates.length <= 31,
      symbolSize: 5,
      connectNulls: false,
    };
  });

  return {
    ...base,
    legend: {
      data: names,
      left: PAD,
      right: PAD,
      bottom: 8,
      itemWidth: LEGEND_ITEM_WIDTH,
      itemHeight: LEGEND_ITEM_HEIGHT,
      itemGap: LEGEND_ITEM_GAP,
      icon: stacked ? 'roundRect' : undefined,
      textStyle: { fontFamily: FONT_FAMILY, fontSize: FONT_SIZE, color: TEXT_COLOR },
      formatter: (name: string) => truncateName(name),
    },
    grid: {
      left: PAD,
      right: PAD + 8,
      top: 44,
      bottom: 8 + legendHeight + 4,
      // Shrinks the plot so tick labels and the axis name stay inside this box.
      outerBoundsMode: 'same',
      outerBoundsContain: 'all',
    },
    xAxis: {
      type: 'category',
      data: labels,
      boundaryGap: stacked || labels.length === 1,
      axisLine: { lineStyle: { color: '#9ca3af' } },
      axisTick: { alignWithLabel: true, interval: showLabel },
      axisLabel: {
        interval: showLabel,
        fontFamily: FONT_FAMILY,
        fontSize: FONT_SIZE,
        color: TEXT_COLOR,
        hideOverlap: true,
      },
    },
    yAxis: {
      type: 'value',
      name: data.unit,
      nameLocation: 'end',
      nameGap: 14,
      nameTextStyle: {
        fontFamily: FONT_FAMILY,
        fontSize: FONT_SIZE,
        color: TEXT_COLOR,
        align: 'left',
      },
      splitLine: { lineStyle: { color: GRID_LINE_COLOR } },
      axisLabel: {
        fontFamily: FONT_FAMILY,
        fontSize: FONT_SIZE,
        color: TEXT_COLOR,
        formatter: stacked ? formatUsdTick : compactNumber,
      },
    },
    series,
  };
}

/** The chart as an SVG document of `width` x `height` CSS pixels. */
export function chartSvg(data: ChartData, width: number, height: number): string {
  setUpEcharts();
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  try {
    chart.setOption(chartOption(data, width));
    return chart.renderToSVGString();
  } finally {
    // SSR charts keep timers alive until disposed; without this Node never exits.
    chart.dispose();
  }
}

/**
 * Where the font and the wasm are. In a Lambda bundle there is no `node_modules`, so the
 * bundler copies both files next to the code and sets `COSTBOT_ASSETS_DIR`.
 */
export function renderAssetPaths(
  env: Record<string, string | undefined> = process.env,
): RenderAssetPaths {
  const dir = readSetting(env, 'COSTBOT_ASSETS_DIR');
  if (dir) {
    return {
      font: join(dir, 'DejaVuSans.ttf'),
      boldFont: join(dir, 'DejaVuSans-Bold.ttf'),
      wasm: join(dir, 'index_bg.wasm'),
    };
  }
  const require = createRequire(import.meta.url);
  return {
    font: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf'),
    boldFont: require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf'),
    wasm: require.resolve('@resvg/resvg-wasm/index_bg.wasm'),
  };
}

interface Assets {
  fonts: Uint8Array[];
}

let assetsPromise: Promise<Assets> | undefined;

/** Bold is optional: a bundle that copies only the two required files draws a regular title. */
async function readOptional(path: string): Promise<Uint8Array | undefined> {
  try {
    return await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

async function loadAssets(): Promise<Assets> {
  const paths = renderAssetPaths();
  const [font, boldFont, wasm] = await Promise.all([
    readFile(paths.font),
    readOptional(paths.boldFont),
    readFile(paths.wasm),
  ]);
  // resvg-wasm throws if initialized twice, hence the memoized promise around this.
  await initWasm(wasm);
  return { fonts: boldFont ? [font, boldFont] : [font] };
}

/** Reads the assets and initializes the wasm once per process; a failure is retried next call. */
function assets(): Promise<Assets> {
  assetsPromise ??= loadAssets().catch((error: unknown) => {
    assetsPromise = undefined;
    throw error;
  });
  return assetsPromise;
}

function positive(name: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`renderChart: ${name} must be a positive number, got ${value}`);
  }
  return value;
}

/** Renders `data` as a PNG; the same input always gives the same bytes. */
export async function renderChart(
  data: ChartData,
  options: RenderOptions = {},
): Promise<RenderedChart> {
  const width = Math.round(positive('width', options.width ?? DEFAULT_WIDTH));
  const height = Math.round(positive('height', options.height ?? DEFAULT_HEIGHT));
  const scale = positive('scale', options.scale ?? DEFAULT_SCALE);
  const { fonts } = await assets();
  const svg = chartSvg(data, width, height);
  const resvg = new Resvg(svg, {
    font: {
      fontBuffers: fonts,
      defaultFontFamily: FONT_FAMILY,
      sansSerifFamily: FONT_FAMILY,
      loadSystemFonts: false,
    },
    fitTo: { mode: 'zoom', value: scale },
  });
  try {
    const image = resvg.render();
    try {
      return { png: image.asPng(), width: image.width, height: image.height };
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}
