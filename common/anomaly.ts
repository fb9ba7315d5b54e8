/**
 * Anomalies: which lines of a cost report (services, or accounts) spent unusually much
 * yesterday, each judged against its own recent history. Pure: daily spends in, verdicts out.
 *
 *   detectAnomalies([{ name: 'AmazonEC2', daily: [...28 days of history, yesterday] }]);
 *   // [{ name: 'AmazonEC2', kind: 'spike', yesterday: 182.1, median: 40.05, mad: 2.97, ... }]
 *
 * The method (robust to the spikes it looks for, so one past spike does not hide the next):
 * - Baseline: the line's daily spend over the {@link ANOMALY_PARAMETERS.historyDays} days before
 *   yesterday. Days whose spend is unknown (null: missing data) are skipped, never read as $0.
 * - median m and MAD = 1.4826 × median(|x − m|) of the known baseline days (the factor makes the
 *   MAD estimate a standard deviation for normally distributed spend).
 * - Anomalous ("spike") when yesterday > m + k·MAD (k = 3) AND yesterday − m ≥ the dollar floor
 *   ($5): the floor keeps cents from paging anyone, and is the only guard when MAD = 0 (a flat
 *   history).
 * - A new line, with no known baseline day or only $0.00 days, is anomalous ("new") when
 *   yesterday ≥ the floor; its median and MAD are 0.
 * - Fewer than 7 known baseline days (and not new): no verdict, too little history.
 * - Yesterday unknown: no verdict. Only increases are flagged: a drop in spend pages no one.
 * - Yesterday the 1st of a month ({@link DailyLine.previousFirst} given): charges billed once a
 *   month on the 1st (Route 53 hosted zones, Support, Marketplace) would stand out against 28
 *   ordinary days every month, so the 1st is also judged against the previous month's 1st: a
 *   spike only when yesterday is ALSO at least the floor above that day's spend. New only when
 *   that day spent nothing either. With that day unknown, no verdict, unless nothing at all is
 *   known of the line (no reading: a line that did not exist, new as on any other day).
 *
 * Daily spend comes from the cumulative billing series through the Summarize step's
 * `dailySpend` (month resets included), which hands the lines in.
 */

import type { Anomaly } from './contract.ts';
import { ANOMALY_HISTORY_DAYS } from './dates.ts';

/** The method's parameters; `docs/architecture.md`, "Anomalies", quotes them. */
export const ANOMALY_PARAMETERS = {
  /** Days of history before yesterday that make the baseline (Fetch reads that far back). */
  historyDays: ANOMALY_HISTORY_DAYS,
  /** Known baseline days needed for a verdict on a line that is not new. */
  minHistoryDays: 7,
  /** How many MADs above the median yesterday must be. */
  k: 3,
  /** Dollars above the median yesterday must be, at least. */
  floorDollars: 5,
  /** Turns the MAD into a standard deviation's estimate for normally distributed values. */
  madScale: 1.4826,
} as const;

/** Half a cent: a day below it reads $0.00, so a history of such days is no history. */
const HALF_CENT = 0.005;

/** One line's daily spend, oldest first, ending yesterday; null where the day is unknown. */
export interface DailyLine {
  name: string;
  daily: (number | null)[];
  /**
   * Only when yesterday is the 1st of a month: the line's spend on the previous month's 1st,
   * null when unknown. Absent on any other day.
   */
  previousFirst?: number | null;
}

export interface AnomalyOptions {
  /** Default {@link ANOMALY_PARAMETERS.k}. */
  k?: number;
  /** Default {@link ANOMALY_PARAMETERS.floorDollars}. */
  floorDollars?: number;
}

/** `amount >= floor` in whole cents, as the message shows them (4.999 is $5.00). */
function atLeast(amount: number, floor: number): boolean {
  return Math.round(amount * 100) >= Math.round(floor * 100);
}

/** The median of `values`; NaN for none. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle] ?? Number.NaN;
  return sorted.length % 2 === 1 ? upper : ((sorted[middle - 1] ?? Number.NaN) + upper) / 2;
}

/** The verdict on one line: its anomaly, or null (steady, too little history, or unknown). */
export function detectAnomaly(line: DailyLine, options: AnomalyOptions = {}): Anomaly | null {
  const k = options.k ?? ANOMALY_PARAMETERS.k;
  const floor = options.floorDollars ?? ANOMALY_PARAMETERS.floorDollars;
  const yesterday = line.daily.at(-1);
  if (yesterday === null || yesterday === undefined) return null;
  const baseline = line.daily
    .slice(0, -1)
    .slice(-ANOMALY_PARAMETERS.historyDays)
    .filter((value): value is number => value !== null);
  const { previousFirst } = line;
  // The 1st with the previous 1st unknown: a monthly charge cannot be told from a spike.
  if (previousFirst === null && baseline.length > 0) return null;
  const history = typeof previousFirst === 'number' ? [...baseline, previousFirst] : baseline;

  if (history.every((value) => Math.abs(value) < HALF_CENT)) {
    return atLeast(yesterday, floor)
      ? {
          name: line.name,
          kind: 'new',
          yesterday,
          median: 0,
          mad: 0,
          excess: yesterday,
          baselineDays: baseline.length,
        }
      : null;
  }
  if (baseline.length < ANOMALY_PARAMETERS.minHistoryDays) return null;

  const m = median(baseline);
  const mad = ANOMALY_PARAMETERS.madScale * median(baseline.map((value) => Math.abs(value - m)));
  const excess = yesterday - m;
  if (yesterday <= m + k * mad || !atLeast(excess, floor)) return null;
  if (typeof previousFirst === 'number' && !atLeast(yesterday - previousFirst, floor)) return null;
  return {
    name: line.name,
    kind: 'spike',
    yesterday,
    median: m,
    mad,
    excess,
    baselineDays: baseline.length,
  };
}

/** The anomalous lines, the largest excess first (ties by name). */
export function detectAnomalies(
  lines: readonly DailyLine[],
  options: AnomalyOptions = {},
): Anomaly[] {
  return lines
    .map((line) => detectAnomaly(line, options))
    .filter((anomaly): anomaly is Anomaly => anomaly !== null)
    .sort((a, b) => b.excess - a.excess || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}
