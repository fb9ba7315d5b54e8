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

export function parseCaught(error: CaughtError): ParsedFailure {
  const cause = error.Cause ?? '';
  try {
    const parsed = JSON.parse(cause) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') {
      return {
        name: typeof parsed.errorType === 'string' ? parsed.errorType : error.Error,
        message: parsed.errorMessage,
      };
    }
  } catch {
    // Not JSON: a plain Cause (States.* errors, Fail states) is the message itself.
  }
  return { name: error.Error, message: cause || error.Error };
}

const GENERIC_HINTS: Record<string, string> = {
  'States.Timeout': 'A step took longer than its timeout; it is safe to run the command again.',
  AwsThrottledError: 'AWS kept throttling after the retries; try again in a minute.',
  AwsUnavailableError: 'AWS was unavailable after the retries; try again in a minute.',
};

/** Mrkdwn-safe lines explaining the failure, with a policy statement for AccessDenied. */
export function explainFailure(error: CaughtError): { name: string; text: string } {
  const failure = parseCaught(error);
  const denied = explainAccessDenied({ name: failure.name, message: failure.message });
  if (denied) return { name: failure.name, text: formatExplanation(denied) };
  const hint = GENERIC_HINTS[failure.name];
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
