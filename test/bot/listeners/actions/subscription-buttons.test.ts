/**
 * The buttons of `/aws-cost subscriptions`, called directly (no App) with a store in memory:
 * Remove removes `<channel of the click>.<id>` only and replaces the list; a forged value cannot
 * reach another channel's subscription; admins only when COSTBOT_ADMIN_USERS is set; Run now
 * starts the subscription's report with its condition.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createRemoveSubscriptionAction,
  createRunSubscriptionAction,
} from '../../../../bot/listeners/actions/subscription-buttons.ts';
import { buttonValues, INVALID_BUTTON } from '../../../../bot/listeners/actions/values.ts';
import type { SubscriptionDeps } from '../../../../bot/listeners/commands/subscriptions.ts';
import { ADMIN_REFUSAL, NOT_AVAILABLE } from '../../../../bot/subscriptions/replies.ts';
import { ACTION_IDS } from '../../../../common/slack-message.ts';
import type { Subscription } from '../../../../common/subscription.ts';
import {
  directButtonArgs,
  MemorySubscriptionStore,
  memoryLogger,
  RecordingStarter,
} from '../../support.ts';

const HERE = 'C0CHANNEL1';
const OTHER = 'C0OTHER01';

function subscription(id: string, channel = HERE): Subscription {
  return {
    id,
    channel,
    cadence: { every: 'week', day: 'mon' },
    time: '09:00',
    timeZone: 'Europe/Paris',
    report: { period: '7d' },
    condition: { kind: 'anomaly' },
  };
}

function buttons(store: MemorySubscriptionStore | undefined, adminUsers: string[] = []) {
  const starter = new RecordingStarter();
  const subscriptions: SubscriptionDeps | undefined = store && {
    store,
    timeZone: 'UTC',
    adminUsers,
    limits: { perChannel: 10, total: 200 },
    log: memoryLogger().log,
    now: () => new Date('2026-11-23T06:00:00Z'),
  };
  const deps = {
    values: buttonValues('charts/'),
    starter,
    ...(subscriptions ? { subscriptions } : {}),
  };
  return {
    starter,
    remove: createRemoveSubscriptionAction(deps),
    run: createRunSubscriptionAction(deps),
  };
}

const click = (actionId: string, value: string | undefined, userId = 'U0USER01') =>
  directButtonArgs({
    actionId,
    value,
    userId,
    channelId: HERE,
    responseUrl: 'https://hooks.slack.com/actions/T0TEAM01/1/abc',
  });

describe('Listener: removeSubscription', () => {
  it("removes this channel's subscription and replaces the list with what is left", async () => {
    // Prepare
    const store = new MemorySubscriptionStore([subscription('aaa1'), subscription('bbb2')]);
    const { remove } = buttons(store);
    const { args, acks, replies } = click(ACTION_IDS.removeSubscription, 'aaa1');

    // Act
    await remove(args);

    // Assess
    assert.equal(acks.length, 1);
    assert.deepEqual([...store.byName.keys()], [`${HERE}.bbb2`]);
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.replace_original, true);
    const json = JSON.stringify(replies[0]);
    assert.match(json, /Removed subscription `aaa1`/);
    assert.ok(json.includes('"value":"bbb2"') && !json.includes('"value":"aaa1"'), json);
  });

  it("cannot reach another channel's subscription with a forged id", async () => {
    // Prepare: the id exists, but in another channel.
    const store = new MemorySubscriptionStore([subscription('zzz9', OTHER)]);
    const { remove } = buttons(store);
    const { args, replies } = click(ACTION_IDS.removeSubscription, 'zzz9');

    // Act
    await remove(args);

    // Assess
    assert.deepEqual(
      store.calls.filter((c) => c.startsWith('remove')),
      [`remove ${HERE}.zzz9`],
    );
    assert.deepEqual([...store.byName.keys()], [`${OTHER}.zzz9`]);
    assert.match(JSON.stringify(replies), /No subscription zzz9 in this channel/);
  });

  for (const value of [undefined, '', `${OTHER}.zzz9`, 'ZZZ9', '../x', 'a'.repeat(17), 'aaa1 ']) {
    it(`refuses the value ${JSON.stringify(value)} without asking the store`, async () => {
      // Prepare
      const store = new MemorySubscriptionStore([subscription('aaa1')]);
      const { remove } = buttons(store);
      const { args, replies } = click(ACTION_IDS.removeSubscription, value);

      // Act
      await remove(args);

      // Assess
      assert.deepEqual(store.calls, []);
      assert.deepEqual(replies, [
        { response_type: 'ephemeral', replace_original: false, text: INVALID_BUTTON },
      ]);
    });
  }

  it('refuses someone not in COSTBOT_ADMIN_USERS and removes nothing', async () => {
    // Prepare
    const store = new MemorySubscriptionStore([subscription('aaa1')]);
    const { remove } = buttons(store, ['U0ADMIN01']);
    const { args, replies } = click(ACTION_IDS.removeSubscription, 'aaa1', 'U0BOB0001');

    // Act
    await remove(args);

    // Assess
    assert.equal(store.byName.size, 1);
    assert.deepEqual(store.calls, []);
    assert.equal(replies[0]?.text, ADMIN_REFUSAL);
    assert.equal(replies[0]?.replace_original, false);
  });

  it('explains a store that fails and keeps the list as it was', async () => {
    // Prepare
    const store = new MemorySubscriptionStore([subscription('aaa1')]);
    store.fail = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const { remove } = buttons(store);
    const { args, replies } = click(ACTION_IDS.removeSubscription, 'aaa1');

    // Act
    await remove(args);

    // Assess
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.replace_original, false);
    assert.match(replies[0]?.text ?? '', /could not be removed[\s\S]*Rate exceeded/);
  });

  it('says subscriptions are not available without a store', async () => {
    // Prepare
    const { remove } = buttons(undefined);
    const { args, replies } = click(ACTION_IDS.removeSubscription, 'aaa1');

    // Act
    await remove(args);

    // Assess
    assert.equal(replies[0]?.text, NOT_AVAILABLE);
  });
});

describe('Listener: runSubscription', () => {
  it("starts the subscription's report now, to its channel, with its condition", async () => {
    // Prepare
    const store = new MemorySubscriptionStore([subscription('aaa1')]);
    const { run, starter } = buttons(store);
    const { args, replies } = click(ACTION_IDS.runSubscription, 'aaa1');

    // Act
    await run(args);

    // Assess
    assert.equal(starter.started.length, 1);
    const request = starter.started[0];
    assert.equal(request?.kind, 'digest');
    assert.equal(request?.channel, HERE);
    assert.equal(request?.period, '7d');
    assert.deepEqual(request?.subscription, { id: 'aaa1', condition: { kind: 'anomaly' } });
    assert.match(request?.requestId ?? '', /^act-[0-9a-f]{24}$/);
    assert.match(replies[0]?.text ?? '', /Running `aaa1` now[\s\S]*if its condition holds/);
  });

  it("does not run another channel's subscription", async () => {
    // Prepare
    const store = new MemorySubscriptionStore([subscription('zzz9', OTHER)]);
    const { run, starter } = buttons(store);
    const { args, replies } = click(ACTION_IDS.runSubscription, 'zzz9');

    // Act
    await run(args);

    // Assess
    assert.equal(starter.calls.length, 0);
    assert.equal(replies[0]?.text, 'No subscription zzz9 in this channel.');
  });
});
