/**
 * The one configuration schema. Every setting costbot reads is here with its default, its
 * README sentence and its kind of value; each kind (channel id, role ARN, region, bucket
 * name, ...) is written once and used by the runtime, which reads the environment
 * (`loadConfig`, `readSetting`), and by the infrastructure, which reads CDK context with the
 * same kinds (`infra/config.ts`). Read once at start-up (or cold start, or synth); a bad value
 * fails fast with a one-line `ConfigError` that names the setting and what a good value is.
 *
 * @example
 * const config = loadConfig(process.env);
 * config.backend; // 'local' unless COSTBOT_BACKEND=aws
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigSource, LocalFileError } from './errors.ts';

export const BACKENDS = ['local', 'aws'] as const;
export type Backend = (typeof BACKENDS)[number];

export interface ParameterNames {
  signerAccessKeyId: string;
  signerSecretAccessKey: string;
  slackBotToken: string;
  slackSigningSecret: string;
  /** HMAC key of stable chart links (`common/link-token.ts`). */
  linkKey: string;
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
  /** Days a chart is kept (the bucket's lifecycle) and its stable link works. */
  chartRetentionDays: number;
  /** Serve chart links through the links endpoint (re-signed on each view). */
  stableLinks: boolean;
  /** Base URL of the links endpoint, ending in `/`; null: messages carry the presigned link. */
  linksUrl: string | null;
  /** Local backend: port of the links endpoint on 127.0.0.1. */
  localLinksPort: number;
  /** Region of the `AWS/Billing` metrics: they exist only in us-east-1. */
  billingRegion: string;
  /** How long a billing read is reused by later reports, in seconds; 0: never. */
  billingCacheSeconds: number;
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
  /** Users who may subscribe, unsubscribe and remove subscriptions; empty: everyone allowed. */
  adminUsers: string[];
  /** Subscriptions a channel may have. */
  maxSubscriptionsPerChannel: number;
  /** Subscriptions in all channels. */
  maxSubscriptions: number;
  /** The scheduler's role each subscription's schedule runs as (`aws` backend); null: none. */
  schedulerRoleArn: string | null;
  /** IANA time zone of a subscription that names none (the deployment's digest time zone). */
  timeZone: string;
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

/** Where a setting is read from: a name-to-value lookup and what to call it in errors. */
export interface SettingSource {
  readonly source: ConfigSource;
  get(name: string): unknown;
}

/** A setting being read: its name and its source, so an error names it the way it was given. */
export interface At {
  setting: string;
  source: ConfigSource;
}

/** A value as given: text, or a list (an array in cdk.json). */
export type Raw = string | readonly string[];

/** One kind of value: parses what was given, or throws a `ConfigError` naming the setting. */
export type Kind<T> = (raw: Raw, at: At) => T;

type Env = Record<string, string | undefined>;

/** A value as an error prints it: quoted and escaped, so the message stays one line. */
function quote(value: string): string {
  return JSON.stringify(value);
}

function fail(at: At, message: string, cause?: unknown): never {
  throw new ConfigError(at.setting, message, { source: at.source, cause });
}

/** The text of a single-valued setting; a list there is a mistake in cdk.json. */
function text(raw: Raw, at: At): string {
  if (typeof raw === 'string') return raw;
  return fail(at, `must be a single value; got ${JSON.stringify(raw)}.`);
}

/** A list: an array (cdk.json), a JSON array, or comma-separated text; blanks dropped. */
function items(raw: Raw, at: At): string[] {
  let values: readonly unknown[];
  if (typeof raw !== 'string') {
    values = raw;
  } else if (raw.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch (error) {
      return fail(at, `must be a JSON array or comma-separated values; got ${quote(raw)}.`, error);
    }
    values = Array.isArray(parsed) ? parsed : [parsed];
  } else {
    values = raw.split(',');
  }
  return values.map((v) => String(v).trim()).filter(Boolean);
}

/** A value of `kind`, or null when the setting is unset. */
export function optional<T>(kind: Kind<T>): Kind<T | null> {
  return (raw, at) => (raw.length === 0 ? null : kind(raw, at));
}

/** A text value that must match `pattern`; `expected` says what a good one looks like. */
export function matching(pattern: RegExp, expected: string): Kind<string> {
  return (raw, at) => {
    const value = text(raw, at);
    if (!pattern.test(value)) fail(at, `must be ${expected}; got ${quote(value)}.`);
    return value;
  };
}

/** Each item of a list must be of `kind`. */
function listOf<T>(kind: Kind<T>): Kind<T[]> {
  return (raw, at) => items(raw, at).map((item) => kind(item, at));
}

/** One of the `allowed` words, exactly (case matters, as it does to the code that reads it). */
export function oneOf<T extends string>(allowed: readonly T[]): Kind<T> {
  return (raw, at) => {
    const value = text(raw, at);
    if (!(allowed as readonly string[]).includes(value)) {
      fail(at, `must be one of ${allowed.join(', ')}; got ${quote(value)}.`);
    }
    return value as T;
  };
}

/** A whole number from `min` to `max`, written in plain digits. */
export function integer(min: number, max: number): Kind<number> {
  return (raw, at) => {
    const value = text(raw, at);
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      fail(at, `must be an integer from ${min} to ${max}; got ${quote(value)}.`);
    }
    return Number(value);
  };
}

/** `true` or `false`; cdk.json may give a JSON boolean, read as its text. */
export const boolean: Kind<boolean> = (raw, at) => {
  const value = text(raw, at);
  if (value !== 'true' && value !== 'false')
    fail(at, `must be true or false; got ${quote(value)}.`);
  return value === 'true';
};

/** An http(s) URL, with a trailing slash so relative method names resolve below it. */
export const httpUrl: Kind<string> = (raw, at) => {
  const value = text(raw, at);
  let protocol = '';
  try {
    protocol = new URL(value).protocol;
  } catch {
    // Not a URL: refused below, like another protocol.
  }
  if (protocol !== 'https:' && protocol !== 'http:') {
    fail(at, `must be an http(s) URL; got ${quote(value)}.`);
  }
  return value.endsWith('/') ? value : `${value}/`;
};

/** A rule a value must keep, and how the error says it is broken ("it ..."). */
type Rule = [keeps: (value: string) => boolean, broken: string];

/** A text value that keeps every rule; the error names the first rule it breaks. */
function ruled(what: string, rules: readonly Rule[]): Kind<string> {
  return (raw, at) => {
    const value = text(raw, at);
    const broken = rules.find(([keeps]) => !keeps(value));
    if (broken) fail(at, `is not ${what}: it ${broken[1]}; got ${quote(value)}.`);
    return value;
  };
}

/** S3's naming rules for general purpose buckets, with the names S3 reserves for itself. */
export const s3BucketName = ruled('a valid S3 bucket name', [
  [(v) => v.length >= 3 && v.length <= 63, 'must be 3-63 characters long'],
  [(v) => /^[a-z0-9.-]+$/.test(v), 'may hold only lowercase letters, digits, dots and hyphens'],
  [(v) => /^[a-z0-9]/.test(v) && /[a-z0-9]$/.test(v), 'must begin and end with a letter or digit'],
  [(v) => !v.includes('..'), 'must not hold two adjacent dots'],
  [(v) => !/^\d+\.\d+\.\d+\.\d+$/.test(v), 'must not look like an IP address'],
  [
    (v) => !/^(xn--|sthree-|amzn-s3-demo-)/.test(v),
    'must not begin with xn--, sthree- or amzn-s3-demo- (S3 reserves them)',
  ],
  [
    (v) => !/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(v),
    'must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3 (S3 reserves them)',
  ],
]);

/** The segments of a path between its slashes (a trailing slash ends the last one). */
function segments(path: string): string[] {
  return (path.endsWith('/') ? path.slice(0, -1) : path).split('/');
}

/**
 * A key prefix such as `charts/` or `team/charts/`. Keys are written below it, locally as
 * files under the S3 data directory: a `..` segment would escape it, and `.` or an empty
 * segment names the same place twice.
 */
export const s3KeyPrefix = ruled('a key prefix like charts/', [
  [(v) => !v.startsWith('/'), 'must not begin with "/"'],
  [(v) => v.endsWith('/'), 'must end with "/"'],
  [(v) => /^[A-Za-z0-9_.\-/]+$/.test(v), 'may hold only letters, digits and _ . - /'],
  [(v) => !segments(v).includes(''), 'must not have empty segments ("//")'],
  [
    (v) => !segments(v).some((s) => s === '.' || s === '..'),
    'must not have "." or ".." segments (they point outside the prefix)',
  ],
]);

/** A file or directory path: a NUL byte cuts a path short in the operating system. */
export const filePath = ruled('a path', [[(v) => !v.includes('\0'), 'must not hold a NUL byte']]);

/** A channel id (`C0123ABCD`) or a `#name`, as a digest's channel is given. */
export const slackChannel = matching(
  /^(#[a-z0-9_-]{1,80}|[CGD][A-Z0-9]{6,})$/,
  'a channel id (C0123ABCD) or #name',
);
export const slackChannelIds = listOf(matching(/^[CGD][A-Z0-9]{6,}$/, 'channel ids (C0123ABCD)'));
export const slackUserIds = listOf(matching(/^[UW][A-Z0-9]{6,}$/, 'user ids (U0123ABCD)'));

export const region = matching(/^[a-z]{2}(-[a-z]+)+-\d$/, 'a region name (e.g. eu-west-1)');
export const accountId = matching(/^\d{12}$/, 'a 12-digit account id');

/** `arn:aws:iam::<account>:role/<path/name>`; group 1 is the account. */
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/;
const ROLE_ARN_SHAPE = 'arn:aws:iam::<12-digit account>:role/<name>';

export const roleArn = matching(ROLE_ARN, `a role ARN (${ROLE_ARN_SHAPE})`);

/**
 * Reader roles, one per member account: two roles for one account would leave it to chance
 * which one reads it, so that is refused rather than guessed.
 */
export const readerRoles: Kind<ReaderRole[]> = (raw, at) => {
  const roles: ReaderRole[] = [];
  for (const arn of items(raw, at)) {
    const accountId = ROLE_ARN.exec(arn)?.[1];
    if (accountId === undefined) fail(at, `has a bad role ARN: ${quote(arn)} (${ROLE_ARN_SHAPE}).`);
    const twin = roles.find((r) => r.accountId === accountId);
    if (twin) {
      fail(
        at,
        `names two roles for account ${accountId} ("${twin.roleArn}" and "${arn}"); keep one.`,
      );
    }
    roles.push({ accountId, roleArn: arn });
  }
  return roles;
};

/** STS's own constraint on ExternalId. */
export const externalId = matching(
  /^[\w+=,.@:/-]{2,1224}$/,
  '2-1224 characters of letters, digits and +=,.@:/-_',
);

export const iamRoleName = matching(/^[\w+=,.@-]{1,64}$/, 'an IAM role name (1-64 of [\\w+=,.@-])');

export const stateMachineArn = matching(
  /^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/,
  'a state machine ARN',
);

/** Parameter Store's naming rules (PutParameter's constraints on `Name`). */
const SSM_NAME_RULES: readonly Rule[] = [
  [(v) => v.length <= 1011, 'must be at most 1011 characters long'],
  [(v) => /^[A-Za-z0-9_.\-/]+$/.test(v), 'may hold only letters, digits and _ . - /'],
  [(v) => !v.includes('/') || v.startsWith('/'), 'must begin with "/" when it has a path'],
  [(v) => !v.endsWith('/'), 'must not end with "/"'],
  [(v) => !segments(v.slice(1)).includes(''), 'must not have empty segments ("//")'],
  [(v) => !/^\/?(aws|ssm)/i.test(v), 'must not begin with "aws" or "ssm" (AWS reserves them)'],
  [(v) => v.split('/').filter(Boolean).length <= 15, 'must have at most 15 levels'],
];

export const ssmParameterName = ruled('a valid SSM parameter name', SSM_NAME_RULES);

/** The path the parameters live under, e.g. `/costbot`. */
export const ssmParameterPath = ruled('a parameter path like /costbot', [
  [(v) => v.startsWith('/'), 'must begin with "/"'],
  ...SSM_NAME_RULES,
]);

/** A TCP port; 0 asks the operating system for any free one. */
export const port: Kind<number> = (raw, at) => {
  const value = text(raw, at);
  if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) {
    fail(at, `must be a port number from 0 to 65535 (0: any free port); got ${quote(value)}.`);
  }
  return Number(value);
};

/**
 * A secret whose shape is known (a token prefix, a hex length). Its error never shows the
 * value: a token pasted into the wrong variable must not end up in a terminal or a log.
 */
function secret(pattern: RegExp, expected: string): Kind<string | null> {
  return optional((raw, at) => {
    const value = text(raw, at);
    if (!pattern.test(value)) fail(at, `must be ${expected} (the value is not shown).`);
    return value;
  });
}

export const timeZone: Kind<string> = (raw, at) => {
  const value = text(raw, at);
  try {
    new Intl.DateTimeFormat('en', { timeZone: value });
  } catch (error) {
    fail(at, `must be an IANA time zone (e.g. Europe/Paris); got ${quote(value)}.`, error);
  }
  return value;
};

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** One setting: its default (`''`: unset), the README's sentence about it, and its kind. */
interface Setting<T> {
  default: string;
  doc: string;
  kind: Kind<T>;
}

function setting<T>(fallback: string, doc: string, kind: Kind<T>): Setting<T> {
  return { default: fallback, doc, kind };
}

/**
 * The highest COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: a channel's list is one Slack message (50
 * blocks), and the store reads at most this many of a channel's schedules whatever the setting,
 * so a channel pushed past its limit (two subscribes at the same instant, a lowered setting)
 * still lists all of them.
 */
export const CHANNEL_SUBSCRIPTIONS_CAP = 20;

/** One row per setting: the README's settings table is checked against this list by a test. */
export const SETTINGS = {
  COSTBOT_BACKEND: setting('local', '`local` (embedded defaults) or `aws`.', oneOf(BACKENDS)),
  COSTBOT_BUCKET: setting('costbot-charts', 'Private bucket for chart PNGs.', s3BucketName),
  COSTBOT_CHART_PREFIX: setting('charts/', 'Key prefix of charts in the bucket.', s3KeyPrefix),
  COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID: setting(
    '/costbot/signer/access-key-id',
    'SSM SecureString: access key id of the link-signing IAM user.',
    ssmParameterName,
  ),
  COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY: setting(
    '/costbot/signer/secret-access-key',
    'SSM SecureString: its secret access key.',
    ssmParameterName,
  ),
  COSTBOT_PARAM_SLACK_BOT_TOKEN: setting(
    '/costbot/slack/bot-token',
    'SSM SecureString: Slack bot token (`xoxb-…`).',
    ssmParameterName,
  ),
  COSTBOT_PARAM_SLACK_SIGNING_SECRET: setting(
    '/costbot/slack/signing-secret',
    'SSM SecureString: Slack signing secret.',
    ssmParameterName,
  ),
  COSTBOT_PARAM_LINK_KEY: setting(
    '/costbot/links/hmac-key',
    'SSM SecureString: HMAC key of stable chart links (32+ random bytes, base64url; `npm run setup` makes it).',
    ssmParameterName,
  ),
  COSTBOT_PARAMETER_CACHE_TTL_SECONDS: setting(
    '300',
    'Seconds a parameter value is reused before it is read again.',
    integer(0, 86_400),
  ),
  COSTBOT_LINK_EXPIRES_SECONDS: setting(
    '604800',
    'Lifetime of chart links, 1..604800 (7 days, the SigV4 maximum).',
    integer(1, 604_800),
  ),
  COSTBOT_CHART_RETENTION_DAYS: setting(
    '90',
    "Days a chart is kept (the bucket's lifecycle, CDK context `chartRetentionDays`) and its stable link works, 7..3650 (storage cost: docs/architecture.md).",
    integer(7, 3650),
  ),
  COSTBOT_STABLE_LINKS: setting(
    'true',
    'Chart images and links go through the links endpoint, which re-signs on each view (CDK context `stableLinks`); `false`: the presigned S3 link and a "Refresh link" button.',
    boolean,
  ),
  COSTBOT_LINKS_URL: setting(
    '',
    'Base URL of the links endpoint (set by the deploy and by `npm start`); unset: messages carry the presigned link.',
    optional(httpUrl),
  ),
  COSTBOT_BILLING_REGION: setting(
    'us-east-1',
    'Region of the `AWS/Billing` metrics (AWS publishes them only in us-east-1).',
    region,
  ),
  COSTBOT_BILLING_CACHE_SECONDS: setting(
    '14400',
    'Seconds a billing read is reused by later reports, 0..86400 (0: never); the billing metric changes every 4–6 hours (stored below `cache/billing/` in the bucket).',
    integer(0, 86_400),
  ),
  COSTBOT_TOP_N: setting(
    '5',
    'Services (or accounts) named before "Other", 1..20.',
    integer(1, 20),
  ),
  COSTBOT_DIGEST_CHANNEL: setting('#costs', 'Channel the morning digest posts to.', slackChannel),
  COSTBOT_LOCAL_DIR: setting(
    '.costbot',
    'Local backend: parameter file and S3 data directory.',
    filePath,
  ),
  COSTBOT_LOCAL_S3_PORT: setting(
    '4568',
    'Local backend: port of the embedded S3 server on 127.0.0.1 (0: any free port).',
    port,
  ),
  COSTBOT_LOCAL_LINKS_PORT: setting(
    '4569',
    'Local backend: port of the links endpoint on 127.0.0.1 (0: any free port).',
    port,
  ),
  SLACK_API_URL: setting(
    'https://slack.com/api/',
    'Slack Web API base URL (the local console serves one).',
    httpUrl,
  ),
  COSTBOT_STATE_MACHINE_ARN: setting(
    '',
    'ARN of the deployed state machine the bot starts (`aws` backend; set by the deploy).',
    optional(stateMachineArn),
  ),
  COSTBOT_ALLOWED_CHANNELS: setting(
    '',
    'Comma-separated channel ids allowed to use `/aws-cost` and its buttons (every listener); empty: all.',
    slackChannelIds,
  ),
  COSTBOT_ALLOWED_USERS: setting(
    '',
    'Comma-separated user ids allowed to use `/aws-cost` and its buttons (every listener); empty: all.',
    slackUserIds,
  ),
  COSTBOT_ADMIN_USERS: setting(
    '',
    'Comma-separated user ids who may subscribe, unsubscribe and remove subscriptions; listing stays open to everyone the allow-lists admit; empty: all.',
    slackUserIds,
  ),
  COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: setting(
    '10',
    'Subscriptions a channel may have, 1..20 (the list is one Slack message of 50 blocks at most; one `ListSchedules` page).',
    integer(1, CHANNEL_SUBSCRIPTIONS_CAP),
  ),
  COSTBOT_MAX_SUBSCRIPTIONS: setting(
    '200',
    'Subscriptions in all channels, 1..1000: far under EventBridge Scheduler\'s default quota of 10,000,000 schedules per account and Region (Scheduler User Guide, "Quotas"), and few enough to count (`ListSchedules`, 100 a page) within Slack\'s 3 s.',
    integer(1, 1000),
  ),
  COSTBOT_SCHEDULER_ROLE_ARN: setting(
    '',
    "ARN of the role EventBridge Scheduler runs subscriptions' schedules as (may only start the state machine; `aws` backend; set by the deploy).",
    optional(roleArn),
  ),
  COSTBOT_TIME_ZONE: setting(
    'UTC',
    "IANA time zone of a subscription that names none, e.g. `Europe/Paris` (set by the deploy from `scheduleTimeZone`, the digest's).",
    timeZone,
  ),
  PORT: setting('3000', 'Local bot and Slack console port on 127.0.0.1.', port),
  LOG_LEVEL: setting('info', '`debug`, `info`, `warn` or `error`.', oneOf(LOG_LEVELS)),
  COSTBOT_READER_ROLE_ARNS: setting(
    '',
    'Comma-separated reader role ARNs, at most one per member account; the fetch step assumes them for reports by account.',
    readerRoles,
  ),
  COSTBOT_READER_EXTERNAL_ID: setting(
    'costbot-reader',
    "ExternalId the reader roles require (the reader stack's `readerExternalId`).",
    externalId,
  ),
  COSTBOT_ASSETS_DIR: setting(
    '',
    'Directory holding the chart font and WebAssembly (set by the deploy to the Lambda task root); unset: from `node_modules`.',
    optional(filePath),
  ),
  COSTBOT_STACK: setting(
    'Costbot',
    'Stack whose outputs `npm run setup` reads (`--stack` wins).',
    matching(/^[A-Za-z][A-Za-z0-9-]{0,127}$/, 'a CloudFormation stack name'),
  ),
  SLACK_BOT_TOKEN: setting(
    '',
    'Local and Socket Mode runs: the bot token (`xoxb-…`), instead of the parameter store.',
    secret(/^xoxb-[\w-]+$/, 'a bot token starting with xoxb- (OAuth & Permissions page)'),
  ),
  SLACK_SIGNING_SECRET: setting(
    '',
    'Local and Socket Mode runs: the signing secret, instead of the parameter store.',
    secret(/^[0-9a-f]{32}$/i, '32 hex characters (Basic Information page)'),
  ),
  SLACK_APP_TOKEN: setting(
    '',
    '`xapp-…`: run the bot in Socket Mode against a real workspace.',
    secret(/^xapp-[\w-]+$/, 'an app-level token starting with xapp- (Basic Information page)'),
  ),
} satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof SETTINGS;
export type SettingValue<N extends SettingName> = ReturnType<(typeof SETTINGS)[N]['kind']>;

/** The trimmed value given for `name`; undefined when unset or blank. */
function given(source: SettingSource, name: string): Raw | undefined {
  const value = source.get(name);
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String);
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const trimmed = String(value).trim();
    return trimmed === '' ? undefined : trimmed;
  }
  return fail(
    { setting: name, source: source.source },
    `must be a string; got ${JSON.stringify(value)}.`,
  );
}

/**
 * Reads one setting from `source`: the value given, else `fallback`, parsed by `kind`.
 *
 * @example
 * readValue(contextSource, 'digestChannel', '#costs', slackChannel); // CDK context, same rule
 */
export function readValue<T>(
  source: SettingSource,
  name: string,
  fallback: string,
  kind: Kind<T>,
): T {
  return kind(given(source, name) ?? fallback, { setting: name, source: source.source });
}

/** Reads a setting that has no default: undefined when it is not given. */
export function readOptional<T>(source: SettingSource, name: string, kind: Kind<T>): T | undefined {
  const raw = given(source, name);
  return raw === undefined ? undefined : kind(raw, { setting: name, source: source.source });
}

export function environmentSource(env: Env): SettingSource {
  return { source: 'environment', get: (name) => env[name] };
}

/**
 * One setting from the environment, validated by its kind: for code that needs a single
 * setting and no `CostbotConfig` (the logger's level, the chart's asset directory).
 *
 * @example
 * readSetting(process.env, 'LOG_LEVEL'); // 'info' unless LOG_LEVEL is set
 */
export function readSetting<N extends SettingName>(env: Env, name: N): SettingValue<N> {
  const { default: fallback, kind } = SETTINGS[name];
  return readValue(environmentSource(env), name, fallback, kind as Kind<SettingValue<N>>);
}

/** Slack's secrets as Bolt apps take them from the environment; unset ones are absent. */
export interface SlackSecretsFromEnv {
  botToken?: string;
  signingSecret?: string;
  appToken?: string;
}

/**
 * `SLACK_BOT_TOKEN`, `SLACK_SIGNING_SECRET` and `SLACK_APP_TOKEN`, validated, for local and
 * Socket Mode runs: where set they win over the parameter store. Kept out of `CostbotConfig`
 * so no secret travels with the configuration.
 */
export function slackSecretsFromEnv(env: Env = process.env): SlackSecretsFromEnv {
  const botToken = readSetting(env, 'SLACK_BOT_TOKEN');
  const signingSecret = readSetting(env, 'SLACK_SIGNING_SECRET');
  const appToken = readSetting(env, 'SLACK_APP_TOKEN');
  return {
    ...(botToken ? { botToken } : {}),
    ...(signingSecret ? { signingSecret } : {}),
    ...(appToken ? { appToken } : {}),
  };
}

/**
 * The first line of a `.env` file that is neither blank, a comment nor `NAME=value` (outside a
 * quoted value spanning lines), 1-based; 0 when every line reads. Node's own parser skips such
 * lines silently, which would leave a mistyped secret unset without a word.
 */
function unreadableLine(content: string): number {
  let quote: string | undefined;
  const lines = content.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    if (quote !== undefined) {
      if (line.includes(quote)) quote = undefined;
      continue;
    }
    if (/^\s*(#.*)?$/.test(line)) continue;
    const value = /^\s*(?:export\s+)?[A-Za-z_][\w.-]*\s*=\s*(.*)$/.exec(line)?.[1];
    if (value === undefined || value.includes('\0')) return index + 1;
    const opening = value[0];
    if (
      (opening === '"' || opening === "'" || opening === '`') &&
      !value.slice(1).includes(opening)
    ) {
      quote = opening;
    }
  }
  return quote === undefined ? 0 : lines.length;
}

/**
 * Loads a `.env` file into `process.env` (with Node's `process.loadEnvFile`), as Bolt apps do
 * for local runs; a variable already set in the environment wins over the file. A missing file
 * is no error; one that cannot be read or parsed is a `LocalFileError` naming it and the line.
 * Local tooling only: Lambda functions get their environment from the deploy.
 *
 * @example
 * loadDotEnv(); // reads ./.env when there is one
 */
export function loadDotEnv(file = '.env'): boolean {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    throw new LocalFileError(file, `cannot be read (${code}): fix it or remove it.`, {
      cause: error,
    });
  }
  const line = unreadableLine(content);
  if (line > 0) {
    throw new LocalFileError(
      file,
      `cannot be parsed: line ${line} is not NAME=value, a comment or the rest of a quoted value; fix it or remove it.`,
    );
  }
  process.loadEnvFile(file);
  return true;
}

export function loadConfig(env: Env = process.env): CostbotConfig {
  const get = <N extends SettingName>(name: N) => readSetting(env, name);
  return {
    backend: get('COSTBOT_BACKEND'),
    bucket: get('COSTBOT_BUCKET'),
    chartPrefix: get('COSTBOT_CHART_PREFIX'),
    parameterNames: {
      signerAccessKeyId: get('COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID'),
      signerSecretAccessKey: get('COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY'),
      slackBotToken: get('COSTBOT_PARAM_SLACK_BOT_TOKEN'),
      slackSigningSecret: get('COSTBOT_PARAM_SLACK_SIGNING_SECRET'),
      linkKey: get('COSTBOT_PARAM_LINK_KEY'),
    },
    parameterCacheTtlSeconds: get('COSTBOT_PARAMETER_CACHE_TTL_SECONDS'),
    linkExpiresSeconds: get('COSTBOT_LINK_EXPIRES_SECONDS'),
    chartRetentionDays: get('COSTBOT_CHART_RETENTION_DAYS'),
    stableLinks: get('COSTBOT_STABLE_LINKS'),
    linksUrl: get('COSTBOT_LINKS_URL'),
    localLinksPort: get('COSTBOT_LOCAL_LINKS_PORT'),
    billingRegion: get('COSTBOT_BILLING_REGION'),
    billingCacheSeconds: get('COSTBOT_BILLING_CACHE_SECONDS'),
    topN: get('COSTBOT_TOP_N'),
    digestChannel: get('COSTBOT_DIGEST_CHANNEL'),
    localDir: get('COSTBOT_LOCAL_DIR'),
    localS3Port: get('COSTBOT_LOCAL_S3_PORT'),
    slackApiUrl: get('SLACK_API_URL'),
    stateMachineArn: get('COSTBOT_STATE_MACHINE_ARN'),
    allowedChannels: get('COSTBOT_ALLOWED_CHANNELS'),
    allowedUsers: get('COSTBOT_ALLOWED_USERS'),
    adminUsers: get('COSTBOT_ADMIN_USERS'),
    maxSubscriptionsPerChannel: get('COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL'),
    maxSubscriptions: get('COSTBOT_MAX_SUBSCRIPTIONS'),
    schedulerRoleArn: get('COSTBOT_SCHEDULER_ROLE_ARN'),
    timeZone: get('COSTBOT_TIME_ZONE'),
    port: get('PORT'),
    logLevel: get('LOG_LEVEL'),
    readerRoles: get('COSTBOT_READER_ROLE_ARNS'),
    readerExternalId: get('COSTBOT_READER_EXTERNAL_ID'),
  };
}

/**
 * Variables that AWS defines and sets (the SDK, Lambda, the CDK CLI), read here so every
 * environment read is in this module. Not validated: AWS owns their format.
 */
export interface AwsEnvironment {
  /** `AWS_REGION`: the SDK's region (Lambda sets it); `AWS_DEFAULT_REGION`: the CLI's older name. */
  region?: string;
  defaultRegion?: string;
  /** `AWS_ENDPOINT_URL`, `AWS_ENDPOINT_URL_<SERVICE>`: an emulator's endpoint (moto_server). */
  endpointUrl?: string;
  s3EndpointUrl?: string;
  ssmEndpointUrl?: string;
  /** `AWS_SESSION_TOKEN`: the function's session, the extension's request token. */
  sessionToken?: string;
  /** `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`: set by the Parameters and Secrets extension layer. */
  parametersExtensionPort?: string;
  /** `CDK_DEFAULT_ACCOUNT`: set by the CDK CLI from the credentials in use. */
  cdkDefaultAccount?: string;
}

export function awsEnvironment(env: Env = process.env): AwsEnvironment {
  return {
    region: env.AWS_REGION,
    defaultRegion: env.AWS_DEFAULT_REGION,
    endpointUrl: env.AWS_ENDPOINT_URL,
    s3EndpointUrl: env.AWS_ENDPOINT_URL_S3,
    ssmEndpointUrl: env.AWS_ENDPOINT_URL_SSM,
    sessionToken: env.AWS_SESSION_TOKEN,
    parametersExtensionPort: env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
    cdkDefaultAccount: env.CDK_DEFAULT_ACCOUNT,
  };
}
