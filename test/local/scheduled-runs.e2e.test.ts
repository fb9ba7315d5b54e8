/**
 * `npm start`'s subscriptions fire: `startSubscriptions` on the local backend (the file store,
 * the in-process scheduler on a clock the test moves, the real runner, the embedded S3 server
 * and a recording Slack). At 09:00 the unconditioned subscription posts its report to its
 * channel; the one whose condition does not hold posts nothing; stop() waits for both runs.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import type { Subscription } from '../../common/subscription.ts';
import { type Backend, localBackend } from '../../local/backend.ts';
import { messageText, RecordingSlack } from '../../local/recording-slack.ts';
import type { SchedulerClock } from '../../local/subscription-scheduler.ts';
import { startSubscriptions } from '../../local/subscriptions.ts';

/** A clock whose timers fire only when the test says so, at the time they were due. */
class HandClock implements SchedulerClock {
  private readonly timers = new Map<number, { at: number; fn: () => void }>();
  private id = 0;

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    this.timers.set(++this.id, { at: this.t + ms, fn });
    return this.id;
  }
  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }
  /** Resolves once `count` timers are pending; fails after 5 s. */
  async armed(count: number): Promise<void> {
    const deadline = Date.now() + 5000;
    while (this.timers.size < count) {
      assert.ok(Date.now() < deadline, `${this.timers.size} timers armed, not ${count}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
  /** Fires the timers due by `iso`. */
  fireUntil(iso: string): number {
    this.t = Date.parse(iso);
    const due = [...this.timers.entries()].filter(([, timer]) => timer.at <= this.t);
    for (const [id, timer] of due) {
      this.timers.delete(id);
      timer.fn();
    }
    return due.length;
  }
}

const CHANNEL = 'C0LOCAL';

function daily(id: string, extra: Partial<Subscription> = {}): Subscription {
  return {
    id,
    channel: CHANNEL,
    cadence: { every: 'day' },
    time: '09:00',
    timeZone: 'UTC',
    report: { period: '7d' },
    ...extra,
  };
}

describe('Subscriptions firing on the local backend', () => {
  let dir: string;
  let backend: Backend;
  const slack = new RecordingSlack();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-scheduled-'));
    const config = loadConfig({
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      COSTBOT_STABLE_LINKS: 'false',
      LOG_LEVEL: 'error',
    });
    backend = await localBackend(config, { delivery: slack });
  });
  after(async () => {
    await backend?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts the due report at its time, nothing for a condition that does not hold', async () => {
    // Prepare
    const config = loadConfig({ COSTBOT_LOCAL_DIR: dir, LOG_LEVEL: 'error' });
    const clock = new HandClock(Date.parse('2026-11-23T08:59:00Z'));
    const log = createLogger({ test: 'scheduled' }, { write: () => {} });
    const subscriptions = await startSubscriptions(config, {}, backend, log, {
      retryIntervalMs: 10,
      clock,
    });
    assert.ok(subscriptions);
    await subscriptions.store.create(daily('always1'));
    await subscriptions.store.create(
      daily('never1', { condition: { kind: 'yesterday-above', dollars: 1_000_000 } }),
    );
    // The scheduler re-arms on the store's change notice, after a read of the file.
    await clock.armed(2);

    // Act
    const early = clock.fireUntil('2026-11-23T08:59:59Z');
    const due = clock.fireUntil('2026-11-23T09:00:00Z');
    await subscriptions.stop();

    // Assess
    assert.equal(early, 0, 'nothing before 09:00');
    assert.equal(due, 2, 'both fired at 09:00');
    assert.equal(slack.messages.length, 1, JSON.stringify(slack.messages.map((m) => m.via)));
    const [posted] = slack.messages;
    assert.equal(posted?.channel, CHANNEL);
    assert.equal(posted?.via, 'postMessage');
    assert.match(messageText(posted?.message ?? { text: '' }), /Last 7 days/);
  });
});
