/**
 * The subscription commands, called directly (no App) with a store in memory: what is created
 * (id from the Slack request, the channel, the default time zone), the confirmation, a retried
 * request, the admin list, both limits at and one under, removal, and a store that fails.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import {
  type SubscriptionCommand,
  type SubscriptionDeps,
  subscriptionCommand,
} from '../../../../bot/listeners/commands/subscriptions.ts';
import { ADMIN_REFUSAL, NOT_AVAILABLE } from '../../../../bot/subscriptions/replies.ts';
import { formatInZone } from '../../../../common/cron.ts';
import { ACTION_IDS } from '../../../../common/slack-message.ts';
import { nextRuns, type Subscription, subscriptionId } from '../../../../common/subscription.ts';
import { signedHeaders } from '../../../../local/console/signing.ts';
import {
  type CommandFields,
  functionUrlEvent,
  MemorySubscriptionStore,
  memoryLogger,
  SIGNING_SECRET,
  slashCommandForm,
  startLambdaBot,
} from '../../support.ts';

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
type Ack = { response_type?: string; text?: string; blocks?: unknown[] };

const NOW = new Date('2026-11-23T06:00:00Z');
const CHANNEL = 'C0CHANNEL1';
const TEAM = 'T0TEAM01';
const TRIGGER = '1700000000123.456789.0123456789abcdef0123456789abcdef';

const SUBSCRIBE: SubscriptionCommand = {
  kind: 'subscribe',
  cadence: { every: 'weekday' },
  time: '09:30',
  report: { period: '7d', service: 'AmazonEC2' },
  condition: { kind: 'yesterday-above', dollars: 250 },
};

function deps(store: MemorySubscriptionStore, overrides: Partial<SubscriptionDeps> = {}) {
  return {
    store,
    timeZone: 'Europe/Paris',
    adminUsers: [],
    limits: { perChannel: 10, total: 200 },
    log: memoryLogger().log,
    now: () => NOW,
    ...overrides,
  } satisfies SubscriptionDeps;
}

/** A slash command's arguments as Bolt hands them over, with the acks recorded. */
function commandArgs(fields: CommandFields = {}) {
  const command = Object.fromEntries(
    new URLSearchParams(slashCommandForm({ triggerId: TRIGGER, ...fields })),
  ) as CommandArgs['command'];
  const acks: Ack[] = [];
  const ack = async (reply?: unknown) => {
    acks.push(reply as Ack);
  };
  return { args: { command, ack } as Pick<CommandArgs, 'command' | 'ack'>, acks };
}

function existing(id: string, channel = CHANNEL): Subscription {
  return {
    id,
    channel,
    cadence: { every: 'day' },
    time: '08:00',
    timeZone: 'UTC',
    report: { period: 'mtd' },
  };
}

/** `n` subscriptions in `channel`, ids `s0`, `s1`, … */
function many(n: number, channel = CHANNEL, prefix = 's'): Subscription[] {
  return Array.from({ length: n }, (_, i) => existing(`${prefix}${i}`, channel));
}

describe('Listener: subscriptionCommand (subscribe)', () => {
  it('creates the subscription in this channel, named from the Slack request, in the default zone', async () => {
    // Prepare
    const store = new MemorySubscriptionStore();
    const { args, acks } = commandArgs({ userId: 'U0ALICE01' });

    // Act
    await subscriptionCommand(args, SUBSCRIBE, deps(store));

    // Assess
    const id = subscriptionId(TEAM, TRIGGER);
    assert.deepEqual(
      [...store.byName.values()],
      [
        {
          id,
          channel: CHANNEL,
          cadence: { every: 'weekday' },
          time: '09:30',
          timeZone: 'Europe/Paris',
          report: { period: '7d', service: 'AmazonEC2' },
          condition: { kind: 'yesterday-above', dollars: 250 },
          createdBy: 'U0ALICE01',
        },
      ],
    );
    assert.equal(acks.length, 1);
    assert.equal(acks[0]?.response_type, 'ephemeral');
  });

  it('confirms in words, with its id, its next three runs in its zone and how to remove it', async () => {
    // Prepare
    const store = new MemorySubscriptionStore();
    const { args, acks } = commandArgs();

    // Act
    await subscriptionCommand(args, { ...SUBSCRIBE, timeZone: 'America/New_York' }, deps(store));

    // Assess
    const [saved] = [...store.byName.values()];
    assert.ok(saved);
    const instants = nextRuns(saved, NOW, 3);
    // 09:30 in New York (UTC-5 in November) on Monday, Tuesday and Wednesday.
    assert.deepEqual(
      instants.map((t) => t.toISOString()),
      ['2026-11-23T14:30:00.000Z', '2026-11-24T14:30:00.000Z', '2026-11-25T14:30:00.000Z'],
    );
    const runs = instants.map((t) => formatInZone(t, 'America/New_York'));
    const text = acks[0]?.text ?? '';
    assert.match(text, /weekdays at 09:30 America\/New_York · 7-day report for AmazonEC2/);
    assert.match(text, /if yesterday &gt; \$250/);
    assert.ok(text.includes(`\`${saved.id}\``), text);
    for (const run of runs) assert.ok(text.includes(run), text);
    assert.ok(text.includes(`/aws-cost unsubscribe ${saved.id}`), text);
  });

  it('gives a retried request (same team and trigger) the same confirmation and one subscription', async () => {
    // Prepare
    const store = new MemorySubscriptionStore();
    const first = commandArgs();
    const retry = commandArgs();

    // Act
    await subscriptionCommand(first.args, SUBSCRIBE, deps(store));
    const saved = structuredClone([...store.byName.values()]);
    await subscriptionCommand(retry.args, SUBSCRIBE, deps(store));

    // Assess: the store kept the first (its create answered created: false to the retry).
    assert.deepEqual([...store.byName.values()], saved);
    assert.deepEqual(retry.acks, first.acks);
  });

  it('confirms a retry whose first request filled the channel, instead of refusing it', async () => {
    // Prepare: the first request took the channel's last place.
    const store = new MemorySubscriptionStore(many(2));
    const limits = { perChannel: 3, total: 5 };
    const first = commandArgs();
    await subscriptionCommand(first.args, SUBSCRIBE, deps(store, { limits }));
    const retry = commandArgs();

    // Act
    await subscriptionCommand(retry.args, SUBSCRIBE, deps(store, { limits }));

    // Assess
    assert.equal(store.byName.size, 3);
    assert.match(first.acks[0]?.text ?? '', /^Subscribed this channel/);
    assert.deepEqual(retry.acks, first.acks);
  });

  it('asks the store for names only before creating: two counts at once, then the create', async () => {
    // Prepare
    const store = new MemorySubscriptionStore(many(2));
    const { args } = commandArgs();

    // Act
    await subscriptionCommand(args, SUBSCRIBE, deps(store));

    // Assess
    assert.deepEqual(store.calls.slice(0, 2).sort(), ['count', `count ${CHANNEL}`].sort());
    assert.match(store.calls[2] ?? '', /^create /);
    assert.equal(store.calls.length, 3);
  });

  it('refuses someone not in COSTBOT_ADMIN_USERS before asking the store', async () => {
    // Prepare
    const store = new MemorySubscriptionStore();
    const { args, acks } = commandArgs({ userId: 'U0BOB0001' });

    // Act
    await subscriptionCommand(args, SUBSCRIBE, deps(store, { adminUsers: ['U0ADMIN01'] }));

    // Assess
    assert.deepEqual(acks, [{ response_type: 'ephemeral', text: ADMIN_REFUSAL }]);
    assert.deepEqual(store.calls, []);
  });

  it('lets an admin subscribe when COSTBOT_ADMIN_USERS is set', async () => {
    // Prepare
    const store = new MemorySubscriptionStore();
    const { args } = commandArgs({ userId: 'U0ADMIN01' });

    // Act
    await subscriptionCommand(args, SUBSCRIBE, deps(store, { adminUsers: ['U0ADMIN01'] }));

    // Assess
    assert.equal(store.byName.size, 1);
  });

  for (const { what, seed, created } of [
    { what: 'one under the channel limit (2 of 3)', seed: many(2), created: true },
    { what: 'at the channel limit (3 of 3)', seed: many(3), created: false },
    {
      what: 'one under the overall limit (4 of 5, none here)',
      seed: many(4, 'C0OTHER01'),
      created: true,
    },
    { what: 'at the overall limit (5 of 5)', seed: many(5, 'C0OTHER01'), created: false },
  ]) {
    it(`${created ? 'subscribes' : 'refuses'} ${what}`, async () => {
      // Prepare
      const store = new MemorySubscriptionStore(seed);
      const { args, acks } = commandArgs();

      // Act
      await subscriptionCommand(
        args,
        SUBSCRIBE,
        deps(store, { limits: { perChannel: 3, total: 5 } }),
      );

      // Assess
      assert.equal(store.byName.size, seed.length + (created ? 1 : 0));
      const text = acks[0]?.text ?? '';
      if (created) assert.match(text, /^Subscribed this channel/);
      else {
        assert.match(text, /COSTBOT_MAX_SUBSCRIPTIONS(_PER_CHANNEL)?=(3|5)/);
        assert.equal(store.calls.filter((c) => c.startsWith('create')).length, 0);
      }
    });
  }

  it('explains a store that denies access, and saves nothing', async () => {
    // Prepare
    const store = new MemorySubscriptionStore();
    store.fail = Object.assign(
      new Error(
        'User: arn:aws:sts::123456789012:assumed-role/costbot-bot/fn is not authorized to perform: scheduler:ListSchedules on resource: arn:aws:scheduler:eu-west-1:123456789012:schedule/costbot/*',
      ),
      { name: 'AccessDeniedException' },
    );
    const { args, acks } = commandArgs();

    // Act
    await subscriptionCommand(args, SUBSCRIBE, deps(store));

    // Assess
    assert.equal(acks.length, 1);
    assert.match(acks[0]?.text ?? '', /could not be read or changed[\s\S]*scheduler:ListSchedules/);
  });

  for (const [channelId, place] of [
    ['D0DIRECT1', 'a direct message'],
    ['C0PUBLIC1', 'a channel'],
    ['G0PRIVATE', 'a private channel or group'],
  ] as const) {
    it(`${channelId.startsWith('D') ? 'refuses' : 'accepts'} a subscription in ${place}`, async () => {
      // Prepare
      const store = new MemorySubscriptionStore();
      const { args, acks } = commandArgs({ channelId });

      // Act
      await subscriptionCommand(args, SUBSCRIBE, deps(store));

      // Assess
      const text = acks[0]?.text ?? '';
      if (channelId.startsWith('D')) {
        assert.match(text, /^Subscriptions post to a channel, not a direct message/);
        assert.deepEqual(store.calls, [], 'the store is not asked');
      } else {
        assert.match(text, /^Subscribed this channel/);
        assert.match(text, /\/invite @costbot/);
        assert.equal(store.byName.size, 1);
      }
    });
  }

  it('says subscriptions are not available without a store', async () => {
    // Prepare
    const { args, acks } = commandArgs();

    // Act
    await subscriptionCommand(args, SUBSCRIBE, undefined);

    // Assess
    assert.deepEqual(acks, [{ response_type: 'ephemeral', text: NOT_AVAILABLE }]);
  });
});

describe('Listener: subscriptionCommand (subscriptions, unsubscribe)', () => {
  it("lists this channel's subscriptions only, each with its Run now and Remove buttons", async () => {
    // Prepare
    const store = new MemorySubscriptionStore([
      existing('aaa1'),
      existing('bbb2'),
      existing('ccc3', 'C0OTHER01'),
    ]);
    const { args, acks } = commandArgs({ userId: 'U0BOB0001' });

    // Act: listing is open to everyone, admins or not.
    await subscriptionCommand(
      args,
      { kind: 'subscriptions' },
      deps(store, { adminUsers: ['U0ADMIN01'] }),
    );

    // Assess
    const json = JSON.stringify(acks[0]?.blocks);
    for (const id of ['aaa1', 'bbb2']) {
      assert.ok(json.includes(`"action_id":"${ACTION_IDS.removeSubscription}"`));
      assert.ok(json.includes(`"value":"${id}"`), json);
    }
    assert.ok(!json.includes('ccc3'), json);
    assert.match(json, /daily at 08:00 UTC · month-to-date/);
    const next = formatInZone(new Date('2026-11-23T08:00:00Z'), 'UTC');
    assert.ok(json.includes(`Next run: ${next} (UTC)`), json);
  });

  it('removes the named subscription of this channel', async () => {
    // Prepare
    const store = new MemorySubscriptionStore([existing('aaa1')]);
    const { args, acks } = commandArgs();

    // Act
    await subscriptionCommand(args, { kind: 'unsubscribe', id: 'aaa1' }, deps(store));

    // Assess
    assert.equal(store.byName.size, 0);
    assert.match(acks[0]?.text ?? '', /Removed subscription `aaa1`/);
  });

  it("answers an id this channel does not have, and leaves another channel's alone", async () => {
    // Prepare
    const store = new MemorySubscriptionStore([existing('aaa1', 'C0OTHER01')]);
    const { args, acks } = commandArgs();

    // Act
    await subscriptionCommand(args, { kind: 'unsubscribe', id: 'aaa1' }, deps(store));

    // Assess
    assert.equal(store.byName.size, 1);
    assert.equal(acks[0]?.text, 'No subscription aaa1 in this channel.');
  });

  it('refuses to unsubscribe for someone not in COSTBOT_ADMIN_USERS', async () => {
    // Prepare
    const store = new MemorySubscriptionStore([existing('aaa1')]);
    const { args, acks } = commandArgs({ userId: 'U0BOB0001' });

    // Act
    await subscriptionCommand(
      args,
      { kind: 'unsubscribe', id: 'aaa1' },
      deps(store, { adminUsers: ['U0ADMIN01'] }),
    );

    // Assess
    assert.equal(acks[0]?.text, ADMIN_REFUSAL);
    assert.equal(store.byName.size, 1);
  });
});

describe('On Lambda (AwsLambdaReceiver): the answer is the response to Slack', () => {
  it('subscribes in the default zone (COSTBOT_TIME_ZONE) and returns the confirmation as the ack', async () => {
    // Prepare
    const store = new MemorySubscriptionStore();
    const { handler } = await startLambdaBot(
      { COSTBOT_TIME_ZONE: 'Asia/Tokyo' },
      { subscriptions: store },
    );
    const body = slashCommandForm({ text: 'subscribe monthly 1 08:00 last-month' });

    // Act
    const result = await handler(
      functionUrlEvent(body, signedHeaders(SIGNING_SECRET, body), false),
      {},
    );

    // Assess
    assert.equal(result.statusCode, 200);
    const ack = JSON.parse(result.body ?? '{}') as { response_type?: string; text?: string };
    assert.equal(ack.response_type, 'ephemeral');
    assert.match(
      ack.text ?? '',
      /^Subscribed this channel: monthly on the 1st at 08:00 Asia\/Tokyo/,
    );
    assert.equal([...store.byName.values()][0]?.timeZone, 'Asia/Tokyo');
  });
});
