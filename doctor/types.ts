/**
 * The shapes behind `npm run doctor` and `/aws-cost doctor`: one result per check, and the
 * clients the checks use, each injected so the same checks run against AWS, moto_server, the
 * local defaults or a test's fakes.
 *
 * Every client is narrow on purpose (a function or two, not an SDK client): a check needs only
 * one call, and a fake in a test is then a few lines.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { CostbotConfig } from '../common/config.ts';
import type { ParameterReader } from '../common/parameters.ts';
import type { Subscription } from '../common/subscription.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail';

/** A policy statement a person can paste (from the AccessDenied explainer). */
export interface PolicyStatement {
  Effect: 'Allow';
  Action: string;
  Resource: string;
}

export interface CheckResult {
  /** Stable, for tests and scripts: `parameter.slackBotToken`, `billing.metrics`, ... */
  id: string;
  /** What was checked, as a person would say it. */
  title: string;
  status: CheckStatus;
  /** What was found. Plain text: formatters escape it for their medium. */
  detail: string;
  /** What to do, when there is something to do. */
  fix?: string;
  /** The statement that would allow a denied call, when the explainer could name one. */
  statement?: PolicyStatement;
}

/** What the bill knows of the subscriptions: some whole, the rest by count (priced as daily). */
export interface KnownSubscriptions {
  known: Subscription[];
  /** Where the known ones are, in words: `in this channel`, `in subscriptions.json`. */
  where: string;
  others: number;
}

/** The groups of checks; the bot runs only some of them (see `BOT_CHECKS`). */
export type CheckGroup =
  | 'parameters'
  | 'signer'
  | 'billing'
  | 'readers'
  | 'bucket'
  | 'slack'
  | 'schedule'
  | 'bill';

export const ALL_CHECKS: readonly CheckGroup[] = [
  'parameters',
  'signer',
  'billing',
  'readers',
  'bucket',
  'slack',
  'schedule',
  'bill',
];

/**
 * What makes sense from the bot: it has a Slack client, reads parameters and may reach the
 * bucket and CloudWatch. IAM key ages, reader roles and the schedule are the deployer's
 * business (`npm run doctor`), and the bot's role may not see them. The bill is arithmetic:
 * from the bot it assumes one digest a day.
 */
export const BOT_CHECKS: readonly CheckGroup[] = [
  'parameters',
  'slack',
  'bucket',
  'billing',
  'bill',
];

/** How `runDoctor` runs the checks. */
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

/** IAM and STS, as the signer and reader-role checks need them. Errors are thrown as the SDK's. */
export interface IdentityApi {
  /** STS GetCallerIdentity: the ARN the doctor runs as. */
  callerArn(): Promise<string>;
  /** IAM GetAccessKeyLastUsed: the user that owns a key, and when it was last used. */
  accessKeyOwner(accessKeyId: string): Promise<{ userName: string; lastUsed?: Date }>;
  /** IAM ListAccessKeys for a user. */
  listAccessKeys(
    userName: string,
  ): Promise<{ accessKeyId: string; status: string; created?: Date }[]>;
  /** STS AssumeRole; resolves with the assumed-role ARN. */
  assumeRole(roleArn: string, externalId?: string): Promise<{ arn: string }>;
  /** IAM GetRole: the role's trust policy, parsed. Cross-account roles usually deny this. */
  trustPolicy(roleArn: string): Promise<unknown>;
}

/** What the Slack checks need; `webClientSlackApi` adapts a `WebClient`. */
export interface SlackApi {
  /** auth.test; `scopes` from the `x-oauth-scopes` header, null when Slack sent none. */
  authTest(): Promise<{ team?: string; userId?: string; scopes: string[] | null }>;
  /** conversations.info. */
  channelInfo(
    channel: string,
  ): Promise<{ id: string; name?: string; isMember: boolean; isArchived: boolean }>;
}

/** CloudWatch ListMetrics, as `MetricsApi` (fetch step) and `DemoMetrics` answer it. */
export interface BillingMetricsApi {
  listMetrics(input: { Namespace?: string; MetricName?: string; NextToken?: string }): Promise<{
    Metrics?: { Dimensions?: { Name?: string; Value?: string }[] }[];
    NextToken?: string;
  }>;
}

export interface DoctorDeps {
  config: Pick<
    CostbotConfig,
    | 'bucket'
    | 'chartPrefix'
    | 'parameterNames'
    | 'linkExpiresSeconds'
    | 'billingRegion'
    | 'digestChannel'
    | 'slackApiUrl'
  >;
  /** Reads (and decrypts) parameters; uncached, so a fixed parameter shows at once. */
  parameters: ParameterReader;
  /** The parameter's type (`SecureString`, `String`), when the store can say. */
  parameterType?: (name: string) => Promise<string | undefined>;
  /** IAM/STS; absent: the signer's status and reader roles cannot be checked (warn). */
  identity?: IdentityApi;
  /** CloudWatch in the billing region. */
  billing?: BillingMetricsApi;
  /** A client that can put into the charts bucket. */
  s3?: Pick<S3Client, 'send'>;
  /** Builds the Slack client from the bot token; absent: no Slack configured. */
  slack?: (botToken: string) => SlackApi;
  /** Why there is no Slack, shown in the warn (e.g. the local backend's console). */
  noSlackReason?: string;
  /** Why there is no IAM, shown in the warn. */
  noIdentityReason?: string;
  /** What to do about a missing parameter; default: run `npm run setup` or rename the setting. */
  missingParameterFix?: string;
  /** Reader roles in member accounts the fetch step assumes, and the ExternalId they require. */
  readerRoles?: { arns: string[]; externalId?: string };
  /** The digest schedule, as deployed: `cron(...)` and an IANA time zone. */
  schedule?: { cron: string; timeZone: string };
  /**
   * The subscriptions whose runs the bill prices, when a store is at hand: those known whole
   * (the asking channel's, or all of a local file), and how many more exist, known by count.
   */
  subscriptions?: () => Promise<KnownSubscriptions>;
  /** Days after which the signer key should be rotated. Default 90. */
  rotationDays?: number;
  /** Per-check time limit, so a dead endpoint cannot hang the doctor. Default 10 s. */
  timeoutMs?: number;
  now?: () => Date;
}
