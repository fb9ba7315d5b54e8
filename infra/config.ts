/**
 * Deploy-time settings, read from CDK context (`cdk.json`, `-c key=value` or `new App({ context })`).
 * This is the CDK-context side of the one schema: every key is checked by the same kind of value
 * as the runtime's settings (`common/config.ts`), so a channel id, role ARN or region that synth
 * accepts is one the functions accept. A bad value stops synthesis with a message naming the key.
 * Every key but `region` has an offline default: `npm run synth -- -c region=eu-west-1` works with
 * no AWS credentials (the CLI entry, infra/app.ts, refuses to guess a region).
 *
 * @example
 * npx cdk synth -c digestChannel=C0123ABCD -c scheduleTimeZone=Europe/Paris
 * npx cdk deploy -c readerRoleArns=arn:aws:iam::111111111111:role/costbot-cloudwatch-reader
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import {
  accountId,
  awsEnvironment,
  boolean,
  externalId,
  filePath,
  iamRoleName,
  integer,
  type Kind,
  matching,
  oneOf,
  readerRoles,
  readOptional,
  readValue,
  region as regionName,
  roleArn,
  SETTINGS,
  type SettingSource,
  slackChannel,
  slackChannelIds,
  slackUserIds,
  ssmParameterPath,
  timeZone,
} from '../common/config.ts';
import { ConfigError } from '../common/errors.ts';
import { REPO_ROOT } from './paths.ts';
import { regionRefusal } from './regions.ts';

export interface InfraConfig {
  /** Target account; unset: environment-agnostic (synth with placeholders, deploy resolves it). */
  account?: string;
  /**
   * Target region: context `region`, else `AWS_REGION`; never `CDK_DEFAULT_REGION`, which the CDK
   * CLI sets to us-east-1 when nothing is configured. Unset: environment-agnostic (tests only;
   * infra/app.ts refuses). Only a region of `supportedRegions()` (infra/regions.ts) is accepted.
   */
  region?: string;
  stackName: string;
  /** Channel the scheduled digest posts to (`C0123ABCD` or `#name`). */
  digestChannel: string;
  /** EventBridge Scheduler cron expression of the digest. */
  scheduleCron: string;
  /** IANA time zone the cron is read in. */
  scheduleTimeZone: string;
  /**
   * Days a chart object is kept (the bucket's lifecycle) and its stable link works; at least 7,
   * the lifetime of a presigned link. One setting for both: COSTBOT_CHART_RETENTION_DAYS.
   */
  chartRetentionDays: number;
  /** Days function and state machine logs are kept. */
  logRetentionDays: RetentionDays;
  /** Reader roles in member accounts the fetch role may assume. */
  readerRoleArns: string[];
  /** ExternalId the reader roles require (reader stack). */
  readerExternalId: string;
  /** Name of the reader role the reader stack creates in a member account. */
  readerRoleName: string;
  /** ARN of the fetch role that reader roles trust (reader stack only). */
  fetchRoleArn?: string;
  /** Qualifier of the CDK bootstrap stack (`cdk bootstrap --qualifier`). */
  bootstrapQualifier: string;
  /** Build the bot function (needs `botEntry` to exist). */
  withBot: boolean;
  /** Absolute path of the bot's Lambda entry. */
  botEntry: string;
  /**
   * Reserved concurrency of the public bot function: a flood of requests runs at most this many
   * at once (and cannot starve the report's functions), and the bot always has them.
   */
  botReservedConcurrency: number;
  /** Deploy the links function and post stable links (COSTBOT_STABLE_LINKS). */
  stableLinks: boolean;
  /**
   * Reserved concurrency of the public links function: a flood of views (or of bad tokens) runs
   * at most this many at once, so it cannot run up a bill or take the report's concurrency.
   */
  linksReservedConcurrency: number;
  /** Channel ids allowed to use `/aws-cost` (COSTBOT_ALLOWED_CHANNELS); empty: all. */
  allowedChannels: string[];
  /** User ids allowed to use `/aws-cost` (COSTBOT_ALLOWED_USERS); empty: all. */
  allowedUsers: string[];
  /** User ids who may subscribe, unsubscribe and remove (COSTBOT_ADMIN_USERS); empty: all. */
  adminUsers: string[];
  /** COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL and COSTBOT_MAX_SUBSCRIPTIONS of the bot. */
  maxSubscriptionsPerChannel: number;
  maxSubscriptions: number;
  /** Prefix of the five SSM parameter names, e.g. `/costbot` → `/costbot/slack/bot-token`. */
  parameterPrefix: string;
  /** Add the AWS Parameters and Secrets Lambda Extension to functions that read parameters. */
  parametersExtension: boolean;
  /** `arm64` (cheaper per GB-second) or `x86_64`. */
  architecture: 'arm64' | 'x86_64';
  /** Address the failure alarm's topic e-mails (SNS asks it to confirm); unset: no subscription. */
  alarmEmail?: string;
  /** Encrypt the alarm's topic with a customer managed KMS key ($1 a month). */
  alarmTopicKey: boolean;
}

/** The defaults, exported so docs and tests read the same values. */
export const INFRA_DEFAULTS = {
  stackName: SETTINGS.COSTBOT_STACK.default,
  digestChannel: SETTINGS.COSTBOT_DIGEST_CHANNEL.default,
  scheduleCron: 'cron(0 9 ? * MON-FRI *)',
  scheduleTimeZone: 'UTC',
  chartRetentionDays: Number(SETTINGS.COSTBOT_CHART_RETENTION_DAYS.default),
  logRetentionDays: 30,
  readerRoleArns: [] as string[],
  readerExternalId: SETTINGS.COSTBOT_READER_EXTERNAL_ID.default,
  readerRoleName: 'costbot-cloudwatch-reader',
  bootstrapQualifier: 'hnb659fds',
  withBot: true,
  botEntry: 'bot/lambda.ts',
  botReservedConcurrency: 10,
  stableLinks: SETTINGS.COSTBOT_STABLE_LINKS.default === 'true',
  linksReservedConcurrency: 5,
  allowedChannels: [] as string[],
  allowedUsers: [] as string[],
  adminUsers: [] as string[],
  maxSubscriptionsPerChannel: Number(SETTINGS.COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL.default),
  maxSubscriptions: Number(SETTINGS.COSTBOT_MAX_SUBSCRIPTIONS.default),
  parameterPrefix: '/costbot',
  parametersExtension: true,
  alarmTopicKey: false,
  architecture: 'arm64',
} as const;

/** A bad CDK context value, named as `-c key=value` names it. */
export function contextError(key: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError(key, message, { source: 'CDK context', cause });
}

type Context = Pick<Node, 'tryGetContext'>;

const RETENTIONS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

/**
 * CDK context as a setting source; `account` and `region` fall back to the AWS environment
 * (the CDK CLI's account, the SDK's region) and are then checked like a context value.
 */
function contextSource(ctx: Context, env: Record<string, string | undefined>): SettingSource {
  const aws = awsEnvironment(env);
  const fallbacks: Record<string, string | undefined> = {
    account: aws.cdkDefaultAccount,
    region: aws.region,
  };
  return {
    source: 'CDK context',
    get: (key) => {
      const value: unknown = ctx.tryGetContext(key);
      return value === undefined || value === null || value === '' ? fallbacks[key] : value;
    },
  };
}

export function loadInfraConfig(
  ctx: Context,
  env: Record<string, string | undefined> = process.env,
): InfraConfig {
  const context = contextSource(ctx, env);
  const read = <T>(key: keyof typeof INFRA_DEFAULTS, kind: Kind<T>): T =>
    readValue(context, key, String(INFRA_DEFAULTS[key]), kind);
  const account = readOptional(context, 'account', accountId);
  const region = readOptional(context, 'region', regionName);
  const scheduleCron = read(
    'scheduleCron',
    matching(
      /^cron\(\S+( \S+){5}\)$/,
      `an EventBridge Scheduler cron with six fields, e.g. ${INFRA_DEFAULTS.scheduleCron}`,
    ),
  );
  // A link lives 7 days; the object it points to must live at least as long.
  const chartRetentionDays = read('chartRetentionDays', SETTINGS.COSTBOT_CHART_RETENTION_DAYS.kind);
  const logRetention = read('logRetentionDays', integer(1, 3653));
  if (!RETENTIONS.has(logRetention)) {
    throw contextError(
      'logRetentionDays',
      `must be one of CloudWatch Logs' values (${[...RETENTIONS].filter((d) => d > 0).join(', ')}); got ${logRetention}.`,
    );
  }
  const withBot = read('withBot', boolean);
  const entry = read('botEntry', filePath);
  const botEntry = isAbsolute(entry) ? entry : join(REPO_ROOT, entry);
  if (withBot && !existsSync(botEntry)) {
    throw contextError(
      'botEntry',
      `points to ${botEntry}, which does not exist. Pass -c withBot=false to synthesize without the bot function.`,
    );
  }
  const fetchRoleArn = readOptional(context, 'fetchRoleArn', roleArn);
  const alarmEmail = readOptional(
    context,
    'alarmEmail',
    matching(/^[^\s@]+@[^\s@]+\.[^\s@]+$/, 'an e-mail address, e.g. ops@example.com'),
  );
  const architecture = read('architecture', oneOf(['arm64', 'x86_64'] as const));
  const refusal = region === undefined ? undefined : regionRefusal(region, architecture);
  if (refusal) throw contextError('region', refusal);

  return {
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    stackName: read('stackName', SETTINGS.COSTBOT_STACK.kind),
    digestChannel: read('digestChannel', slackChannel),
    scheduleCron,
    scheduleTimeZone: read('scheduleTimeZone', timeZone),
    chartRetentionDays,
    logRetentionDays: logRetention as RetentionDays,
    readerRoleArns: read('readerRoleArns', readerRoles).map((role) => role.roleArn),
    readerExternalId: read('readerExternalId', externalId),
    readerRoleName: read('readerRoleName', iamRoleName),
    ...(fetchRoleArn ? { fetchRoleArn } : {}),
    bootstrapQualifier: read(
      'bootstrapQualifier',
      matching(/^[a-z0-9]{1,10}$/, '1-10 of [a-z0-9]'),
    ),
    withBot,
    botEntry,
    botReservedConcurrency: read('botReservedConcurrency', integer(1, 1000)),
    stableLinks: read('stableLinks', SETTINGS.COSTBOT_STABLE_LINKS.kind),
    linksReservedConcurrency: read('linksReservedConcurrency', integer(1, 1000)),
    allowedChannels: read('allowedChannels', slackChannelIds),
    allowedUsers: read('allowedUsers', slackUserIds),
    adminUsers: read('adminUsers', slackUserIds),
    maxSubscriptionsPerChannel: read(
      'maxSubscriptionsPerChannel',
      SETTINGS.COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL.kind,
    ),
    maxSubscriptions: read('maxSubscriptions', SETTINGS.COSTBOT_MAX_SUBSCRIPTIONS.kind),
    parameterPrefix: read('parameterPrefix', ssmParameterPath),
    parametersExtension: read('parametersExtension', boolean),
    alarmTopicKey: read('alarmTopicKey', boolean),
    architecture,
    ...(alarmEmail ? { alarmEmail } : {}),
  };
}
