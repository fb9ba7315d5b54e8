/**
 * The doctor's Slack client: a `WebClient` that fails fast. Bolt's own client retries for up to
 * 30 minutes; a check must answer within seconds, and a rate limit is an answer too.
 */
import { LogLevel, WebClient } from '@slack/web-api';
import type { SlackApi } from './types.ts';

/** The two calls the Slack checks make, as a `WebClient` answers them. */
export type SlackWebClient = Pick<WebClient, 'auth' | 'conversations'>;

export function webClientSlackApi(client: SlackWebClient): SlackApi {
  return {
    async authTest() {
      const res = await client.auth.test();
      const scopes = res.response_metadata?.scopes;
      return {
        ...(res.team ? { team: res.team } : {}),
        ...(res.user_id ? { userId: res.user_id } : {}),
        scopes: Array.isArray(scopes) ? scopes : null,
      };
    },
    async channelInfo(channel) {
      const res = await client.conversations.info({ channel });
      const c = res.channel ?? {};
      return {
        id: c.id ?? channel,
        ...(c.name ? { name: c.name } : {}),
        isMember: c.is_member === true,
        isArchived: c.is_archived === true,
      };
    },
  };
}

/** A client for one doctor run: no retries, a 5-second timeout, quiet logs. */
export function doctorWebClient(token: string, slackApiUrl: string): WebClient {
  return new WebClient(token, {
    slackApiUrl,
    retryConfig: { retries: 0 },
    rejectRateLimitedCalls: true,
    timeout: 5_000,
    logLevel: LogLevel.ERROR,
  });
}
