/**
 * Attacks on the subscription surface, for both receivers: `/aws-cost subscribe |
 * subscriptions | unsubscribe` and the list's "Run now" and "Remove" buttons, signed as Slack
 * signs. Channel A holds one subscription (made first); every attack checks what was answered,
 * what the store holds afterwards and what was started. A `SubscriptionTarget` is one receiver
 * as deployed with its store (`npm start`'s file, or EventBridge Scheduler on moto_server).
 */
import assert from 'node:assert/strict';
import { before, it } from 'node:test';
import { INVALID_BUTTON } from '../../bot/listeners/actions/values.ts';
import { ADMIN_REFUSAL, subscriptionBlockId } from '../../bot/subscriptions/replies.ts';
import { ACTION_IDS } from '../../common/slack-message.ts';
import { buttonPayload, interactionForm, type ResponseSink, settle } from '../bot/support.ts';
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
import { type Answer, commandBody, headersFor, replyPath } from './slack-requests.ts';

/** A third allowed channel, for the per-channel limit. */
export const CHANNEL_FULL = 'C0ALLOWED3';

/** The settings every target runs with: A, B and FULL allowed, one admin, 2 per channel. */
export const SUBSCRIPTION_ENV: Record<string, string> = {
  COSTBOT_ALLOWED_CHANNELS: [CHANNEL_A, CHANNEL_B, CHANNEL_FULL].join(','),
  COSTBOT_ALLOWED_USERS: [ALLOWED_USER, MEMBER].join(','),
  COSTBOT_ADMIN_USERS: ALLOWED_USER,
  COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: '2',
};

/** An execution the target started, as far as it can tell. */
export interface Started {
  subscription: string | undefined;
  channel: string | undefined;
}

export interface SubscriptionTarget {
  secret: string;
  sink: ResponseSink;
  send(body: string, headers: Record<string, string>): Promise<Answer>;
  /** The store's whole state as text: equal before and after means nothing changed. */
  snapshot(): Promise<string>;
  /** How many subscriptions the store holds for `channel`. */
  count(channel: string): Promise<number>;
  started(): Promise<Started[]>;
  /** Lets a listener finish what it does after its ack (and the runs it started). */
  settle(): Promise<void>;
  /**
   * Makes every read of the store fail until the returned function undoes it, to show a
   * refusal came before the store was asked; absent where the store cannot be spoiled cheaply.
   */
  spoil?(): Promise<() => Promise<void>>;
}

/** A time twelve hours from now (UTC), so no scheduler fires a subscription during the run. */
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

/** Waits until a reply reached the response_url (a button's answer comes after its ack). */
async function replies(posts: () => Record<string, unknown>[]) {
  const deadline = Date.now() + 5000;
  while (posts().length === 0 && Date.now() < deadline) await settle(25);
  return posts();
}

const expectations: Record<SubscriptionOutcome, (said: string) => void> = {
  notFound: (said) => assert.match(said, /No subscription [a-z0-9]+ in this channel\./),
  admin: (said) => assert.equal(said, ADMIN_REFUSAL),
  allowList: (said) => assert.match(said, /COSTBOT_ALLOWED_(USERS|CHANNELS)/),
  invalid: (said) => assert.equal(said, INVALID_BUTTON),
  runs: (said) => assert.match(said, /Running `/),
  lists: (said) => assert.match(said, /1 subscription in this channel/),
};

/** Every case of `cases.ts` about subscriptions, against `target` (set up by an earlier hook). */
export function describeSubscriptionAttacks(target: () => SubscriptionTarget): void {
  let aId = '';
  let sequence = 0;

  const send = (body: string, retry?: number) => {
    const t = target();
    return t.send(body, {
      ...headersFor(t.secret, body),
      ...(retry
        ? { 'x-slack-retry-num': String(retry), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    });
  };

  const command = (text: string, user: string, channel: string, url: string) =>
    commandBody({ text, user, channel, responseUrl: url });

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
    const blockId = act.blockId?.replace(A_ID, aId) ?? subscriptionBlockId(value ?? '');
    return interactionForm({ ...payload, actions: [{ ...action, block_id: blockId }] });
  }

  /** What the bot said: the command's ack, or what the button's listener posted. */
  async function said(c: { act: SubscriptionAct; user: string; channel: string }) {
    const reply = replyPath(target().sink);
    if ('command' in c.act) {
      const text = c.act.command.replace(A_ID, aId);
      const answer = await send(command(text, c.user, c.channel, reply.url));
      assert.equal(answer.status, 200, answer.body);
      return { text: ackText(answer), posts: 1 };
    }
    const answer = await send(click(c.act, c.user, c.channel, reply.url));
    assert.equal(answer.status, 200, answer.body);
    await replies(reply.posts);
    await target().settle();
    const posts = reply.posts();
    return { text: posts.map((p) => String(p.text)).join('\n'), posts: posts.length };
  }

  before(async () => {
    const answer = await send(
      command(
        `subscribe daily ${farTime()}`,
        ALLOWED_USER,
        CHANNEL_A,
        replyPath(target().sink).url,
      ),
    );
    aId = confirmedId(ackText(answer));
  });

  for (const c of SUBSCRIPTION_ACCESS_CASES) {
    it(`${c.label}: ${c.outcome}`, async () => {
      // Prepare
      const t = target();
      const stateBefore = await t.snapshot();
      const startsBefore = (await t.started()).length;
      const restore = c.outcome === 'invalid' && t.spoil ? await t.spoil() : undefined;

      // Act
      const answer = await said(c).finally(() => restore?.());
      await t.settle();

      // Assess
      expectations[c.outcome](answer.text);
      assert.equal(answer.posts, 1, `one answer: ${answer.text}`);
      if (c.outcome === 'notFound') {
        const named = 'value' in c.act ? c.act.value?.replace(A_ID, aId) : aId;
        assert.ok(answer.text.includes(`No subscription ${named} in this channel.`), answer.text);
      }
      if (c.outcome === 'lists') assert.ok(answer.text.includes(aId), answer.text);
      assert.equal(await t.snapshot(), stateBefore, 'the store is unchanged');
      assert.equal(await t.count(CHANNEL_A), 1, "A's subscription is still there");
      const started = (await t.started()).slice(startsBefore);
      const expected = c.outcome === 'runs' ? [{ subscription: aId, channel: CHANNEL_A }] : [];
      assert.deepEqual(started, expected);
    });
  }

  for (const c of SUBSCRIBE_ERROR_CASES) {
    it(`/aws-cost ${c.text}: one line, nothing stored`, async () => {
      // Prepare
      const t = target();
      const stateBefore = await t.snapshot();
      const body = command(c.text, ALLOWED_USER, CHANNEL_B, replyPath(t.sink).url);

      // Act
      const answer = await send(body);

      // Assess
      assert.equal(answer.status, 200, answer.body);
      const [line, blank] = ackText(answer).split('\n');
      assert.deepEqual([line, blank], [c.says, '']);
      assert.equal(await t.snapshot(), stateBefore, 'the store is unchanged');
    });
  }

  const [retried, clickedTwice, third, filledRetried] = SUBSCRIPTION_DELIVERY_CASES;

  it(`${retried?.label}: ${retried?.expected}`, async () => {
    // Prepare
    const t = target();
    const text = `subscribe weekly mon ${farTime()}`;
    const body = command(text, ALLOWED_USER, CHANNEL_B, replyPath(t.sink).url);
    const inB = await t.count(CHANNEL_B);

    // Act
    const answers = [await send(body), await send(body, 1), await send(body, 2)];

    // Assess
    const texts = answers.map(ackText);
    confirmedId(texts[0] ?? '');
    assert.deepEqual(texts, [texts[0], texts[0], texts[0]]);
    assert.equal(await t.count(CHANNEL_B), inB + 1);
  });

  it(`${clickedTwice?.label}: ${clickedTwice?.expected}`, async () => {
    // Prepare
    const t = target();
    const url = replyPath(t.sink).url;
    const body = click({ button: 'run', value: A_ID }, ALLOWED_USER, CHANNEL_A, url);
    const startsBefore = (await t.started()).length;

    // Act
    await send(body);
    await send(body, 1);
    await t.settle();

    // Assess
    assert.equal((await t.started()).length - startsBefore, 1);
  });

  it(`${third?.label}, then ${filledRetried?.label}`, async () => {
    // Prepare: two subscriptions fill the channel (limit 2).
    const t = target();
    const url = replyPath(t.sink).url;
    await send(command(`subscribe daily ${farTime()}`, ALLOWED_USER, CHANNEL_FULL, url));
    const filling = command(`subscribe weekdays ${farTime()}`, ALLOWED_USER, CHANNEL_FULL, url);
    const confirmation = ackText(await send(filling));
    const stateBefore = await t.snapshot();

    // Act
    const third = `subscribe monthly 1 ${farTime()}`;
    const refusal = ackText(await send(command(third, ALLOWED_USER, CHANNEL_FULL, url)));
    const retry = ackText(await send(filling, 1));

    // Assess
    confirmedId(confirmation);
    assert.match(refusal, /COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL=2/);
    assert.equal(retry, confirmation);
    assert.equal(await t.snapshot(), stateBefore, 'nothing stored');
    assert.equal(await t.count(CHANNEL_FULL), 2);
  });
}
