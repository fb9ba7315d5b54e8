/**
 * The cost report state machine, written with aws-cdk-lib's Step Functions constructs in
 * JSONPath (the local runner ignores JSONata). One definition serves both report kinds: the
 * input's `kind` and `responseUrl` decide where the Post step delivers.
 *
 *   Fetch → Summarize → RenderAndStore → Sign → Post
 *     └──────── any error (Catch, ResultPath $.error) ────────→ ReportFailure → Failed
 *
 * Retries live here, not in the SDK clients: throttling and outages of AWS are retried with
 * jittered backoff; Slack's rate limit with waits longer than Slack usually asks for. After
 * the failure is posted the execution still fails, so it is never a silent success.
 */
import { Duration } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  Chain,
  DefinitionBody,
  Errors,
  Fail,
  type IChainable,
  JitterType,
  type LogOptions,
  StateMachine,
  StateMachineType,
  Timeout,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { Construct } from 'constructs';
import { RETRYABLE_AWS_ERRORS, RETRYABLE_SLACK_ERRORS } from '../common/errors.ts';

/** State names: the local runner maps its handlers by these, so they are part of the contract. */
export const STATES = {
  fetch: 'Fetch',
  summarize: 'Summarize',
  chart: 'RenderAndStore',
  sign: 'Sign',
  post: 'Post',
  failure: 'ReportFailure',
  failed: 'Failed',
} as const;

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
  const steps = [
    task(scope, STATES.fetch, fns.fetch, 60, ['aws']),
    task(scope, STATES.summarize, fns.summarize, 30, []),
    task(scope, STATES.chart, fns.chart, 60, ['aws']),
    task(scope, STATES.sign, fns.sign, 30, ['aws']),
    task(scope, STATES.post, fns.post, 30, ['aws', 'slack']),
  ];
  for (const step of steps) step.addCatch(onError, { errors: [Errors.ALL], resultPath: '$.error' });
  return steps
    .slice(1)
    .reduce((chain, step) => chain.next(step), Chain.start(steps[0] as LambdaInvoke));
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
