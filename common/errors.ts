/**
 * Named errors. The `name` of an error thrown by a step becomes the Step Functions error
 * name, so the state machine's Retry and Catch match on these names (see
 * `infra/state-machine/definition.ts`). Each message says what a person should do.
 */

export class CostbotError extends Error {
  // Explicit names: bundlers minify class names, and Step Functions matches on `name`.
  override name = 'CostbotError';
}

/** A setting is missing or invalid; thrown at start-up, names the setting. */
export class ConfigError extends CostbotError {
  override name = 'ConfigError';

  constructor(
    readonly setting: string,
    message: string,
  ) {
    super(`${setting}: ${message}`);
  }
}

/** The request itself is unusable (bad period, bad metric spec, bad channel). Not retried. */
export class InvalidRequestError extends CostbotError {
  override name = 'InvalidRequestError';
}

/** One or more parameters do not exist in the parameter store. */
export class ParameterNotFoundError extends CostbotError {
  override name = 'ParameterNotFoundError';

  constructor(readonly names: string[]) {
    super(
      `Parameter${names.length > 1 ? 's' : ''} not found: ${names.join(', ')}. ` +
        'Run `npm run setup` to create them, or set the COSTBOT_PARAM_* setting to the name you used.',
    );
  }
}

/**
 * Refuses to sign a long-lived link with temporary credentials: a URL signed with a session
 * credential dies with the session (hours), whatever X-Amz-Expires says.
 */
export class SessionCredentialsError extends CostbotError {
  override name = 'SessionCredentialsError';
}

/** AWS throttled the call (CloudWatch `Throttling`, S3 `SlowDown`, ...). Retried by the state machine. */
export class AwsThrottledError extends CostbotError {
  override name = 'AwsThrottledError';
}

/** A transient AWS failure (5xx, timeout, connection reset). Retried by the state machine. */
export class AwsUnavailableError extends CostbotError {
  override name = 'AwsUnavailableError';
}

/** AWS refused the call for lack of permission. The message carries AWS's own text. */
export class AwsAccessDeniedError extends CostbotError {
  override name = 'AwsAccessDeniedError';
}

/** Any other AWS error, with the service and operation that failed. */
export class AwsRequestError extends CostbotError {
  override name = 'AwsRequestError';
}

/** Slack answered `ratelimited` / HTTP 429. Retried by the state machine. */
export class SlackRateLimitedError extends CostbotError {
  override name = 'SlackRateLimitedError';

  constructor(
    readonly retryAfterSeconds: number,
    options?: { cause?: unknown },
  ) {
    super(`Slack rate limit hit; Slack asked to retry after ${retryAfterSeconds}s.`, options);
  }
}

/** Slack refused the call (`channel_not_found`, `not_in_channel`, `invalid_auth`, ...). */
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

/** Names the state machine retries on; kept beside the classes so they cannot drift. */
export const RETRYABLE_AWS_ERRORS = ['AwsThrottledError', 'AwsUnavailableError'];
export const RETRYABLE_SLACK_ERRORS = ['SlackRateLimitedError'];
