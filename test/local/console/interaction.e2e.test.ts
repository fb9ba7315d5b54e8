import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { BOT_TOKEN, type Harness, postJson, startHarness } from './harness.ts';

const BUTTONS = {
  type: 'actions',
  elements: [
    {
      type: 'button',
      action_id: 'refresh_report',
      text: { type: 'plain_text', text: 'Refresh' },
      value: '7d',
      style: 'primary',
    },
  ],
};

function respond(url: string, body: unknown): Promise<globalThis.Response> {
  return postJson(url, body);
}

describe('POST /local/action and the response_url', () => {
  let h: Harness;
  let web: WebClient;
  let clock = Date.now();
  before(async () => {
    h = await startHarness({ now: () => clock });
    web = new WebClient(BOT_TOKEN, {
      slackApiUrl: `${h.consoleUrl}/api/`,
      retryConfig: { retries: 0 },
    });
  });
  after(() => h.close());
  beforeEach(() => {
    h.received.length = 0;
    h.reply = () => ({});
    clock = Date.now();
  });

  async function postWithButton(): Promise<string> {
    const posted = await web.chat.postMessage({
      channel: 'C0LOCAL',
      text: 'AWS cost',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*MTD* $10' } }, BUTTONS],
    });
    return posted.ts ?? '';
  }

  async function click(ts: string): Promise<Record<string, unknown>> {
    const res = await postJson(`${h.consoleUrl}/local/action`, {
      channel: 'C0LOCAL',
      ts,
      actionId: 'refresh_report',
      value: '7d',
    });
    assert.deepEqual(await res.json(), { status: 200, ok: true });
    const got = h.received.at(-1);
    assert.equal(got?.valid, true, 'Bolt verifies the signature');
    assert.deepEqual(Object.keys(got?.form ?? {}), ['payload']);
    return JSON.parse(got?.form.payload ?? '{}') as Record<string, unknown>;
  }

  it('sends a signed block_actions payload shaped as Slack sends it', async () => {
    const ts = await postWithButton();
    const payload = await click(ts);
    assert.equal(payload.type, 'block_actions');
    assert.deepEqual(payload.user, {
      id: 'U0LOCAL',
      username: 'developer',
      name: 'developer',
      team_id: 'T0LOCAL',
    });
    assert.deepEqual(payload.team, { id: 'T0LOCAL', domain: 'local-console' });
    assert.equal(payload.api_app_id, 'A0COSTBOT');
    assert.deepEqual(payload.container, {
      type: 'message',
      message_ts: ts,
      channel_id: 'C0LOCAL',
      is_ephemeral: false,
    });
    assert.deepEqual(payload.channel, { id: 'C0LOCAL', name: 'costs' });
    assert.match(String(payload.trigger_id), /^\d+\.\d+\.[0-9a-f]+$/);
    assert.match(String(payload.response_url), new RegExp(`^${h.consoleUrl}/local/response/`));
    const message = payload.message as { ts: string; text: string; blocks: { block_id: string }[] };
    assert.equal(message.ts, ts);
    assert.equal(message.text, 'AWS cost');
    assert.equal(message.blocks.length, 2);
    const actions = payload.actions as Record<string, unknown>[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0]?.action_id, 'refresh_report');
    assert.equal(actions[0]?.value, '7d');
    assert.equal(actions[0]?.type, 'button');
    assert.equal(actions[0]?.style, 'primary');
    assert.equal(actions[0]?.block_id, message.blocks[1]?.block_id, 'block ids agree');
    assert.match(String(actions[0]?.action_ts), /^\d+\.\d{6}$/);
  });

  it('replace_original updates the clicked message in place', async () => {
    const ts = await postWithButton();
    const payload = await click(ts);
    const count = h.messages().length;
    const res = await respond(String(payload.response_url), {
      replace_original: true,
      text: 'Refreshed',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*MTD* $11' } }],
    });
    assert.equal(res.status, 200);
    assert.equal(await res.text(), 'ok');
    assert.equal(h.messages().length, count);
    const message = h.messages().find((m) => m.ts === ts);
    assert.equal(message?.text, 'Refreshed');
    assert.equal(message?.via, 'update');
  });

  it('adds an ephemeral message by default and an in_channel one when asked', async () => {
    const payload = await click(await postWithButton());
    await respond(String(payload.response_url), { text: 'just for you' });
    assert.equal(h.messages().at(-1)?.via, 'ephemeral');
    assert.equal(h.messages().at(-1)?.user, 'U0LOCAL');
    await respond(String(payload.response_url), { response_type: 'in_channel', text: 'for all' });
    assert.equal(h.messages().at(-1)?.via, 'response_url');
    assert.equal(h.messages().at(-1)?.text, 'for all');
  });

  it('delete_original removes the clicked message', async () => {
    const ts = await postWithButton();
    const payload = await click(ts);
    await respond(String(payload.response_url), { delete_original: true });
    assert.equal(
      h.messages().find((m) => m.ts === ts),
      undefined,
    );
  });

  it('works five times, then answers 404 expired_url', async () => {
    const payload = await click(await postWithButton());
    for (let i = 1; i <= 5; i += 1) {
      const res = await respond(String(payload.response_url), { text: `use ${i}` });
      assert.equal(res.status, 200, `use ${i}`);
    }
    const sixth = await respond(String(payload.response_url), { text: 'use 6' });
    assert.equal(sixth.status, 404);
    assert.equal(await sixth.text(), 'expired_url');
    assert.equal(h.messages().at(-1)?.text, 'use 5');
  });

  it('expires after 30 minutes', async () => {
    const payload = await click(await postWithButton());
    clock += 30 * 60 * 1000 + 1;
    const res = await respond(String(payload.response_url), { text: 'late' });
    assert.equal(res.status, 404);
  });

  it('answers 404 to an unknown response_url', async () => {
    const res = await respond(`${h.consoleUrl}/local/response/nope`, { text: 'x' });
    assert.equal(res.status, 404);
  });

  it("a command's response_url posts in the channel, then replaces its previous answer", async () => {
    h.reply = () => ({ json: { text: 'Working on it…' } });
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost 7d' });
    const responseUrl = h.received.at(-1)?.form.response_url ?? '';
    const ack = h.messages().at(-1);
    assert.equal(ack?.via, 'ephemeral');
    await respond(responseUrl, { replace_original: true, text: 'Done (replaces the ack)' });
    assert.equal(h.messages().at(-1)?.ts, ack?.ts);
    assert.equal(h.messages().at(-1)?.text, 'Done (replaces the ack)');
    assert.equal(h.messages().at(-1)?.via, 'ephemeral', 'an ephemeral message stays ephemeral');
    await respond(responseUrl, { response_type: 'in_channel', text: 'The report' });
    const report = h.messages().at(-1);
    assert.equal(report?.via, 'response_url');
    assert.equal(report?.channel, 'C0LOCAL');
  });

  it('leaves message out of the payload for an ephemeral message, as Slack does', async () => {
    h.reply = () => ({ json: { blocks: [BUTTONS], text: 'pick' } });
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost' });
    const ephemeral = h.messages().at(-1);
    assert.equal(ephemeral?.via, 'ephemeral');
    h.reply = () => ({});
    const payload = await click(ephemeral?.ts ?? '');
    assert.equal((payload.container as { is_ephemeral: boolean }).is_ephemeral, true);
    assert.equal(payload.message, undefined);
  });

  it('answers 404 for an unknown message or action', async () => {
    const ts = await postWithButton();
    const noMessage = await postJson(`${h.consoleUrl}/local/action`, {
      channel: 'C0LOCAL',
      ts: '1.000000',
      actionId: 'refresh_report',
    });
    assert.equal(noMessage.status, 404);
    const noAction = await postJson(`${h.consoleUrl}/local/action`, {
      channel: 'C0LOCAL',
      ts,
      actionId: 'nope',
    });
    assert.equal(noAction.status, 404);
  });
});
