/**
 * costbot's one error family. The `name` of an error thrown by a step becomes the Step
 * Functions error name, so the state machine's Retry and Catch match on these names (see
 * `infra/state-machine/definition.ts`); `name` is also the stable code the doctor and the
 * failure notice read, so there is no second code enum to keep in step with it. Every class
 * takes `{ cause }` and each message says what a person should do.
 *
 * @example
 * throw new AwsThrottledError('CloudWatch GetMetricData was throttled.', { cause: sdkError });
 */

/**
 * The base of the family: `instanceof CostbotError` tells costbot's own errors from any
 * other. Not thrown itself.
 */
export class CostbotError extends Error {
  // Explicit names: bundlers minify class names, and Step Functions matches on `name`.
  override name = 'CostbotError';
}

/** Where a setting is read from; an error names the setting as the reader wrote it. */
export type ConfigSource = 'environment' | 'CDK context';

/**
 * A setting is missing or invalid. Thrown at start-up (or synth) by `common/config.ts`, before
 * any work: the message names the setting and says what a valid value looks like.
 */
export class ConfigError extends CostbotError {
  override name = 'ConfigError';
  readonly source: ConfigSource;

  constructor(
    readonly setting: string,
    message: string,
    options: { cause?: unknown; source?: ConfigSource } = {},
  ) {
    super(
      options.source === 'CDK context'
        ? `CDK context "${setting}" ${message}`
        : `${setting}: ${message}`,
      { cause: options.cause },
    );
    this.source = options.source ?? 'environment';
  }
}

/**
 * The request itself is unusable (bad period, bad metric spec, bad channel). Thrown by a step
 * given input it cannot use; not retried.
 */
export class InvalidRequestError extends CostbotError {
  override name = 'InvalidRequestError';
}

/**
 * One or more parameters do not exist in the parameter store. Thrown by the parameter readers
 * (SSM, the extension, the local file), naming every missing one at once.
 */
export class ParameterNotFoundError extends CostbotError {
  override name = 'ParameterNotFoundError';

  constructor(
    readonly names: string[],
    options?: { cause?: unknown },
  ) {
    super(
      `Parameter${names.length > 1 ? 's' : ''} not found: ${names.join(', ')}. ` +
        'Run `npm run setup` to create them, or set the COSTBOT_PARAM_* setting to the name you used.',
      options,
    );
  }
}

/**
 * Thrown by the link signer when asked to sign a long-lived link with temporary credentials:
 * a URL signed with a session credential dies with the session (hours), whatever
 * X-Amz-Expires says.
 */
export class SessionCredentialsError extends CostbotError {
  override name = 'SessionCredentialsError';
}

/**
 * Thrown by `awsCall` when AWS throttled the call (CloudWatch `Throttling`, S3 `SlowDown`, ...).
 * Retried by the state machine.
 */
export class AwsThrottledError extends CostbotError {
  override name = 'AwsThrottledError';
}

/**
 * Thrown by `awsCall` on a transient AWS failure (5xx, timeout, connection reset). Retried by
 * the state machine.
 */
export class AwsUnavailableError extends CostbotError {
  override name = 'AwsUnavailableError';
}

/** Thrown by `awsCall` when AWS refused the call for lack of permission; carries AWS's own text. */
export class AwsAccessDeniedError extends CostbotError {
  override name = 'AwsAccessDeniedError';
}

/** Thrown by `awsCall` on any other AWS error, naming the service and operation that failed. */
export class AwsRequestError extends CostbotError {
  override name = 'AwsRequestError';
}

/**
 * Thrown by the Slack delivery when Slack answered `ratelimited` / HTTP 429. Retried by the
 * state machine.
 */
export class SlackRateLimitedError extends CostbotError {
  override name = 'SlackRateLimitedError';

  constructor(
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`Slack rate limit hit; Slack asked to retry after ${retryAfterSeconds}s.`, options);
  }
}

/**
 * Thrown by the Slack delivery when Slack refused the call (`channel_not_found`,
 * `not_in_channel`, `invalid_auth`, ...); `code` is Slack's own error code.
 */
export class SlackApiError extends CostbotError {
  override name = 'SlackApiError';

  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Thrown by the Slack delivery when Slack did not answer usably: HTTP 5xx, a connection
 * reset or refused, a DNS failure, no answer within the call's timeout, a body that is not
 * Slack's JSON, or one of Slack's own transient codes (`internal_error`, `fatal_error`,
 * `service_unavailable`, `request_timeout`). Retried by the state machine like an AWS outage.
 */
export class SlackUnavailableError extends CostbotError {
  override name = 'SlackUnavailableError';
}

/**
 * Thrown by the Post step when another attempt holds the delivery claim of the same report
 * (a duplicate execution posting right now). Retried by the state machine until that attempt
 * has recorded its delivery or its claim has lapsed.
 */
export class DeliveryInProgressError extends CostbotError {
  override name = 'DeliveryInProgressError';
}

/**
 * Thrown by `npm run setup` when it refuses (a token of the wrong shape, a stack without the
 * output it needs) or lacks an input; the message says what to do.
 */
export class SetupError extends CostbotError {
  override name = 'SetupError';
}

/**
 * Thrown by the doctor's cron evaluator when the digest's schedule expression or time zone is
 * not valid; the message says which part.
 */
export class CronError extends CostbotError {
  override name = 'CronError';
}

/**
 * Thrown by the doctor's cron evaluator for valid EventBridge syntax it does not compute
 * (`L`, `W`, `#`): the schedule check then says it cannot tell the next run.
 */
export class CronUnsupportedError extends CronError {
  override name = 'CronUnsupportedError';
}

/**
 * Thrown by a doctor client that cannot answer here (the local backend has no STS): the check
 * says "cannot tell" (warn) instead of failing.
 */
export class NotCheckableError extends CostbotError {
  override name = 'NotCheckableError';
}

/** Thrown by a doctor check whose call got no answer in time, so the check reports it. */
export class CheckTimeoutError extends CostbotError {
  override name = 'CheckTimeoutError';
}

/**
 * A step's failure as the Lambda service reports it to Step Functions: the message is the
 * `{"errorType","errorMessage"}` payload and `name` is the original error's name, which is
 * what Retry and Catch match on. Thrown by the local runner, so a local report fails exactly
 * as a deployed one does. It takes no `cause`: aws-local-stepfunctions reads `cause` as the
 * execution's Cause string, which must stay this payload, as in AWS.
 */
export class LambdaStyleError extends CostbotError {
  constructor(original: unknown) {
    const error = original instanceof Error ? original : new Error(String(original));
    super(JSON.stringify({ errorType: error.name, errorMessage: error.message }));
    this.name = error.name;
  }
}

/**
 * A local file costbot reads or writes (the local parameter file, ...) cannot be used as it is;
 * thrown at start-up before anything is rewritten. The message names the file and what to do.
 */
export class LocalFileError extends CostbotError {
  override name = 'LocalFileError';

  constructor(
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${path} ${message}`, options);
  }
}

/**
 * A service costbot needs at start-up does not answer (SSM at its endpoint, with
 * COSTBOT_BACKEND=aws); the message names the service, the endpoint and what to check.
 */
export class ServiceUnreachableError extends CostbotError {
  override name = 'ServiceUnreachableError';

  constructor(
    readonly service: string,
    readonly endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${service} at ${endpoint} ${message}`, options);
  }
}

/**
 * Thrown by the link signer when the signer key in the parameter store does not look like a
 * permanent IAM user key (AKIA + 16 base-32 characters, a secret without whitespace): a link
 * signed with it would not open, or not for long. The sibling of `SessionCredentialsError`.
 */
export class InvalidSignerKeyError extends CostbotError {
  override name = 'InvalidSignerKeyError';
}

/**
 * Thrown by the stable-link code (`common/link-token.ts`) when the HMAC key parameter does not
 * hold at least 32 bytes of base64url: a short key would make stable links guessable.
 */
export class InvalidLinkKeyError extends CostbotError {
  override name = 'InvalidLinkKeyError';
}

/**
 * Thrown by a step handler whose input event does not match its schema
 * (`common/contract-schema.ts`): the message names the step and the first fields at fault.
 * Not retried: the same input fails the same way.
 */
export class InvalidEventError extends CostbotError {
  override name = 'InvalidEventError';

  constructor(
    readonly step: string,
    readonly problems: string[],
    options?: { cause?: unknown },
  ) {
    super(`${step}: the input event is malformed (${problems.join('; ')}).`, options);
  }
}

/**
 * Thrown by the Post step when the chart's stable link, opened as Slack opens it before posting,
 * cannot show the chart: the links endpoint refused it (a 4xx, or 502: the links function itself
 * failed, e.g. on a session signer key) or S3 refused the presigned URL it redirected to (403
 * `SignatureDoesNotMatch`, `InvalidAccessKeyId`, `ExpiredToken`, ...: the signer key in the
 * parameter store is wrong, revoked or temporary). Not retried: the same key fails the same way,
 * so the failure notice goes out instead of a report with a dead chart.
 */
export class ChartLinkBrokenError extends CostbotError {
  override name = 'ChartLinkBrokenError';
}

/**
 * Thrown by the Post step when the check of the chart's stable link got no usable answer: the
 * links endpoint was throttled (429) or unavailable (500, 503, 504), S3 answered 5xx, or the
 * network failed or did not answer within the check's timeout. Retried by the state machine
 * like an AWS outage.
 */
export class ChartLinkUnavailableError extends CostbotError {
  override name = 'ChartLinkUnavailableError';
}

/** Names the state machine retries on; kept beside the classes so they cannot drift. */
export const RETRYABLE_AWS_ERRORS = [
  'AwsThrottledError',
  'AwsUnavailableError',
  // The links function is a Lambda behind its Function URL: its outages are AWS's.
  'ChartLinkUnavailableError',
];
/** Retried with waits at least as long as Slack's Retry-After (and a delivery claim's lapse). */
export const RETRYABLE_SLACK_ERRORS = ['SlackRateLimitedError', 'DeliveryInProgressError'];
/** Slack outages: retried with jittered backoff, like AWS's. */
export const RETRYABLE_SLACK_OUTAGE_ERRORS = ['SlackUnavailableError'];
