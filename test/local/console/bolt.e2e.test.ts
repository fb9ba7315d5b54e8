/**
 * The console in front of a real Bolt app, mounted on its ExpressReceiver's router as
 * `npm start` does: one port, Bolt's own signature check, Bolt's own ack/respond/say.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { App, ExpressReceiver, LogLevel } from '@slack/bolt';
import express from 'express';
import { type ConsoleMessage, createConsoleRouter } from '../../../local/console/server.ts';
import { listen, postJson } from './harness.ts';

const SECRET = 'bolt-test-secret';
const TOKEN = 'xoxb-bolt-test';

async function until(check: () => ConsoleMessage | undefined): Promise<ConsoleMessage> {
  for (let i = 0; i < 100; i += 1) {
    const found = check();
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail('the message never arrived');
}

describe('with a Bolt app on the same port', () => {
  let receiver: ExpressReceiver;
  let base: string;
  let messages: () => ConsoleMessage[];

  before(async () => {
    receiver = new ExpressReceiver({ signingSecret: SECRET, logLevel: LogLevel.ERROR });
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = new App({
      token: TOKEN,
      receiver,
      logLevel: LogLevel.ERROR,
      clientOptions: { slackApiUrl: `${base}/api/`, retryConfig: { retries: 0 } },
    });
    app.command('/aws-cost', async ({ ack, respond, say, command }) => {
      await ack({ text: `Working on ${command.text}…` });
      await respond({ response_type: 'in_channel', text: `Report ${command.text}` });
      await say({
        text: 'With a button',
        blocks: [
          {
            type: 'actions',
            elements: [
              {
                type: 'button',
                action_id: 'refresh',
                text: { type: 'plain_text', text: 'Refresh' },
                value: command.text,
              },
            ],
          },
        ],
      });
    });
    app.action('refresh', async ({ ack, respond, body, action }) => {
      await ack();
      const value = action.type === 'button' ? action.value : '';
      await respond({ replace_original: true, text: `Refreshed ${value} for ${body.user.id}` });
    });
    const slackConsole = createConsoleRouter({
      botEventsUrl: `${base}/slack/events`,
      publicUrl: base,
      signingSecret: SECRET,
      botToken: TOKEN,
    });
    receiver.router.use(slackConsole.router);
    messages = slackConsole.messages;
  });
  after(() => receiver.stop());

  it('runs a command and a button click through Bolt', async () => {
    const res = await postJson(`${base}/local/command`, { text: '/aws-cost 7d' });
    assert.deepEqual(await res.json(), { status: 200, ok: true });
    const ack = await until(() => messages().find((m) => m.text === 'Working on 7d…'));
    assert.equal(ack.via, 'ephemeral');
    await until(() => messages().find((m) => m.text === 'Report 7d' && m.via === 'response_url'));
    const withButton = await until(() => messages().find((m) => m.text === 'With a button'));
    assert.equal(withButton.via, 'postMessage');

    const click = await postJson(`${base}/local/action`, {
      channel: withButton.channel,
      ts: withButton.ts,
      actionId: 'refresh',
    });
    assert.deepEqual(await click.json(), { status: 200, ok: true });
    const refreshed = await until(() =>
      messages().find((m) => m.ts === withButton.ts && m.text !== 'With a button'),
    );
    assert.equal(refreshed.text, 'Refreshed 7d for U0LOCAL');
    assert.equal(refreshed.via, 'update');
  });

  it('leaves Bolt refusing a request signed with another secret', async () => {
    const app = express();
    const server = await listen(app);
    const other = createConsoleRouter({
      botEventsUrl: `${base}/slack/events`,
      publicUrl: server.url,
      signingSecret: 'wrong',
      botToken: TOKEN,
    });
    app.use(other.router);
    try {
      const res = await postJson(`${server.url}/local/command`, { text: '/aws-cost' });
      const answer = (await res.json()) as { status: number; ok: boolean };
      assert.equal(answer.ok, false);
      assert.equal(answer.status, 401);
    } finally {
      await server.close();
    }
  });
});
