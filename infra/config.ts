/**
 * Deploy-time settings, read from CDK context (`cdk.json`, `-c key=value` or `new App({ context })`)
 * and validated in one place: a bad value stops synthesis with a message naming the key.
 * Every key has an offline default, so `npm run synth` works with no AWS credentials and no flags.
 *
 * @example
 * npx cdk synth -c digestChannel=C0123ABCD -c scheduleTimeZone=Europe/Paris
 * npx cdk deploy -c readerRoleArns=arn:aws:iam::111111111111:role/costbot-cloudwatch-reader
 */
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { SETTINGS } from '../common/config.ts';
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
  /** Days a chart object is kept; at least 7, the lifetime of its link. */
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
  /** Channel ids allowed to use `/aws-cost` (COSTBOT_ALLOWED_CHANNELS); empty: all. */
  allowedChannels: string[];
  /** User ids allowed to use `/aws-cost` (COSTBOT_ALLOWED_USERS); empty: all. */
  allowedUsers: string[];
  /** Prefix of the four SSM parameter names, e.g. `/costbot` → `/costbot/slack/bot-token`. */
  parameterPrefix: string;
  /** Add the AWS Parameters and Secrets Lambda Extension to functions that read parameters. */
  parametersExtension: boolean;
  /** `arm64` (cheaper per GB-second) or `x86_64`. */
  architecture: 'arm64' | 'x86_64';
}

/** The defaults, exported so docs and tests read the same values. */
export const INFRA_DEFAULTS = {
  stackName: 'Costbot',
  digestChannel: SETTINGS.COSTBOT_DIGEST_CHANNEL.default,
  scheduleCron: 'cron(0 9 ? * MON-FRI *)',
  scheduleTimeZone: 'UTC',
  chartRetentionDays: 30,
  logRetentionDays: 30,
  readerRoleArns: [] as string[],
  readerExternalId: SETTINGS.COSTBOT_READER_EXTERNAL_ID.default,
  readerRoleName: 'costbot-cloudwatch-reader',
  bootstrapQualifier: 'hnb659fds',
  withBot: true,
  botEntry: 'bot/lambda.ts',
  allowedChannels: [] as string[],
  allowedUsers: [] as string[],
  parameterPrefix: '/costbot',
  parametersExtension: true,
  architecture: 'arm64',
} as const;

/** A bad CDK context value, named as `-c key=value` names it. */
export function contextError(key: string, message: string, cause?: unknown): ConfigError {
  return new ConfigError(key, message, { source: 'CDK context', cause });
}

type Context = Pick<Node, 'tryGetContext'>;

function str(ctx: Context, key: string): string | undefined {
  const value: unknown = ctx.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw contextError(key, `must be a string; got ${JSON.stringify(value)}.`);
  }
  return String(value).trim();
}

function bool(ctx: Context, key: string, fallback: boolean): boolean {
  const value = str(ctx, key);
  if (value === undefined) return fallback;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw contextError(key, `must be true or false; got "${value}".`);
}

function int(ctx: Context, key: string, fallback: number, min: number, max: number): number {
  const raw = str(ctx, key);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw contextError(key, `must be an integer from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

/** A list from cdk.json (an array) or the command line (JSON array or comma-separated). */
function list(ctx: Context, key: string): string[] {
  const value: unknown = ctx.tryGetContext(key);
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map(String);
  const text = String(value).trim();
  if (text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw contextError(key, `is not a JSON array: ${text}`, error);
    }
    if (!Array.isArray(parsed)) throw contextError(key, 'must be a JSON array.');
    return parsed.map(String);
  }
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: name });
    return name.length > 0;
  } catch {
    return false;
  }
}

const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;
const RETENTIONS = new Set<number>(
  Object.values(RetentionDays).filter((v): v is number => typeof v === 'number'),
);

export function loadInfraConfig(
  ctx: Context,
  env: Record<string, string | undefined> = process.env,
): InfraConfig {
  const account = str(ctx, 'account') ?? env.CDK_DEFAULT_ACCOUNT;
  if (account !== undefined && !/^\d{12}$/.test(account)) {
    throw contextError('account', `must be a 12-digit account id; got "${account}".`);
  }
  const region = str(ctx, 'region') ?? env.AWS_REGION;
  if (region !== undefined && !/^[a-z]{2}(-[a-z]+)+-\d$/.test(region)) {
    throw contextError('region', `is not a region name: "${region}".`);
  }

  const digestChannel = str(ctx, 'digestChannel') ?? INFRA_DEFAULTS.digestChannel;
  if (!/^(#[a-z0-9_-]{1,80}|[CGD][A-Z0-9]{6,})$/.test(digestChannel)) {
    throw contextError(
      'digestChannel',
      `must be a channel id (C0123ABCD) or #name; got "${digestChannel}".`,
    );
  }
  const scheduleCron = str(ctx, 'scheduleCron') ?? INFRA_DEFAULTS.scheduleCron;
  if (!/^cron\(\S+( \S+){5}\)$/.test(scheduleCron)) {
    throw contextError(
      'scheduleCron',
      `must be an EventBridge Scheduler cron with six fields, e.g. ${INFRA_DEFAULTS.scheduleCron}; got "${scheduleCron}".`,
    );
  }
  const scheduleTimeZone = str(ctx, 'scheduleTimeZone') ?? INFRA_DEFAULTS.scheduleTimeZone;
  if (!isTimeZone(scheduleTimeZone)) {
    throw contextError(
      'scheduleTimeZone',
      `must be an IANA time zone (e.g. Europe/Paris); got "${scheduleTimeZone}".`,
    );
  }
  // A link lives 7 days; the object it points to must live at least as long.
  const chartRetentionDays = int(
    ctx,
    'chartRetentionDays',
    INFRA_DEFAULTS.chartRetentionDays,
    7,
    3650,
  );
  const logRetention = int(ctx, 'logRetentionDays', INFRA_DEFAULTS.logRetentionDays, 1, 3653);
  if (!RETENTIONS.has(logRetention)) {
    throw contextError(
      'logRetentionDays',
      `must be one of CloudWatch Logs' values (${[...RETENTIONS].filter((d) => d > 0).join(', ')}); got ${logRetention}.`,
    );
  }

  const readerRoleArns = list(ctx, 'readerRoleArns');
  for (const arn of readerRoleArns) {
    if (!ROLE_ARN.test(arn)) throw contextError('readerRoleArns', `has a bad role ARN: "${arn}".`);
  }
  const readerExternalId = str(ctx, 'readerExternalId') ?? INFRA_DEFAULTS.readerExternalId;
  if (!/^[\w+=,.@:/-]{2,1224}$/.test(readerExternalId)) {
    throw contextError('readerExternalId', 'must be 2-1224 characters of [\\w+=,.@:/-].');
  }
  const readerRoleName = str(ctx, 'readerRoleName') ?? INFRA_DEFAULTS.readerRoleName;
  if (!/^[\w+=,.@-]{1,64}$/.test(readerRoleName)) {
    throw contextError('readerRoleName', `is not a role name: "${readerRoleName}".`);
  }
  const fetchRoleArn = str(ctx, 'fetchRoleArn');
  if (fetchRoleArn !== undefined && !ROLE_ARN.test(fetchRoleArn)) {
    throw contextError('fetchRoleArn', `is not a role ARN: "${fetchRoleArn}".`);
  }

  const bootstrapQualifier = str(ctx, 'bootstrapQualifier') ?? INFRA_DEFAULTS.bootstrapQualifier;
  if (!/^[a-z0-9]{1,10}$/.test(bootstrapQualifier)) {
    throw contextError(
      'bootstrapQualifier',
      `must be 1-10 of [a-z0-9]; got "${bootstrapQualifier}".`,
    );
  }

  const withBot = bool(ctx, 'withBot', INFRA_DEFAULTS.withBot);
  const entry = str(ctx, 'botEntry') ?? INFRA_DEFAULTS.botEntry;
  const botEntry = isAbsolute(entry) ? entry : join(REPO_ROOT, entry);
  if (withBot && !existsSync(botEntry)) {
    throw contextError(
      'botEntry',
      `points to ${botEntry}, which does not exist. Pass -c withBot=false to synthesize without the bot function.`,
    );
  }

  const allowedChannels = list(ctx, 'allowedChannels');
  for (const id of allowedChannels) {
    if (!/^[CGD][A-Z0-9]{6,}$/.test(id))
      throw contextError('allowedChannels', `has a bad channel id: "${id}".`);
  }
  const allowedUsers = list(ctx, 'allowedUsers');
  for (const id of allowedUsers) {
    if (!/^[UW][A-Z0-9]{6,}$/.test(id))
      throw contextError('allowedUsers', `has a bad user id: "${id}".`);
  }

  const parameterPrefix = str(ctx, 'parameterPrefix') ?? INFRA_DEFAULTS.parameterPrefix;
  if (!/^(\/[A-Za-z0-9_.-]+)+$/.test(parameterPrefix)) {
    throw contextError('parameterPrefix', `must look like /costbot; got "${parameterPrefix}".`);
  }
  const architecture = str(ctx, 'architecture') ?? INFRA_DEFAULTS.architecture;
  if (architecture !== 'arm64' && architecture !== 'x86_64') {
    throw contextError('architecture', `must be arm64 or x86_64; got "${architecture}".`);
  }
  const refusal = region === undefined ? undefined : regionRefusal(region, architecture);
  if (refusal) throw contextError('region', refusal);

  return {
    ...(account ? { account } : {}),
    ...(region ? { region } : {}),
    stackName: str(ctx, 'stackName') ?? INFRA_DEFAULTS.stackName,
    digestChannel,
    scheduleCron,
    scheduleTimeZone,
    chartRetentionDays,
    logRetentionDays: logRetention as RetentionDays,
    readerRoleArns,
    readerExternalId,
    readerRoleName,
    ...(fetchRoleArn ? { fetchRoleArn } : {}),
    bootstrapQualifier,
    withBot,
    botEntry,
    allowedChannels,
    allowedUsers,
    parameterPrefix,
    parametersExtension: bool(ctx, 'parametersExtension', INFRA_DEFAULTS.parametersExtension),
    architecture,
  };
}
