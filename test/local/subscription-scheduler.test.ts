/**
 * The local scheduler on a fake clock: it fires each subscription at its next run in its time
 * zone with the placeholders filled as EventBridge fills them, follows the store's changes,
 * caps its timers at Node's limit, and stop() leaves nothing pending.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ScheduledRunState } from '../../common/contract.ts';
import { type Subscription, subscriptionInput } from '../../common/subscription.ts';
import {
  MAX_TIMER_MS,
  type SchedulerClock,
  type ScheduleSource,
  SubscriptionScheduler,
  scheduledRunState,
  schedulerTime,
} from '../../local/subscription-scheduler.ts';

/** Timers that fire only when the test moves time. */
class FakeClock implements SchedulerClock {
  private timers = new Map<number, { at: number; fn: () => void }>();
  private nextId = 0;
  /** Every delay asked for, in order. */
  readonly delays: number[] = [];

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.nextId;
    this.timers.set(id, { at: this.t + ms, fn });
    this.delays.push(ms);
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  get pendingTimers(): number {
    return this.timers.size;
  }
  /** Moves time without firing anything, as when the machine sleeps. */
  jump(iso: string): void {
    this.t = Date.parse(iso);
  }
  /** Fires every timer due up to `iso`, in time order, each at its own time. */
  async advanceTo(iso: string): Promise<void> {
    const until = Date.parse(iso);
    for (;;) {
      const due = [...this.timers.entries()]
        .filter(([, timer]) => timer.at <= until)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.t = Math.max(this.t, due[1].at);
      due[1].fn();
      await new Promise((resolve) => setImmediate(resolve));
    }
    this.t = until;
  }
}

/** A store in memory whose changes are announced, as the file store announces its own. */
class MemoryStore implements ScheduleSource {
  subscriptions: Subscription[] = [];
  private listeners = new Set<() => void>();
  async all(): Promise<Subscription[]> {
    return [...this.subscriptions];
  }
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  set(subscriptions: Subscription[]): void {
    this.subscriptions = subscriptions;
    for (const listener of this.listeners) listener();
  }
}

const PARIS_DAILY: Subscription = {
  id: 'k3m9x2qa',
  channel: 'C0LOCAL',
  cadence: { every: 'day' },
  time: '09:00',
  timeZone: 'Europe/Paris',
  report: { period: '7d' },
  condition: { kind: 'yesterday-above', dollars: 250 },
};
const MONTHLY: Subscription = {
  id: 'm0nth1y',
  channel: 'C0LOCAL',
  cadence: { every: 'month', day: 1 },
  time: '08:00',
  timeZone: 'UTC',
  report: { period: 'last-month' },
};

const SILENT = { info: () => {}, error: () => {} };

function rig(now: string, subscriptions: Subscription[]) {
  const clock = new FakeClock(Date.parse(now));
  const store = new MemoryStore();
  store.subscriptions = subscriptions;
  const runs: { state: ScheduledRunState; at: string; id: string }[] = [];
  let executions = 0;
  const scheduler = new SubscriptionScheduler({
    store,
    clock,
    log: SILENT,
    newExecutionId: () => `exec-${++executions}`,
    run: async (state, subscription) => {
      runs.push({ state, at: new Date(clock.now()).toISOString(), id: subscription.id });
    },
  });
  return { clock, store, runs, scheduler };
}

/** Microtasks and one macrotask: lets a refresh triggered by onChange finish. */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('SubscriptionScheduler', () => {
  describe('Function: scheduledRunState', () => {
    it('fills the execution id and the scheduled time (no milliseconds) into the input', () => {
      // Prepare
      const at = new Date('2026-11-23T08:00:00.000Z');
      // Act
      const state = scheduledRunState(PARIS_DAILY, at, 'exec-1');
      // Assess
      const expected = subscriptionInput(PARIS_DAILY);
      expected.request.requestId = 'exec-1';
      expected.scheduledAt = '2026-11-23T08:00:00Z';
      assert.deepEqual(state, expected);
      assert.equal(schedulerTime(new Date('2026-11-23T08:00:00.123Z')), '2026-11-23T08:00:00Z');
    });
  });

  describe('Method: start', () => {
    it('runs a subscription at its next run in its time zone, then at the one after', async () => {
      // Prepare: 09:00 in Paris is 08:00 UTC in November.
      const { clock, runs, scheduler } = rig('2026-11-23T07:00:00Z', [PARIS_DAILY]);
      // Act
      await scheduler.start();
      await clock.advanceTo('2026-11-23T07:59:59Z');
      const early = runs.length;
      await clock.advanceTo('2026-11-24T08:00:00Z');
      // Assess
      assert.equal(early, 0);
      assert.deepEqual(
        runs.map((r) => [r.at, r.state.scheduledAt, r.state.request.requestId]),
        [
          ['2026-11-23T08:00:00.000Z', '2026-11-23T08:00:00Z', 'exec-1'],
          ['2026-11-24T08:00:00.000Z', '2026-11-24T08:00:00Z', 'exec-2'],
        ],
      );
      assert.deepEqual(runs[0]?.state.request.subscription, {
        id: PARIS_DAILY.id,
        condition: PARIS_DAILY.condition,
      });
      scheduler.stop();
    });

    it('follows daylight saving: 09:00 Paris is 07:00 UTC in summer', async () => {
      // Prepare: Paris moves to UTC+2 on 29 March 2026.
      const { clock, runs, scheduler } = rig('2026-03-28T12:00:00Z', [PARIS_DAILY]);
      // Act
      await scheduler.start();
      await clock.advanceTo('2026-03-29T23:00:00Z');
      // Assess
      assert.deepEqual(
        runs.map((r) => r.state.scheduledAt),
        ['2026-03-29T07:00:00Z'],
      );
      scheduler.stop();
    });

    it('never asks for a timer longer than 2^31 − 1 ms: a far run is reached in hops', async () => {
      // Prepare: the 1st of next month is 29 days away, more than Node's 24.8-day limit.
      const { clock, runs, scheduler } = rig('2026-11-02T08:00:00Z', [MONTHLY]);
      // Act
      await scheduler.start();
      await clock.advanceTo('2026-11-30T23:59:00Z');
      const beforeRun = runs.length;
      await clock.advanceTo('2026-12-01T08:00:00Z');
      // Assess
      assert.equal(beforeRun, 0);
      assert.equal(clock.delays[0], MAX_TIMER_MS);
      assert.ok(clock.delays.every((d) => d <= MAX_TIMER_MS));
      assert.deepEqual(
        runs.map((r) => r.state.scheduledAt),
        ['2026-12-01T08:00:00Z'],
      );
      scheduler.stop();
    });

    it('runs missed while the process slept once, not in a burst', async () => {
      // Prepare
      const { clock, runs, scheduler } = rig('2026-11-23T07:00:00Z', [PARIS_DAILY]);
      await scheduler.start();
      // Act: the machine sleeps three days; the first timer fires when it wakes.
      clock.jump('2026-11-26T12:00:00Z');
      await clock.advanceTo('2026-11-26T12:00:00Z');
      await clock.advanceTo('2026-11-27T08:00:00Z');
      // Assess: the first (late) run, then the next one on time.
      assert.deepEqual(
        runs.map((r) => r.state.scheduledAt),
        ['2026-11-23T08:00:00Z', '2026-11-27T08:00:00Z'],
      );
      scheduler.stop();
    });
  });

  describe('Method: refresh (on a store change)', () => {
    it('arms a new subscription and disarms a removed one', async () => {
      // Prepare
      const { clock, store, runs, scheduler } = rig('2026-11-23T07:00:00Z', []);
      await scheduler.start();
      // Act
      store.set([PARIS_DAILY]);
      await settle();
      const armed = scheduler.pending;
      store.set([]);
      await settle();
      const disarmed = scheduler.pending;
      await clock.advanceTo('2026-11-25T00:00:00Z');
      // Assess
      assert.deepEqual(armed, ['C0LOCAL.k3m9x2qa']);
      assert.deepEqual(disarmed, []);
      assert.equal(runs.length, 0);
      assert.equal(clock.pendingTimers, 0);
      scheduler.stop();
    });
  });

  describe('Method: stop', () => {
    it('clears every timer and stops following the store', async () => {
      // Prepare
      const { clock, store, runs, scheduler } = rig('2026-11-23T07:00:00Z', [PARIS_DAILY, MONTHLY]);
      await scheduler.start();
      const before = clock.pendingTimers;
      // Act
      scheduler.stop();
      store.set([PARIS_DAILY]);
      await settle();
      await clock.advanceTo('2026-12-31T00:00:00Z');
      // Assess
      assert.equal(before, 2);
      assert.equal(clock.pendingTimers, 0);
      assert.deepEqual(scheduler.pending, []);
      assert.equal(runs.length, 0);
    });
  });

  describe('a run that fails to start', () => {
    it('is logged, and the next run is still armed', async () => {
      // Prepare
      const clock = new FakeClock(Date.parse('2026-11-23T07:00:00Z'));
      const store = new MemoryStore();
      store.subscriptions = [PARIS_DAILY];
      const errors: string[] = [];
      const scheduler = new SubscriptionScheduler({
        store,
        clock,
        log: { info: () => {}, error: (message) => errors.push(message) },
        run: async () => {
          throw new Error('runner down');
        },
      });
      await scheduler.start();
      // Act
      await clock.advanceTo('2026-11-23T08:00:00Z');
      // Assess
      assert.deepEqual(errors, ['subscription run failed to start']);
      assert.deepEqual(scheduler.pending, ['C0LOCAL.k3m9x2qa']);
      scheduler.stop();
    });
  });
});
