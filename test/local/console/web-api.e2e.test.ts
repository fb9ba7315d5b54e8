import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LogLevel, WebClient } from '@slack/web-api';
import { BOT_TOKEN, type Harness, startHarness } from './harness.ts';

/** A client as the bot builds one, pointed at the console; no retries so failures are quick. */
function client(h: Harness, token = BOT_TOKEN): WebClient {
  return new WebClient(token, {
    slackApiUrl: `${h.consoleUrl}/api/`,
    retryConfig: { retries: 0 },
    logLevel: LogLevel.ERROR,
  });
}

/** The Web API error code a rejected WebClient call carries. */
async function errorCode(call: Promise<unknown>): Promise<string | undefined> {
  try {
    await call;
  } catch (error) {
    return (error as { data?: { error?: string } }).data?.error;
  }
  assert.fail('the call should have been refused');
}

const BLOCKS = [
  { type: 'header', text: { type: 'plain_text', text: 'AWS cost · Last 7 days' } },
  { type: 'section', text: { type: 'mrkdwn', text: '*Month to date*\n$1,234.56' } },
];

describe('Web API at /api/:method', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());

  it('answers auth.test with the bot identity', async () => {
    const res = await client(h).auth.test();
    assert.equal(res.ok, true);
    assert.equal(res.team_id, 'T0LOCAL');
    assert.equal(res.user_id, 'U0COSTBOT');
    assert.equal(res.bot_id, 'B0COSTBOT');
    assert.equal(res.url, `${h.consoleUrl}/`);
  });

  it('posts a message that appears in /local/messages, then updates it in place', async () => {
    const web = client(h);
    const posted = await web.chat.postMessage({
      channel: 'C0LOCAL',
      text: 'AWS cost',
      blocks: BLOCKS,
    });
    assert.equal(posted.ok, true);
    assert.equal(posted.channel, 'C0LOCAL');
    assert.match(posted.ts ?? '', /^\d+\.\d{6}$/);
    assert.deepEqual(
      posted.message?.blocks?.map((b) => b.type),
      ['header', 'section'],
    );

    const listed = (await (await fetch(`${h.consoleUrl}/local/messages`)).json()) as unknown[];
    assert.deepEqual(listed.at(-1), {
      channel: 'C0LOCAL',
      ts: posted.ts,
      text: 'AWS cost',
      blocks: BLOCKS,
      via: 'postMessage',
    });

    const updated = await web.chat.update({
      channel: 'C0LOCAL',
      ts: posted.ts ?? '',
      text: 'AWS cost (updated)',
      blocks: [{ type: 'divider' }],
    });
    assert.equal(updated.ok, true);
    assert.equal(updated.ts, posted.ts);
    const after = h.messages().filter((m) => m.ts === posted.ts);
    assert.equal(after.length, 1);
    assert.equal(after[0]?.via, 'update');
    assert.equal(after[0]?.text, 'AWS cost (updated)');
    assert.deepEqual(after[0]?.blocks, [{ type: 'divider' }]);
  });

  it('gives every message a unique, increasing ts', async () => {
    const web = client(h);
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        web.chat.postMessage({ channel: '#costs', text: `n${i}` }),
      ),
    );
    const ts = h.messages().map((m) => m.ts);
    assert.equal(new Set(ts).size, ts.length);
    assert.deepEqual(
      [...ts].sort((a, b) => Number(a) - Number(b)),
      ts,
    );
    assert.ok(
      results.every((r) => r.channel === 'C0LOCAL'),
      '#costs is the default channel',
    );
  });

  it('accepts other channel ids and names', async () => {
    const web = client(h);
    assert.equal(
      (await web.chat.postMessage({ channel: 'C0OTHER', text: 'x' })).channel,
      'C0OTHER',
    );
    const named = await web.chat.postMessage({ channel: '#finops', text: 'x' });
    assert.match(named.channel ?? '', /^C/);
    const again = await web.chat.postMessage({ channel: '#finops', text: 'y' });
    assert.equal(again.channel, named.channel);
    const info = await web.conversations.info({ channel: named.channel ?? '' });
    assert.equal(info.channel?.name, 'finops');
  });

  it("refuses what Slack refuses, with Slack's codes", async () => {
    const web = client(h);
    assert.equal(
      await errorCode(web.chat.postMessage({ channel: 'C0MISSING', text: 'x' })),
      'channel_not_found',
    );
    assert.equal(
      await errorCode(web.chat.postMessage({ channel: 'C0LOCAL', text: '' })),
      'no_text',
    );
    assert.equal(
      await errorCode(web.chat.update({ channel: 'C0LOCAL', ts: '1.000001', text: 'x' })),
      'message_not_found',
    );
    assert.equal(await errorCode(web.users.info({ user: 'U0NOBODY' })), 'user_not_found');
    assert.equal(await errorCode(web.apiCall('files.upload', {})), 'unknown_method');
  });

  it('answers invalid_auth to a wrong token, and nothing is posted', async () => {
    const count = h.messages().length;
    assert.equal(
      await errorCode(client(h, 'xoxb-wrong').chat.postMessage({ channel: 'C0LOCAL', text: 'x' })),
      'invalid_auth',
    );
    assert.equal(h.messages().length, count);
    const res = await fetch(`${h.consoleUrl}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'channel=C0LOCAL&text=x',
    });
    assert.deepEqual(await res.json(), { ok: false, error: 'not_authed' });
  });

  it('accepts JSON bodies and a token form field', async () => {
    const json = await fetch(`${h.consoleUrl}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${BOT_TOKEN}` },
      body: JSON.stringify({ channel: 'C0LOCAL', text: 'json', blocks: BLOCKS }),
    });
    const answer = (await json.json()) as { ok: boolean; ts: string };
    assert.equal(answer.ok, true);
    assert.deepEqual(h.messages().at(-1)?.blocks, BLOCKS);

    const form = await fetch(`${h.consoleUrl}/api/chat.postEphemeral`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: BOT_TOKEN,
        channel: 'C0LOCAL',
        user: 'U0LOCAL',
        text: 'only you',
      }).toString(),
    });
    const ephemeral = (await form.json()) as { ok: boolean; message_ts: string };
    assert.equal(ephemeral.ok, true);
    const last = h.messages().at(-1);
    assert.equal(last?.ts, ephemeral.message_ts);
    assert.equal(last?.via, 'ephemeral');
    assert.equal(last?.user, 'U0LOCAL');
  });

  it('answers users.info for the local user and invalid_blocks_format for broken blocks', async () => {
    const web = client(h);
    const user = await web.users.info({ user: 'U0LOCAL' });
    assert.equal(user.user?.id, 'U0LOCAL');
    const res = await fetch(`${h.consoleUrl}/api/chat.postMessage`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Bearer ${BOT_TOKEN}`,
      },
      body: 'channel=C0LOCAL&blocks=%5Bnot-json',
    });
    assert.deepEqual(await res.json(), { ok: false, error: 'invalid_blocks_format' });
  });
});
