/**
 * The cost report state machine, written with aws-cdk-lib's Step Functions constructs in
 * JSONPath (the local runner ignores JSONata). One definition serves both report kinds: the
 * input's `kind` and `responseUrl` decide where the Post step delivers.
 *
 *   Route? ─┬─ NameScheduledRun → ByAccount? ─┬─ (as below)
 *           ├─ FetchAccounts (Map ≤ 5: FetchAccount) ──────┬─→ Summarize → ConditionMet? ─┬─ RenderAndStore → [Sign →] Post
 *           └─ Fetch ─────────────────────────────────────┘                              └─ ConditionNotMet
 *     └──── any error (Catch, ResultPath $.error) ────→ ReportFailure → ReportDelivered? ─┬─ Delivered
 *                                                                                      └─ Failed
 *
 * A request naming accounts fans out: one FetchAccount per account, through the account's
 * reader role when one is configured (a role is per account, so one batched read cannot
 * serve them all). At most 5 run at once: enough to keep a 100-account digest short, few
 * enough to stay far from CloudWatch's and STS's request rates. Every other request takes the
 * single Fetch, one batched read.
 *
 * Sign (a presigned S3 link) is there only with stable links off: with them on, Post mints the
 * chart's stable link and the links function presigns on each view, so a Sign state would be a
 * transition, an invocation and a read of the signer's keys that no message uses.
 *
 * A subscription's run posts only when its condition holds: Summarize judges it into `$.gate`
 * and ConditionMet? ends the run in ConditionNotMet (a success, with the reason in its output)
 * before a chart is rendered, stored or posted; without a condition the gate always passes.
 *
 * Retries live here, not in the SDK clients: throttling and outages of AWS and of Slack are
 * retried with jittered backoff; Slack's rate limit with waits longer than Slack usually asks
 * for. Post delivers once per request (a delivery record in the bucket), so a retried Post
 * never posts twice. After the failure is posted the execution still fails, so it is never a
 * silent success; but when the report itself had reached Slack (Post failed after Slack
 * answered), ReportFailure posts nothing and the execution ends as Delivered.
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Choice,
  Condition,
  DefinitionBody,
  Errors,
  Fail,
  type IChainable,
  JitterType,
  JsonPath,
  type LogOptions,
  Map as MapState,
  Pass,
  StateMachine,
  StateMachineType,
  Succeed,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import {
  RETRYABLE_AWS_ERRORS,
  RETRYABLE_SLACK_ERRORS,
  RETRYABLE_SLACK_OUTAGE_ERRORS,
} from '../../common/errors.ts';
import { STATES } from './states.ts';

export interface CostReportFunctions {
  fetch: IFunction;
  summarize: IFunction;
  /** Renders and stores the chart. */
  chart: IFunction;
  /** Presigns the chart's link; only with stable links off (`sign: true`). */
  sign?: IFunction;
  /** Posts reports and failure notices. */
  post: IFunction;
}

/** How the definition links a chart. */
export interface CostReportOptions {
  /**
   * A Sign state presigns the chart's link before Post: stable links off. Without it Post links
   * the chart through the links endpoint (stable links on, the default).
   */
  sign: boolean;
}

export interface CostReportStateMachineProps extends CostReportOptions {
  functions: CostReportFunctions;
  /** Default STANDARD: exactly-once starts, idempotent execution names, 90-day history. */
  stateMachineType?: StateMachineType;
  logs?: LogOptions;
  tracingEnabled?: boolean;
  /** Whole-execution limit. Default 15 minutes: Slack's retries fit, a stuck run does not. */
  timeout?: Duration;
}

/** FetchAccount iterations running at once. */
export const FETCH_ACCOUNTS_MAX_CONCURRENCY = 5;

/**
 * Errors of the Lambda service itself (not of the function), retried on every Lambda task.
 * CDK's `retryOnServiceExceptions` lists the first four but not `TooManyRequestsException`,
 * Lambda's throttle when the account's or the function's concurrency is used up.
 */
export const LAMBDA_SERVICE_ERRORS = [
  'Lambda.ClientExecutionTimeoutException',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
];

/** Retry settings, exported so tests and docs read the same numbers. */
export const RETRY = {
  // CDK's retryOnServiceExceptions numbers, with jitter so throttled tasks do not retry in step.
  lambda: {
    errors: LAMBDA_SERVICE_ERRORS,
    interval: 2,
    maxAttempts: 6,
    backoffRate: 2,
    jitter: true,
  },
  aws: { errors: RETRYABLE_AWS_ERRORS, interval: 2, maxAttempts: 4, backoffRate: 2, jitter: true },
  // No jitter: every wait must be at least what Slack's Retry-After usually asks (1-30 s).
  slack: {
    errors: RETRYABLE_SLACK_ERRORS,
    interval: 5,
    maxAttempts: 4,
    backoffRate: 2,
    jitter: false,
  },
  // Slack down, hung or garbled: like an AWS outage. Waits up to 3 + 6 + 12 s.
  slackOutage: {
    errors: RETRYABLE_SLACK_OUTAGE_ERRORS,
    interval: 3,
    maxAttempts: 3,
    backoffRate: 2,
    jitter: true,
  },
} as const;

type RetryKind = keyof typeof RETRY;

/** What a task that delivers to Slack retries. */
const SLACK_TASK_RETRIES: RetryKind[] = ['aws', 'slack', 'slackOutage'];

/**
 * A Lambda task: retries the Lambda service's errors, then what `retries` names that it calls
 * besides Lambda (pure steps call nothing).
 */
function task(
  scope: Construct,
  name: string,
  fn: IFunction,
  timeoutSeconds: number,
  retries: RetryKind[],
): LambdaInvoke {
  const invoke = new LambdaInvoke(scope, name, {
    lambdaFunction: fn,
    // The function's return value is the state's output, as the handlers are typed.
    payloadResponseOnly: true,
    // Replaced by RETRY.lambda, which adds Lambda.TooManyRequestsException.
    retryOnServiceExceptions: false,
    taskTimeout: Timeout.duration(Duration.seconds(timeoutSeconds)),
  });
  for (const kind of ['lambda', ...retries] as const) {
    const r = RETRY[kind];
    invoke.addRetry({
      errors: [...r.errors],
      interval: Duration.seconds(r.interval),
      maxAttempts: r.maxAttempts,
      backoffRate: r.backoffRate,
      ...(r.jitter ? { jitterStrategy: JitterType.FULL } : {}),
    });
  }
  return invoke;
}

/**
 * The failure path: post what went wrong into the same channel, then fail the execution;
 * unless the report had reached Slack already, then end as delivered (no notice was posted).
 */
function failurePath(scope: Construct, post: IFunction): IChainable {
  const report = task(scope, STATES.failure, post, 30, SLACK_TASK_RETRIES);
  const failed = new Fail(scope, STATES.failed, {
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  const delivered = new Succeed(scope, STATES.delivered, {
    comment: 'The report reached Slack before the step failed: nothing more to tell.',
  });
  return report.next(
    new Choice(scope, STATES.reportDelivered)
      .when(Condition.booleanEquals('$.reportDelivered', true), delivered)
      .otherwise(failed),
  );
}

/**
 * A subscription's scheduled run (input `{request, scheduledAt}`, the request naming its
 * subscription) is named after the subscription and its scheduled time, so the scheduler's
 * duplicate deliveries of one run share one request id, hence one delivery record and one post,
 * while two subscriptions firing at the same minute keep theirs apart: subscription `digest` at
 * `2026-11-23T09:00:00Z` → `digest-2026-11-23T090000Z` (ids take no `:`).
 *
 * One Pass, one transition: the name and the scheduled time are formatted as the JSON
 * `{"requestId": …, "scheduledAt": …}` (braces escaped in the template) and merged over the
 * request, whose `scheduledAt` tells the report's cost line the run was named. The output is
 * `{request}`, as Fetch expects.
 */
function nameScheduledRun(scope: Construct, next: IChainable): IChainable {
  const parts = JsonPath.stringSplit(JsonPath.stringAt('$.scheduledAt'), ':');
  const naming = JsonPath.format(
    '\\{"requestId":"{}-{}{}{}","scheduledAt":"{}"\\}',
    JsonPath.stringAt('$.request.subscription.id'),
    JsonPath.arrayGetItem(parts, 0),
    JsonPath.arrayGetItem(parts, 1),
    JsonPath.arrayGetItem(parts, 2),
    JsonPath.stringAt('$.scheduledAt'),
  );
  return new Pass(scope, STATES.nameRun, {
    parameters: {
      request: JsonPath.jsonMerge(JsonPath.objectAt('$.request'), JsonPath.stringToJson(naming)),
    },
  }).next(next);
}

/** The report path, every step catching into the failure path. */
export function costReportDefinition(
  scope: Construct,
  fns: CostReportFunctions,
  options: CostReportOptions,
): IChainable {
  const onError = failurePath(scope, fns.post);
  const catchInto = (state: LambdaInvoke | MapState) =>
    state.addCatch(onError, { errors: [Errors.ALL], resultPath: '$.error' });

  const fetch = task(scope, STATES.fetch, fns.fetch, 60, ['aws']);
  // The Map retries nothing itself: each FetchAccount retries its own AWS calls, and retrying
  // the whole Map would fetch every account again.
  const fetchAccounts = new MapState(scope, STATES.fetchAccounts, {
    itemsPath: '$.request.accounts',
    itemSelector: {
      request: JsonPath.objectAt('$.request'),
      accountId: JsonPath.stringAt('$$.Map.Item.Value'),
    },
    maxConcurrency: FETCH_ACCOUNTS_MAX_CONCURRENCY,
    resultPath: '$.perAccount',
  }).itemProcessor(task(scope, STATES.fetchAccount, fns.fetch, 60, ['aws']));

  const summarize = task(scope, STATES.summarize, fns.summarize, 30, []);
  const chart = task(scope, STATES.chart, fns.chart, 60, ['aws']);
  let sign: LambdaInvoke | undefined;
  if (options.sign) {
    if (!fns.sign) throw new Error('A definition with Sign needs the sign function.');
    sign = task(scope, STATES.sign, fns.sign, 30, ['aws']);
  }
  const post = task(scope, STATES.post, fns.post, 30, SLACK_TASK_RETRIES);
  const tasks = [fetch, fetchAccounts, summarize, chart, ...(sign ? [sign] : []), post];
  for (const state of tasks) catchInto(state);
  (sign ? chart.next(sign) : chart).next(post);
  // A condition that does not hold ends the run before anything is rendered, stored or posted.
  const notMet = new Succeed(scope, STATES.conditionNotMet, {
    comment:
      "The subscription's condition did not hold ($.gate.reason says why): nothing to render or post.",
  });
  summarize.next(
    new Choice(scope, STATES.conditionMet)
      .when(Condition.booleanEquals('$.gate.post', false), notMet)
      .otherwise(chart),
  );
  fetch.next(summarize);
  fetchAccounts.next(summarize);

  // `accounts[0]`, not `accounts`: an empty list names no account, and a single Fetch already
  // treats it as "all", as it did before the fan-out existed.
  const byAccount = Condition.isPresent('$.request.accounts[0]');
  const afterNaming = new Choice(scope, STATES.byAccount)
    .when(byAccount, fetchAccounts)
    .otherwise(fetch);
  // One Choice routes every request: a command pays one transition before Fetch, not two
  // (Step Functions bills each state entered); only a scheduled run is named first.
  return new Choice(scope, STATES.route)
    .when(Condition.isPresent('$.scheduledAt'), nameScheduledRun(scope, afterNaming))
    .when(byAccount, fetchAccounts)
    .otherwise(fetch);
}

export class CostReportStateMachine extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: CostReportStateMachineProps) {
    super(scope, id);
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(
        costReportDefinition(this, props.functions, { sign: props.sign }),
      ),
      stateMachineType: props.stateMachineType ?? StateMachineType.STANDARD,
      timeout: props.timeout ?? Duration.minutes(15),
      tracingEnabled: props.tracingEnabled,
      logs: props.logs,
    });
  }
}
