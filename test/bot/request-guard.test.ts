/**
 * `bot/request-guard.ts`: Slack's signature checked before anything is parsed, the timestamp
 * checked both ways, and only bodies the bot handles passed on. First the check itself, then
 * the same requests through both real receivers as they run: AwsLambdaReceiver behind
 * `guardLambda` (Function URL events) and ExpressReceiver behind `guardHttp` over HTTP.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  MAX_BODY_BYTES,
  MAX_CLOCK_SKEW_SECONDS,
  type RequestHeaders,
  verifySlackRequest,
} from '../../bot/request-guard.ts';
import { slackSignature } from '../../local/console/signing.ts';
import {
  functionUrlEvent,
  type Handler,
  interactionForm,
  type RecordingStarter,
  type RunningBot,
  refreshPayload,
  SIGNING_SECRET,
  settle,
  slashCommandForm,
  startHttpBot,
  startLambdaBot,
} from './support.ts';

const FORM = 'application/x-www-form-urlencoded';
const NOW_MS = 1_764_000_000_000;
const NOW = Math.floor(NOW_MS / 1000);

/** Headers signed with `secret` for `timestamp` (a header value, any text), as Slack sends them. */
function signed(
  body: string,
  timestamp: string,
  options: { secret?: string; contentType?: string } = {},
): Record<string, string> {
  return {
    'Content-Type': options.contentType ?? FORM,
    'X-Slack-Request-Timestamp': timestamp,
    // A timestamp that is not a number is refused before the signature is looked at.
    'X-Slack-Signature': slackSignature(options.secret ?? SIGNING_SECRET, Number(timestamp), body),
  };
}

const COMMAND = slashCommandForm({ text: '7d' });

describe('Function: verifySlackRequest', () => {
  const verify = (headers: RequestHeaders, body = COMMAND) =>
    verifySlackRequest({ signingSecret: SIGNING_SECRET, headers, body, nowMs: NOW_MS });

  const timestamps: { what: string; timestamp: string; ok: boolean }[] = [
    { what: 'now', timestamp: String(NOW), ok: true },
    { what: '5 minutes ago exactly', timestamp: String(NOW - MAX_CLOCK_SKEW_SECONDS), ok: true },
    { what: '5 minutes ahead exactly', timestamp: String(NOW + MAX_CLOCK_SKEW_SECONDS), ok: true },
    { what: '301 s ago', timestamp: String(NOW - 301), ok: false },
    { what: '301 s ahead', timestamp: String(NOW + 301), ok: false },
    { what: '10 minutes ahead', timestamp: String(NOW + 600), ok: false },
    { what: 'a year ahead', timestamp: String(NOW + 365 * 86_400), ok: false },
    { what: 'milliseconds', timestamp: String(NOW_MS), ok: false },
    { what: 'zero', timestamp: '0', ok: false },
    { what: 'negative', timestamp: String(-NOW), ok: false },
    { what: 'a fraction', timestamp: `${NOW}.5`, ok: false },
    { what: 'an exponent', timestamp: '1.764e9', ok: false },
    { what: 'words', timestamp: 'soon', ok: false },
    { what: 'padded with spaces', timestamp: ` ${NOW} `, ok: false },
    { what: 'empty', timestamp: '', ok: false },
  ];
  for (const { what, timestamp, ok } of timestamps) {
    it(`${ok ? 'accepts' : 'refuses (401)'} a timestamp ${what}`, () => {
      // Act
      const verdict = verify(signed(COMMAND, timestamp));
      // Assess
      assert.deepEqual(verdict.ok ? 200 : verdict.status, ok ? 200 : 401);
    });
  }

  const right = signed(COMMAND, String(NOW));
  const signatures: { what: string; headers: RequestHeaders; body?: string }[] = [
    { what: 'another secret', headers: signed(COMMAND, String(NOW), { secret: 'other' }) },
    { what: 'no signature', headers: { ...right, 'X-Slack-Signature': undefined } },
    { what: 'no timestamp', headers: { ...right, 'X-Slack-Request-Timestamp': undefined } },
    { what: 'an empty signature', headers: { ...right, 'X-Slack-Signature': '' } },
    {
      what: 'v1= for v0=',
      headers: { ...right, 'X-Slack-Signature': right['X-Slack-Signature']?.replace('v0', 'v1') },
    },
    {
      what: 'the signature in upper case',
      headers: {
        ...right,
        'X-Slack-Signature': `v0=${right['X-Slack-Signature']?.slice(3).toUpperCase()}`,
      },
    },
    {
      what: 'the signature cut short',
      headers: { ...right, 'X-Slack-Signature': right['X-Slack-Signature']?.slice(0, 40) },
    },
    {
      what: 'the signature sent twice',
      headers: {
        ...right,
        'X-Slack-Signature': [right['X-Slack-Signature'] ?? '', right['X-Slack-Signature'] ?? ''],
      },
    },
    { what: 'a tampered body', headers: right, body: slashCommandForm({ text: '30d' }) },
  ];
  for (const { what, headers, body } of signatures) {
    it(`refuses (401) ${what}`, () => {
      // Act
      const verdict = verify(headers, body);
      // Assess
      assert.deepEqual(verdict.ok ? 200 : verdict.status, 401);
    });
  }

  const bodies: { what: string; body: string; contentType?: string; status: number }[] = [
    { what: 'a slash command', body: COMMAND, status: 200 },
    {
      what: 'a click',
      body: interactionForm(refreshPayload({ value: 'k', responseUrl: 'https://x.test/r' })),
      status: 200,
    },
    {
      what: 'an Events API event',
      body: '{"type":"url_verification"}',
      contentType: 'application/json',
      status: 200,
    },
    { what: 'an SSL check', body: 'ssl_check=1&token=t', status: 200 },
    { what: 'an empty form', body: '', status: 400 },
    {
      what: 'a command without user, team or response_url',
      body: 'command=%2Faws-cost&text=7d',
      status: 400,
    },
    { what: 'a payload that is not JSON', body: 'payload=%7Bnot-json', status: 400 },
    { what: 'a payload that is JSON null', body: 'payload=null', status: 400 },
    { what: 'a payload that is an array', body: 'payload=%5B%5D', status: 400 },
    { what: 'two payloads', body: 'payload=%7B%7D&payload=%7B%7D', status: 400 },
    {
      what: 'block_actions without actions',
      body: interactionForm({ type: 'block_actions', user: { id: 'U1' } }),
      status: 400,
    },
    {
      what: 'an interaction without a user',
      body: interactionForm({ type: 'shortcut' }),
      status: 400,
    },
    {
      what: 'JSON that is not an event',
      body: '{"hello":"world"}',
      contentType: 'application/json',
      status: 400,
    },
    {
      what: 'JSON that does not parse',
      body: '{"type":',
      contentType: 'application/json',
      status: 400,
    },
    { what: 'text/plain', body: COMMAND, contentType: 'text/plain', status: 415 },
    {
      what: 'a form with a charset parameter',
      body: COMMAND,
      contentType: `${FORM}; charset=utf-8`,
      status: 415,
    },
    {
      what: `more than ${MAX_BODY_BYTES} bytes`,
      body: `${COMMAND}&x=${'a'.repeat(MAX_BODY_BYTES)}`,
      status: 413,
    },
  ];
  for (const { what, body, contentType, status } of bodies) {
    it(`answers ${status} for ${what}, signed`, () => {
      // Act
      const verdict = verify(signed(body, String(NOW), contentType ? { contentType } : {}), body);
      // Assess
      assert.equal(verdict.ok ? 200 : verdict.status, status);
    });
  }
});

/** One way of sending a request to a running bot, and what it started. */
interface Target {
  send(body: string, headers: Record<string, string>): Promise<{ status: number; body: string }>;
  starter: RecordingStarter;
}

/** The timestamp cases every receiver must refuse or accept, at the real clock. */
function describeTimestamps(name: string, target: () => Target) {
  const cases: { what: string; offset: number; accepted: boolean }[] = [
    { what: 'now', offset: 0, accepted: true },
    { what: '4 minutes in the future', offset: 240, accepted: true },
    { what: '6 minutes in the future', offset: 360, accepted: false },
    { what: 'a day in the future', offset: 86_400, accepted: false },
    { what: '6 minutes in the past', offset: -360, accepted: false },
  ];
  for (const { what, offset, accepted } of cases) {
    it(`${name}: ${accepted ? 'acks' : 'refuses (401)'} a command stamped ${what}`, async () => {
      // Prepare
      const t = target();
      const body = slashCommandForm({ text: '7d', triggerId: `ts-${name}-${offset}` });
      const stamp = String(Math.floor(Date.now() / 1000) + offset);

      // Act
      const answer = await t.send(body, signed(body, stamp));
      await settle();

      // Assess
      assert.equal(answer.status, accepted ? 200 : 401);
      assert.equal(t.starter.calls.length, accepted ? 1 : 0);
    });
  }

  it(`${name}: answers 400 for a signed payload that is not JSON, starting nothing`, async () => {
    // Prepare
    const t = target();
    const body = 'payload=%7Bnot-json';

    // Act
    const answer = await t.send(body, signed(body, String(Math.floor(Date.now() / 1000))));

    // Assess
    assert.equal(answer.status, 400);
    assert.equal(answer.body, '');
    assert.equal(t.starter.calls.length, 0);
  });
}

describe('Receiver: AwsLambdaReceiver behind guardLambda', () => {
  let handler: Handler;
  let starter: RecordingStarter;
  before(async () => {
    ({ handler, starter } = await startLambdaBot({}));
  });
  beforeEach(() => starter.reset());

  const send = async (body: string, headers: Record<string, string>, base64 = false) => {
    const result = await handler(functionUrlEvent(body, headers, base64), {});
    return { status: result.statusCode, body: result.body };
  };
  describeTimestamps('Lambda', () => ({ send, starter }));

  const events: { what: string; event: () => unknown; status: number }[] = [
    { what: 'null', event: () => null, status: 400 },
    { what: 'an empty object', event: () => ({}), status: 400 },
    { what: 'a scheduler event', event: () => ({ request: { kind: 'digest' } }), status: 400 },
    {
      what: 'an HTTP event without headers',
      event: () => ({ version: '2.0', body: COMMAND, isBase64Encoded: false }),
      status: 400,
    },
    {
      what: 'an unsigned command',
      event: () => functionUrlEvent(COMMAND, { 'content-type': FORM }, false),
      status: 401,
    },
    {
      what: 'a base64 flag on text that is not base64',
      event: () => {
        const e = functionUrlEvent(
          COMMAND,
          signed(COMMAND, String(Math.floor(Date.now() / 1000))),
          false,
        );
        return { ...(e as object), body: '%%%not-base64%%%', isBase64Encoded: true };
      },
      status: 400,
    },
    {
      what: 'no body at all',
      event: () => {
        const { body: _, ...e } = functionUrlEvent('', { 'content-type': FORM }, false) as {
          body: string;
        };
        return e;
      },
      status: 401,
    },
    {
      what: '1 MB of base64 garbage',
      event: () => functionUrlEvent('x'.repeat(1024 * 1024), { 'content-type': FORM }, true),
      status: 413,
    },
  ];
  for (const { what, event, status } of events) {
    it(`answers ${status} for ${what}, without throwing, starting nothing`, async () => {
      // Act
      const result = await handler(event() as Parameters<Handler>[0], {});

      // Assess
      assert.equal(result.statusCode, status);
      assert.equal(result.body, '');
      assert.equal(starter.calls.length, 0);
    });
  }

  it('acks a signed command sent base64-encoded (the refusals above can fail)', async () => {
    // Prepare
    const body = slashCommandForm({ text: '7d', triggerId: 'b64-ok' });

    // Act
    const answer = await send(body, signed(body, String(Math.floor(Date.now() / 1000))), true);

    // Assess
    assert.equal(answer.status, 200);
    assert.equal(starter.calls.length, 1);
  });
});

describe('Receiver: ExpressReceiver behind guardHttp (over HTTP)', () => {
  let bot: RunningBot;
  let starter: RecordingStarter;
  before(async () => {
    bot = await startHttpBot();
    ({ starter } = bot);
  });
  after(() => bot.close());
  beforeEach(() => starter.reset());

  const send = async (body: string, headers: Record<string, string>) => {
    const res = await fetch(bot.events, { method: 'POST', headers, body });
    return { status: res.status, body: await res.text() };
  };
  describeTimestamps('HTTP', () => ({ send, starter }));

  it('answers 413 for a 1 MB body and starts nothing', async () => {
    // Prepare
    const body = `${COMMAND}&x=${'a'.repeat(1024 * 1024)}`;

    // Act
    const answer = await send(body, signed(body, String(Math.floor(Date.now() / 1000))));

    // Assess
    assert.equal(answer.status, 413);
    assert.equal(starter.calls.length, 0);
  });
});
