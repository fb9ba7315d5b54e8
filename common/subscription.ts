/**
 * Subscriptions: a channel's standing order for a report on a schedule, optionally only when a
 * condition holds (`/aws-cost subscribe daily 09:00 Europe/Paris 7d if anomaly`).
 *
 * There is no database: deployed, each subscription is one EventBridge Scheduler schedule in
 * the `costbot` group (cron expression, IANA time zone, and the report request with its
 * condition as the target's input), so the schedule is the whole record; locally, one entry of
 * a JSON file fired by an in-process scheduler with the same cron semantics
 * (`common/cron.ts`). Both stores implement {@link SubscriptionStore}.
 *
 * Schedule names are `<channel id>.<subscription id>` (`C0123ABCD.k3m9x2qa`), so a channel's
 * subscriptions are one `ListSchedules` with that prefix, and a channel can only ever name (and
 * so remove) its own.
 */
import { createHash } from 'node:crypto';
import * as v from 'valibot';
import type {
  PeriodPreset,
  ReportRequest,
  ScheduledRunState,
  SubscriptionRef,
  WatchCondition,
} from './contract.ts';
import {
  AccountIdsSchema,
  PERIODS,
  SERVICE_NAME,
  SUBSCRIPTION_ID,
  SubscriptionRefSchema,
} from './contract-schema.ts';
import { runTimes } from './cron.ts';
import { InvalidRequestError } from './errors.ts';
import { escapeMrkdwn, usd } from './slack-message.ts';

/** The schedule group every subscription lives in (the stack creates it). */
export const SCHEDULE_GROUP = 'costbot';

/**
 * Every subscription schedule's retry policy, as the stack's digest schedule had it: a report
 * more than an hour late is noise, and the state machine's run naming makes a retried start
 * post once.
 */
export const SCHEDULE_RETRY = { maxEventAgeSeconds: 3600, retryAttempts: 2 } as const;

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** How often: `daily`, `weekdays` (Monday to Friday), `weekly <day>`, `monthly <1..28>`. */
export type Cadence =
  | { every: 'day' }
  | { every: 'weekday' }
  | { every: 'week'; day: Weekday }
  | { every: 'month'; day: number };

/** What a subscription's report covers: what `/aws-cost` takes for a report. */
export interface SubscriptionReport {
  period: PeriodPreset;
  service?: string;
  accounts?: string[];
}

export interface Subscription {
  /** `[a-z0-9]{1,16}`: 8 characters derived from the Slack request, or `digest`. */
  id: string;
  /** Slack channel id the reports post to. */
  channel: string;
  cadence: Cadence;
  /** `HH:MM`, 24-hour, in `timeZone`. */
  time: string;
  /** IANA time zone, e.g. `Europe/Paris`. */
  timeZone: string;
  report: SubscriptionReport;
  condition?: WatchCondition;
  /** Slack user who subscribed; absent for the stack's digest. */
  createdBy?: string;
}

/** Where subscriptions are kept: EventBridge Scheduler deployed, a file locally. */
export interface SubscriptionStore {
  /**
   * Creates it; `created: false` when one with the same channel and id exists already (a
   * retried Slack request), which is left as it was.
   */
  create(subscription: Subscription): Promise<{ created: boolean }>;
  /** The channel's subscriptions, by id. */
  list(channel: string): Promise<Subscription[]>;
  /** The channel's subscription `id`; null when it has none by that id. */
  get(channel: string, id: string): Promise<Subscription | null>;
  /**
   * How many exist in `channel`, or in all channels without one (for the limits): names only,
   * cheaper than {@link list}, which reads each whole. With `atMost`, counting may stop there
   * (the answer is then at least `atMost`), so a full group is not paged through before an ack.
   */
  count(channel?: string, atMost?: number): Promise<number>;
  /** Removes the channel's subscription `id`; false when it had none by that id. */
  remove(channel: string, id: string): Promise<boolean>;
}

/*
 * The pure functions below are the one place that maps a subscription to and from what the
 * stores keep; the bot, the stack's digest and the local scheduler all go through them.
 */

/**
 * The scheduler's context attributes, replaced in the target's input on each run. The same
 * strings as aws-cdk-lib's `ContextAttribute.executionId` / `.scheduledTime` (common/ cannot
 * import aws-cdk-lib).
 */
export const SCHEDULER_PLACEHOLDERS = {
  executionId: '<aws.scheduler.execution-id>',
  scheduledTime: '<aws.scheduler.scheduled-time>',
} as const;

/** `HH:MM`, 00:00 to 23:59. */
const TIME = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** A Slack channel id (`C0123ABCD`): schedule names allow `[0-9a-zA-Z-_.]{1,64}`. */
const CHANNEL_ID = /^[A-Z0-9]{1,47}$/;
const SCHEDULE_NAME = /^([A-Z0-9]{1,47})\.([a-z0-9]{1,16})$/;
/** Monthly days stop at 28: every month has them. */
export const MAX_MONTH_DAY = 28;

const ID_LENGTH = 8;
const ID_SPACE = 36n ** BigInt(ID_LENGTH);

/**
 * A subscription id from what Slack repeats on a retry, so a retried request names the same
 * subscription: 8 of `[a-z0-9]` from SHA-256 of the parts.
 *
 * @example
 * subscriptionId('T0123', '1234.5678.abcd'); // → 8 characters, the same every time
 */
export function subscriptionId(...parts: string[]): string {
  // JSON keeps ('a b', 'c') and ('a', 'b c') apart, which joining with a separator would not.
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  return (BigInt(`0x${digest.slice(0, 16)}`) % ID_SPACE).toString(36).padStart(ID_LENGTH, '0');
}

const CRON_DAYS: Record<Weekday, string> = {
  mon: 'MON',
  tue: 'TUE',
  wed: 'WED',
  thu: 'THU',
  fri: 'FRI',
  sat: 'SAT',
  sun: 'SUN',
};

/**
 * The EventBridge cron expression of a cadence at a time (evaluated in the schedule's zone).
 * Throws `InvalidRequestError` for a time that is not `HH:MM` or a monthly day outside 1..28.
 *
 * @example
 * cronExpression({ cadence: { every: 'weekday' }, time: '09:30' }); // → 'cron(30 9 ? * MON-FRI *)'
 */
export function cronExpression(s: Pick<Subscription, 'cadence' | 'time'>): string {
  const m = TIME.exec(s.time);
  if (!m) throw new InvalidRequestError(`Time "${s.time}" is not HH:MM from 00:00 to 23:59.`);
  const at = `${Number(m[2])} ${Number(m[1])}`;
  const c = s.cadence;
  switch (c.every) {
    case 'day':
      return `cron(${at} * * ? *)`;
    case 'weekday':
      return `cron(${at} ? * MON-FRI *)`;
    case 'week':
      return `cron(${at} ? * ${CRON_DAYS[c.day]} *)`;
    case 'month':
      if (!Number.isInteger(c.day) || c.day < 1 || c.day > MAX_MONTH_DAY) {
        throw new InvalidRequestError(`A monthly day is from 1 to ${MAX_MONTH_DAY}; got ${c.day}.`);
      }
      return `cron(${at} ${c.day} * ? *)`;
  }
}

/** `n` written without leading zeros, from `min` to `max`, else null. */
function plain(text: string, min: number, max: number): number | null {
  if (!/^(0|[1-9]\d*)$/.test(text)) return null;
  const n = Number(text);
  return n >= min && n <= max ? n : null;
}

/**
 * The cadence and time of an expression {@link cronExpression} wrote, or null for any other
 * (another form, leading zeros, a year): a schedule costbot did not write is not read as one.
 */
export function cadenceFromCron(expression: string): { cadence: Cadence; time: string } | null {
  const m = /^cron\((\S+) (\S+) (\S+) \* (\S+) \*\)$/.exec(expression);
  if (!m) return null;
  const [, minuteText, hourText, dom, dow] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
  ];
  const minute = plain(minuteText, 0, 59);
  const hour = plain(hourText, 0, 23);
  if (minute === null || hour === null) return null;
  const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
  let cadence: Cadence | null = null;
  if (dom === '*' && dow === '?') cadence = { every: 'day' };
  else if (dom === '?' && dow === 'MON-FRI') cadence = { every: 'weekday' };
  else if (dom === '?') {
    const day = WEEKDAYS.find((d) => CRON_DAYS[d] === dow);
    if (day) cadence = { every: 'week', day };
  } else if (dow === '?') {
    const day = plain(dom, 1, MAX_MONTH_DAY);
    if (day !== null) cadence = { every: 'month', day };
  }
  return cadence ? { cadence, time } : null;
}

const DAY_NAMES: Record<Weekday, string> = {
  mon: 'Monday',
  tue: 'Tuesday',
  wed: 'Wednesday',
  thu: 'Thursday',
  fri: 'Friday',
  sat: 'Saturday',
  sun: 'Sunday',
};

const PERIOD_WORDS: Record<PeriodPreset, string> = {
  mtd: 'month-to-date report',
  '7d': '7-day report',
  '30d': '30-day report',
  'last-month': "last month's report",
};

/** `1st`, `2nd`, `3rd`, `4th` … `21st` … `28th`. */
function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** `daily`, `weekdays`, `every Tuesday`, `monthly on the 15th`. */
export function describeCadence(c: Cadence): string {
  switch (c.every) {
    case 'day':
      return 'daily';
    case 'weekday':
      return 'weekdays';
    case 'week':
      return `every ${DAY_NAMES[c.day]}`;
    case 'month':
      return `monthly on the ${ordinal(c.day)}`;
  }
}

/** `$250`, `$1,000,000`, `$99.50`. */
export function dollars(amount: number): string {
  return Number.isInteger(amount) ? `$${amount.toLocaleString('en-US')}` : usd(amount);
}

/**
 * `if yesterday > $250`, `if change > 20%`, `if anomaly`, as mrkdwn: the `>` is written
 * `&gt;`, as Slack asks of every `>` in text (it shows `>`).
 */
export function describeCondition(c: WatchCondition): string {
  switch (c.kind) {
    case 'yesterday-above':
      return `if yesterday &gt; ${dollars(c.dollars)}`;
    case 'change-above':
      return `if change &gt; ${c.percent}%`;
    case 'anomaly':
      return 'if anomaly';
  }
}

/** `7-day report for AmazonEC2 in account 123456789012`; escaped for mrkdwn. */
export function describeReport(r: SubscriptionReport): string {
  const parts = [PERIOD_WORDS[r.period]];
  if (r.service !== undefined) parts.push(`for ${escapeMrkdwn(r.service)}`);
  if (r.accounts !== undefined && r.accounts.length > 0) {
    const noun = r.accounts.length === 1 ? 'account' : 'accounts';
    parts.push(
      `${r.service === undefined ? 'for' : 'in'} ${noun} ${escapeMrkdwn(r.accounts.join(', '))}`,
    );
  }
  return parts.join(' ');
}

/**
 * A subscription in one line of words, safe as mrkdwn (what a person typed is escaped, and
 * the condition's `>` is `&gt;`).
 *
 * @example
 * describeSubscription(s);
 * // → 'weekdays at 09:30 Europe/Paris · 7-day report for AmazonEC2 · if yesterday &gt; $250'
 */
export function describeSubscription(s: Subscription): string {
  const parts = [
    `${describeCadence(s.cadence)} at ${escapeMrkdwn(s.time)} ${escapeMrkdwn(s.timeZone)}`,
    describeReport(s.report),
  ];
  if (s.condition) parts.push(describeCondition(s.condition));
  return parts.join(' · ');
}

/**
 * The next `n` run times strictly after `after`, as EventBridge Scheduler fires them in the
 * subscription's zone (a time daylight saving skips does not run that day; a time that
 * happens twice runs once). Throws `CronError` for a time zone Intl does not know.
 */
export function nextRuns(s: Subscription, after: Date, n: number): Date[] {
  const runs: Date[] = [];
  if (n <= 0) return runs;
  for (const t of runTimes(cronExpression(s), s.timeZone, after)) {
    runs.push(t);
    if (runs.length === n) break;
  }
  return runs;
}

/**
 * The schedule's name, `<channel id>.<subscription id>` (`C0123ABCD.k3m9x2qa`). Throws
 * `InvalidRequestError` for a channel that is not a Slack channel id (`[A-Z0-9]`, not `#name`)
 * or an id that is not `[a-z0-9]{1,16}`: nothing else may become a name or a prefix.
 */
export function scheduleName(channel: string, id: string): string {
  if (!CHANNEL_ID.test(channel)) {
    throw new InvalidRequestError(
      `Subscriptions need a Slack channel id such as C0123ABCD; got "${channel.slice(0, 80)}".`,
    );
  }
  if (!SUBSCRIPTION_ID.test(id)) {
    throw new InvalidRequestError(
      `Subscription ids are 1 to 16 lowercase letters and digits; got "${id.slice(0, 80)}".`,
    );
  }
  return `${channel}.${id}`;
}

/** The channel and id of a name {@link scheduleName} wrote, else null. */
export function parseScheduleName(name: string): { channel: string; id: string } | null {
  const m = SCHEDULE_NAME.exec(name);
  return m ? { channel: m[1] as string, id: m[2] as string } : null;
}

/**
 * The schedule target's input: a scheduled run's state whose `requestId` and `scheduledAt`
 * the scheduler fills in on each run, and whose request carries the subscription's id,
 * condition and author, so the schedule is the whole record.
 */
export function subscriptionInput(
  // When is not part of the input: the stack's digest keeps whatever cron it was deployed with.
  s: Omit<Subscription, 'cadence' | 'time' | 'timeZone'> & Partial<Subscription>,
): ScheduledRunState {
  const subscription: SubscriptionRef = { id: s.id };
  if (s.condition) subscription.condition = s.condition;
  if (s.createdBy !== undefined) subscription.createdBy = s.createdBy;
  const request: ReportRequest = {
    kind: 'digest',
    requestId: SCHEDULER_PLACEHOLDERS.executionId,
    channel: s.channel,
    period: s.report.period,
  };
  if (s.report.service !== undefined) request.service = s.report.service;
  if (s.report.accounts !== undefined) request.accounts = s.report.accounts;
  request.subscription = subscription;
  return { request, scheduledAt: SCHEDULER_PLACEHOLDERS.scheduledTime };
}

/** What {@link subscriptionInput} writes, as read back: keys it does not write are ignored. */
const ScheduleInputSchema = v.object({
  request: v.object({
    kind: v.literal('digest'),
    requestId: v.literal(SCHEDULER_PLACEHOLDERS.executionId),
    channel: v.pipe(v.string(), v.regex(CHANNEL_ID)),
    period: v.picklist(PERIODS),
    service: v.optional(v.pipe(v.string(), v.regex(SERVICE_NAME))),
    accounts: v.optional(AccountIdsSchema),
    subscription: SubscriptionRefSchema,
  }),
  scheduledAt: v.literal(SCHEDULER_PLACEHOLDERS.scheduledTime),
});

/** What a store reads back of one schedule (`GetSchedule`, or the local file's entry). */
export interface StoredSchedule {
  name: string;
  expression: string;
  /** Absent: UTC, as EventBridge Scheduler reads it. */
  timeZone?: string;
  /** The target's input, as JSON text. */
  input: string;
}

function knownTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * The subscription a schedule holds, or null when it is not one of costbot's: a foreign
 * name, expression, time zone or input, or a name that disagrees with its input. Never
 * throws: what the scheduler hands back is checked, not trusted.
 */
export function subscriptionFromSchedule(schedule: StoredSchedule): Subscription | null {
  const named = parseScheduleName(schedule.name);
  const when = cadenceFromCron(schedule.expression);
  const timeZone = schedule.timeZone ?? 'UTC';
  if (!named || !when || !knownTimeZone(timeZone)) return null;
  let json: unknown;
  try {
    json = JSON.parse(schedule.input);
  } catch {
    return null;
  }
  const parsed = v.safeParse(ScheduleInputSchema, json);
  if (!parsed.success) return null;
  const { request } = parsed.output;
  if (request.channel !== named.channel || request.subscription.id !== named.id) return null;
  const report: SubscriptionReport = { period: request.period };
  if (request.service !== undefined) report.service = request.service;
  if (request.accounts !== undefined) report.accounts = request.accounts;
  const subscription: Subscription = {
    id: named.id,
    channel: named.channel,
    cadence: when.cadence,
    time: when.time,
    timeZone,
    report,
  };
  if (request.subscription.condition) subscription.condition = request.subscription.condition;
  if (request.subscription.createdBy !== undefined) {
    subscription.createdBy = request.subscription.createdBy;
  }
  return subscription;
}
