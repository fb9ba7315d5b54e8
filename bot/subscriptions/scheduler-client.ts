/**
 * The bot's subscription store on the `aws` backend: EventBridge Scheduler through a client
 * bounded for the ack path. The subscription commands answer in their ack, and on Lambda the
 * ack leaves only when the listener is done, within Slack's 3 s: Scheduler answers in tens of
 * milliseconds, so each call gets {@link SCHEDULER_TIMEOUT_MS} and one attempt, and a hung
 * endpoint fails the command (explained to the person) instead of holding the function.
 *
 * @example
 * const subscriptions = schedulerStoreFromConfig(config, process.env); // undefined: not set up
 */
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import {
  awsEnvironment,
  CHANNEL_SUBSCRIPTIONS_CAP,
  type CostbotConfig,
} from '../../common/config.ts';
import { ConfigError } from '../../common/errors.ts';
import { SchedulerStore } from './scheduler-store.ts';

type Env = Record<string, string | undefined>;

/** Connection and response limit of each Scheduler call. */
export const SCHEDULER_TIMEOUT_MS = 1_000;

/**
 * A SchedulerStore for the deployed state machine, or undefined when the deployment has no
 * scheduler role or state machine (the commands then say subscriptions are not available).
 * The region is explicit (Lambda's `AWS_REGION`): schedules live next to the state machine.
 */
export function schedulerStoreFromConfig(
  config: CostbotConfig,
  env: Env,
): SchedulerStore | undefined {
  const { stateMachineArn, schedulerRoleArn } = config;
  if (!stateMachineArn || !schedulerRoleArn) return undefined;
  const aws = awsEnvironment(env);
  const region = aws.region ?? aws.defaultRegion;
  if (!region) {
    throw new ConfigError(
      'AWS_REGION',
      'is required to manage subscriptions (EventBridge Scheduler).',
    );
  }
  const client = new SchedulerClient({
    region,
    maxAttempts: 1,
    requestHandler: {
      connectionTimeout: SCHEDULER_TIMEOUT_MS,
      requestTimeout: SCHEDULER_TIMEOUT_MS,
    },
  });
  return new SchedulerStore(client, {
    stateMachineArn,
    roleArn: schedulerRoleArn,
    maxPerChannel: CHANNEL_SUBSCRIPTIONS_CAP,
  });
}
