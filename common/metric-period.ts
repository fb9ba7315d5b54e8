/**
 * The windows a metric chart may cover and the CloudWatch period (resolution) each is read at.
 * Pure: no clock; callers pass the ages.
 *
 * @example
 * chooseResolution(86_400, 86_400); // 300: 288 five-minute points for a 24h chart
 *
 * Decisions:
 * - A chart has roughly 60 to 300 points: the finest resolution of {@link RESOLUTIONS} that
 *   gives at most {@link MAX_POINTS}. Every period of {@link METRIC_PERIODS} lands in 60..300.
 * - CloudWatch keeps 1-minute data 15 days, 5-minute data 63 days and 1-hour data 455 days; a
 *   GetMetricData whose start is older than such an age must ask for a multiple of the coarser
 *   period, or it gets no points. The start's age decides, so a chart of the past (a request
 *   with `asOf`) may get fewer points than 60, never an empty one. Older than 455 days
 *   CloudWatch keeps nothing: the hourly period is still asked for, and the chart says no data.
 * - Sub-minute (high-resolution) periods are never chosen: they live only 3 hours.
 */
import type { MetricPeriod } from './contract.ts';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

/** Every metric chart window, shortest first, with its length and label. */
export const METRIC_PERIODS: readonly { period: MetricPeriod; seconds: number; label: string }[] = [
  { period: '1h', seconds: HOUR, label: 'Last hour' },
  { period: '3h', seconds: 3 * HOUR, label: 'Last 3 hours' },
  { period: '6h', seconds: 6 * HOUR, label: 'Last 6 hours' },
  { period: '12h', seconds: 12 * HOUR, label: 'Last 12 hours' },
  { period: '24h', seconds: DAY, label: 'Last 24 hours' },
  { period: '3d', seconds: 3 * DAY, label: 'Last 3 days' },
  { period: '7d', seconds: 7 * DAY, label: 'Last 7 days' },
  { period: '14d', seconds: 14 * DAY, label: 'Last 14 days' },
  { period: '30d', seconds: 30 * DAY, label: 'Last 30 days' },
];

export const METRIC_PERIOD_NAMES = METRIC_PERIODS.map((p) => p.period) as [
  MetricPeriod,
  ...MetricPeriod[],
];

/** The window of a metric chart when the command names none. */
export const DEFAULT_METRIC_PERIOD: MetricPeriod = '24h';

/** Most points a chart is drawn with. */
export const MAX_POINTS = 300;

/** CloudWatch periods a chart may be read at, finest first. */
export const RESOLUTIONS = [
  MINUTE,
  2 * MINUTE,
  5 * MINUTE,
  10 * MINUTE,
  15 * MINUTE,
  30 * MINUTE,
  HOUR,
  2 * HOUR,
  3 * HOUR,
  6 * HOUR,
  12 * HOUR,
  DAY,
] as const;

/** How long CloudWatch keeps each resolution, and the period a read older than that needs. */
export const RETENTION = [
  { olderThanSeconds: 63 * DAY, multipleOf: HOUR },
  { olderThanSeconds: 15 * DAY, multipleOf: 5 * MINUTE },
] as const;

/** The neighbouring-period buttons choose from these: big enough steps to be worth a click. */
const BUTTON_LADDER: readonly MetricPeriod[] = ['1h', '6h', '24h', '7d', '30d'];

export function isMetricPeriod(word: string): word is MetricPeriod {
  return METRIC_PERIODS.some((p) => p.period === word);
}

function entry(period: MetricPeriod) {
  const found = METRIC_PERIODS.find((p) => p.period === period);
  if (!found) throw new RangeError(`Unknown metric period ${period}`);
  return found;
}

export function periodSeconds(period: MetricPeriod): number {
  return entry(period).seconds;
}

/** `Last 24 hours` */
export function periodLabel(period: MetricPeriod): string {
  return entry(period).label;
}

/**
 * The CloudWatch period (seconds) to read `durationSeconds` at, when the window's start is
 * `startAgeSeconds` before now. See the module comment.
 */
export function chooseResolution(durationSeconds: number, startAgeSeconds: number): number {
  const multipleOf =
    RETENTION.find((r) => startAgeSeconds > r.olderThanSeconds)?.multipleOf ?? MINUTE;
  const allowed = RESOLUTIONS.filter((r) => r % multipleOf === 0);
  return allowed.find((r) => durationSeconds / r <= MAX_POINTS) ?? DAY;
}

/** `5-minute`, `1-hour`, `1-day`: the resolution as the reply says it. */
export function resolutionLabel(seconds: number): string {
  if (seconds % DAY === 0) return `${seconds / DAY}-day`;
  if (seconds % HOUR === 0) return `${seconds / HOUR}-hour`;
  if (seconds % MINUTE === 0) return `${seconds / MINUTE}-minute`;
  return `${seconds}-second`;
}

/**
 * The periods offered as buttons under a chart of `period`: the nearest shorter and longer
 * ones of `1h 6h 24h 7d 30d` (so a 7d chart offers 24h and 30d), the chart's own left out.
 */
export function neighbourPeriods(period: MetricPeriod): {
  shorter?: MetricPeriod;
  longer?: MetricPeriod;
} {
  const seconds = periodSeconds(period);
  const shorter = BUTTON_LADDER.filter((p) => periodSeconds(p) < seconds).at(-1);
  const longer = BUTTON_LADDER.find((p) => periodSeconds(p) > seconds);
  return { ...(shorter ? { shorter } : {}), ...(longer ? { longer } : {}) };
}
