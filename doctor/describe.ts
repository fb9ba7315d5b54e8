/**
 * Turns an error a check ran into into what the table says: authorization errors through the
 * AccessDenied explainer (who was refused what, why, the statement that would allow it), Slack
 * refusals through the Post step's hints, everything else as its message.
 */
import { explainAccessDenied } from '../common/access-denied.ts';
import { ParameterNotFoundError } from '../common/errors.ts';
import type { PolicyStatement } from './types.ts';

/** The caller's credentials were refused: no policy change fixes these. */
const CREDENTIAL_CODES = new Set([
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
]);

export interface Described {
  detail: string;
  fix?: string;
  statement?: PolicyStatement;
  /** True when AWS refused for lack of permission (the explainer recognised it). */
  denied: boolean;
}

/** Names our own wrappers give; the SDK's code is on their `cause`. */
const WRAPPER_NAMES = new Set([
  'Error',
  'AwsAccessDeniedError',
  'AwsRequestError',
  'AwsUnavailableError',
  'AwsThrottledError',
  'CostbotError',
]);

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null
    ? (value as Record<string, unknown>)[key]
    : undefined;
}

/**
 * The most specific error code in an error and its causes: `NoSuchBucket`,
 * `NoSuchEntityException`, `invalid_auth`, ...; '' when there is none.
 */
export function errorCode(error: unknown): string {
  let node = error;
  for (let depth = 0; depth < 5 && node; depth++) {
    const slack = field(field(node, 'data'), 'error');
    if (typeof slack === 'string') return slack;
    for (const key of ['Code', 'name', 'code']) {
      const v = field(node, key);
      if (typeof v === 'string' && v !== '' && !WRAPPER_NAMES.has(v)) return v;
    }
    node = field(node, 'cause');
  }
  return '';
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = field(error, 'message');
  return typeof message === 'string' ? message : String(error);
}

/** The AccessDenied explanation as plain sentences. */
function deniedText(error: unknown): Described | null {
  const e = explainAccessDenied(error);
  if (!e) return null;
  const who = e.role ?? e.principal ?? 'the caller';
  const on = e.resource && e.resource !== '*' ? ` on ${e.resource}` : '';
  const cause = e.causeText || 'AWS did not say which policy refused it.';
  // Without an action the explainer could read little: AWS's own words say the most.
  const raw = e.raw.length > 300 ? `${e.raw.slice(0, 300)}…` : e.raw;
  const detail = e.action
    ? `AWS denied ${e.action}${on} to ${who}. ${cause}`
    : `${cause} AWS said: "${raw}"`;
  return {
    detail,
    ...(e.fix ? { fix: e.fix } : {}),
    ...(e.statement ? { statement: e.statement } : {}),
    denied: true,
  };
}

/** What went wrong, for a check's detail and fix. */
export function describeError(error: unknown): Described {
  const denied = deniedText(error);
  if (denied) return denied;
  if (error instanceof ParameterNotFoundError) {
    return { detail: error.message, denied: false };
  }
  const detail = errorMessage(error).slice(0, 1000);
  if (CREDENTIAL_CODES.has(errorCode(error))) {
    return {
      detail,
      fix: 'AWS did not accept the credentials the doctor runs with: check AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), and renew an expired session (`aws sso login`).',
      denied: false,
    };
  }
  return { detail, denied: false };
}
