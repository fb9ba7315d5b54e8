/**
 * The allow-lists on every surface: the bot built as in production (`createBotApp`) behind
 * Bolt's AwsLambdaReceiver, driven with signed requests. Each listener (the command, each
 * button, and listeners registered after the app was built, standing in for future surfaces)
 * is tried by a user and from a channel not on the lists: refused, nothing started or signed.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  accessGuard,
  accessRefusal,
  CHANNEL_REFUSAL,
  USER_REFUSAL,
  whoAndWhere,
} from '../../bot/access.ts';
import { type ActionKey, INVALID_BUTTON } from '../../bot/listeners/actions/values.ts';
import { ACTION_IDS } from '../../common/slack-message.ts';
import { signedHeaders } from '../../local/console/signing.ts';
import {
  buttonPayload,
  CHART_KEY,
  functionUrlEvent,
  type Handler,
  interactionForm,
  type LambdaBot,
  MemorySubscriptionStore,
  memoryBoltLogger,
  type RecordingStarter,
  type ResponseSink,
  SIGNING_SECRET,
  slashCommandForm,
  startLambdaBot,
  startResponseSink,
} from './support.ts';

const ALLOWED_USER = 'U0ALLOWED';
const ALLOWED_CHANNEL = 'C0ALLOWED';

describe('Function: accessRefusal', () => {
  const policy = { allowedChannels: [ALLOWED_CHANNEL], allowedUsers: [ALLOWED_USER] };
  const cases: { what: string; channel?: string; user?: string; expected: string | null }[] = [
    { what: 'both on the lists', channel: ALLOWED_CHANNEL, user: ALLOWED_USER, expected: null },
    {
      what: 'another channel',
      channel: 'C0OTHER01',
      user: ALLOWED_USER,
      expected: CHANNEL_REFUSAL,
    },
    { what: 'another user', channel: ALLOWED_CHANNEL, user: 'U0OTHER01', expected: USER_REFUSAL },
    { what: 'no channel (a view)', user: ALLOWED_USER, expected: CHANNEL_REFUSAL },
    { what: 'no user', channel: ALLOWED_CHANNEL, expected: USER_REFUSAL },
  ];
  for (const { what, channel, user, expected } of cases) {
    it(`${expected ? 'refuses' : 'allows'} ${what}`, () => {
      // Act
      const refusal = accessRefusal(policy, channel, user);
      // Assess
      assert.equal(refusal, expected);
    });
  }

  it('allows anyone anywhere when both lists are empty', () => {
    // Act
    const refusal = accessRefusal({ allowedChannels: [], allowedUsers: [] }, undefined, undefined);
    // Assess
    assert.equal(refusal, null);
  });
});

describe('Function: whoAndWhere', () => {
  const bodies: { what: string; body: unknown; expected: { user?: string; channel?: string } }[] = [
    {
      what: 'a slash command',
      body: { user_id: 'U1', channel_id: 'C1' },
      expected: { user: 'U1', channel: 'C1' },
    },
    {
      what: 'a button click',
      body: { user: { id: 'U2' }, channel: { id: 'C2' } },
      expected: { user: 'U2', channel: 'C2' },
    },
    {
      what: 'a click with only a container',
      body: { user: { id: 'U3' }, container: { channel_id: 'C3' } },
      expected: { user: 'U3', channel: 'C3' },
    },
    {
      what: 'an event',
      body: { event: { user: 'U4', channel: 'C4' } },
      expected: { user: 'U4', channel: 'C4' },
    },
    { what: 'a view submission', body: { user: { id: 'U5' } }, expected: { user: 'U5' } },
    { what: 'nothing usable', body: { user: 7, channel: null }, expected: {} },
    { what: 'not an object', body: 'payload', expected: {} },
  ];
  for (const { what, body, expected } of bodies) {
    it(`reads ${what}`, () => {
      // Act
      const found = whoAndWhere(body);
      // Assess
      assert.deepEqual(found, expected);
    });
  }
});

describe('Function: accessGuard (called directly)', () => {
  it('does not call next for a refused click, and answers it ephemerally', async () => {
    // Prepare
    const guard = accessGuard({ allowedChannels: [], allowedUsers: [ALLOWED_USER] });
    const said: unknown[] = [];
    let acked = 0;
    let nexted = 0;
    const args = {
      body: { type: 'block_actions', user: { id: 'U0OTHER01' }, channel: { id: 'C1' } },
      action: { action_id: ACTION_IDS.refreshLink },
      ack: async () => {
        acked += 1;
      },
      respond: async (message: unknown) => {
        said.push(message);
      },
      next: async () => {
        nexted += 1;
      },
      logger: memoryBoltLogger(),
    } as unknown as Parameters<ReturnType<typeof accessGuard>>[0];

    // Act
    await guard(args);

    // Assess
    assert.equal(nexted, 0);
    assert.equal(acked, 1);
    assert.deepEqual(said, [
      { response_type: 'ephemeral', replace_original: false, text: USER_REFUSAL },
    ]);
  });
});

/** A request on one surface, from a user in a channel. */
type Surface = (who: { user: string; channel: string; responseUrl: string }) => string;

const FUTURE_ACTION = 'future_button';
const FUTURE_VIEW = 'future_view';
const FUTURE_SHORTCUT = 'future_shortcut';

describe('Every listener behind the allow-lists (AwsLambdaReceiver, signed requests)', () => {
  let starter: RecordingStarter;
  let signed: LambdaBot['signed'];
  const futureCalls: string[] = [];
  let handler: Handler;
  let sink: ResponseSink;
  const store = new MemorySubscriptionStore();

  before(async () => {
    sink = await startResponseSink();
    const bot = await startLambdaBot(
      {
        COSTBOT_ALLOWED_CHANNELS: ALLOWED_CHANNEL,
        COSTBOT_ALLOWED_USERS: ALLOWED_USER,
        SLACK_API_URL: `${sink.url}/api/`,
      },
      { subscriptions: store },
    );
    ({ handler, starter, signed } = bot);
    const { app } = bot;
    // Listeners added after the app was built: the surfaces a later change might add.
    app.action(FUTURE_ACTION, async ({ ack }) => {
      futureCalls.push(FUTURE_ACTION);
      await ack();
    });
    app.view(FUTURE_VIEW, async ({ ack }) => {
      futureCalls.push(FUTURE_VIEW);
      await ack();
    });
    app.shortcut(FUTURE_SHORTCUT, async ({ ack }) => {
      futureCalls.push(FUTURE_SHORTCUT);
      await ack();
    });
  });
  after(() => sink.close());
  beforeEach(() => {
    starter.reset();
    signed.length = 0;
    futureCalls.length = 0;
    sink.posts.length = 0;
    store.calls.length = 0;
    store.byName.clear();
    store.byName.set(`${ALLOWED_CHANNEL}.k3m9x2qa`, {
      id: 'k3m9x2qa',
      channel: ALLOWED_CHANNEL,
      cadence: { every: 'day' },
      time: '09:00',
      timeZone: 'UTC',
      report: { period: 'mtd' },
    });
  });

  const METRIC_BUTTON = JSON.stringify({
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: [],
    split: { name: 'FunctionName', values: ['api', 'worker'] },
    stat: 'Sum',
    period: '7d',
  });
  const button =
    (actionId: string, value: string): Surface =>
    ({ user, channel, responseUrl }) =>
      interactionForm(
        buttonPayload({ actionId, value, responseUrl, userId: user, channelId: channel }),
      );
  // Typed over ACTION_IDS: a new button without a case here does not compile.
  const buttons: Record<ActionKey, Surface> = {
    refreshLink: button(ACTION_IDS.refreshLink, CHART_KEY),
    last30Days: button(ACTION_IDS.last30Days, '{"service":"AmazonEC2"}'),
    shorterPeriod: button(ACTION_IDS.shorterPeriod, METRIC_BUTTON),
    longerPeriod: button(ACTION_IDS.longerPeriod, METRIC_BUTTON),
    removeSubscription: button(ACTION_IDS.removeSubscription, 'k3m9x2qa'),
    runSubscription: button(ACTION_IDS.runSubscription, 'k3m9x2qa'),
  };
  const surfaces: Record<string, Surface> = {
    '/aws-cost': ({ user, channel, responseUrl }) =>
      slashCommandForm({ text: '7d', userId: user, channelId: channel, responseUrl }),
    ...buttons,
    [FUTURE_ACTION]: button(FUTURE_ACTION, ''),
    [FUTURE_VIEW]: ({ user }) =>
      interactionForm({
        type: 'view_submission',
        user: { id: user },
        team: { id: 'T0TEAM01' },
        view: { id: 'V1', callback_id: FUTURE_VIEW, state: { values: {} } },
      }),
    [FUTURE_SHORTCUT]: ({ user }) =>
      interactionForm({
        type: 'shortcut',
        callback_id: FUTURE_SHORTCUT,
        trigger_id: '1.2.3',
        user: { id: user },
        team: { id: 'T0TEAM01' },
      }),
  };

  /** Everything any listener did: starts, signatures, future listeners, Slack posts. */
  function effects() {
    return {
      starts: starter.calls.length,
      signed: signed.length,
      future: futureCalls.length,
      removed: store.calls.filter((c) => c.startsWith('remove')).length,
      replaced: sink.posts.filter((p) => p.body.replace_original === true).length,
    };
  }

  async function send(surface: Surface, user: string, channel: string, path: string) {
    const body = surface({ user, channel, responseUrl: `${sink.url}${path}` });
    return handler(functionUrlEvent(body, signedHeaders(SIGNING_SECRET, body), false), {});
  }

  for (const [name, surface] of Object.entries(surfaces)) {
    const channelFree = name === FUTURE_VIEW || name === FUTURE_SHORTCUT;
    const refusals = [
      { who: 'a user not on the list', user: 'U0OTHER01', channel: ALLOWED_CHANNEL },
      ...(channelFree
        ? []
        : [{ who: 'a channel not on the list', user: ALLOWED_USER, channel: 'C0OTHER01' }]),
    ];
    for (const { who, user, channel } of refusals) {
      it(`${name}: refuses ${who}, starts and signs nothing`, async () => {
        // Act
        const result = await send(surface, user, channel, '/r/refused');
        await sink.waitForPosts(name.startsWith('/') || channelFree ? 0 : 1);

        // Assess
        assert.equal(result.statusCode, 200);
        assert.deepEqual(effects(), { starts: 0, signed: 0, future: 0, removed: 0, replaced: 0 });
        // A view or a global shortcut has no response_url: nothing to tell, nothing done.
        if (!channelFree) {
          const told = name === '/aws-cost' ? result.body : JSON.stringify(sink.posts);
          assert.match(told, /COSTBOT_ALLOWED_(USERS|CHANNELS)/);
        }
      });
    }

    if (name === FUTURE_ACTION) {
      it(`${name}: allowed, but a button without a value schema is still refused`, async () => {
        // Act
        await send(surface, ALLOWED_USER, ALLOWED_CHANNEL, '/r/unknown-button');
        await sink.waitForPosts(1);

        // Assess
        assert.deepEqual(effects(), { starts: 0, signed: 0, future: 0, removed: 0, replaced: 0 });
        assert.equal(sink.posts[0]?.body.text, INVALID_BUTTON);
      });
      continue;
    }
    if (channelFree) {
      it(`${name}: has no channel, so with a channel list set even an allowed user is refused`, async () => {
        // Act
        const result = await send(surface, ALLOWED_USER, ALLOWED_CHANNEL, '/r/no-channel');

        // Assess
        assert.equal(result.statusCode, 200);
        assert.deepEqual(effects(), { starts: 0, signed: 0, future: 0, removed: 0, replaced: 0 });
      });
      continue;
    }
    it(`${name}: lets an allowed user in an allowed channel through (the refusals can fail)`, async () => {
      // Act
      const result = await send(surface, ALLOWED_USER, ALLOWED_CHANNEL, '/r/allowed');
      if (name === ACTION_IDS.refreshLink || name === ACTION_IDS.removeSubscription) {
        await sink.waitForPosts(1);
      }

      // Assess
      assert.equal(result.statusCode, 200);
      const done = effects();
      assert.equal(done.starts + done.signed + done.future + done.removed, 1, JSON.stringify(done));
      assert.doesNotMatch(JSON.stringify(sink.posts), /COSTBOT_ALLOWED|not valid/);
    });
  }
});
