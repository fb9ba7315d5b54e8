/**
 * The checks behind `npm run doctor` and `/aws-cost doctor`: what usually breaks a cost bot
 * (a missing or undecryptable parameter, a session key signing links that die in hours, billing
 * alerts off, a reader role nobody can assume, a bucket that refuses the chart, a revoked Slack
 * token, a bot outside its channel) is found before the first report fails, each with its fix.
 *
 * `runDoctor` never throws: a check that throws, or takes longer than `timeoutMs`, is reported
 * as failed. Values of secrets never appear in a result; access key ids only as `AKIA…WXYZ`.
 *
 * @example
 * const results = await runDoctor(deps, { only: BOT_CHECKS });
 * console.log(formatTable(results));
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { awsCall } from '../common/aws-errors.ts';
import type { ParameterNames } from '../common/config.ts';
import { MAX_LINK_SECONDS } from '../common/link-signer.ts';
import { slackHint } from '../workflows/steps/post/delivery.ts';
import { CronError, CronUnsupportedError, formatInZone, nextRun } from './cron.ts';
import { type Described, describeError, errorCode, errorMessage } from './describe.ts';
import {
  ALL_CHECKS,
  type CheckGroup,
  type CheckResult,
  type CheckStatus,
  type DoctorDeps,
  type IdentityApi,
  NotCheckableError,
} from './types.ts';

/** The scopes the bot uses (`bot/manifest.json`): the slash command and posting. */
export const REQUIRED_SCOPES = ['commands', 'chat:write'] as const;
export const DEFAULT_ROTATION_DAYS = 90;
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Written by the bucket check: below the chart prefix, where the chart step may write. */
export const BUCKET_CHECK_KEY = 'doctor-check.txt';

const DAY_MS = 86_400_000;

/** The setting that names each parameter, for fixes. */
const PARAMETER_SETTINGS: Record<keyof ParameterNames, string> = {
  signerAccessKeyId: 'COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID',
  signerSecretAccessKey: 'COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY',
  slackBotToken: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
  slackSigningSecret: 'COSTBOT_PARAM_SLACK_SIGNING_SECRET',
};

const PARAMETER_KEYS = Object.keys(PARAMETER_SETTINGS) as (keyof ParameterNames)[];

/** Per parameter: the value, or why it could not be read. Never leaves this module. */
type ReadParameter = { value: string; type?: string } | { error: unknown };

export interface RunOptions {
  /** Groups to run, in this order; default all. */
  only?: readonly CheckGroup[];
  /**
   * Whose credentials run the checks. From the bot, AWS refusing a call the bot's role is not
   * meant to make (it reads only the Slack parameters) is a warning, not a failure, and no
   * statement is offered: widening the bot's role is not the fix.
   */
  perspective?: 'deployer' | 'bot';
}

/** `AKIA…WXYZ`: enough to tell keys apart, not enough to use one. */
export function maskKeyId(id: string): string {
  return id.length > 8 ? `${id.slice(0, 4)}…${id.slice(-4)}` : '…';
}

/** `7 days`, `3 days 4 hours`, `5 hours`, `12 minutes`. */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? '' : 's'}`;
  if (days > 0)
    return hours > 0 ? `${plural(days, 'day')} ${plural(hours, 'hour')}` : plural(days, 'day');
  if (hours > 0) return plural(hours, 'hour');
  return plural(minutes % 60, 'minute');
}

function isoDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function utc(date: Date): string {
  return `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

class CheckTimeoutError extends Error {
  override name = 'CheckTimeoutError';
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(`No answer within ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Shared by every check: the options, the clock, and how a failure becomes a result. */
class Context {
  readonly now: Date;
  readonly rotationDays: number;
  readonly timeoutMs: number;

  constructor(
    readonly deps: DoctorDeps,
    readonly options: RunOptions,
  ) {
    this.now = deps.now?.() ?? new Date();
    this.rotationDays = deps.rotationDays ?? DEFAULT_ROTATION_DAYS;
    this.timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  call<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, this.timeoutMs);
  }

  /** A result for an error; `status` is what a non-authorization error means here. */
  failed(id: string, title: string, error: unknown, status: CheckStatus = 'fail'): CheckResult {
    if (error instanceof NotCheckableError) {
      return { id, title, status: 'warn', detail: `Cannot tell: ${error.message}` };
    }
    const d = describeError(error);
    return this.fromDescribed(id, title, d, status);
  }

  fromDescribed(id: string, title: string, d: Described, status: CheckStatus): CheckResult {
    if (d.denied && this.options.perspective === 'bot') {
      return {
        id,
        title,
        status: 'warn',
        detail: `Not checked from the bot: ${d.detail}`,
        fix: "By design the bot's role only reads the Slack parameters and starts reports; run `npm run doctor` with deployer credentials to check this.",
      };
    }
    return {
      id,
      title,
      status,
      detail: d.detail,
      ...(d.fix ? { fix: d.fix } : {}),
      ...(d.statement ? { statement: d.statement } : {}),
    };
  }
}

// ---------------------------------------------------------------------------------------------
// Parameters

async function readParameters(ctx: Context): Promise<Map<keyof ParameterNames, ReadParameter>> {
  const { parameterNames } = ctx.deps.config;
  const entries = await Promise.all(
    PARAMETER_KEYS.map(async (key): Promise<[keyof ParameterNames, ReadParameter]> => {
      const name = parameterNames[key];
      try {
        // One name per call: a missing one must not hide the others.
        const values = await ctx.call(ctx.deps.parameters.get([name]));
        const value = values[name] ?? '';
        const type = await ctx
          .call(ctx.deps.parameterType?.(name) ?? Promise.resolve(undefined))
          .catch(() => undefined);
        return [key, type ? { value, type } : { value }];
      } catch (error) {
        return [key, { error }];
      }
    }),
  );
  return new Map(entries);
}

/** Why a value read fine but is probably the wrong thing; null when it looks right. */
function shapeProblem(key: keyof ParameterNames, value: string): string | null {
  switch (key) {
    case 'signerAccessKeyId':
      return /^(AKIA|ASIA)[A-Z0-9]{16}$/.test(value)
        ? null
        : 'does not look like an AWS access key id (AKIA + 16 letters or digits)';
    case 'signerSecretAccessKey':
      return /^[A-Za-z0-9/+=]{40}$/.test(value)
        ? null
        : 'does not look like a secret access key (40 characters)';
    case 'slackBotToken':
      return value.startsWith('xoxb-') ? null : 'is not a Slack bot token (xoxb-…)';
    case 'slackSigningSecret':
      return null;
  }
}

function parameterResults(
  ctx: Context,
  read: Map<keyof ParameterNames, ReadParameter>,
): CheckResult[] {
  return PARAMETER_KEYS.map((key) => {
    const name = ctx.deps.config.parameterNames[key];
    const id = `parameter.${key}`;
    const title = `Parameter ${name}`;
    const entry = read.get(key);
    if (!entry || 'error' in entry) {
      const error = entry?.error;
      if (
        errorCode(error) === 'ParameterNotFoundError' ||
        errorCode(error) === 'ParameterNotFound'
      ) {
        return {
          id,
          title,
          status: 'fail',
          detail: `${name} does not exist.`,
          fix:
            ctx.deps.missingParameterFix ??
            `Run \`npm run setup\` to create it, or set ${PARAMETER_SETTINGS[key]} to the name you used.`,
        };
      }
      return ctx.failed(id, title, error);
    }
    if (entry.value === '') {
      return {
        id,
        title,
        status: 'fail',
        detail: `${name} is empty.`,
        fix: 'Run `npm run setup` to store the value.',
      };
    }
    const problem = shapeProblem(key, entry.value);
    if (problem) {
      return {
        id,
        title,
        status: 'warn',
        detail: `${name} was read but ${problem}.`,
        fix: 'Check what was stored there (`npm run setup` writes the right values).',
      };
    }
    if (entry.type === 'String' || entry.type === 'StringList') {
      return {
        id,
        title,
        status: 'warn',
        detail: `${name} is a plain ${entry.type}: whoever may read the parameter sees the secret, and it is not encrypted at rest.`,
        fix: 'Store it as a SecureString (`npm run setup` does).',
      };
    }
    return {
      id,
      title,
      status: 'ok',
      detail: entry.type ? `Exists and decrypts (${entry.type}).` : 'Exists and was read.',
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Signer key

/** The signer's key: permanent, active, not too old, and so how long a link signed now lives. */
async function signerResults(
  ctx: Context,
  read: Map<keyof ParameterNames, ReadParameter>,
): Promise<CheckResult[]> {
  const entry = read.get('signerAccessKeyId');
  const paramName = ctx.deps.config.parameterNames.signerAccessKeyId;
  if (!entry || 'error' in entry || entry.value === '') {
    return [
      {
        id: 'signer.key',
        title: 'Link-signing key',
        status: 'warn',
        detail: `Not checked: ${paramName} could not be read (see the parameter check).`,
      },
    ];
  }
  const keyId = entry.value;
  const masked = maskKeyId(keyId);
  const configured = Math.min(ctx.deps.config.linkExpiresSeconds, MAX_LINK_SECONDS) * 1000;
  const results: CheckResult[] = [];
  const typeTitle = 'Link-signing key is a permanent IAM user key';
  const lifetimeTitle = 'Lifetime of a link signed now';

  if (keyId.startsWith('ASIA')) {
    results.push({
      id: 'signer.key-type',
      title: typeTitle,
      status: 'fail',
      detail: `${masked} in ${paramName} is a temporary session key (ASIA…): a link signed with it stops working when the session ends, within hours, whatever X-Amz-Expires says.`,
      fix: 'Store the access key of the dedicated IAM signer user (AKIA…) there: run `npm run setup`.',
    });
    results.push({
      id: 'signer.link-lifetime',
      title: lifetimeTitle,
      status: 'fail',
      detail: `Hours at most (until the session behind ${masked} ends), not ${formatDuration(configured)}.`,
    });
    return results;
  }
  if (!keyId.startsWith('AKIA')) {
    results.push({
      id: 'signer.key-type',
      title: typeTitle,
      status: 'warn',
      detail: `${paramName} does not hold an AWS access key id (AKIA…).`,
      fix: 'Run `npm run setup` to store the signer user’s key.',
    });
    return results;
  }
  results.push({
    id: 'signer.key-type',
    title: typeTitle,
    status: 'ok',
    detail: `${masked} is a long-term IAM user key: links can live the full ${formatDuration(configured)}.`,
  });

  const identity = ctx.deps.identity;
  const activeTitle = 'Link-signing key is active';
  const ageTitle = `Link-signing key age (rotation every ${ctx.rotationDays} days)`;
  let created: Date | undefined;
  let active: boolean | undefined;
  if (!identity) {
    const why = ctx.deps.noIdentityReason ?? 'no IAM access';
    results.push(
      {
        id: 'signer.key-active',
        title: activeTitle,
        status: 'warn',
        detail: `Cannot tell: ${why}.`,
      },
      { id: 'signer.key-age', title: ageTitle, status: 'warn', detail: `Cannot tell: ${why}.` },
    );
  } else {
    const activeResult = await keyStatus(ctx, identity, keyId);
    results.push(activeResult.result);
    created = activeResult.created;
    active = activeResult.active;
    results.push(ageResult(ctx, ageTitle, created, activeResult.result.status));
  }
  results.push(lifetimeResult(ctx, lifetimeTitle, { configured, created, active, masked }));
  return results;
}

async function keyStatus(
  ctx: Context,
  identity: IdentityApi,
  keyId: string,
): Promise<{ result: CheckResult; created?: Date; active?: boolean }> {
  const id = 'signer.key-active';
  const title = 'Link-signing key is active';
  const masked = maskKeyId(keyId);
  let owner: { userName: string; lastUsed?: Date };
  try {
    owner = await ctx.call(identity.accessKeyOwner(keyId));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'NoSuchEntity' || code === 'NoSuchEntityException') {
      return {
        active: false,
        result: {
          id,
          title,
          status: 'fail',
          detail: `${masked} does not exist in this account: it was deleted, or belongs to another account. Links signed with it do not open.`,
          fix: 'Create a key for the signer user and store it: `npm run setup`.',
        },
      };
    }
    return { result: cannotTell(ctx, id, title, error) };
  }
  let keys: Awaited<ReturnType<NonNullable<DoctorDeps['identity']>['listAccessKeys']>>;
  try {
    keys = await ctx.call(identity.listAccessKeys(owner.userName));
  } catch (error) {
    return { result: cannotTell(ctx, id, title, error) };
  }
  const key = keys.find((k) => k.accessKeyId === keyId);
  const used = owner.lastUsed ? `last used ${isoDay(owner.lastUsed)}` : 'never used yet';
  if (!key) {
    return {
      result: {
        id,
        title,
        status: 'warn',
        detail: `Cannot tell: ${masked} is not among the keys of IAM user ${owner.userName}.`,
      },
    };
  }
  if (key.status !== 'Active') {
    return {
      created: key.created,
      active: false,
      result: {
        id,
        title,
        status: 'fail',
        detail: `${masked} of IAM user ${owner.userName} is ${key.status}: links signed with it do not open.`,
        fix: `Activate it (\`aws iam update-access-key --user-name ${owner.userName} --access-key-id <id> --status Active\`) or store an active key with \`npm run setup\`.`,
      },
    };
  }
  return {
    created: key.created,
    active: true,
    result: {
      id,
      title,
      status: 'ok',
      detail: `${masked} of IAM user ${owner.userName} is active, ${used}.`,
    },
  };
}

/** A warn: the question could not be answered, with why (explained when it was a refusal). */
function cannotTell(ctx: Context, id: string, title: string, error: unknown): CheckResult {
  const d = describeError(error);
  return ctx.fromDescribed(id, title, { ...d, detail: `Cannot tell: ${d.detail}` }, 'warn');
}

function ageResult(
  ctx: Context,
  title: string,
  created: Date | undefined,
  activeStatus: CheckStatus,
): CheckResult {
  const id = 'signer.key-age';
  if (!created) {
    return {
      id,
      title,
      status: 'warn',
      detail:
        activeStatus === 'ok'
          ? 'Cannot tell: IAM did not give the key’s creation date.'
          : 'Cannot tell: the key’s details could not be read (see above).',
    };
  }
  const age = ctx.now.getTime() - created.getTime();
  const due = new Date(created.getTime() + ctx.rotationDays * DAY_MS);
  const days = Math.floor(age / DAY_MS);
  if (due.getTime() <= ctx.now.getTime()) {
    return {
      id,
      title,
      status: 'warn',
      detail: `Created ${isoDay(created)}: ${days} days old, past the ${ctx.rotationDays}-day rotation (due ${isoDay(due)}).`,
      fix: 'Rotate: create a second key for the signer user, store it with `npm run setup`, keep the old one active 7 more days so links already posted keep opening, then deactivate it.',
    };
  }
  return {
    id,
    title,
    status: 'ok',
    detail: `Created ${isoDay(created)}: ${days} days old; rotation due ${isoDay(due)} (in ${formatDuration(due.getTime() - ctx.now.getTime())}).`,
  };
}

/**
 * A link dies when it expires or when its key stops working, whichever comes first. The key
 * is expected to be deactivated at its rotation date, so that bounds a link signed now.
 */
function lifetimeResult(
  ctx: Context,
  title: string,
  key: { configured: number; created?: Date; active?: boolean; masked: string },
): CheckResult {
  const id = 'signer.link-lifetime';
  const expires = new Date(ctx.now.getTime() + key.configured);
  const full = `${formatDuration(key.configured)} (until ${utc(expires)})`;
  if (key.active === false) {
    return {
      id,
      title,
      status: 'fail',
      detail: `None: ${key.masked} does not work, so a link signed with it does not open.`,
    };
  }
  if (!key.created) {
    return {
      id,
      title,
      status: 'warn',
      detail: `${full}, if ${key.masked} stays active that long: its age could not be read.`,
    };
  }
  const due = key.created.getTime() + ctx.rotationDays * DAY_MS;
  const remaining = due - ctx.now.getTime();
  if (remaining <= 0) {
    return {
      id,
      title,
      status: 'warn',
      detail: `${full} only while the overdue key stays active: deactivating it ends every link signed with it.`,
      fix: 'Rotate now, and keep the old key active until its last link expires (7 days).',
    };
  }
  if (remaining < key.configured) {
    return {
      id,
      title,
      status: 'warn',
      detail: `${formatDuration(remaining)}, not ${formatDuration(key.configured)}, if ${key.masked} is deactivated on its rotation date (${isoDay(new Date(due))}).`,
      fix: `Rotate the key now, or keep it active until ${isoDay(expires)} so links posted today live their full ${formatDuration(key.configured)}.`,
    };
  }
  return { id, title, status: 'ok', detail: `${full}.` };
}

// ---------------------------------------------------------------------------------------------
// Billing metrics

async function billingResults(ctx: Context): Promise<CheckResult[]> {
  const region = ctx.deps.config.billingRegion;
  const id = 'billing.metrics';
  const title = `Billing metrics in ${region}`;
  const billing = ctx.deps.billing;
  if (!billing) {
    return [{ id, title, status: 'warn', detail: 'Not checked: no CloudWatch client.' }];
  }
  let page: Awaited<ReturnType<typeof billing.listMetrics>>;
  try {
    page = await ctx.call(
      billing.listMetrics({ Namespace: 'AWS/Billing', MetricName: 'EstimatedCharges' }),
    );
  } catch (error) {
    return [ctx.failed(id, title, error)];
  }
  const metrics = page.Metrics ?? [];
  if (metrics.length === 0) {
    const elsewhere =
      region === 'us-east-1'
        ? ''
        : ` AWS publishes billing metrics only in us-east-1, and COSTBOT_BILLING_REGION is ${region}.`;
    return [
      {
        id,
        title,
        status: 'fail',
        detail: `No AWS/Billing EstimatedCharges metrics in ${region}: billing alerts are off (Billing preferences → Receive Billing Alerts) or this is not the payer account.${elsewhere}`,
        fix: 'In the payer (management) account, open Billing preferences and turn on "Receive Billing Alerts"; metrics appear within a few hours. If this is a member account, run costbot in the payer account or read it through a reader role.',
      },
    ];
  }
  const dims = metrics.map((m) => new Set((m.Dimensions ?? []).map((d) => d.Name ?? '')));
  const services = dims.filter((d) => d.has('ServiceName')).length;
  const accounts = dims.filter((d) => d.has('LinkedAccount')).length;
  const count = `${metrics.length}${page.NextToken ? '+' : ''}`;
  return [
    {
      id,
      title,
      status: 'ok',
      detail: `${count} EstimatedCharges series (${services} by service, ${accounts} by linked account).`,
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Reader roles

/** `arn:aws:sts::A:assumed-role/R/S` → `arn:aws:iam::A:role/R`; other ARNs as they are. */
function principalOf(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

/** AWS principals an Allow statement for sts:AssumeRole names in a trust policy. */
export function trustedPrincipals(policy: unknown): string[] {
  const doc = (typeof policy === 'string' ? JSON.parse(policy) : policy) as {
    Statement?: unknown;
  };
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
  const out: string[] = [];
  for (const s of statements as { Effect?: string; Action?: unknown; Principal?: unknown }[]) {
    if (s?.Effect !== 'Allow') continue;
    const actions = ([] as unknown[]).concat(s.Action ?? []);
    if (!actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) continue;
    if (s.Principal === '*') {
      out.push('*');
      continue;
    }
    const aws = (s.Principal as { AWS?: unknown } | undefined)?.AWS;
    for (const p of ([] as unknown[]).concat(aws ?? [])) if (typeof p === 'string') out.push(p);
  }
  return out;
}

/** Whether a trust policy principal covers the caller (the account itself counts). */
function covers(principal: string, caller: string): boolean {
  if (principal === '*' || principal === caller) return true;
  const account = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(caller)?.[1];
  if (!account) return false;
  if (principal === account || principal === `arn:aws:iam::${account}:root`) return true;
  // A role ARN in a policy may carry a path the session ARN does not show.
  const name = /:role\/(?:.*\/)?([^/]+)$/.exec(caller)?.[1];
  return (
    name !== undefined &&
    new RegExp(
      `^arn:aws[a-z-]*:iam::${account}:role/(?:.*/)?${name.replace(/[.+]/g, '\\$&')}$`,
    ).test(principal)
  );
}

/** `Reader role costbot-cloudwatch-reader (111111111111) can be assumed`: short enough for a table. */
function readerTitle(roleArn: string): string {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m
    ? `Reader role ${m[2]} (${m[1]}) can be assumed`
    : `Reader role ${roleArn} can be assumed`;
}

async function readerResults(ctx: Context): Promise<CheckResult[]> {
  const roles = ctx.deps.readerRoles?.arns ?? [];
  if (roles.length === 0) {
    return [
      {
        id: 'readers',
        title: 'Reader roles in member accounts',
        status: 'ok',
        detail: 'None configured (readerRoleArns): costs are read in this account only.',
      },
    ];
  }
  const identity = ctx.deps.identity;
  if (!identity) {
    return roles.map((arn) => ({
      id: `reader.${arn}`,
      title: readerTitle(arn),
      status: 'warn' as const,
      detail: `Cannot tell: ${ctx.deps.noIdentityReason ?? 'no STS access'}.`,
    }));
  }
  return Promise.all(roles.map((arn) => readerResult(ctx, identity, arn)));
}

async function readerResult(
  ctx: Context,
  identity: IdentityApi,
  roleArn: string,
): Promise<CheckResult> {
  const id = `reader.${roleArn}`;
  const title = readerTitle(roleArn);
  const externalId = ctx.deps.readerRoles?.externalId;
  try {
    const assumed = await ctx.call(identity.assumeRole(roleArn, externalId));
    return { id, title, status: 'ok', detail: `Assumed as ${assumed.arn}.` };
  } catch (error) {
    const d = describeError(error);
    if (!d.denied) return ctx.failed(id, title, error);
    // Who asked: AWS names it in the refusal; else ask STS.
    const named = /User: (arn:\S+) is not authorized/.exec(errorMessage(error))?.[1];
    const caller = named ?? (await ctx.call(identity.callerArn()).catch(() => undefined));
    const trust = await ctx
      .call(identity.trustPolicy(roleArn))
      .then(trustedPrincipals)
      .catch(() => undefined);
    if (!caller || !trust) {
      return ctx.fromDescribed(
        id,
        title,
        {
          ...d,
          detail: `${d.detail} The trust policy of the role could not be read, so which side refused cannot be told.`,
        },
        'fail',
      );
    }
    const who = principalOf(caller);
    const external = externalId ? ' and the sts:ExternalId condition' : '';
    if (!trust.some((p) => covers(p, who))) {
      return ctx.fromDescribed(
        id,
        title,
        {
          denied: true,
          detail: `The trust policy of ${roleArn} trusts ${trust.join(', ') || 'no AWS principal'}, not ${who}: the role's trust policy refused the call, not the caller's own policy.`,
          fix: `Add ${who} as a Principal (with sts:AssumeRole${external}) to the trust policy of ${roleArn}. If the principal it trusts is costbot's fetch role, production is fine and only that role can check it.`,
        },
        'fail',
      );
    }
    return ctx.fromDescribed(
      id,
      title,
      {
        denied: true,
        detail: `The trust policy of ${roleArn} trusts ${who}, so the caller's own policy refused sts:AssumeRole${externalId ? ` (or the ExternalId "${externalId}" is not the one the role requires)` : ''}.`,
        fix: `Allow sts:AssumeRole on ${roleArn} in a policy attached to ${who}.`,
        statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn },
      },
      'fail',
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Bucket

/**
 * Puts a tiny object at `<chartPrefix>doctor-check.txt`: below the prefix, because the chart
 * step's role may write only there, and always the same key, so checks never pile up (the
 * bucket's lifecycle rule for charts expires it). It is not deleted: no costbot role may delete.
 */
async function bucketResults(ctx: Context): Promise<CheckResult[]> {
  const { bucket, chartPrefix } = ctx.deps.config;
  const key = `${chartPrefix}${BUCKET_CHECK_KEY}`;
  const id = 'bucket.put';
  const title = `Bucket ${bucket} accepts a chart`;
  const s3 = ctx.deps.s3;
  if (!s3) return [{ id, title, status: 'warn', detail: 'Not checked: no S3 client.' }];
  try {
    await ctx.call(
      awsCall({ service: 'S3', operation: 'PutObject' }, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: `costbot doctor check, ${ctx.now.toISOString()}\n`,
            ContentType: 'text/plain; charset=utf-8',
          }),
        ),
      ),
    );
    return [{ id, title, status: 'ok', detail: `PutObject ${key} succeeded.` }];
  } catch (error) {
    if (errorCode(error) === 'NoSuchBucket') {
      return [
        {
          id,
          title,
          status: 'fail',
          detail: `The bucket ${bucket} does not exist (or not in this account and region).`,
          fix: 'Deploy the stack (`npm run deploy`), or set COSTBOT_BUCKET to the bucket it created.',
        },
      ];
    }
    return [ctx.failed(id, title, error)];
  }
}

// ---------------------------------------------------------------------------------------------
// Slack

async function slackResults(
  ctx: Context,
  read: Map<keyof ParameterNames, ReadParameter>,
): Promise<CheckResult[]> {
  const authTitle = 'Slack token is valid';
  if (!ctx.deps.slack) {
    return [
      {
        id: 'slack.auth',
        title: authTitle,
        status: 'warn',
        detail: ctx.deps.noSlackReason ?? 'No Slack configured.',
      },
    ];
  }
  const token = read.get('slackBotToken');
  if (!token || 'error' in token || token.value === '') {
    return [
      {
        id: 'slack.auth',
        title: authTitle,
        status: 'warn',
        detail: `Not checked: ${ctx.deps.config.parameterNames.slackBotToken} could not be read (see the parameter check).`,
      },
    ];
  }
  const slack = ctx.deps.slack(token.value);
  let auth: Awaited<ReturnType<typeof slack.authTest>>;
  try {
    auth = await ctx.call(slack.authTest());
  } catch (error) {
    return [slackFailure(ctx, 'slack.auth', authTitle, error)];
  }
  const results: CheckResult[] = [
    {
      id: 'slack.auth',
      title: authTitle,
      status: 'ok',
      detail: `auth.test: bot user ${auth.userId ?? '?'} in workspace ${auth.team ?? '?'}.`,
    },
  ];
  const scopesTitle = `Slack token has the bot's scopes (${REQUIRED_SCOPES.join(', ')})`;
  if (auth.scopes === null) {
    results.push({
      id: 'slack.scopes',
      title: scopesTitle,
      status: 'warn',
      detail: 'Cannot tell: Slack sent no x-oauth-scopes header.',
    });
  } else {
    const missing = REQUIRED_SCOPES.filter((s) => !auth.scopes?.includes(s));
    results.push(
      missing.length === 0
        ? {
            id: 'slack.scopes',
            title: scopesTitle,
            status: 'ok',
            detail: `Granted: ${auth.scopes.join(', ')}.`,
          }
        : {
            id: 'slack.scopes',
            title: scopesTitle,
            status: 'fail',
            detail: `Missing: ${missing.join(', ')} (granted: ${auth.scopes.join(', ') || 'none'}).`,
            fix: 'Add them under oauth_config.scopes.bot in the app manifest (bot/manifest.json), reinstall the app, and store the new token with `npm run setup`.',
          },
    );
  }
  results.push(await channelResult(ctx, slack));
  return results;
}

function slackFailure(ctx: Context, id: string, title: string, error: unknown): CheckResult {
  const code = errorCode(error);
  if (code === 'slack_webapi_rate_limited_error') {
    return {
      id,
      title,
      status: 'warn',
      detail: 'Cannot tell: Slack rate-limited the check.',
      fix: 'Run the doctor again in a minute.',
    };
  }
  if (/^[a-z_]+$/.test(code) && !code.startsWith('slack_webapi_')) {
    return { id, title, status: 'fail', detail: `Slack answered "${code}".`, fix: slackHint(code) };
  }
  return {
    id,
    title,
    status: 'fail',
    detail: `Could not reach Slack at ${ctx.deps.config.slackApiUrl}: ${errorMessage(error)}`,
    fix: 'Check SLACK_API_URL and that this machine can reach it.',
  };
}

async function channelResult(
  ctx: Context,
  slack: ReturnType<NonNullable<DoctorDeps['slack']>>,
): Promise<CheckResult> {
  const channel = ctx.deps.config.digestChannel;
  const id = 'slack.channel';
  const title = `Bot is in the digest channel ${channel}`;
  try {
    const info = await ctx.call(slack.channelInfo(channel));
    const name = info.name ? `#${info.name} (${info.id})` : info.id;
    if (info.isArchived) {
      return {
        id,
        title,
        status: 'fail',
        detail: `${name} is archived: the digest cannot be posted there.`,
        fix: 'Choose another channel: set COSTBOT_DIGEST_CHANNEL (and digestChannel for the deploy).',
      };
    }
    if (!info.isMember) {
      return {
        id,
        title,
        status: 'fail',
        detail: `The bot is not a member of ${name}: the digest would fail with not_in_channel.`,
        fix: `Invite it: type \`/invite @costbot\` in ${info.name ? `#${info.name}` : name}.`,
      };
    }
    return { id, title, status: 'ok', detail: `The bot is a member of ${name}.` };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'missing_scope') {
      return {
        id,
        title,
        status: 'warn',
        detail:
          'Cannot tell: conversations.info needs channels:read (groups:read for a private channel), which the app does not ask for.',
        fix: 'Add channels:read to the manifest to let the doctor check membership, or invite the bot (`/invite @costbot`) and watch the first digest.',
      };
    }
    if (code === 'channel_not_found' && channel.startsWith('#')) {
      return {
        id,
        title,
        status: 'warn',
        detail: `Cannot tell: Slack looks channels up by id, and ${channel} is a name (posting by name still works).`,
        fix: 'Set COSTBOT_DIGEST_CHANNEL to the channel id (C0…, under the channel name → About) to let the doctor check it.',
      };
    }
    return slackFailure(ctx, id, title, error);
  }
}

// ---------------------------------------------------------------------------------------------
// Schedule

function isUtc(timeZone: string): boolean {
  return /^(?:Etc\/)?(?:UTC|GMT|Zulu|UCT)$/i.test(timeZone);
}

function scheduleResults(ctx: Context): CheckResult[] {
  const id = 'schedule.next';
  const title = 'Next morning digest';
  const schedule = ctx.deps.schedule;
  if (!schedule) return [{ id, title, status: 'warn', detail: 'No schedule configured.' }];
  const { cron, timeZone } = schedule;
  try {
    const next = nextRun(cron, timeZone, ctx.now);
    if (!next) {
      return [
        {
          id,
          title,
          status: 'warn',
          detail: `${cron} in ${timeZone} never runs again.`,
          fix: 'Fix scheduleCron (cdk.json or -c scheduleCron=…) and deploy.',
        },
      ];
    }
    const inZone = formatInZone(next, timeZone);
    return [
      {
        id,
        title,
        status: 'ok',
        detail: `${inZone} ${timeZone}${isUtc(timeZone) ? '' : ` (${utc(next)})`}, in ${formatDuration(next.getTime() - ctx.now.getTime())}: ${cron}.`,
      },
    ];
  } catch (error) {
    if (error instanceof CronUnsupportedError) {
      return [{ id, title, status: 'warn', detail: `Cannot compute: ${error.message}` }];
    }
    if (error instanceof CronError) {
      return [
        {
          id,
          title,
          status: 'fail',
          detail: `${cron} in ${timeZone}: ${error.message}`,
          fix: 'Fix scheduleCron / scheduleTimeZone (cdk.json or -c key=value) and deploy.',
        },
      ];
    }
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------

/** Runs the checks (all, or `options.only`) and returns their results in a stable order. */
export async function runDoctor(
  deps: DoctorDeps,
  options: RunOptions = {},
): Promise<CheckResult[]> {
  const ctx = new Context(deps, options);
  const groups = new Set(options.only ?? ALL_CHECKS);
  const needsParameters = ['parameters', 'signer', 'slack'].some((g) =>
    groups.has(g as CheckGroup),
  );
  const read = needsParameters ? await readParameters(ctx) : new Map();

  const run = async (group: CheckGroup): Promise<CheckResult[]> => {
    try {
      switch (group) {
        case 'parameters':
          return parameterResults(ctx, read);
        case 'signer':
          return await signerResults(ctx, read);
        case 'billing':
          return await billingResults(ctx);
        case 'readers':
          return await readerResults(ctx);
        case 'bucket':
          return await bucketResults(ctx);
        case 'slack':
          return await slackResults(ctx, read);
        case 'schedule':
          return scheduleResults(ctx);
      }
    } catch (error) {
      // A bug or an unexpected answer in one check must not hide the others.
      return [ctx.failed(group, `Check "${group}"`, error)];
    }
  };
  const ordered = (options.only ?? ALL_CHECKS).filter((g, i, all) => all.indexOf(g) === i);
  const results = await Promise.all(ordered.map(run));
  return results.flat();
}

/** The exit status a CLI should use: 1 when anything failed. */
export function exitCode(results: CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
