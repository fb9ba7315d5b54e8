/**
 * Lambda entry of the bot, behind a Function URL. Secrets are read during the init phase
 * (top-level await), so a request only verifies Slack's signature (`request-guard.ts`), acks,
 * and starts one execution: no SSM, CloudWatch or S3 call on the ack path. The subscription
 * commands are the exception: they read or change EventBridge Scheduler schedules before
 * their ack, each call bounded (`subscriptions/scheduler-client.ts`).
 */
import { SFNClient } from '@aws-sdk/client-sfn';
import { AwsLambdaReceiver } from '@slack/bolt';
import { loadConfig } from '../common/config.ts';
import { ConfigError } from '../common/errors.ts';
import { createLinkSigner, signDepsFromConfig } from '../common/link-signer.ts';
import { createLogger, withLambdaContext } from '../common/log.ts';
import { awsParameterReader } from '../common/parameters.ts';
import { awsDoctorDeps, botDoctorDeps } from '../doctor/deps.ts';
import { createBotApp } from './app.ts';
import { guardLambda } from './request-guard.ts';
import { loadSlackSecrets } from './secrets.ts';
import { StepFunctionsStarter } from './starter.ts';
import { schedulerStoreFromConfig } from './subscriptions/scheduler-client.ts';

const config = loadConfig();
if (!config.stateMachineArn) {
  throw new ConfigError('COSTBOT_STATE_MACHINE_ARN', 'is required for the bot on Lambda.');
}
const log = createLogger({ component: 'bot' }, { level: config.logLevel });
const parameters = awsParameterReader(config, process.env);
const secrets = await loadSlackSecrets(config, parameters);
const receiver = new AwsLambdaReceiver({ signingSecret: secrets.signingSecret });
const subscriptions = schedulerStoreFromConfig(config, process.env);

createBotApp(
  {
    config,
    starter: new StepFunctionsStarter(new SFNClient({}), config.stateMachineArn),
    signLink: createLinkSigner(signDepsFromConfig(config, process.env, parameters)),
    log,
    doctor: (slack) => botDoctorDeps(awsDoctorDeps(config, process.env), slack),
    ...(subscriptions ? { subscriptions } : {}),
  },
  secrets,
  { receiver },
);

// Every request is verified (signature, timestamp both ways, body shape) before Bolt parses it.
export const handler = withLambdaContext(
  log,
  guardLambda(await receiver.start(), {
    signingSecret: secrets.signingSecret,
    onRefused: (refusal) =>
      log.warn('request refused', { status: refusal.status, reason: refusal.reason }),
  }),
);
