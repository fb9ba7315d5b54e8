/**
 * Slack's request signing, from the sender's side: the console signs what it sends to the
 * bot exactly as Slack does, so the bot's receiver verifies it with its production code and
 * a wrong signing secret fails locally the way it would in a workspace.
 */
import { createHmac } from 'node:crypto';

/** Slack's v0 signature: `v0=` + hex HMAC-SHA256(secret, `v0:${timestamp}:${body}`). */
export function slackSignature(secret: string, timestamp: number, body: string): string {
  const hmac = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`, 'utf8');
  return `v0=${hmac.digest('hex')}`;
}

/**
 * The headers Slack sends with a slash command or an interaction. The timestamp is whole
 * seconds, as Slack sends it; receivers refuse ones more than five minutes off, so `now`
 * should be the real time except in tests of that refusal.
 */
export function signedHeaders(
  secret: string,
  body: string,
  now: Date = new Date(),
): Record<string, string> {
  const timestamp = Math.floor(now.getTime() / 1000);
  return {
    'Content-Type': 'application/x-www-form-urlencoded',
    'X-Slack-Request-Timestamp': String(timestamp),
    'X-Slack-Signature': slackSignature(secret, timestamp, body),
  };
}
