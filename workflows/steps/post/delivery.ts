/**
 * Delivering a message to Slack: `chat.postMessage` into a channel, or the slash command's
 * `response_url`. Every call has a timeout (`SLACK_TIMEOUT_MS`) well inside the Post task's.
 * Slack's answers become named errors the state machine can act on:
 * - `SlackRateLimitedError` (429, `ratelimited`): retried with waits Slack asks for;
 * - `SlackUnavailableError` (5xx, reset, refused, DNS, timeout, a body that is not Slack's,
 *   Slack's transient codes): retried with jittered backoff, like an AWS outage;
 * - `SlackApiError` (any other refusal): reported, not retried.
 */
import { WebClient } from '@slack/web-api';
import type { Delivery } from '../../../common/contract.ts';
import {
  SlackApiError,
  SlackRateLimitedError,
  SlackUnavailableError,
} from '../../../common/errors.ts';
import { fetchWithTimeout } from '../../../common/slack-http.ts';
import type { SlackMessage } from '../../../common/slack-message.ts';

export interface SlackDelivery {
  postMessage(channel: string, message: SlackMessage): Promise<Delivery>;
  respond(responseUrl: string, channel: string, message: SlackMessage): Promise<Delivery>;
}

/**
 * Longest wait for one Slack call. The Post function (25 s) must fit this, its delivery
 * record's S3 calls and its SSM read inside the Post task's 30 s: a hung Slack becomes a
 * retried `SlackUnavailableError`, never a `States.Timeout` after the report went out.
 */
export const SLACK_TIMEOUT_MS = 10_000;

/** What each Slack error code means for a person, and what to do. */
const SLACK_HINTS: Record<string, string> = {
  channel_not_found:
    'The channel does not exist or the bot cannot see it: check the channel id, and invite the bot to private channels.',
  not_in_channel: 'The bot is not a member of the channel: `/invite @costbot` there.',
  invalid_auth:
    'The Slack bot token is invalid: store the current `xoxb-` token in the bot-token parameter (`npm run setup`).',
  token_revoked: 'The Slack bot token was revoked: reinstall the app and store the new token.',
  missing_scope: 'The app lacks a scope: add `chat:write` in the app manifest and reinstall.',
  is_archived: 'The channel is archived: choose another channel.',
  msg_too_long: 'The message is too long for Slack.',
  invalid_blocks: 'Slack refused the message layout (invalid_blocks).',
  expired_url: 'The response_url expired (30 minutes, 5 uses): run the command again.',
};

export function slackHint(code: string): string {
  return SLACK_HINTS[code] ?? `Slack answered "${code}".`;
}

/** Codes Slack documents for its own passing troubles (chat.postMessage's error list). */
const TRANSIENT_CODES = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Slack's error codes are snake_case words; anything else is a body Slack did not write. */
const SLACK_CODE = /^[a-z][a-z0-9_]*$/;

/** The error for Slack's `{ok: false, error}` answer (or its `response_url` text). */
function refusal(code: string, via: string, cause?: unknown): Error {
  if (code === 'ratelimited') return new SlackRateLimitedError(1, { cause });
  if (TRANSIENT_CODES.has(code)) {
    return new SlackUnavailableError(`Slack ${via} failed: ${code} (a passing Slack fault).`, {
      cause,
    });
  }
  if (!SLACK_CODE.test(code)) return garbled(via, code, cause);
  return new SlackApiError(code, `Slack ${via} failed: ${code}. ${slackHint(code)}`, { cause });
}

function garbled(via: string, body: string, cause?: unknown): SlackUnavailableError {
  const shown = JSON.stringify(body.slice(0, 80));
  return new SlackUnavailableError(
    `Slack ${via} answered something that is not Slack's: ${shown}.`,
    {
      cause,
    },
  );
}

function unavailable(via: string, what: string, cause?: unknown): SlackUnavailableError {
  return new SlackUnavailableError(`Slack ${via} failed: ${what}.`, { cause });
}

/** Why a request got no answer: Node's socket code, or the timeout. */
function networkReason(error: unknown): string {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && typeof e === 'object' && e !== null; depth += 1) {
    const { name, code } = e as { name?: string; code?: string };
    if (name === 'TimeoutError') return 'no answer within the timeout';
    if (typeof code === 'string' && !code.startsWith('slack_')) return code;
    e = (e as { cause?: unknown; original?: unknown }).original ?? (e as { cause?: unknown }).cause;
  }
  return error instanceof Error ? error.message : String(error);
}

interface WebApiErrorShape {
  code?: string;
  retryAfter?: number;
  statusCode?: number;
  data?: { error?: unknown };
}

function toSlackError(error: unknown, method: string): Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as WebApiErrorShape;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return new SlackRateLimitedError(e.retryAfter ?? 1, { cause: error });
    case 'slack_webapi_request_error':
      return unavailable(method, networkReason(error), error);
    case 'slack_webapi_http_error':
      return (e.statusCode ?? 0) >= 500
        ? unavailable(method, `HTTP ${e.statusCode}`, error)
        : refusal(`http_${e.statusCode}`, method, error);
    case 'slack_webapi_platform_error':
      // The client reports a body it could not parse as `{ok: false, error: <the body>}`.
      return refusal(typeof e.data?.error === 'string' ? e.data.error : '', method, error);
    default:
      return refusal(
        SLACK_CODE.test(e.code ?? '') ? (e.code as string) : 'unknown_error',
        method,
        error,
      );
  }
}

/**
 * The Web API client the Post step uses: rate limits rejected (not waited on inside the
 * Lambda) and no retries, so Slack's 429 and outages reach the state machine; a timeout per call.
 */
export function slackWebClient(
  token: string,
  options: { slackApiUrl: string; timeoutMs?: number },
): WebClient {
  return new WebClient(token, {
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    slackApiUrl: options.slackApiUrl,
    timeout: options.timeoutMs ?? SLACK_TIMEOUT_MS,
  });
}

/** The `response_url` answer of a delivered reply: `ok`, or JSON with `ok: true`. */
function respondOutcome(body: string): { ok: true } | { ok: false; code: string } {
  if (body === 'ok' || body === '') return { ok: true };
  try {
    const parsed = JSON.parse(body) as { ok?: unknown; error?: unknown };
    if (parsed.ok === true) return { ok: true };
    if (parsed.ok === false && typeof parsed.error === 'string') {
      return { ok: false, code: parsed.error };
    }
  } catch {
    // Not JSON: reported as garbled below.
  }
  return { ok: false, code: body };
}

/**
 * Delivery through a Web API client built by `slackWebClient` (or configured the same way).
 * `respond` posts with the given `fetch`, bounded by `timeoutMs`.
 */
export function webApiDelivery(
  client: Pick<WebClient, 'chat'>,
  options: { fetch?: typeof fetch; timeoutMs?: number } = {},
): SlackDelivery {
  const doFetch = fetchWithTimeout(options.timeoutMs ?? SLACK_TIMEOUT_MS, options.fetch);
  return {
    async postMessage(channel, message) {
      try {
        const res = await client.chat.postMessage({
          channel,
          text: message.text,
          blocks: message.blocks,
          unfurl_links: false,
        });
        return { via: 'postMessage', channel: res.channel ?? channel, ts: res.ts };
      } catch (error) {
        throw toSlackError(error, 'chat.postMessage');
      }
    },
    async respond(responseUrl, channel, message) {
      const via = 'response_url';
      let status: number;
      let retryAfter: string | null;
      let body: string;
      try {
        const res = await doFetch(responseUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ response_type: 'in_channel', ...message }),
          redirect: 'error',
        });
        status = res.status;
        retryAfter = res.headers.get('retry-after');
        body = (await res.text()).trim();
      } catch (error) {
        throw unavailable(via, networkReason(error), error);
      }
      if (status === 429) throw new SlackRateLimitedError(Number(retryAfter ?? '1') || 1);
      if (status >= 500) throw unavailable(via, `HTTP ${status}`);
      if (status === 404) throw refusal('expired_url', via);
      if (status < 200 || status >= 300) {
        throw refusal(SLACK_CODE.test(body) ? body : `http_${status}`, via);
      }
      const outcome = respondOutcome(body);
      if (!outcome.ok) throw refusal(outcome.code, via);
      return { via, channel };
    },
  };
}
