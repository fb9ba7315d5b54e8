/**
 * The Slack bot: one function behind a Function URL. Auth is NONE because Slack cannot sign
 * requests with SigV4; it signs them with the app's signing secret instead, and the bot
 * verifies that signature (Bolt) before doing anything. The role may start this state machine,
 * read the two Slack parameters and the signer's two (the "Refresh link" button re-signs a
 * chart link in the bot), and manage the schedules of the `costbot` group (subscriptions),
 * nothing else: the report's work happens in the state machine.
 */
import { Duration } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import type { Architecture, FunctionUrl, IFunction } from 'aws-cdk-lib/aws-lambda';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { SETTINGS } from '../../common/config.ts';
import { botBundleEsbuildArgs } from '../bot-bundle.ts';
import { REPO_ROOT } from '../paths.ts';
import { CostbotFunction } from './costbot-function.ts';
import type { CostbotParameters } from './parameters.ts';
import { acknowledgeKmsKeyWildcard } from './report-functions.ts';
import type { Subscriptions } from './subscriptions.ts';

/** Environment variable telling the bot which state machine to start. */
export const STATE_MACHINE_ARN_ENV = 'COSTBOT_STATE_MACHINE_ARN' satisfies keyof typeof SETTINGS;

export interface SlackBotProps {
  /** Absolute path of the bot's Lambda entry (exports `handler`). */
  entry: string;
  stateMachine: IStateMachine;
  parameters: CostbotParameters;
  /** Where the bot creates, lists and removes subscriptions. */
  subscriptions: Subscriptions;
  /**
   * Messages carry stable links (CDK context `stableLinks`): no message has a "Refresh link"
   * button, so the bot needs no signer key and its role may not read one.
   */
  stableLinks: boolean;
  /** IANA time zone of a subscription that names none (the digest's). */
  timeZone: string;
  environment: Record<string, string>;
  /** Channel ids allowed to use `/aws-cost`; empty: all. */
  allowedChannels: string[];
  /** User ids allowed to use `/aws-cost`; empty: all. */
  allowedUsers: string[];
  /** User ids who may subscribe, unsubscribe and remove subscriptions; empty: all. */
  adminUsers: string[];
  /** Subscriptions a channel, and all channels, may have. */
  maxSubscriptionsPerChannel: number;
  maxSubscriptions: number;
  logRetention: RetentionDays;
  architecture: Architecture;
  parametersExtension: boolean;
  /**
   * Reserved concurrency (deploy setting `botReservedConcurrency`): the Function URL is public,
   * so a flood of requests (signed or not) runs at most this many bots at once; the excess is
   * throttled (HTTP 429) instead of taking the account's concurrency from the report's steps.
   */
  reservedConcurrency: number;
}

export class SlackBot extends Construct {
  readonly function: IFunction;
  readonly role: IRole;
  readonly url: FunctionUrl;

  constructor(scope: Construct, id: string, props: SlackBotProps) {
    super(scope, id);
    const bot = new CostbotFunction(this, 'Bot', {
      entry: props.entry,
      description: 'costbot: Slack bot (slash command, interactions)',
      environment: {
        ...props.environment,
        [STATE_MACHINE_ARN_ENV]: props.stateMachine.stateMachineArn,
        COSTBOT_ALLOWED_CHANNELS: props.allowedChannels.join(','),
        COSTBOT_ALLOWED_USERS: props.allowedUsers.join(','),
        COSTBOT_ADMIN_USERS: props.adminUsers.join(','),
        COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: String(props.maxSubscriptionsPerChannel),
        COSTBOT_MAX_SUBSCRIPTIONS: String(props.maxSubscriptions),
        COSTBOT_SCHEDULER_ROLE_ARN: props.subscriptions.role.roleArn,
        COSTBOT_TIME_ZONE: props.timeZone,
      } satisfies Partial<Record<keyof typeof SETTINGS, string>>,
      // Slack wants the ack within 3 s; more memory shortens the cold start.
      memorySize: 512,
      // Bolt loads Socket Mode, Express and OAuth code the Lambda never calls: 2.3 MB → 0.8 MB.
      esbuildArgs: botBundleEsbuildArgs(REPO_ROOT),
      timeout: Duration.seconds(10),
      reservedConcurrentExecutions: props.reservedConcurrency,
      logRetention: props.logRetention,
      architecture: props.architecture,
      parametersExtension: props.parametersExtension,
    });
    props.stateMachine.grantStartExecution(bot.role);
    props.subscriptions.grantManage(bot.role);
    const names = props.parameters.names;
    props.parameters.grantRead(bot.role, [
      names.slackBotToken,
      names.slackSigningSecret,
      // "Refresh link" re-signs a presigned link in the bot; stable links re-sign in the links
      // function alone.
      ...(props.stableLinks ? [] : [names.signerAccessKeyId, names.signerSecretAccessKey]),
    ]);
    acknowledgeKmsKeyWildcard(bot.role);
    this.function = bot.function;
    this.role = bot.role;
    this.url = bot.addPublicUrl();
  }
}
