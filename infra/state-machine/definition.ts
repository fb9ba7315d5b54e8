/**
 * The cost report state machine, written with aws-cdk-lib's Step Functions constructs in
 * JSONPath (the local runner ignores JSONata). One definition serves both report kinds: the
 * input's `kind` and `responseUrl` decide where the Post step delivers.
 *
 *   ByAccount? ─┬─ Fetch ──────────────────────────────┬─→ Summarize → RenderAndStore → Sign → Post
 *               └─ FetchAccounts (Map ≤ 5: FetchAccount) ┘
 *     └──────── any error (Catch, ResultPath $.error) ────────→ ReportFailure → Failed
 *
 * A request naming accounts fans out: one FetchAccount per account, through the account's
 * reader role when one is configured (a role is per account, so one batched read cannot
 * serve them all). At most 5 run at once: enough to keep a 100-account digest short, few
 * enough to stay far from CloudWatch's and STS's request rates. Every other request takes the
 * single Fetch, one batched read.
 *
 * Retries live here, not in the SDK clients: throttling and outages of AWS are retried with
 * jittered backoff; Slack's rate limit with waits longer than Slack usually asks for. After
 * the failure is posted the execution still fails, so it is never a silent success.
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
  StateMachine,
  StateMachineType,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RETRYABLE_AWS_ERRORS, RETRYABLE_SLACK_ERRORS } from '../../common/errors.ts';
import { STATES } from './states.ts';

export interface CostReportFunctions {
  fetch: IFunction;
  summarize: IFunction;
  /** Renders and stores the chart. */
  chart: IFunction;
  sign: IFunction;
  /** Posts reports and failure notices. */
  post: IFunction;
}

export interface CostReportStateMachineProps {
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

/** Retry settings, exported so tests and docs read the same numbers. */
export const RETRY = {
  aws: { errors: RETRYABLE_AWS_ERRORS, interval: 2, maxAttempts: 4, backoffRate: 2, jitter: true },
  // No jitter: every wait must be at least what Slack's Retry-After usually asks (1-30 s).
  slack: {
    errors: RETRYABLE_SLACK_ERRORS,
    interval: 5,
    maxAttempts: 4,
    backoffRate: 2,
    jitter: false,
  },
} as const;

/** A Lambda task; `retries` names what it calls besides Lambda (pure steps call nothing). */
function task(
  scope: Construct,
  name: string,
  fn: IFunction,
  timeoutSeconds: number,
  retries: ('aws' | 'slack')[],
): LambdaInvoke {
  const invoke = new LambdaInvoke(scope, name, {
    lambdaFunction: fn,
    // The function's return value is the state's output, as the handlers are typed.
    payloadResponseOnly: true,
    retryOnServiceExceptions: true,
    taskTimeout: Timeout.duration(Duration.seconds(timeoutSeconds)),
  });
  for (const kind of retries) {
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

/** The failure path: post what went wrong into the same channel, then fail the execution. */
function failurePath(scope: Construct, post: IFunction): IChainable {
  const report = task(scope, STATES.failure, post, 30, ['aws', 'slack']);
  const failed = new Fail(scope, STATES.failed, {
    errorPath: '$.error.Error',
    causePath: '$.error.Cause',
  });
  return report.next(failed);
}

/** The report path, every step catching into the failure path. */
export function costReportDefinition(scope: Construct, fns: CostReportFunctions): IChainable {
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

  const rest = [
    task(scope, STATES.summarize, fns.summarize, 30, []),
    task(scope, STATES.chart, fns.chart, 60, ['aws']),
    task(scope, STATES.sign, fns.sign, 30, ['aws']),
    task(scope, STATES.post, fns.post, 30, ['aws', 'slack']),
  ] as const;
  for (const state of [fetch, fetchAccounts, ...rest]) catchInto(state);
  const [summarize, ...after] = rest;
  after.reduce<LambdaInvoke>((previous, step) => {
    previous.next(step);
    return step;
  }, summarize);
  fetch.next(summarize);
  fetchAccounts.next(summarize);

  // `accounts[0]`, not `accounts`: an empty list names no account, and a single Fetch already
  // treats it as "all", as it did before the fan-out existed.
  return new Choice(scope, STATES.byAccount)
    .when(Condition.isPresent('$.request.accounts[0]'), fetchAccounts)
    .otherwise(fetch);
}

export class CostReportStateMachine extends Construct {
  readonly stateMachine: StateMachine;

  constructor(scope: Construct, id: string, props: CostReportStateMachineProps) {
    super(scope, id);
    this.stateMachine = new StateMachine(this, 'StateMachine', {
      definitionBody: DefinitionBody.fromChainable(costReportDefinition(this, props.functions)),
      stateMachineType: props.stateMachineType ?? StateMachineType.STANDARD,
      timeout: props.timeout ?? Duration.minutes(15),
      tracingEnabled: props.tracingEnabled,
      logs: props.logs,
    });
  }
}
