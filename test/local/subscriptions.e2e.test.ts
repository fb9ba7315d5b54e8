/**
 * Subscriptions on `npm start`, through the console's HTTP API as a person would use them:
 * subscribe (twice, one with a condition that cannot hold), list, run each now, remove one
 * with its button, unsubscribe the other. The file store and the in-process runner are real.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { subscriptionBlockId } from '../../bot/subscriptions/replies.ts';
import { ACTION_IDS } from '../../common/slack-message.ts';
import { type LocalBot, startLocalBot } from '../../local/bot-server.ts';
import type { ConsoleMessage } from '../../local/console/store.ts';

async function postJson(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(res.status, 200, `POST ${url}`);
  return res.json();
}

async function messages(bot: LocalBot): Promise<ConsoleMessage[]> {
  const res = await fetch(`${bot.url}/local/messages`);
  return (await res.json()) as ConsoleMessage[];
}

/** Polls the console until `test` holds for its history (the bot answers buttons after its ack). */
async function waitFor(
  bot: LocalBot,
  test: (all: ConsoleMessage[]) => boolean,
): Promise<ConsoleMessage[]> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const all = await messages(bot);
    if (test(all)) return all;
    assert.ok(Date.now() < deadline, `not within 10 s: ${JSON.stringify(all.slice(-3))}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const running = (id: string) => (all: ConsoleMessage[]) =>
  all.some((m) => m.text.startsWith(`Running \`${id}\` now`));

/** Types `/aws-cost <text>` into the console; the bot's ack, as the console recorded it. */
async function command(bot: LocalBot, text: string): Promise<ConsoleMessage> {
  const before = (await messages(bot)).length;
  assert.deepEqual(await postJson(`${bot.url}/local/command`, { text: `/aws-cost ${text}` }), {
    status: 200,
    ok: true,
  });
  const ack = (await messages(bot)).slice(before).find((m) => m.via === 'ephemeral');
  assert.ok(ack, `an ephemeral answer to ${text}`);
  return ack;
}

/** Clicks the subscription `id`'s button `actionId` in the console message `message`. */
async function click(bot: LocalBot, message: ConsoleMessage, actionId: string, id: string) {
  assert.deepEqual(
    await postJson(`${bot.url}/local/action`, {
      channel: message.channel,
      ts: message.ts,
      actionId,
      blockId: subscriptionBlockId(id),
    }),
    { status: 200, ok: true },
  );
}

const idOf = (ack: ConsoleMessage) => /Id: `([a-z0-9]+)`/.exec(ack.text)?.[1] ?? '';

describe('Subscriptions on npm start, through the console', () => {
  let dir: string;
  let bot: LocalBot;
  let always = '';
  let never = '';
  let list: ConsoleMessage | undefined;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-subscriptions-'));
    bot = await startLocalBot(
      {
        ...process.env,
        COSTBOT_BACKEND: 'local',
        PORT: '0',
        COSTBOT_LOCAL_S3_PORT: '0',
        COSTBOT_LOCAL_LINKS_PORT: '0',
        COSTBOT_LOCAL_DIR: dir,
        COSTBOT_TIME_ZONE: 'Europe/Paris',
        LOG_LEVEL: 'warn',
      },
      { retryIntervalMs: 10 },
    );
  });
  after(async () => {
    await bot?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('subscribes the channel and keeps the schedule in the local file', async () => {
    // Act
    const first = await command(bot, 'subscribe weekdays 09:30 service AmazonEC2 7d');
    const second = await command(bot, 'subscribe daily 08:00 UTC if yesterday > 1000000');

    // Assess
    always = idOf(first);
    never = idOf(second);
    assert.match(first.text, /^Subscribed this channel: weekdays at 09:30 Europe\/Paris/);
    assert.match(
      second.text,
      /daily at 08:00 UTC · month-to-date report · if yesterday &gt; \$1,000,000/,
    );
    assert.ok(always && never && always !== never);
    const file = JSON.parse(await readFile(join(dir, 'subscriptions.json'), 'utf8')) as {
      schedules: { name: string; expression: string; timeZone: string }[];
    };
    const byName = new Map(file.schedules.map((s) => [s.name, s]));
    assert.equal(byName.get(`C0LOCAL.${always}`)?.expression, 'cron(30 9 ? * MON-FRI *)');
    assert.equal(byName.get(`C0LOCAL.${always}`)?.timeZone, 'Europe/Paris');
    assert.equal(byName.get(`C0LOCAL.${never}`)?.timeZone, 'UTC');
  });

  it('lists both, each with its buttons', async () => {
    // Act
    list = await command(bot, 'subscriptions');

    // Assess
    const json = JSON.stringify(list.blocks);
    for (const id of [always, never]) {
      assert.ok(json.includes(`"block_id":"${subscriptionBlockId(id)}"`), json);
    }
    assert.match(json, /7-day report for AmazonEC2/);
  });

  it('runs the unconditioned one now: its report is posted to the channel', async () => {
    // Prepare
    assert.ok(list, 'needs the list of the previous test');
    const before = (await messages(bot)).filter((m) => m.via === 'postMessage').length;

    // Act
    await click(bot, list, ACTION_IDS.runSubscription, always);
    await waitFor(bot, running(always));
    await bot.starter.idle();

    // Assess
    const posted = (await messages(bot)).filter((m) => m.via === 'postMessage');
    assert.equal(posted.length, before + 1);
    assert.match(posted.at(-1)?.text ?? '', /AmazonEC2/);
  });

  it('runs the conditioned one now: it posts nothing, its condition does not hold', async () => {
    // Prepare
    assert.ok(list, 'needs the list');
    const before = await messages(bot);

    // Act
    await click(bot, list, ACTION_IDS.runSubscription, never);
    await waitFor(bot, running(never));
    await bot.starter.idle();

    // Assess
    const added = (await messages(bot)).slice(before.length);
    assert.deepEqual(
      added.map((m) => m.via),
      ['ephemeral'],
    );
    assert.match(added[0]?.text ?? '', /Running `[a-z0-9]+` now[\s\S]*if its condition holds/);
  });

  it('removes one with its Remove button: the list is replaced by the one left', async () => {
    // Prepare
    assert.ok(list, 'needs the list');

    // Act
    await click(bot, list, ACTION_IDS.removeSubscription, always);
    const all = await waitFor(bot, (all) =>
      all.some((m) => m.ts === list?.ts && m.text.startsWith('Removed')),
    );

    // Assess
    const replaced = all.find((m) => m.ts === list?.ts);
    const json = JSON.stringify(replaced?.blocks);
    assert.match(json, new RegExp(`Removed subscription \`${always}\``));
    assert.ok(!json.includes(subscriptionBlockId(always)), json);
    assert.ok(json.includes(subscriptionBlockId(never)), json);
  });

  it('unsubscribes the other by its id; the list is then empty', async () => {
    // Act
    const removed = await command(bot, `unsubscribe ${never}`);
    const again = await command(bot, `unsubscribe ${never}`);
    const empty = await command(bot, 'subscriptions');

    // Assess
    assert.equal(removed.text, `Removed subscription \`${never}\` from this channel.`);
    assert.equal(again.text, `No subscription ${never} in this channel.`);
    assert.match(empty.text, /^No subscriptions in this channel/);
    const file = JSON.parse(await readFile(join(dir, 'subscriptions.json'), 'utf8')) as {
      schedules: unknown[];
    };
    assert.deepEqual(file.schedules, []);
  });
});
