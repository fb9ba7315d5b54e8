/**
 * The Summarize step's logic: turns fetched billing series into the figures a person reads.
 * Pure: no I/O and no clock; "now" is `fetched.asOf`.
 *
 * Definitions (these are the product's definitions; the tests pin them down):
 *
 * - Input. Every cost series holds the DAILY MAXIMA of CloudWatch `AWS/Billing EstimatedCharges`,
 *   which is CUMULATIVE month-to-date and resets at the start of each UTC month. Dates are
 *   `YYYY-MM-DD` (UTC), oldest first; days can be missing. (Points are re-sorted defensively; a
 *   duplicated date keeps its largest value; non-finite values are ignored.)
 *
 * - Daily spend of day d (see {@link dailySpend}):
 *   - d has a data point: cumulative(d) minus the cumulative at the latest earlier point IN THE
 *     SAME MONTH. With no such point the whole value counts on d (the month's first point, or a
 *     service that first appears mid-month), unless the data is only known from a date after the
 *     1st of d's month (`knownFrom`, in `summarize` the fetched window's `from`): then an earlier
 *     point may exist unseen and d's spend is unknown (null), rather than a month's worth of
 *     charges showing up as one day's spike.
 *   - d has no data point but a later point exists in the same month: 0. The next present day
 *     carries the difference, which is what a cumulative metric means. (Null instead when that
 *     next point's own spend is unknown.)
 *   - d has no data point and no later point exists in its month (after the last data point,
 *     e.g. today not yet reported, or the last days of a month whose final points are missing):
 *     null, unknown. Such spend cannot be recovered since the metric resets.
 *   - A negative difference (AWS occasionally revises an estimate downward) is kept as is in
 *     every figure (yesterday, averages, period totals, rankings), so that daily spends always
 *     add up to the cumulative value, e.g. an `mtd` period total equals `monthToDate`. Only the
 *     chart clamps daily values to >= 0 (a stacked bar cannot go below the axis).
 *   - Money is rounded to cents only in the output (half away from zero); sums and differences
 *     use the unrounded values. Rounded parts may therefore differ from a rounded total by a cent.
 *
 * - The total. The request's figures come from `fetched.total`, except when the request is
 *   restricted (`service` or `accounts`) or `total` is null: then the total is the sum of the
 *   breakdown series (daily spends summed per day; null only on days where every breakdown
 *   series is null). A restricted request's figures cover only what it names, whatever
 *   account-wide series `total` may hold.
 *
 * - Days. asOf = `fetched.asOf`. "Yesterday" is the UTC day before asOf's day: the last
 *   complete day.
 *   - monthToDate: the latest cumulative value of the total on or before asOf's day within asOf's
 *     month (with a derived total: the sum of each breakdown series' latest such value); 0
 *     without data.
 *   - yesterday: the total's daily spend of yesterday; null when unknown.
 *   - changeVsDayBefore: yesterday minus the day before (null when either is unknown).
 *   - sevenDayAverage: mean daily spend of the 7 days ending yesterday (it may span two months:
 *     daily spends are defined across the reset). Unknown (null) days are left out of the mean;
 *     null when all 7 are unknown.
 *   - changeVsSevenDayAverage: yesterday minus that average.
 *   - A change's `percent` is 100 * change / base, rounded to 0.1; null when the base is below
 *     half a cent, i.e. zero on display, or negative (a percentage of a negative base reads
 *     backwards).
 *
 * - Period windows (UTC, inclusive, see {@link periodWindow}): `mtd` = the 1st of asOf's month to
 *   asOf's day (today's partial spend included); `7d` / `30d` = the 7 / 30 days ending yesterday;
 *   `last-month` = the whole previous month.
 *   - periodTotal: the sum of the total's daily spends over the window (unknown days count 0).
 *   - top: breakdown items ranked by their spend over the window (ties by name), items below half
 *     a cent left out, the first `topN` (default 5), then `Other` = periodTotal minus the sum of
 *     those, present only when it is at least half a cent. share = amount / periodTotal (0 when
 *     periodTotal is not positive), rounded to 4 decimals.
 *   - forecast (not for `last-month`, a closed month): dailyRate = sevenDayAverage (no average, no
 *     forecast); daysLeft = the fractional days from asOf to the end of its month; monthEnd =
 *     monthToDate + dailyRate * daysLeft.
 *
 * - Chart. Cost: stacked bars, `USD per day`, one series per top item in the order of `top`, then
 *   `Other` (the total's daily spend minus the top items' daily spends, >= 0) when `top` has an
 *   `Other` item; values clamped to >= 0 and rounded to cents, null where the day is unknown.
 *   (A metric chart is summarized by `metric.ts`.)
 *
 * - dataAsOf: `fetched.newestBillingPoint`, when the fetch found one.
 *
 * - anomalies: each breakdown series' spend on yesterday and on each of the 28 days before it,
 *   judged by `common/anomaly.ts` (median and MAD, $5 floor); amounts rounded to cents. Days
 *   are measured by {@link measuredDailySpend}: as above, the 1st of a month counts its whole
 *   cumulative value, but a day without a reading, right after such a gap, or a month's first
 *   reading after the 1st is unknown (skipped), never $0 nor several days' spend. When yesterday
 *   is the 1st, each line's spend on the previous month's 1st is handed in too (monthly
 *   charges). Fetch reads that far back (`requiredFetchWindow`); days before `fetched.from` are
 *   unknown.
 *
 * Empty data never throws: zeros and nulls, an empty `top`, a chart without series.
 */

import { ANOMALY_PARAMETERS, detectAnomalies } from '../../../common/anomaly.ts';
import type {
  AmountChange,
  Anomaly,
  ChartData,
  CostSummary,
  DailySeries,
  FetchedData,
  RankedItem,
  ReportRequest,
} from '../../../common/contract.ts';
import {
  addDays,
  DAY_MS,
  daysBetween,
  monthOf,
  monthStart,
  nextMonthStart,
  periodWindow,
  utcDay,
} from '../../../common/dates.ts';
import { InvalidRequestError } from '../../../common/errors.ts';

export const DEFAULT_TOP_N = 5;
export const OTHER = 'Other';

/** Half a cent: anything smaller rounds to $0.00. */
const HALF_CENT = 0.005;

// ---------------------------------------------------------------------------------------------
// Numbers

/** Rounds half away from zero to `digits` decimals, without binary artefacts (1.005 -> 1.01). */
export function roundTo(value: number, digits: number): number {
  const factor = 10 ** digits;
  const rounded =
    (Math.sign(value) * Math.round(Math.abs(value) * factor * (1 + Number.EPSILON))) / factor;
  return rounded === 0 ? 0 : rounded; // no -0
}

export function roundCents(value: number): number {
  return roundTo(value, 2);
}

function sumKnown(values: (number | null)[]): number {
  let sum = 0;
  for (const value of values) sum += value ?? 0;
  return sum;
}

/** `current - base` in cents, and as a percentage of `base` (null for a base under half a cent). */
export function amountChange(current: number, base: number): AmountChange {
  return {
    amount: roundCents(current - base),
    percent: base < HALF_CENT ? null : roundTo(((current - base) / base) * 100, 1),
  };
}

// ---------------------------------------------------------------------------------------------
// Daily spend

interface Point {
  date: string;
  value: number;
}

function pointsOf(series: DailySeries): Point[] {
  const byDate = new Map<string, number>();
  const count = Math.min(series.dates.length, series.values.length);
  for (let i = 0; i < count; i++) {
    const date = series.dates[i];
    const value = series.values[i];
    if (date === undefined || value === undefined || !Number.isFinite(value)) continue;
    const seen = byDate.get(date);
    byDate.set(date, seen === undefined ? value : Math.max(seen, value));
  }
  return [...byDate.entries()]
    .map(([date, value]) => ({ date, value }))
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export interface DailySpendOptions {
  /**
   * First day the series is known to cover (the fetched window's start). A point with no
   * earlier point in its month, in a month that began before this day, has an unknown spend.
   * Absent: the series is taken to be complete, so such a point counts its whole value.
   */
  knownFrom?: string;
}

/**
 * Daily spend of a cumulative month-to-date series for each day from `from` to `to` (inclusive),
 * unrounded and unclamped; null where unknown. See the module comment for the rules.
 */
export function dailySpend(
  series: DailySeries,
  from: string,
  to: string,
  options: DailySpendOptions = {},
): (number | null)[] {
  const points = pointsOf(series);
  const { knownFrom } = options;

  // Spend at each point, by index.
  const spendAt = points.map((point, i): number | null => {
    const previous = points[i - 1];
    if (previous !== undefined && monthOf(previous.date) === monthOf(point.date)) {
      return point.value - previous.value;
    }
    if (knownFrom !== undefined && monthStart(point.date) < knownFrom) return null;
    return point.value;
  });

  return daysBetween(from, to).map((day) => {
    // First point on or after `day`.
    const i = points.findIndex((point) => point.date >= day);
    const next = points[i];
    if (next === undefined || monthOf(next.date) !== monthOf(day)) return null;
    const spend = spendAt[i] ?? null;
    if (next.date === day) return spend;
    return spend === null ? null : 0;
  });
}

/**
 * Each day's own spend, for judging single days (anomalies): {@link dailySpend}, except that a
 * day without a reading is unknown (null), not $0, and so is a day whose reading follows such a
 * gap within its month (its difference holds several days' spend, which would read as a spike).
 * A month's first reading is the day's own spend only on the 1st (the metric just reset);
 * later in the month it holds everything since the 1st (missing readings, or a line that first
 * appears mid-month and is judged from its second reading on), so it is unknown too.
 */
export function measuredDailySpend(
  series: DailySeries,
  from: string,
  to: string,
  options: DailySpendOptions = {},
): (number | null)[] {
  const points = pointsOf(series);
  const read = new Set(points.map((point) => point.date));
  const spend = dailySpend(series, from, to, options);
  return daysBetween(from, to).map((day, i) => {
    if (!read.has(day)) return null;
    const previous = addDays(day, -1);
    const afterGap = monthOf(previous) === monthOf(day) && !read.has(previous);
    return afterGap ? null : (spend[i] ?? null);
  });
}

/**
 * The latest cumulative value of `series` in `day`'s month, on or before `day`; null without a
 * point in that range.
 */
export function latestInMonth(series: DailySeries, day: string): number | null {
  let latest: number | null = null;
  for (const point of pointsOf(series)) {
    if (point.date > day) break;
    if (monthOf(point.date) === monthOf(day)) latest = point.value;
  }
  return latest;
}

/** Sums parallel daily arrays; a day is null only when it is null in every array. */
function addDaily(arrays: (number | null)[][], length: number): (number | null)[] {
  return Array.from({ length }, (_, i) => {
    let sum: number | null = null;
    for (const values of arrays) {
      const value = values[i];
      if (value !== null && value !== undefined) sum = (sum ?? 0) + value;
    }
    return sum;
  });
}

// ---------------------------------------------------------------------------------------------
// Summary

export interface SummarizeOptions {
  /** How many items `top` ranks before `Other`. Default 5. */
  topN?: number;
}

/** The figures of a cost report, from the fetched series. See the module comment. */
export function summarize(
  request: ReportRequest,
  fetched: FetchedData,
  options: SummarizeOptions = {},
): CostSummary {
  const topN = Math.max(0, Math.floor(options.topN ?? DEFAULT_TOP_N));
  const asOf = new Date(fetched.asOf);
  if (Number.isNaN(asOf.getTime())) {
    throw new InvalidRequestError(`Summarize: asOf is not a valid ISO timestamp: ${fetched.asOf}`);
  }
  const today = utcDay(asOf);
  const yesterday = addDays(today, -1);
  const window = periodWindow(request.period, asOf);
  const spendOptions: DailySpendOptions = { knownFrom: fetched.from };

  const restricted = request.service !== undefined || (request.accounts?.length ?? 0) > 0;
  const total = restricted ? null : fetched.total;
  const breakdown = fetched.breakdown;

  const totalDaily = (from: string, to: string): (number | null)[] =>
    total !== null
      ? dailySpend(total, from, to, spendOptions)
      : addDaily(
          breakdown.map((series) => dailySpend(series, from, to, spendOptions)),
          daysBetween(from, to).length,
        );

  // Month to date.
  const monthToDate =
    total !== null
      ? (latestInMonth(total, today) ?? 0)
      : sumKnown(breakdown.map((series) => latestInMonth(series, today)));

  // Yesterday, the day before, the 7 days ending yesterday (oldest first).
  const week = totalDaily(addDays(yesterday, -6), yesterday);
  const yesterdaySpend = week[6] ?? null;
  const dayBeforeSpend = week[5] ?? null;
  const known = week.filter((value): value is number => value !== null);
  const sevenDayAverage = known.length > 0 ? sumKnown(known) / known.length : null;

  // The period.
  const periodDaily = totalDaily(window.from, window.to);
  const periodTotal = sumKnown(periodDaily);
  const itemDaily = breakdown.map((series) => ({
    name: series.name,
    daily: dailySpend(series, window.from, window.to, spendOptions),
  }));
  const ranked = itemDaily
    .map((item) => ({ ...item, amount: sumKnown(item.daily) }))
    .filter((item) => item.amount >= HALF_CENT)
    .sort((a, b) => b.amount - a.amount || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .slice(0, topN);
  const otherAmount = periodTotal - sumKnown(ranked.map((item) => item.amount));
  const hasOther = otherAmount >= HALF_CENT;
  const shareOf = (amount: number): number =>
    periodTotal > 0 ? roundTo(amount / periodTotal, 4) : 0;
  const top: RankedItem[] = ranked.map((item) => ({
    name: item.name,
    amount: roundCents(item.amount),
    share: shareOf(item.amount),
  }));
  if (hasOther) {
    top.push({ name: OTHER, amount: roundCents(otherAmount), share: shareOf(otherAmount) });
  }

  // Forecast.
  const daysLeft = (nextMonthStart(asOf).getTime() - asOf.getTime()) / DAY_MS;
  const forecast =
    request.period === 'last-month' || sevenDayAverage === null
      ? null
      : {
          monthEnd: roundCents(monthToDate + sevenDayAverage * daysLeft),
          dailyRate: roundCents(sevenDayAverage),
          daysLeft: roundTo(daysLeft, 2),
        };

  // Chart.
  const forChart = (value: number | null): number | null =>
    value === null ? null : roundCents(Math.max(0, value));
  const series = ranked.map((item) => ({ name: item.name, values: item.daily.map(forChart) }));
  if (hasOther) {
    series.push({
      name: OTHER,
      values: periodDaily.map((value, i) =>
        forChart(
          value === null ? null : value - sumKnown(ranked.map((item) => item.daily[i] ?? null)),
        ),
      ),
    });
  }
  const chart: ChartData = {
    title: `Daily spend by ${fetched.breakdownBy}, ${window.label}`,
    unit: 'USD per day',
    dates: daysBetween(window.from, window.to),
    series,
    style: 'stacked',
  };

  // Anomalies: each line's yesterday against its own previous days, and on the 1st also
  // against the previous month's 1st (monthly charges), which Fetch's window starts on.
  const previousFirst =
    yesterday === monthStart(yesterday) ? monthStart(addDays(yesterday, -1)) : undefined;
  const anomalies = detectAnomalies(
    breakdown.map((item) => ({
      name: item.name,
      daily: measuredDailySpend(
        item,
        addDays(yesterday, -ANOMALY_PARAMETERS.historyDays),
        yesterday,
        spendOptions,
      ),
      ...(previousFirst === undefined
        ? {}
        : {
            previousFirst:
              measuredDailySpend(item, previousFirst, previousFirst, spendOptions)[0] ?? null,
          }),
    })),
  ).map(
    (anomaly): Anomaly => ({
      ...anomaly,
      yesterday: roundCents(anomaly.yesterday),
      median: roundCents(anomaly.median),
      mad: roundCents(anomaly.mad),
      excess: roundCents(anomaly.excess),
    }),
  );

  return {
    currency: 'USD',
    asOf: fetched.asOf,
    period: { preset: request.period, label: window.label, from: window.from, to: window.to },
    monthToDate: roundCents(monthToDate),
    yesterday:
      yesterdaySpend === null ? null : { date: yesterday, amount: roundCents(yesterdaySpend) },
    changeVsDayBefore:
      yesterdaySpend === null || dayBeforeSpend === null
        ? null
        : amountChange(yesterdaySpend, dayBeforeSpend),
    sevenDayAverage: sevenDayAverage === null ? null : roundCents(sevenDayAverage),
    changeVsSevenDayAverage:
      yesterdaySpend === null || sevenDayAverage === null
        ? null
        : amountChange(yesterdaySpend, sevenDayAverage),
    periodTotal: roundCents(periodTotal),
    top,
    topBy: fetched.breakdownBy,
    forecast,
    anomalies,
    ...(fetched.newestBillingPoint ? { dataAsOf: fetched.newestBillingPoint } : {}),
    chart,
  };
}
