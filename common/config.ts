/**
 * Every setting costbot reads, validated in one place. Read once at start-up (or cold start);
 * a bad value fails fast with a `ConfigError` that names the setting.
 *
 * @example
 * const config = loadConfig(process.env);
 * config.backend; // 'local' unless COSTBOT_BACKEND=aws
 */
import { ConfigError } from './errors.ts';

export type Backend = 'local' | 'aws';

export interface ParameterNames {
  signerAccessKeyId: string;
  signerSecretAccessKey: string;
  slackBotToken: string;
  slackSigningSecret: string;
}

export interface CostbotConfig {
  backend: Backend;
  /** Private bucket holding rendered charts. */
  bucket: string;
  /** Key prefix of charts in the bucket; the signer user may read only below it. */
  chartPrefix: string;
  parameterNames: ParameterNames;
  /** How long a value read from the parameter store is reused, in seconds. */
  parameterCacheTtlSeconds: number;
  /** Lifetime of a chart link; SigV4 allows at most 604,800 s (7 days). */
  linkExpiresSeconds: number;
  /** Region of the `AWS/Billing` metrics: they exist only in us-east-1. */
  billingRegion: string;
  /** How many services (or accounts) the report names before "Other". */
  topN: number;
  /** Channel the digest posts to. */
  digestChannel: string;
  /** Local backend: directory for the parameter file and the S3 server's data. */
  localDir: string;
  /** Local backend: port of the embedded S3 server on 127.0.0.1. */
  localS3Port: number;
  /** Slack Web API base URL; the local console stands in for Slack by serving it. */
  slackApiUrl: string;
  /** The deployed state machine the bot starts (`aws` backend). */
  stateMachineArn: string | null;
  /** Channels (ids or #names) and users allowed to run `/aws-cost`; empty: everyone. */
  allowedChannels: string[];
  allowedUsers: string[];
  /** Local bot and console port on 127.0.0.1. */
  port: number;
  logLevel: LogLevel;
  /**
   * Reader roles in member accounts, one per account: the fetch step reads an account's own
   * billing metric through its reader role, and the payer's `LinkedAccount` view otherwise.
   */
  readerRoles: ReaderRole[];
  /** ExternalId the reader roles' trust policies require (the reader stack's `readerExternalId`). */
  readerExternalId: string;
}

/** A reader role and the account it reads, taken from its ARN. */
export interface ReaderRole {
  accountId: string;
  roleArn: string;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** One row per setting: the README's settings table is checked against this list by a test. */
export const SETTINGS = {
  COSTBOT_BACKEND: { default: 'local', doc: '`local` (embedded defaults) or `aws`.' },
  COSTBOT_BUCKET: { default: 'costbot-charts', doc: 'Private bucket for chart PNGs.' },
  COSTBOT_CHART_PREFIX: { default: 'charts/', doc: 'Key prefix of charts in the bucket.' },
  COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID: {
    default: '/costbot/signer/access-key-id',
    doc: 'SSM SecureString: access key id of the link-signing IAM user.',
  },
  COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY: {
    default: '/costbot/signer/secret-access-key',
    doc: 'SSM SecureString: its secret access key.',
  },
  COSTBOT_PARAM_SLACK_BOT_TOKEN: {
    default: '/costbot/slack/bot-token',
    doc: 'SSM SecureString: Slack bot token (`xoxb-…`).',
  },
  COSTBOT_PARAM_SLACK_SIGNING_SECRET: {
    default: '/costbot/slack/signing-secret',
    doc: 'SSM SecureString: Slack signing secret.',
  },
  COSTBOT_PARAMETER_CACHE_TTL_SECONDS: {
    default: '300',
    doc: 'Seconds a parameter value is reused before it is read again.',
  },
  COSTBOT_LINK_EXPIRES_SECONDS: {
    default: '604800',
    doc: 'Lifetime of chart links, 1..604800 (7 days, the SigV4 maximum).',
  },
  COSTBOT_BILLING_REGION: {
    default: 'us-east-1',
    doc: 'Region of the `AWS/Billing` metrics (AWS publishes them only in us-east-1).',
  },
  COSTBOT_TOP_N: { default: '5', doc: 'Services (or accounts) named before "Other", 1..20.' },
  COSTBOT_DIGEST_CHANNEL: { default: '#costs', doc: 'Channel the morning digest posts to.' },
  COSTBOT_LOCAL_DIR: {
    default: '.costbot',
    doc: 'Local backend: parameter file and S3 data directory.',
  },
  COSTBOT_LOCAL_S3_PORT: {
    default: '4568',
    doc: 'Local backend: port of the embedded S3 server on 127.0.0.1 (0: any free port).',
  },
  SLACK_API_URL: {
    default: 'https://slack.com/api/',
    doc: 'Slack Web API base URL (the local console serves one).',
  },
  COSTBOT_STATE_MACHINE_ARN: {
    default: '',
    doc: 'ARN of the deployed state machine the bot starts (`aws` backend; set by the deploy).',
  },
  COSTBOT_ALLOWED_CHANNELS: {
    default: '',
    doc: 'Comma-separated channel ids allowed to use `/aws-cost`; empty: all.',
  },
  COSTBOT_ALLOWED_USERS: {
    default: '',
    doc: 'Comma-separated user ids allowed to use `/aws-cost`; empty: all.',
  },
  PORT: { default: '3000', doc: 'Local bot and Slack console port on 127.0.0.1.' },
  LOG_LEVEL: { default: 'info', doc: '`debug`, `info`, `warn` or `error`.' },
  COSTBOT_READER_ROLE_ARNS: {
    default: '',
    doc: 'Comma-separated reader role ARNs, at most one per member account; the fetch step assumes them for reports by account.',
  },
  COSTBOT_READER_EXTERNAL_ID: {
    default: 'costbot-reader',
    doc: "ExternalId the reader roles require (the reader stack's `readerExternalId`).",
  },
} as const satisfies Record<string, { default: string; doc: string }>;

type Env = Record<string, string | undefined>;

function read(env: Env, name: keyof typeof SETTINGS): string {
  const value = env[name]?.trim();
  return value ? value : SETTINGS[name].default;
}

function oneOf<T extends string>(env: Env, name: keyof typeof SETTINGS, allowed: readonly T[]): T {
  const value = read(env, name);
  if (!(allowed as readonly string[]).includes(value)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}; got "${value}".`);
  }
  return value as T;
}

function integer(env: Env, name: keyof typeof SETTINGS, min: number, max: number): number {
  const raw = read(env, name);
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(name, `must be an integer from ${min} to ${max}; got "${raw}".`);
  }
  return value;
}

function url(env: Env, name: keyof typeof SETTINGS): string {
  const value = read(env, name);
  try {
    const parsed = new URL(value);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw new Error('protocol');
  } catch {
    throw new ConfigError(name, `must be an http(s) URL; got "${value}".`);
  }
  return value.endsWith('/') ? value : `${value}/`;
}

function list(env: Env, name: keyof typeof SETTINGS, item: RegExp): string[] {
  const values = read(env, name)
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean);
  const bad = values.find((v) => !item.test(v));
  if (bad !== undefined) throw new ConfigError(name, `"${bad}" is not a valid Slack id.`);
  return values;
}

function stateMachineArn(env: Env): string | null {
  const value = read(env, 'COSTBOT_STATE_MACHINE_ARN');
  if (!value) return null;
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/.test(value)) {
    throw new ConfigError('COSTBOT_STATE_MACHINE_ARN', `is not a state machine ARN: "${value}".`);
  }
  return value;
}

/** `arn:aws:iam::<account>:role/<path/name>`; the account is the member account the role reads. */
const READER_ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;

/**
 * One role per account: two roles for one account would leave it to chance which one reads it,
 * so that is refused rather than guessed.
 */
function readerRoles(env: Env): ReaderRole[] {
  const roles: ReaderRole[] = [];
  for (const roleArn of read(env, 'COSTBOT_READER_ROLE_ARNS')
    .split(',')
    .map((v) => v.trim())
    .filter(Boolean)) {
    const accountId = READER_ROLE_ARN.exec(roleArn)?.[1];
    if (accountId === undefined) {
      throw new ConfigError(
        'COSTBOT_READER_ROLE_ARNS',
        `"${roleArn}" is not a role ARN (arn:aws:iam::<12-digit account>:role/<name>).`,
      );
    }
    const twin = roles.find((r) => r.accountId === accountId);
    if (twin) {
      throw new ConfigError(
        'COSTBOT_READER_ROLE_ARNS',
        `names two roles for account ${accountId} ("${twin.roleArn}" and "${roleArn}"); keep one.`,
      );
    }
    roles.push({ accountId, roleArn });
  }
  return roles;
}

function readerExternalId(env: Env): string {
  const value = read(env, 'COSTBOT_READER_EXTERNAL_ID');
  // STS's own constraint on ExternalId.
  if (!/^[\w+=,.@:/-]{2,1224}$/.test(value)) {
    throw new ConfigError(
      'COSTBOT_READER_EXTERNAL_ID',
      `must be 2-1224 characters of letters, digits and +=,.@:/-_; got "${value}".`,
    );
  }
  return value;
}

function parameterName(env: Env, name: keyof typeof SETTINGS): string {
  const value = read(env, name);
  // SSM names: letters, digits and . - _ /, hierarchical names start with '/'.
  if (!/^\/?[A-Za-z0-9_.\-/]{1,1011}$/.test(value) || value.includes('//')) {
    throw new ConfigError(name, `is not a valid SSM parameter name: "${value}".`);
  }
  return value;
}

export function loadConfig(env: Env = process.env): CostbotConfig {
  const bucket = read(env, 'COSTBOT_BUCKET');
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) {
    throw new ConfigError('COSTBOT_BUCKET', `is not a valid S3 bucket name: "${bucket}".`);
  }
  const chartPrefix = read(env, 'COSTBOT_CHART_PREFIX');
  if (!/^[A-Za-z0-9_.\-/]+\/$/.test(chartPrefix) || chartPrefix.startsWith('/')) {
    throw new ConfigError(
      'COSTBOT_CHART_PREFIX',
      `must be a key prefix ending in "/" (e.g. charts/); got "${chartPrefix}".`,
    );
  }
  const digestChannel = read(env, 'COSTBOT_DIGEST_CHANNEL');
  if (!/^(#[a-z0-9_-]{1,80}|[CGD][A-Z0-9]{6,})$/.test(digestChannel)) {
    throw new ConfigError(
      'COSTBOT_DIGEST_CHANNEL',
      `must be a channel id (C0123ABCD) or #name; got "${digestChannel}".`,
    );
  }
  const billingRegion = read(env, 'COSTBOT_BILLING_REGION');
  if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(billingRegion)) {
    throw new ConfigError('COSTBOT_BILLING_REGION', `is not a region name: "${billingRegion}".`);
  }
  return {
    backend: oneOf(env, 'COSTBOT_BACKEND', ['local', 'aws'] as const),
    bucket,
    chartPrefix,
    parameterNames: {
      signerAccessKeyId: parameterName(env, 'COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID'),
      signerSecretAccessKey: parameterName(env, 'COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY'),
      slackBotToken: parameterName(env, 'COSTBOT_PARAM_SLACK_BOT_TOKEN'),
      slackSigningSecret: parameterName(env, 'COSTBOT_PARAM_SLACK_SIGNING_SECRET'),
    },
    parameterCacheTtlSeconds: integer(env, 'COSTBOT_PARAMETER_CACHE_TTL_SECONDS', 0, 86_400),
    linkExpiresSeconds: integer(env, 'COSTBOT_LINK_EXPIRES_SECONDS', 1, 604_800),
    billingRegion,
    topN: integer(env, 'COSTBOT_TOP_N', 1, 20),
    digestChannel,
    localDir: read(env, 'COSTBOT_LOCAL_DIR'),
    localS3Port: integer(env, 'COSTBOT_LOCAL_S3_PORT', 0, 65_535),
    slackApiUrl: url(env, 'SLACK_API_URL'),
    stateMachineArn: stateMachineArn(env),
    allowedChannels: list(env, 'COSTBOT_ALLOWED_CHANNELS', /^[CGD][A-Z0-9]{6,}$/),
    allowedUsers: list(env, 'COSTBOT_ALLOWED_USERS', /^[UW][A-Z0-9]{6,}$/),
    port: integer(env, 'PORT', 0, 65_535),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const),
    readerRoles: readerRoles(env),
    readerExternalId: readerExternalId(env),
  };
}
