import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { type Harness, postJson, startHarness } from './harness.ts';

describe('POST /local/command', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(() => h.close());
  beforeEach(() => {
    h.received.length = 0;
    h.reply = () => ({});
  });

  it('sends the bot a signed slash command shaped as Slack sends it', async () => {
    const res = await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost 7d EC2' });
    assert.deepEqual(await res.json(), { status: 200, ok: true });
    assert.equal(h.received.length, 1);
    const [got] = h.received;
    assert.ok(got);
    assert.equal(got.valid, true, 'Bolt verifies the signature');
    assert.equal(got.contentType, 'application/x-www-form-urlencoded');
    assert.deepEqual(Object.keys(got.form), [
      'token',
      'team_id',
      'team_domain',
      'channel_id',
      'channel_name',
      'user_id',
      'user_name',
      'command',
      'text',
      'api_app_id',
      'is_enterprise_install',
      'response_url',
      'trigger_id',
    ]);
    assert.equal(got.form.team_id, 'T0LOCAL');
    assert.equal(got.form.channel_id, 'C0LOCAL');
    assert.equal(got.form.channel_name, 'costs');
    assert.equal(got.form.user_id, 'U0LOCAL');
    assert.equal(got.form.command, '/aws-cost');
    assert.equal(got.form.text, '7d EC2');
    assert.equal(got.form.is_enterprise_install, 'false');
    assert.match(got.body, /command=%2Faws-cost&text=7d\+EC2&/, 'encoded as Slack encodes it');
    assert.match(
      got.form.response_url ?? '',
      new RegExp(`^${h.consoleUrl}/local/response/[\\w-]+$`),
    );
    assert.match(got.form.trigger_id ?? '', /^\d+\.\d+\.[0-9a-f]+$/);
  });

  it('escapes & < > in the typed text as Slack does', async () => {
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost if yesterday > 250 & <x>' });
    assert.equal(h.received[0]?.form.text, 'if yesterday &gt; 250 &amp; &lt;x&gt;');
  });

  it('gives every command its own response_url and trigger_id', async () => {
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost' });
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost' });
    const [a, b] = h.received;
    assert.notEqual(a?.form.response_url, b?.form.response_url);
    assert.notEqual(a?.form.trigger_id, b?.form.trigger_id);
    assert.equal(a?.form.text, '');
  });

  it("records the typed line, and the bot's JSON ack as an ephemeral message", async () => {
    h.reply = () => ({ json: { text: 'Working on it…', blocks: [{ type: 'divider' }] } });
    const before = h.messages().length;
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost mtd' });
    const [line, ack] = h.messages().slice(before);
    assert.equal(line?.via, 'command');
    assert.equal(line?.text, '/aws-cost mtd');
    assert.equal(line?.user, 'U0LOCAL');
    assert.equal(line?.channel, 'C0LOCAL');
    assert.equal(ack?.via, 'ephemeral');
    assert.equal(ack?.text, 'Working on it…');
    assert.deepEqual(ack?.blocks, [{ type: 'divider' }]);
    assert.equal(ack?.user, 'U0LOCAL');
    assert.ok(line && ack && Number(ack.ts) > Number(line.ts));
  });

  it('shows nothing for an empty ack, and an in_channel ack in the channel', async () => {
    const start = h.messages().length;
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost' });
    assert.deepEqual(
      h
        .messages()
        .slice(start)
        .map((m) => m.via),
      ['command'],
    );
    h.reply = () => ({ json: { response_type: 'in_channel', text: 'Report for everyone' } });
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost' });
    const last = h.messages().at(-1);
    assert.equal(last?.via, 'response_url');
    assert.equal(last?.text, 'Report for everyone');
    assert.equal(last?.user, undefined);
  });

  it('shows a plain-text ack as ephemeral text', async () => {
    h.reply = () => ({ text: 'plain answer' });
    await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost help' });
    const last = h.messages().at(-1);
    assert.equal(last?.via, 'ephemeral');
    assert.equal(last?.text, 'plain answer');
  });

  it('accepts the argument text alone, and refuses other commands before the bot', async () => {
    await postJson(`${h.consoleUrl}/local/command`, { text: '30d' });
    assert.equal(h.received.at(-1)?.form.text, '30d');
    const count = h.received.length;
    const res = await postJson(`${h.consoleUrl}/local/command`, { text: '/weather' });
    assert.equal(res.status, 400);
    assert.equal(((await res.json()) as { error: string }).error, 'unknown_command');
    assert.equal(h.received.length, count);
  });

  it("shows Slack's failure notice when the bot refuses the request", async () => {
    h.reply = () => ({ status: 401 });
    const res = await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost' });
    assert.deepEqual(await res.json(), { status: 401, ok: false });
    const notice = h.messages().at(-1);
    assert.equal(notice?.via, 'ephemeral');
    assert.equal(notice?.from, 'slack');
    assert.equal(notice?.text, '/aws-cost failed with the error "dispatch_failed"');
  });
});

describe('POST /local/command without a bot', () => {
  it('answers 502 and shows dispatch_failed', async () => {
    const h = await startHarness({ botEventsUrl: 'http://127.0.0.1:9/slack/events' });
    try {
      const res = await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost' });
      assert.equal(res.status, 502);
      assert.deepEqual(await res.json(), { status: 0, ok: false, error: 'dispatch_failed' });
      assert.equal(h.messages().at(-1)?.from, 'slack');
    } finally {
      await h.close();
    }
  });

  it('gives up after three seconds as Slack does', { timeout: 10_000 }, async () => {
    const h = await startHarness();
    try {
      h.reply = () => ({ delayMs: 3500 });
      const res = await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost' });
      assert.deepEqual(await res.json(), { status: 0, ok: false, error: 'operation_timeout' });
      assert.equal(
        h.messages().at(-1)?.text,
        '/aws-cost failed with the error "operation_timeout"',
      );
    } finally {
      await h.close();
    }
  });
});
