/**
 * When does the digest run next? EventBridge Scheduler cron expressions evaluated in an IANA
 * time zone, so a person can check "09:00 Europe/Berlin on weekdays" before waiting for it.
 *
 * Pure: no I/O, the clock is an argument. Follows EventBridge's rules: six fields
 * (minutes hours day-of-month month day-of-week year), day-of-week 1-7 = SUN-SAT, exactly one
 * of day-of-month and day-of-week is `?`. Daylight saving time as EventBridge Scheduler
 * documents it: a time that does not exist (spring forward) is skipped, a time that exists
 * twice (fall back) runs once, at its first occurrence.
 *
 * @example
 * nextRun('cron(0 9 ? * MON-FRI *)', 'Europe/Berlin', new Date('2026-11-21T12:00:00Z'));
 * // → 2026-11-23T08:00:00.000Z (Monday 09:00 in Berlin, UTC+1 in November)
 */
import { CronError, CronUnsupportedError } from './errors.ts';

interface Field {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** `?` is allowed (day-of-month, day-of-week). */
  question?: boolean;
  /** EventBridge allows these letters here; this evaluator does not compute them. */
  special?: RegExp;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly Field[] = [
  { name: 'minutes', min: 0, max: 59 },
  { name: 'hours', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31, question: true, special: /[LW]/ },
  { name: 'month', min: 1, max: 12, names: MONTHS },
  { name: 'day-of-week', min: 1, max: 7, names: DAYS, question: true, special: /[L#]/ },
  { name: 'year', min: 1970, max: 2199 },
];

/** A parsed expression: the allowed values of each field; `null` for `?`. */
export interface CronSchedule {
  minutes: number[];
  hours: number[];
  daysOfMonth: Set<number> | null;
  months: Set<number>;
  /** 1 = Sunday ... 7 = Saturday, as EventBridge numbers them. */
  daysOfWeek: Set<number> | null;
  years: Set<number>;
}

function value(token: string, field: Field): number {
  const upper = token.toUpperCase();
  const named = field.names?.indexOf(upper) ?? -1;
  const n = named >= 0 ? named + field.min : /^\d+$/.test(token) ? Number(token) : Number.NaN;
  if (!Number.isInteger(n) || n < field.min || n > field.max) {
    throw new CronError(
      `${field.name}: "${token}" is not a value from ${field.min} to ${field.max}${field.names ? ` or a name (${field.names[0]}…)` : ''}.`,
    );
  }
  return n;
}

function parseField(text: string, field: Field): Set<number> | null {
  if (text === '?') {
    if (!field.question)
      throw new CronError(`${field.name}: "?" is allowed only in the day fields.`);
    return null;
  }
  if (field.special?.test(text.toUpperCase())) {
    throw new CronUnsupportedError(
      `${field.name}: "${text}" (L, W, #) is valid for EventBridge but not computed here.`,
    );
  }
  const values = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!m) throw new CronError(`${field.name}: cannot read "${part}".`);
    const range = m[1] as string;
    const step = m[2] === undefined ? 1 : Number(m[2]);
    if (step < 1) throw new CronError(`${field.name}: the step in "${part}" must be at least 1.`);
    let from = field.min;
    let to = field.max;
    if (range !== '*') {
      const [a, b] = range.split('-') as [string, string | undefined];
      from = value(a, field);
      // `5/10` means from 5 to the end, every 10; a bare `5` is just 5.
      to = b !== undefined ? value(b, field) : m[2] !== undefined ? field.max : from;
    }
    if (from > to) throw new CronError(`${field.name}: the range "${range}" runs backwards.`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}

/** Parses `cron(m h dom mon dow y)`; throws `CronError` naming the bad field. */
export function parseCron(expression: string): CronSchedule {
  const m = /^cron\((.*)\)$/.exec(expression.trim());
  if (!m)
    throw new CronError(
      `"${expression}" is not of the form cron(minutes hours day-of-month month day-of-week year).`,
    );
  const parts = (m[1] as string).trim().split(/\s+/);
  if (parts.length !== 6) {
    throw new CronError(
      `cron() needs 6 fields (minutes hours day-of-month month day-of-week year); got ${parts.length}.`,
    );
  }
  const sets = parts.map((part, i) => parseField(part, FIELDS[i] as Field));
  const [minutes, hours, dom, months, dow, years] = sets;
  if ((dom === null) === (dow === null)) {
    throw new CronError('exactly one of day-of-month and day-of-week must be "?".');
  }
  const sorted = (s: Set<number> | null | undefined) => [...(s ?? [])].sort((a, b) => a - b);
  return {
    minutes: sorted(minutes),
    hours: sorted(hours),
    daysOfMonth: dom ?? null,
    months: months ?? new Set(),
    daysOfWeek: dow ?? null,
    years: years ?? new Set(),
  };
}

export function assertTimeZone(timeZone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new CronError(`"${timeZone}" is not an IANA time zone (e.g. Europe/Berlin).`);
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Wall-clock fields of an instant in a time zone. */
function wallClock(instant: number, timeZone: string) {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  const parts: Record<string, number> = {};
  for (const p of f.formatToParts(new Date(instant))) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  return {
    year: parts.year ?? 0,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

/** Zone offset at an instant, in ms (UTC+1 → 3,600,000). */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time happens in a zone, or null when it does not exist (the hour
 * skipped by spring forward). For a time that exists twice, the first.
 */
export function zonedTime(
  date: { year: number; month: number; day: number; hour: number; minute: number },
  timeZone: string,
): number | null {
  const local = Date.UTC(date.year, date.month - 1, date.day, date.hour, date.minute);
  // Try both offsets around the time; keep the earliest that reads back as the asked time.
  const candidates = [
    local - offsetAt(local - 86_400_000, timeZone),
    local - offsetAt(local, timeZone),
    local - offsetAt(local + 86_400_000, timeZone),
  ].sort((a, b) => a - b);
  for (const t of candidates) {
    const w = wallClock(t, timeZone);
    if (
      w.year === date.year &&
      w.month === date.month &&
      w.day === date.day &&
      w.hour === date.hour &&
      w.minute === date.minute
    ) {
      return t;
    }
  }
  return null;
}

/** How far ahead to look: the year field may be sparse, but a schedule past 2199 is not one. */
const MAX_DAYS = 366 * 8;

/**
 * The first run strictly after `after`, or null when the expression never fires again (a year
 * in the past, 31 February). Throws `CronError` for a bad expression or time zone.
 */
/** The schedule's run times after `after`, in order, as the scheduler would fire them. */
export function* runTimes(expression: string, timeZone: string, after: Date): Generator<Date> {
  const schedule = parseCron(expression);
  assertTimeZone(timeZone);
  const start = wallClock(after.getTime(), timeZone);
  // Calendar arithmetic on a UTC date: only its y/m/d/weekday are used.
  const day0 = Date.UTC(start.year, start.month - 1, start.day);
  for (let i = 0; i < MAX_DAYS; i++) {
    const d = new Date(day0 + i * 86_400_000);
    const year = d.getUTCFullYear();
    const month = d.getUTCMonth() + 1;
    const day = d.getUTCDate();
    if (!schedule.years.has(year) || !schedule.months.has(month)) continue;
    const dayOk =
      schedule.daysOfMonth !== null
        ? schedule.daysOfMonth.has(day)
        : (schedule.daysOfWeek?.has(d.getUTCDay() + 1) ?? false);
    if (!dayOk) continue;
    for (const hour of schedule.hours) {
      for (const minute of schedule.minutes) {
        const t = zonedTime({ year, month, day, hour, minute }, timeZone);
        if (t !== null && t > after.getTime()) yield new Date(t);
      }
    }
  }
}

export function nextRun(expression: string, timeZone: string, after: Date): Date | null {
  for (const t of runTimes(expression, timeZone, after)) return t;
  return null;
}

/** `Mon 23 Nov 2026, 09:00` in the zone. */
export function formatInZone(instant: Date, timeZone: string): string {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  });
  return f.format(instant).replace(/ at /, ', ');
}
