/**
 * The deployed bot for attacks: `bot/lambda.ts` imported as Lambda imports it, reading its
 * secrets from SSM and starting executions on Step Functions (a one-state machine), both
 * moto_server, with Slack's Web API and replies on a loopback sink. The module reads its
 * settings once, at import: one per test process.
 */
import { CreateStateMachineCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { type ResponseSink, startResponseSink } from '../bot/support.ts';
import { type MotoServer, motoEnv, startMoto } from '../support/moto.ts';
import type { Answer } from './slack-requests.ts';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body?: string }>;

/** How the SDK clients of a test reach moto_server. */
export interface MotoClientConfig {
  endpoint: string;
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export interface DeployedBot {
  moto: MotoServer;
  sink: ResponseSink;
  clientConfig: MotoClientConfig;
  sfn: SFNClient;
  stateMachineArn: string;
  /** Hands `event` to the handler as Lambda would. */
  send(event: unknown): Promise<Answer>;
  /** Names of the executions started so far. */
  started(): Promise<string[]>;
  /** Restores the environment, stops the sink and moto_server. */
  stop(): Promise<void>;
}

/**
 * Starts moto_server, stores the secrets (`secret` signs Slack's requests), creates the state
 * machine, then imports `bot/lambda.ts` with `env` on top; null without moto_server.
 * `prepare` runs before the import, with the clients' settings and the machine's ARN, and
 * returns more settings (what the deploy would have created for the bot).
 */
export async function startDeployedBot(options: {
  secret: string;
  env: Record<string, string>;
  prepare?: (
    clientConfig: MotoClientConfig,
    stateMachineArn: string,
  ) => Promise<Record<string, string>>;
}): Promise<DeployedBot | null> {
  const moto = await startMoto();
  if (!moto) return null;
  const saved = { ...process.env };
  const sink = await startResponseSink();
  const env = motoEnv(moto);
  const clientConfig: MotoClientConfig = {
    endpoint: moto.endpoint,
    region: env.AWS_REGION ?? 'us-east-1',
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  };
  const ssm = new SSMClient(clientConfig);
  const parameters: Record<string, string> = {
    '/costbot/slack/bot-token': 'xoxb-lambda-attack-token',
    '/costbot/slack/signing-secret': options.secret,
    '/costbot/signer/access-key-id': 'AKIAIOSFODNN7EXAMPLE',
    '/costbot/signer/secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  for (const [Name, Value] of Object.entries(parameters)) {
    await ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }));
  }
  const sfn = new SFNClient(clientConfig);
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
  const stateMachineArn = created.stateMachineArn ?? '';
  const more = (await options.prepare?.(clientConfig, stateMachineArn)) ?? {};
  Object.assign(process.env, env, options.env, more, {
    COSTBOT_BACKEND: 'aws',
    COSTBOT_STATE_MACHINE_ARN: stateMachineArn,
    SLACK_API_URL: `${sink.url}/api/`,
    LOG_LEVEL: 'error',
  });
  delete process.env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT;
  delete process.env.AWS_SESSION_TOKEN;
  const { handler } = (await import('../../bot/lambda.ts')) as unknown as { handler: Handler };
  return {
    moto,
    sink,
    clientConfig,
    sfn,
    stateMachineArn,
    async send(event) {
      const result = await handler(event, {
        awsRequestId: 'attack',
        functionName: 'costbot-bot',
        getRemainingTimeInMillis: () => 10_000,
      });
      return { status: result.statusCode, body: result.body ?? '' };
    },
    async started() {
      const out = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
      return (out.executions ?? []).map((e) => e.name ?? '');
    },
    async stop() {
      process.env = saved;
      await sink.close();
      await moto.stop();
    },
  };
}
