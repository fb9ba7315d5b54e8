/**
 * Attacks on `npm start`'s bot: Bolt's ExpressReceiver over HTTP on 127.0.0.1, as
 * `startLocalBot` serves it (local backend: parameter file, s3rver, in-process runs). Every
 * request goes to `/slack/events` as Slack would send it; replies go to a loopback
 * `response_url`. Then Bolt's own convention: SLACK_SIGNING_SECRET in the environment wins.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type ResponseSink, settle, startResponseSink } from '../bot/support.ts';
import { LAMBDA_BODY_CASES } from './cases.ts';
import { parameterFile, type Running, startBot } from './local-bot.ts';
import {
  commandBody,
  describeSlackRequestAttacks,
  headersFor,
  replyPath,
  type Target,
} from './slack-requests.ts';

describe('Attacks: npm start (ExpressReceiver over HTTP)', () => {
  let running: Running;
  let sink: ResponseSink;
  let secret: string;

  before(async () => {
    sink = await startResponseSink();
    running = await startBot();
    const file = await parameterFile(running);
    secret = file[running.bot.config.parameterNames.slackSigningSecret] ?? '';
  });

  after(async () => {
    await running?.stop();
    await sink?.close();
  });

  const target = (): Target => ({
    secret,
    sink,
    send: (body, headers) => running.post(body, headers),
    started: async () => running.starts.map((r) => r.requestId),
    settle: async () => {
      await settle(150);
      await running.bot.starter.idle();
    },
  });

  describeSlackRequestAttacks(it, target);

  for (const c of LAMBDA_BODY_CASES.filter((b) => !b.base64)) {
    it(`body ${c.label}: refused, nothing started`, async () => {
      // Prepare
      const body = c.body ?? '';
      const headers = {
        ...(c.signed ? headersFor(secret, body) : {}),
        'content-type': c.contentType ?? 'application/x-www-form-urlencoded',
      };
      const before = running.starts.length;

      // Act
      const answer = await running.post(body, headers);
      await settle(150);

      // Assess
      const refused =
        (answer.status >= 400 && answer.status < 500) ||
        (c.refusalOk === true && answer.status === 200 && /ephemeral/.test(answer.body));
      assert.ok(refused, `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
      assert.equal(running.starts.length, before, 'nothing started');
    });
  }
});

describe('Attacks: Bolt conventions (SLACK_SIGNING_SECRET in the environment)', () => {
  const ENV_SECRET = 'fedcba9876543210fedcba9876543210';
  let running: Running;
  let sink: ResponseSink;

  before(async () => {
    sink = await startResponseSink();
    running = await startBot({
      SLACK_SIGNING_SECRET: ENV_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-from-the-environment',
    });
  });

  after(async () => {
    await running?.stop();
    await sink?.close();
  });

  it('a request signed with SLACK_SIGNING_SECRET from the environment is accepted', async () => {
    // Prepare
    const body = commandBody({ responseUrl: replyPath(sink).url });

    // Act
    const answer = await running.post(body, headersFor(ENV_SECRET, body));
    await settle(150);

    // Assess
    assert.equal(answer.status, 200, answer.body);
    assert.equal(running.starts.length, 1);
  });

  it("a request signed with parameters.json's secret is refused: the environment wins", async () => {
    // Prepare
    const file = await parameterFile(running);
    const fileSecret = file[running.bot.config.parameterNames.slackSigningSecret] ?? '';
    const body = commandBody({ responseUrl: replyPath(sink).url });
    const before = running.starts.length;

    // Act
    const answer = await running.post(body, headersFor(fileSecret, body));
    await settle(150);

    // Assess
    assert.notEqual(fileSecret, ENV_SECRET);
    assert.equal(answer.status, 401);
    assert.equal(running.starts.length, before);
  });
});
