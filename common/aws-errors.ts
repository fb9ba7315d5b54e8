/**
 * Maps AWS SDK errors onto costbot's named errors, so the state machine can retry throttling
 * and outages and catch the rest with a message that says which call failed.
 */
import {
  AwsAccessDeniedError,
  AwsRequestError,
  AwsThrottledError,
  AwsUnavailableError,
  type CostbotError,
} from './errors.ts';

interface SdkErrorShape {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $fault?: 'client' | 'server';
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'RequestThrottled',
  'ProvisionedThroughputExceededException',
]);

const ACCESS_DENIED = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AccessDeniedFault',
]);

const NETWORK = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'TimeoutError']);

/** What failed, for the message: `CloudWatch GetMetricData`. */
export interface AwsCallContext {
  service: string;
  operation: string;
}

export function classifyAwsError(error: unknown, context: AwsCallContext): CostbotError {
  const e = (typeof error === 'object' && error !== null ? error : {}) as SdkErrorShape;
  // Node socket errors (ECONNRESET, ...) are plain `Error`s: their `code` says what happened.
  const specificName = e.name === 'Error' ? undefined : e.name;
  const code = specificName ?? e.Code ?? e.code ?? e.name ?? 'UnknownError';
  const status = e.$metadata?.httpStatusCode;
  const what = `${context.service} ${context.operation}`;
  const detail = e.message ?? String(error);
  if (THROTTLING.has(code) || e.$retryable?.throttling || status === 429) {
    return new AwsThrottledError(`${what} was throttled (${code}): ${detail}`, { cause: error });
  }
  if (ACCESS_DENIED.has(code) || status === 403) {
    return new AwsAccessDeniedError(`${what} was denied (${code}): ${detail}`, { cause: error });
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500) || NETWORK.has(code)) {
    return new AwsUnavailableError(`${what} failed (${code}): ${detail}`, { cause: error });
  }
  return new AwsRequestError(`${what} failed (${code}): ${detail}`, { cause: error });
}

/** Runs one AWS call and rethrows its failure as a named costbot error. */
export async function awsCall<T>(context: AwsCallContext, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw classifyAwsError(error, context);
  }
}
