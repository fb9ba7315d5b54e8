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
import type { PeriodPreset } from './contract.ts';

/** The schedule group every subscription lives in (the stack creates it). */
export const SCHEDULE_GROUP = 'costbot';

/** Id of the subscription the stack creates for the morning digest. */
export const DIGEST_SUBSCRIPTION_ID = 'digest';

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** How often: `daily`, `weekdays` (Monday to Friday), `weekly <day>`, `monthly <1..28>`. */
export type Cadence =
  | { every: 'day' }
  | { every: 'weekday' }
  | { every: 'week'; day: Weekday }
  | { every: 'month'; day: number };

/**
 * When a subscription posts; without one it always posts.
 * - `yesterday-above`: yesterday's spend (of the report's scope) above `dollars`.
 * - `change-above`: yesterday against the average of the 7 days before it, up more than
 *   `percent` percent.
 * - `anomaly`: at least one line of the report is anomalous (`common/anomaly.ts`).
 */
export type WatchCondition =
  | { kind: 'yesterday-above'; dollars: number }
  | { kind: 'change-above'; percent: number }
  | { kind: 'anomaly' };

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

/**
 * What rides in a scheduled run's request (`ReportRequest.subscription`): which subscription
 * it is (it names the run, `<id>-<scheduled time>`) and the condition Summarize evaluates.
 */
export interface SubscriptionRef {
  id: string;
  condition?: WatchCondition;
}

/**
 * Summarize's verdict on a request's condition, at `$.gate`; the `Post?` Choice ends the
 * execution in `ConditionNotMet` when `post` is false, before any chart is rendered.
 */
export interface Gate {
  post: boolean;
  /** Why, in words: `yesterday $41.20 is not above $250`, or `no condition`. */
  reason: string;
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
  /** How many exist in all channels (for the overall limit). */
  count(): Promise<number>;
  /** Removes the channel's subscription `id`; false when it had none by that id. */
  remove(channel: string, id: string): Promise<boolean>;
}

/*
 * The pure functions below are the one place that maps a subscription to and from what the
 * stores keep; the bot, the stack's digest and the local scheduler all go through them.
 *
 * - subscriptionId(...parts): 8 of [a-z0-9], a hash of what Slack repeats on a retry
 *   (team id, trigger id), so a retried `/aws-cost subscribe` names the same subscription.
 * - cronExpression({cadence, time}): `cron(30 9 ? * MON-FRI *)`; cadenceFromCron reverses it
 *   (null for an expression costbot did not write).
 * - describeSubscription(s): one line in words, e.g.
 *   "weekdays at 09:30 Europe/Paris · 7-day report for AmazonEC2 · if yesterday > $250".
 * - nextRuns(s, after, n): the next n run times (common/cron.ts, EventBridge's DST rules).
 * - scheduleName(channel, id) / parseScheduleName(name): `C0123ABCD.k3m9x2qa`.
 * - subscriptionInput(s): the schedule target's input, a ScheduledRunState whose requestId and
 *   scheduledAt are the scheduler's placeholders (`<aws.scheduler.execution-id>`,
 *   `<aws.scheduler.scheduled-time>`) and whose request carries `subscription: {id, condition}`.
 * - subscriptionFromSchedule({name, expression, timeZone, input}): the subscription back, or
 *   null when the schedule is not one of costbot's (validated, never trusted).
 */
