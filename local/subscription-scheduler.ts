/**
 * The local stand-in for EventBridge Scheduler on `npm start`: for each subscription in the
 * store, a timer to its next run (`nextRuns`: EventBridge's cron and daylight-saving rules, in
 * the subscription's time zone), which then runs the subscription's input as the scheduler
 * would deliver it, its placeholders filled: the delivery's id and the scheduled time
 * (`2026-11-23T09:00:00Z`, no milliseconds, as EventBridge writes it).
 *
 * @example
 * const scheduler = new SubscriptionScheduler({
 *   store, // SubscriptionFileStore: its changes re-arm the timers
 *   run: (state) => runInput(backend, state),
 *   log,
 * });
 * await scheduler.start();
 * // ... on shutdown
 * scheduler.stop();
 *
 * A run is started, not awaited: a slow report never delays the next timer. The clock is
 * injectable, so tests move time instead of waiting for it.
 */
import { randomUUID } from 'node:crypto';
import type { ScheduledRunState } from '../common/contract.ts';
import type { Logger } from '../common/log.ts';
import {
  nextRuns,
  SCHEDULER_PLACEHOLDERS,
  type Subscription,
  scheduleName,
  subscriptionInput,
} from '../common/subscription.ts';

/** Node's timers overflow above 2^31 − 1 ms (about 24.8 days) and then fire at once. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** Time and timers, injectable. */
export interface SchedulerClock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const REAL_CLOCK: SchedulerClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const handle = setTimeout(fn, ms);
    // A pending subscription alone does not keep the process alive.
    handle.unref();
    return handle;
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Where the subscriptions come from: every channel's, and (optionally) when they change. */
export interface ScheduleSource {
  all(): Promise<Subscription[]>;
  onChange?(listener: () => void): () => void;
}

export interface SubscriptionSchedulerOptions {
  store: ScheduleSource;
  /** Starts one scheduled run (the local runner); its result is logged, not awaited by timers. */
  run(state: ScheduledRunState, subscription: Subscription): Promise<unknown>;
  log: Pick<Logger, 'info' | 'error'>;
  clock?: SchedulerClock;
  /** The delivery's id (`<aws.scheduler.execution-id>`); default a random UUID. */
  newExecutionId?: () => string;
}

/** `2026-11-23T09:00:00Z`: an instant as the scheduler fills `<aws.scheduler.scheduled-time>`. */
export function schedulerTime(instant: Date): string {
  return instant.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/**
 * The subscription's input as the scheduler delivers it: the placeholders replaced in the
 * input's text, as EventBridge does, so what runs locally is what would run deployed.
 */
export function scheduledRunState(
  subscription: Subscription,
  scheduledAt: Date,
  executionId: string,
): ScheduledRunState {
  const values: Record<string, string> = {
    [SCHEDULER_PLACEHOLDERS.executionId]: executionId,
    [SCHEDULER_PLACEHOLDERS.scheduledTime]: schedulerTime(scheduledAt),
  };
  let text = JSON.stringify(subscriptionInput(subscription));
  for (const [placeholder, value] of Object.entries(values)) {
    text = text.split(placeholder).join(value);
  }
  return JSON.parse(text) as ScheduledRunState;
}

export class SubscriptionScheduler {
  private readonly clock: SchedulerClock;
  private readonly newExecutionId: () => string;
  /** One pending timer per schedule name. */
  private readonly timers = new Map<string, unknown>();
  private unsubscribe: (() => void) | undefined;
  /** Bumped by refresh() and stop(): a read that finishes after a newer one is dropped. */
  private generation = 0;
  private stopped = false;

  constructor(private readonly options: SubscriptionSchedulerOptions) {
    this.clock = options.clock ?? REAL_CLOCK;
    this.newExecutionId = options.newExecutionId ?? randomUUID;
  }

  /** Arms a timer for every subscription, and re-arms them whenever the store changes. */
  async start(): Promise<void> {
    this.stopped = false;
    this.unsubscribe ??= this.options.store.onChange?.(() => {
      this.refresh().catch((error: unknown) =>
        this.options.log.error('subscriptions could not be re-read', { error }),
      );
    });
    await this.refresh();
  }

  /** Re-reads the store and re-arms every timer (a removed subscription's is cleared). */
  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const subscriptions = await this.options.store.all();
    if (generation !== this.generation || this.stopped) return;
    this.clearTimers();
    for (const subscription of subscriptions) this.arm(subscription, new Date(this.clock.now()));
  }

  /** Clears every timer and stops following the store; runs already started go on. */
  stop(): void {
    this.stopped = true;
    this.generation++;
    this.unsubscribe?.();
    this.unsubscribe = undefined;
    this.clearTimers();
  }

  /** Names of the schedules with a pending timer (for tests and the console). */
  get pending(): string[] {
    return [...this.timers.keys()];
  }

  private clearTimers(): void {
    for (const handle of this.timers.values()) this.clock.clearTimeout(handle);
    this.timers.clear();
  }

  /** A timer to the first run after `after`; one longer than Node allows is a hop towards it. */
  private arm(subscription: Subscription, after: Date): void {
    const name = scheduleName(subscription.channel, subscription.id);
    const [next] = nextRuns(subscription, after, 1);
    if (!next) return;
    const wait = next.getTime() - this.clock.now();
    const handle = this.clock.setTimeout(
      () => {
        this.timers.delete(name);
        if (this.clock.now() < next.getTime()) {
          // A hop of a long wait (or a timer that fired early): wait for the rest.
          this.arm(subscription, after);
          return;
        }
        this.fire(subscription, next);
        // From now, not from `next`: runs missed while the machine slept are not run in a burst.
        this.arm(subscription, new Date(Math.max(next.getTime(), this.clock.now())));
      },
      Math.min(Math.max(wait, 0), MAX_TIMER_MS),
    );
    this.timers.set(name, handle);
  }

  private fire(subscription: Subscription, scheduledAt: Date): void {
    const state = scheduledRunState(subscription, scheduledAt, this.newExecutionId());
    const what = { subscription: subscription.id, channel: subscription.channel };
    this.options.log.info('subscription due: starting its report', {
      ...what,
      scheduledAt: state.scheduledAt,
    });
    this.options
      .run(state, subscription)
      .catch((error: unknown) =>
        this.options.log.error('subscription run failed to start', { ...what, error }),
      );
  }
}
