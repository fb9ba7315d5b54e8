/**
 * Attacks on the subscription surface of `npm start`'s bot: `/aws-cost subscribe |
 * subscriptions | unsubscribe` and the list's "Run now" and "Remove" buttons, sent to its
 * ExpressReceiver over HTTP on 127.0.0.1 and signed as Slack signs, with the local subscription
 * file as the store. Channel A holds one subscription; every attack checks what was answered,
 * what the file holds afterwards and what was started.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { INVALID_BUTTON } from '../../bot/listeners/actions/values.ts';
import { ADMIN_REFUSAL } from '../../bot/subscriptions/replies.ts';
import { ACTION_IDS } from '../../common/slack-message.ts';
import { SUBSCRIPTION_FILE } from '../../local/subscription-file-store.ts';
import {
  buttonPayload,
  interactionForm,
  type ResponseSink,
  settle,
  startResponseSink,
} from '../bot/support.ts';
import {
  A_ID,
  ALLOWED_USER,
  CHANNEL_A,
  CHANNEL_B,
  MEMBER,
  SUBSCRIBE_ERROR_CASES,
  SUBSCRIPTION_ACCESS_CASES,
  SUBSCRIPTION_DELIVERY_CASES,
  type SubscriptionAct,
  type SubscriptionOutcome,
} from './cases.ts';
import { parameterFile, type Running, startBot } from './local-bot.ts';
import { type Answer, commandBody, headersFor, replyPath } from './slack-requests.ts';

/** A third allowed channel, for the per-channel limit. */
const CHANNEL_FULL = 'C0ALLOWED3';

/** A time twelve hours from now (UTC), so the in-process scheduler fires nothing during the run. */
function farTime(): string {
  return `${String((new Date().getUTCHours() + 12) % 24).padStart(2, '0')}:17 UTC`;
}

function ackText(answer: Answer): string {
  return (JSON.parse(answer.body) as { text?: string }).text ?? '';
}

function confirmedId(text: string): string {
  const id = /Id: `([a-z0-9]+)`/.exec(text)?.[1];
  assert.ok(id, `a confirmation with an id: ${text}`);
  return id;
}

/** Waits until `count` replies reached the response_url (a button's answer comes after its ack). */
async function repliesOf(posts: () => Record<string, unknown>[], count = 1) {
  const deadline = Date.now() + 5000;
  while (posts().length < count && Date.now() < deadline) await settle(25);
  return posts();
}

describe('Attacks: subscriptions on npm start (ExpressReceiver over HTTP, local file)', () => {
  let running: Running;
  let sink: ResponseSink;
  let secret: string;
  let aId: string;
  let sequence = 0;

  const storeFile = () =>
    readFile(join(running.dir, SUBSCRIPTION_FILE), 'utf8').catch(() => '(no file)');
  const inFile = async (channel: string) =>
    (await storeFile()).split(`"name": "${channel}.`).length - 1;

  const send = (body: string, retry?: number) =>
    running.post(body, {
      ...headersFor(secret, body),
      ...(retry
        ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    });

  function command(text: string, user: string, channel: string, url: string): string {
    return commandBody({ text, user, channel, responseUrl: url });
  }

  /** A click on a subscription list's button, its block id the one the list gives it. */
  function click(
    act: Extract<SubscriptionAct, { button: string }>,
    user: string,
    channel: string,
    url: string,
  ): string {
    const value = act.value?.replace(A_ID, aId);
    const payload = buttonPayload({
      actionId:
        act.button === 'remove' ? ACTION_IDS.removeSubscription : ACTION_IDS.runSubscription,
      value,
      userId: user,
      channelId: channel,
      responseUrl: url,
      actionTs: `${Math.floor(Date.now() / 1000)}.${String(++sequence).padStart(6, '0')}`,
    });
    const [action] = payload.actions as Record<string, unknown>[];
    const blockId = act.blockId?.replace(A_ID, aId) ?? `subscription.${value ?? ''}`;
    return interactionForm({ ...payload, actions: [{ ...action, block_id: blockId }] });
  }

  async function idle(): Promise<void> {
    await settle(100);
    await running.bot.starter.idle();
  }

  before(async () => {
    sink = await startResponseSink();
    running = await startBot({
      COSTBOT_ALLOWED_CHANNELS: [CHANNEL_A, CHANNEL_B, CHANNEL_FULL].join(','),
      COSTBOT_ALLOWED_USERS: [ALLOWED_USER, MEMBER].join(','),
      COSTBOT_ADMIN_USERS: ALLOWED_USER,
      COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: '2',
    });
    const file = await parameterFile(running);
    secret = file[running.bot.config.parameterNames.slackSigningSecret] ?? '';
    const answer = await send(
      command(`subscribe daily ${farTime()}`, ALLOWED_USER, CHANNEL_A, replyPath(sink).url),
    );
    aId = confirmedId(ackText(answer));
  });

  after(async () => {
    await running?.stop();
    await sink?.close();
  });

  /** What the bot said, by command ack or on the response_url. */
  async function act(
    c: { act: SubscriptionAct; user: string; channel: string },
    outcome: SubscriptionOutcome,
  ): Promise<string> {
    const reply = replyPath(sink);
    if ('command' in c.act) {
      const answer = await send(
        command(c.act.command.replace(A_ID, aId), c.user, c.channel, reply.url),
      );
      assert.equal(answer.status, 200, answer.body);
      return ackText(answer);
    }
    const answer = await send(click(c.act, c.user, c.channel, reply.url));
    assert.equal(answer.status, 200, answer.body);
    // A run posts its "Running …" after the execution is started: wait for that one too.
    const posts = await repliesOf(reply.posts, 1);
    if (outcome !== 'runs') assert.equal(posts.length, 1, JSON.stringify(posts));
    return posts.map((p) => String(p.text)).join('\n');
  }

  const expectations: Record<SubscriptionOutcome, RegExp | ((said: string) => void)> = {
    notFound: (said) => assert.ok(said.includes(`No subscription `), said),
    admin: (said) => assert.equal(said, ADMIN_REFUSAL),
    allowList: /COSTBOT_ALLOWED_(USERS|CHANNELS)/,
    invalid: (said) => assert.equal(said, INVALID_BUTTON),
    runs: /Running `/,
    lists: /subscription/,
  };

  for (const c of SUBSCRIPTION_ACCESS_CASES) {
    it(`${c.label}: ${c.outcome}`, async () => {
      // Prepare
      const fileBefore = await storeFile();
      const startsBefore = running.starts.length;

      // Act
      const said = await act(c, c.outcome);
      await idle();

      // Assess
      const expected = expectations[c.outcome];
      if (expected instanceof RegExp) assert.match(said, expected);
      else expected(said);
      if (c.outcome === 'notFound') {
        const named = 'value' in c.act ? c.act.value?.replace(A_ID, aId) : aId;
        assert.ok(said.includes(`No subscription ${named} in this channel.`), said);
      }
      if (c.outcome === 'lists') assert.ok(said.includes(aId), said);
      assert.equal(await storeFile(), fileBefore, 'the subscriptions file is unchanged');
      assert.equal(await inFile(CHANNEL_A), 1, "A's subscription is still there");
      const started = running.starts.slice(startsBefore);
      if (c.outcome === 'runs') {
        assert.equal(started.length, 1);
        assert.equal(started[0]?.subscription?.id, aId);
        assert.equal(started[0]?.channel, CHANNEL_A);
      } else {
        assert.equal(started.length, 0, 'nothing started');
      }
    });
  }

  for (const c of SUBSCRIBE_ERROR_CASES) {
    it(`/aws-cost ${c.text}: one line, nothing stored`, async () => {
      // Prepare
      const fileBefore = await storeFile();

      // Act
      const answer = await send(command(c.text, ALLOWED_USER, CHANNEL_B, replyPath(sink).url));

      // Assess
      assert.equal(answer.status, 200, answer.body);
      const [line, blank] = ackText(answer).split('\n');
      assert.deepEqual([line, blank], [c.says, '']);
      assert.equal(await storeFile(), fileBefore, 'the subscriptions file is unchanged');
    });
  }

  const [retried, clickedTwice, third, filledRetried] = SUBSCRIPTION_DELIVERY_CASES;

  it(`${retried?.label}: ${retried?.expected}`, async () => {
    // Prepare
    const body = command(
      `subscribe weekly mon ${farTime()}`,
      ALLOWED_USER,
      CHANNEL_B,
      replyPath(sink).url,
    );
    const before = await inFile(CHANNEL_B);

    // Act
    const answers = [await send(body), await send(body, 1), await send(body, 2)];

    // Assess
    const texts = answers.map(ackText);
    confirmedId(texts[0] ?? '');
    assert.deepEqual(texts, [texts[0], texts[0], texts[0]]);
    assert.equal(await inFile(CHANNEL_B), before + 1);
  });

  it(`${clickedTwice?.label}: ${clickedTwice?.expected}`, async () => {
    // Prepare
    const body = click(
      { button: 'run', value: A_ID },
      ALLOWED_USER,
      CHANNEL_A,
      replyPath(sink).url,
    );
    const startsBefore = running.starts.length;

    // Act
    await send(body);
    await send(body, 1);
    await idle();

    // Assess
    assert.equal(running.starts.length - startsBefore, 1);
  });

  it(`${third?.label}, then ${filledRetried?.label}`, async () => {
    // Prepare: two subscriptions fill the channel (limit 2).
    const url = replyPath(sink).url;
    await send(command(`subscribe daily ${farTime()}`, ALLOWED_USER, CHANNEL_FULL, url));
    const filling = command(`subscribe weekdays ${farTime()}`, ALLOWED_USER, CHANNEL_FULL, url);
    const confirmation = ackText(await send(filling));
    const fileBefore = await storeFile();

    // Act
    const refusal = ackText(
      await send(command(`subscribe monthly 1 ${farTime()}`, ALLOWED_USER, CHANNEL_FULL, url)),
    );
    const retry = ackText(await send(filling, 1));

    // Assess
    confirmedId(confirmation);
    assert.match(refusal, /COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL=2/);
    assert.equal(retry, confirmation);
    assert.equal(await storeFile(), fileBefore, 'nothing stored');
    assert.equal(await inFile(CHANNEL_FULL), 2);
  });
});
