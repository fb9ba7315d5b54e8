/**
 * Attacks on the deployed bot: `bot/lambda.ts` itself, imported as Lambda imports it
 * (`lambda-bot.ts`), reading its secrets from SSM and starting executions on Step Functions, both moto_server. Requests
 * arrive as Function URL (payload 2.0) events; replies to a loopback `response_url`.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { functionUrlEvent as functionUrlRequest, settle } from '../bot/support.ts';
import {
  ALLOWED_CHANNEL,
  ALLOWED_USER,
  BOT_REPLY_FAULT,
  GOOD_CHART_KEY,
  LAMBDA_BODY_CASES,
  LAMBDA_EVENT_CASES,
} from './cases.ts';
import { type DeployedBot, startDeployedBot } from './lambda-bot.ts';
import {
  type Answer,
  clickBody,
  describeSlackRequestAttacks,
  headersFor,
  type Target,
} from './slack-requests.ts';

const SECRET = 'lambda-attack-signing-secret-0123456789';

/** A Function URL event (payload 2.0) as Lambda hands it over; without `body` when undefined. */
function functionUrlEvent(
  body: string | undefined,
  headers: Record<string, string>,
  base64 = false,
) {
  const event = functionUrlRequest(body ?? '', headers, base64) as unknown as Record<
    string,
    unknown
  >;
  if (body !== undefined) return event;
  const { body: _, isBase64Encoded: __, ...rest } = event;
  const { 'content-length': ___, ...otherHeaders } = rest.headers as Record<string, string>;
  return { ...rest, headers: otherHeaders };
}

describe('Attacks: bot/lambda.ts on moto_server (SSM, Step Functions)', () => {
  let bot: DeployedBot | null;

  before(async () => {
    bot = await startDeployedBot({
      secret: SECRET,
      env: { COSTBOT_ALLOWED_USERS: ALLOWED_USER, COSTBOT_ALLOWED_CHANNELS: ALLOWED_CHANNEL },
    });
  });

  after(async () => {
    await bot?.stop();
  });

  function deployed(): DeployedBot {
    if (!bot) throw new Error('moto_server is required for these attacks');
    return bot;
  }

  const send = (event: unknown) => deployed().send(event);
  const started = () => deployed().started();

  const target = (): Target => ({
    secret: SECRET,
    sink: deployed().sink,
    send: (body, headers) => send(functionUrlEvent(body, headers)),
    started,
    settle: () => settle(50),
  });

  describeSlackRequestAttacks(it, target);

  for (const c of LAMBDA_BODY_CASES) {
    it(`body ${c.label}: refused, no throw, nothing started`, async () => {
      // Prepare
      const headers = {
        ...(c.signed && c.body !== undefined ? headersFor(SECRET, c.body) : {}),
        'content-type': c.contentType ?? 'application/x-www-form-urlencoded',
      };
      const event = functionUrlEvent(c.body, headers, c.base64 ?? false);
      const before = (await started()).length;

      // Act
      const answer = await send(event).catch((error: unknown) => ({
        status: -1,
        body: String(error),
      }));

      // Assess
      const refused =
        (answer.status >= 400 && answer.status < 500) ||
        (c.refusalOk === true && answer.status === 200 && /ephemeral/.test(answer.body));
      assert.ok(refused, `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`);
      assert.equal((await started()).length, before, 'nothing started');
    });
  }

  it(`${BOT_REPLY_FAULT.tried}: ${BOT_REPLY_FAULT.expected}`, async () => {
    // Prepare: a response_url that takes the request and never answers.
    let attempts = 0;
    const hanging = createServer(() => {
      attempts += 1;
    });
    await new Promise<void>((resolve) => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    const body = clickBody({
      actionId: 'refresh_link',
      value: GOOD_CHART_KEY,
      responseUrl: `http://127.0.0.1:${port}/hang`,
    });

    // Act
    const started = performance.now();
    const answer = await Promise.race([
      send(functionUrlEvent(body, headersFor(SECRET, body))),
      new Promise<Answer>((resolve) =>
        setTimeout(() => resolve({ status: 0, body: 'no answer in 15 s' }), 15_000).unref(),
      ),
    ]);
    const ms = performance.now() - started;
    hanging.closeAllConnections();
    await new Promise((resolve) => hanging.close(resolve));

    // Assess: the function (10 s) must not time out; a URL that did not answer is not tried again.
    assert.ok(answer.status > 0, answer.body);
    assert.ok(ms < 8000, `answered after ${Math.round(ms)} ms (HTTP ${answer.status})`);
    assert.equal(attempts, 1, 'the dead response_url tried once');
  });

  for (const c of LAMBDA_EVENT_CASES) {
    it(`event ${c.label}: 4xx, no throw, nothing started`, async () => {
      // Prepare
      const before = (await started()).length;

      // Act
      const answer = await send(c.event).catch((error: unknown) => ({
        status: -1,
        body: String(error),
      }));

      // Assess
      assert.ok(
        answer.status >= 400 && answer.status < 500,
        `HTTP ${answer.status}: ${answer.body.slice(0, 200)}`,
      );
      assert.equal((await started()).length, before, 'nothing started');
    });
  }
});
