/**
 * Attacks on the deployed bot: `bot/lambda.ts` itself, imported as Lambda imports it, reading
 * its secrets from SSM and starting executions on Step Functions, both moto_server. Requests
 * arrive as Function URL (payload 2.0) events; replies to a loopback `response_url`.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import {
  functionUrlEvent as functionUrlRequest,
  type ResponseSink,
  settle,
  startResponseSink,
} from '../bot/support.ts';
import { type MotoServer, motoEnv, startMoto } from '../support/moto.ts';
import {
  ALLOWED_CHANNEL,
  ALLOWED_USER,
  BOT_REPLY_FAULT,
  GOOD_CHART_KEY,
  LAMBDA_BODY_CASES,
  LAMBDA_EVENT_CASES,
} from './cases.ts';
import {
  type Answer,
  clickBody,
  describeSlackRequestAttacks,
  headersFor,
  type Target,
} from './slack-requests.ts';

const SECRET = 'lambda-attack-signing-secret-0123456789';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;

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
  let moto: MotoServer | null;
  let sink: ResponseSink;
  let handler: Handler;
  let sfn: SFNClient;
  let stateMachineArn = '';
  const saved = { ...process.env };

  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    sink = await startResponseSink();
    const env = motoEnv(moto);
    const clientConfig = {
      endpoint: moto.endpoint,
      region: env.AWS_REGION,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    const ssm = new SSMClient(clientConfig);
    const parameters: Record<string, string> = {
      '/costbot/slack/bot-token': 'xoxb-lambda-attack-token',
      '/costbot/slack/signing-secret': SECRET,
      '/costbot/signer/access-key-id': 'AKIAIOSFODNN7EXAMPLE',
      '/costbot/signer/secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    };
    for (const [Name, Value] of Object.entries(parameters)) {
      await ssm.send(
        new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }),
      );
    }
    sfn = new SFNClient(clientConfig);
    const created = await sfn.send(
      new CreateStateMachineCommand({
        name: 'costbot-report',
        roleArn: 'arn:aws:iam::123456789012:role/costbot-state-machine',
        definition: JSON.stringify({
          StartAt: 'Done',
          States: { Done: { Type: 'Pass', End: true } },
        }),
      }),
    );
    stateMachineArn = created.stateMachineArn ?? '';
    Object.assign(process.env, env, {
      COSTBOT_BACKEND: 'aws',
      COSTBOT_STATE_MACHINE_ARN: stateMachineArn,
      COSTBOT_ALLOWED_USERS: ALLOWED_USER,
      COSTBOT_ALLOWED_CHANNELS: ALLOWED_CHANNEL,
      SLACK_API_URL: `${sink.url}/api/`,
      LOG_LEVEL: 'error',
    });
    delete process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT;
    delete process.env.AWS_SESSION_TOKEN;
    ({ handler } = (await import('../../bot/lambda.ts')) as unknown as { handler: Handler });
  });

  after(async () => {
    process.env = saved;
    await sink?.close();
    await moto?.stop();
  });

  async function send(event: unknown): Promise<Answer> {
    const result = await handler(event, {
      awsRequestId: 'attack',
      functionName: 'costbot-bot',
      getRemainingTimeInMillis: () => 10_000,
    });
    return { status: result.statusCode, body: result.body ?? '' };
  }

  async function started(): Promise<string[]> {
    const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    return (out.executions ?? []).map((e) => e.name ?? '');
  }

  const target = (): Target => {
    if (!moto) throw new Error('moto_server is required for these attacks');
    return {
      secret: SECRET,
      sink,
      send: (body, headers) => send(functionUrlEvent(body, headers)),
      started,
      settle: () => settle(50),
    };
  };

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
