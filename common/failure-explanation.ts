/**
 * What a failed execution tells the channel. Step Functions hands the Catch an `Error` name
 * and a `Cause`, which for Lambda tasks is the JSON `{errorType, errorMessage, trace}`.
 */
import { explainAccessDenied, formatExplanation } from './access-denied.ts';
import type { CaughtError } from './contract.ts';
import { escapeMrkdwn } from './slack-message.ts';

export interface ParsedFailure {
  name: string;
  message: string;
}

/** Longest Cause read as JSON; a longer one is shown cut, never parsed. */
const MAX_CAUSE_CHARS = 32_768;
/** An error name as Step Functions and costbot write them; anything else is not repeated. */
const ERROR_NAME = /^[A-Za-z0-9_.:-]{1,128}$/;

function errorName(value: unknown): string | undefined {
  return typeof value === 'string' && ERROR_NAME.test(value) ? value : undefined;
}

/**
 * The name and message of what a Catch put at `$.error`. Read defensively: whatever is there
 * (no `Error` or `Cause`, other types, a Cause of any size, not JSON) gives a name and a
 * message, so the failure notice is always posted.
 */
export function parseCaught(error: unknown): ParsedFailure {
  const caught =
    typeof error === 'object' && error !== null && !Array.isArray(error)
      ? (error as Partial<Record<keyof CaughtError, unknown>>)
      : {};
  const name = errorName(caught.Error) ?? 'UnknownError';
  const cause = typeof caught.Cause === 'string' ? caught.Cause : '';
  if (cause.length <= MAX_CAUSE_CHARS) {
    try {
      const parsed = JSON.parse(cause) as { errorType?: unknown; errorMessage?: unknown };
      if (typeof parsed?.errorMessage === 'string') {
        return {
          name: errorName(parsed.errorType) ?? name,
          message: parsed.errorMessage.slice(0, MAX_CAUSE_CHARS),
        };
      }
    } catch {
      // Not JSON: a plain Cause (States.* errors, Fail states) is the message itself.
    }
  }
  return { name, message: (cause || name).slice(0, MAX_CAUSE_CHARS) };
}

const GENERIC_HINTS: Record<string, string> = {
  'States.Timeout': 'A step took longer than its timeout; it is safe to run the command again.',
  AwsThrottledError: 'AWS kept throttling after the retries; try again in a minute.',
  AwsUnavailableError: 'AWS was unavailable after the retries; try again in a minute.',
  InvalidEventError:
    'A step was handed input it cannot use (a hand-made execution input or a bug); nothing was retried. Run the command again, and if it repeats, report it.',
};

/** Mrkdwn-safe lines explaining the failure, with a policy statement for AccessDenied. */
export function explainFailure(error: unknown): { name: string; text: string } {
  const failure = parseCaught(error);
  const denied = explainAccessDenied({ name: failure.name, message: failure.message });
  if (denied) return { name: failure.name, text: formatExplanation(denied) };
  const hint = Object.hasOwn(GENERIC_HINTS, failure.name) ? GENERIC_HINTS[failure.name] : undefined;
  const text = `> ${escapeMrkdwn(failure.message.slice(0, 2500))}${hint ? `\n${hint}` : ''}`;
  return { name: failure.name, text };
}

/** The same explanation for an error caught in-process (e.g. by the bot), not by a Catch. */
export function explainThrown(error: unknown): { name: string; text: string } {
  const e = error instanceof Error ? error : new Error(String(error));
  return explainFailure({
    Error: e.name,
    Cause: JSON.stringify({ errorType: e.name, errorMessage: e.message }),
  });
}
