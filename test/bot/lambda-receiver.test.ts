/**
 * The bot behind Bolt's AwsLambdaReceiver, driven in-process with the events Lambda hands a
 * handler: a Function URL request (payload 2.0) and an API Gateway REST request (1.0).
 * Then `bot/lambda.ts` itself, with SSM and Step Functions stubbed.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { slackRequestId } from '../../bot/starter.ts';
import { signedHeaders } from '../../local/console/signing.ts';
import {
  CHART_KEY,
  functionUrlEvent,
  type Handler,
  interactionForm,
  type LambdaBot,
  type LambdaEvent,
  type LambdaResult,
  type RecordingStarter,
  type ResponseSink,
  refreshPayload,
  restApiEvent,
  SIGNING_SECRET,
  slashCommandForm,
  startLambdaBot,
  startResponseSink,
} from './support.ts';

function bodyJson(result: LambdaResult): unknown {
  return JSON.parse(result.body);
}

const WORKING = { response_type: 'ephemeral', text: 'Working on it…' };

describe('Bot over AwsLambdaReceiver', () => {
  let bot: LambdaBot;
  let handler: Handler;
  let starter: RecordingStarter;
  let signed: LambdaBot['signed'];
  let sink: ResponseSink;

  before(async () => {
    sink = await startResponseSink();
    // Slack's Web API is the sink: a call to it (auth.test) would show up there.
    bot = await startLambdaBot({ SLACK_API_URL: `${sink.url}/api/` });
    ({ handler, starter, signed } = bot);
  });
  after(() => sink.close());
  beforeEach(() => {
    starter.reset();
    signed.length = 0;
    sink.posts.length = 0;
  });

  for (const base64 of [false, true]) {
    it(`Function URL (${base64 ? 'base64' : 'plain'} body): 200, ack, one start before the response`, async () => {
      // Prepare
      const triggerId = `1700000000123.1.furl-${base64}`;
      const body = slashCommandForm({ text: '7d', triggerId });
      const event = functionUrlEvent(body, signedHeaders(SIGNING_SECRET, body), base64);

      // Act
      const result = await handler(event, {});

      // Assess
      assert.equal(result.statusCode, 200);
      assert.deepEqual(result.headers, { 'Content-Type': 'application/json' });
      assert.deepEqual(bodyJson(result), WORKING);
      // On Lambda the start must be done when the handler returns: the sandbox then freezes.
      assert.equal(starter.calls.length, 1);
      assert.equal(
        starter.calls[0]?.request.requestId,
        slackRequestId('command', 'T0TEAM01', triggerId),
      );
      assert.equal(starter.calls[0]?.request.period, '7d');
      assert.deepEqual(sink.posts, [], 'no Slack Web API call');
    });

    it(`Function URL (${base64 ? 'base64' : 'plain'} body): 401 for a bad signature, no start`, async () => {
      // Prepare
      const body = slashCommandForm({ text: '7d' });
      const event = functionUrlEvent(body, signedHeaders('wrong-secret', body), base64);

      // Act
      const result = await handler(event, {});

      // Assess
      assert.equal(result.statusCode, 401);
      assert.equal(result.body, '');
      assert.equal(starter.calls.length, 0);
    });
  }

  for (const base64 of [false, true]) {
    it(`API Gateway REST (${base64 ? 'base64' : 'plain'} body): 200, ack, one start`, async () => {
      // Prepare
      const triggerId = `1700000000123.1.rest-${base64}`;
      const body = slashCommandForm({ text: '30d', triggerId, channelId: 'C0REST001' });
      const event = restApiEvent(body, signedHeaders(SIGNING_SECRET, body), base64);

      // Act
      const result = await handler(event, {});

      // Assess
      assert.equal(result.statusCode, 200);
      assert.deepEqual(bodyJson(result), WORKING);
      assert.equal(starter.calls.length, 1);
      assert.equal(starter.calls[0]?.request.channel, 'C0REST001');
      assert.equal(starter.calls[0]?.request.period, '30d');
    });
  }

  const refusals: { what: string; event: () => LambdaEvent }[] = [
    {
      what: 'REST, wrong secret',
      event: () => {
        const body = slashCommandForm({ text: '7d' });
        return restApiEvent(body, signedHeaders('wrong-secret', body));
      },
    },
    {
      what: 'REST, a timestamp six minutes old',
      event: () => {
        const body = slashCommandForm({ text: '7d' });
        const old = new Date(Date.now() - 6 * 60 * 1000);
        return restApiEvent(body, signedHeaders(SIGNING_SECRET, body, old));
      },
    },
    {
      what: 'Function URL, a tampered body (signed 7d, sent 30d)',
      event: () => {
        const signedFor = slashCommandForm({ text: '7d' });
        return functionUrlEvent(
          slashCommandForm({ text: '30d' }),
          signedHeaders(SIGNING_SECRET, signedFor),
          true,
        );
      },
    },
    {
      what: 'Function URL, no signature header',
      event: () => {
        const body = slashCommandForm({ text: '7d' });
        const { 'X-Slack-Signature': _, ...headers } = signedHeaders(SIGNING_SECRET, body);
        return functionUrlEvent(body, headers, false);
      },
    },
  ];
  for (const { what, event } of refusals) {
    it(`401 and no start: ${what}`, async () => {
      // Act
      const result = await handler(event(), {});

      // Assess
      assert.equal(result.statusCode, 401);
      assert.equal(starter.calls.length, 0);
    });
  }

  it('"Refresh link" through a Function URL: empty 200, message replaced before returning', async () => {
    // Prepare
    const body = interactionForm(
      refreshPayload({ value: CHART_KEY, responseUrl: `${sink.url}/r/lambda` }),
    );
    const event = functionUrlEvent(body, signedHeaders(SIGNING_SECRET, body), true);

    // Act
    const result = await handler(event, {});

    // Assess
    assert.equal(result.statusCode, 200);
    assert.equal(result.body, '');
    assert.deepEqual(signed, [{ bucket: 'costbot-charts', key: CHART_KEY }]);
    assert.deepEqual(
      sink.posts.map((p) => p.path),
      ['/r/lambda'],
    );
    assert.equal(sink.posts[0]?.body.replace_original, true);
  });
});

describe('bot/lambda.ts (the deployed entry), SSM and Step Functions stubbed', () => {
  const ssm = mockClient(SSMClient);
  const sfn = mockClient(SFNClient);
  const s3 = mockClient(S3Client);
  const cloudwatch = mockClient(CloudWatchClient);
  const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:costbot-report';
  const LAMBDA_SECRET = 'lambda-signing-secret-abcdef0123456789';
  let handler: Handler;
  let sink: ResponseSink;

  before(async () => {
    sink = await startResponseSink();
    ssm.on(GetParametersCommand).callsFake((input: { Names: string[] }) => ({
      Parameters: input.Names.map((Name) => ({
        Name,
        Value: Name.endsWith('signing-secret') ? LAMBDA_SECRET : 'xoxb-lambda-bot-token',
      })),
      InvalidParameters: [],
    }));
    sfn.on(StartExecutionCommand).resolves({
      executionArn: 'arn:aws:states:us-east-1:123456789012:execution:costbot-report:x',
      startDate: new Date(),
    });
    Object.assign(process.env, {
      COSTBOT_BACKEND: 'aws',
      COSTBOT_STATE_MACHINE_ARN: ARN,
      SLACK_API_URL: `${sink.url}/api/`,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      LOG_LEVEL: 'error',
    });
    delete process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT;
    ({ handler } = (await import('../../bot/lambda.ts')) as { handler: Handler });
  });
  after(async () => {
    await sink.close();
    ssm.restore();
    sfn.restore();
    s3.restore();
    cloudwatch.restore();
  });

  it('reads the Slack secrets once, at init', () => {
    // Assess
    const reads = ssm.commandCalls(GetParametersCommand);
    assert.equal(reads.length, 1);
    assert.deepEqual(reads[0]?.args[0].input, {
      Names: ['/costbot/slack/bot-token', '/costbot/slack/signing-secret'],
      WithDecryption: true,
    });
  });

  it('acks a signed command and starts the named execution: no SSM, S3, CloudWatch or Slack call', async () => {
    // Prepare
    const triggerId = '1700000000123.1.deployed';
    const body = slashCommandForm({ text: 'mtd', triggerId });
    const event = functionUrlEvent(body, signedHeaders(LAMBDA_SECRET, body), true);

    // Act
    const result = await handler(event, {});

    // Assess
    assert.equal(result.statusCode, 200);
    assert.deepEqual(bodyJson(result), WORKING);
    const starts = sfn.commandCalls(StartExecutionCommand);
    assert.equal(starts.length, 1);
    const input = starts[0]?.args[0].input;
    assert.equal(input?.stateMachineArn, ARN);
    assert.equal(input?.name, slackRequestId('command', 'T0TEAM01', triggerId));
    assert.equal(
      (JSON.parse(input?.input ?? '{}') as { request?: { period?: string } }).request?.period,
      'mtd',
    );
    assert.equal(ssm.calls().length, 1, 'only the init read');
    assert.equal(s3.calls().length, 0);
    assert.equal(cloudwatch.calls().length, 0);
    assert.deepEqual(sink.posts, [], 'no Slack Web API call');
  });

  it('refuses a request signed with another secret: 401, no execution', async () => {
    // Prepare
    const body = slashCommandForm({ text: 'mtd', triggerId: '1700000000123.1.forged' });
    const event = functionUrlEvent(body, signedHeaders(SIGNING_SECRET, body), true);
    const before = sfn.commandCalls(StartExecutionCommand).length;

    // Act
    const result = await handler(event, {});

    // Assess
    assert.equal(result.statusCode, 401);
    assert.equal(sfn.commandCalls(StartExecutionCommand).length, before);
  });
});
