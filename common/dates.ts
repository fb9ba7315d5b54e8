/**
 * UTC calendar days as `YYYY-MM-DD` strings: the billing metric's days are UTC days, and
 * strings survive the state machine's JSON unchanged (and sort chronologically).
 */
import type { PeriodPreset } from './contract.ts';

export const DAY_MS = 86_400_000;

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** Midnight UTC of `day`. */
export function dayStart(day: string): Date {
  return new Date(`${day}T00:00:00.000Z`);
}

/** `day` shifted by `days` (may be negative). */
export function addDays(day: string, days: number): string {
  return utcDay(new Date(dayStart(day).getTime() + days * DAY_MS));
}

/** Every day from `from` to `to`, inclusive; empty when `from` is after `to`. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const end = dayStart(to).getTime();
  for (let t = dayStart(from).getTime(); t <= end; t += DAY_MS) days.push(utcDay(new Date(t)));
  return days;
}

/** `YYYY-MM` */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

export function monthStart(day: string): string {
  return `${monthOf(day)}-01`;
}

/** Midnight UTC starting the month after the one `date` falls in. */
export function nextMonthStart(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

/** `Nov 3` */
export function shortDay(day: string): string {
  const date = dayStart(day);
  return `${(MONTHS[date.getUTCMonth()] ?? '').slice(0, 3)} ${date.getUTCDate()}`;
}

export interface PeriodWindow {
  /** `YYYY-MM-DD`, inclusive (UTC). */
  from: string;
  to: string;
  label: string;
}

/**
 * The days a period covers as of `asOf` (UTC, inclusive) and its label. `mtd` runs to today
 * (spend so far); the rolling windows end yesterday, the last complete day.
 */
export function periodWindow(preset: PeriodPreset, asOf: Date): PeriodWindow {
  const today = utcDay(asOf);
  const yesterday = addDays(today, -1);
  switch (preset) {
    case 'mtd': {
      const from = monthStart(today);
      const days = from === today ? shortDay(today) : `${shortDay(from)}–${asOf.getUTCDate()}`;
      return { from, to: today, label: `Month to date (${days})` };
    }
    case '7d':
      return { from: addDays(yesterday, -6), to: yesterday, label: 'Last 7 days' };
    case '30d':
      return { from: addDays(yesterday, -29), to: yesterday, label: 'Last 30 days' };
    case 'last-month': {
      const to = addDays(monthStart(today), -1);
      const date = dayStart(to);
      return {
        from: monthStart(to),
        to,
        label: `${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`,
      };
    }
  }
}

/** Days of history before yesterday that judge whether yesterday was anomalous (`anomaly.ts`). */
export const ANOMALY_HISTORY_DAYS = 28;

/**
 * The days Fetch must read for every figure of `preset` as of `asOf`: from the 1st of the
 * month of the earliest day whose spend is needed (the window's start, the first of the
 * 7 days ending yesterday, or the first of the {@link ANOMALY_HISTORY_DAYS} days before
 * yesterday that are the anomalies' baseline), because a day's spend is the difference from the
 * previous reading of the same month; to asOf's day. That month's 1st is also the previous
 * month's 1st whenever yesterday is a 1st (no month is shorter than the 28 days), which the
 * anomalies compare a 1st with (monthly charges). At most 60 days (from Jan 1 as of Mar 1),
 * still one GetMetricData call.
 */
export function requiredFetchWindow(
  preset: PeriodPreset,
  asOf: Date,
): { from: string; to: string } {
  const today = utcDay(asOf);
  const window = periodWindow(preset, asOf);
  const yesterday = addDays(today, -1);
  const [earliest = today] = [
    window.from,
    addDays(today, -7),
    addDays(yesterday, -ANOMALY_HISTORY_DAYS),
  ].sort();
  return { from: monthStart(earliest), to: today };
}
