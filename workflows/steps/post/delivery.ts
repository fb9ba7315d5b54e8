/**
 * Delivering a message to Slack: `chat.postMessage` into a channel, or the slash command's
 * `response_url`. Slack's refusals become named errors: `SlackRateLimitedError` is retried by
 * the state machine (its Retry waits at least as long as Slack usually asks), the rest are
 * reported.
 */
import type { WebClient } from '@slack/web-api';
import type { Delivery } from '../../../common/contract.ts';
import { SlackApiError, SlackRateLimitedError } from '../../../common/errors.ts';
import type { SlackMessage } from '../../../common/slack-message.ts';

export interface SlackDelivery {
  postMessage(channel: string, message: SlackMessage): Promise<Delivery>;
  respond(responseUrl: string, channel: string, message: SlackMessage): Promise<Delivery>;
}

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

interface WebApiErrorShape {
  code?: string;
  retryAfter?: number;
  data?: { error?: string };
  message?: string;
}

function toSlackError(error: unknown, method: string): Error {
  const e = (typeof error === 'object' && error !== null ? error : {}) as WebApiErrorShape;
  if (e.code === 'slack_webapi_rate_limited_error') {
    return new SlackRateLimitedError(e.retryAfter ?? 1, { cause: error });
  }
  const code = e.data?.error ?? e.code ?? 'unknown_error';
  if (code === 'ratelimited') return new SlackRateLimitedError(1, { cause: error });
  return new SlackApiError(code, `Slack ${method} failed: ${code}. ${slackHint(code)}`, {
    cause: error,
  });
}

/**
 * Delivery through a Web API client. The client must be built with
 * `rejectRateLimitedCalls: true` and no retries, so Slack's 429 reaches the state machine.
 */
export function webApiDelivery(
  client: Pick<WebClient, 'chat'>,
  doFetch: typeof fetch = fetch,
): SlackDelivery {
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
      const res = await doFetch(responseUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ response_type: 'in_channel', ...message }),
      });
      if (res.status === 429) {
        throw new SlackRateLimitedError(Number(res.headers.get('retry-after') ?? '1') || 1);
      }
      const body = (await res.text()).trim();
      if (!res.ok) {
        const code = res.status === 404 ? 'expired_url' : body || `http_${res.status}`;
        throw new SlackApiError(code, `Slack response_url failed: ${code}. ${slackHint(code)}`);
      }
      return { via: 'response_url', channel };
    },
  };
}
