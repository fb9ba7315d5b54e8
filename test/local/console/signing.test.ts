import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { isValidSlackRequest, verifySlackRequest } from '@slack/bolt';
import { signedHeaders, slackSignature } from '../../../local/console/signing.ts';

/** The worked example in Slack's "Verifying requests from Slack" guide. */
const SLACK_DOCS_EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  timestamp: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

function boltAccepts(secret: string, body: string, headers: Record<string, string>, nowMs: number) {
  return isValidSlackRequest({
    signingSecret: secret,
    body,
    headers: {
      'x-slack-signature': headers['X-Slack-Signature'] ?? '',
      'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
    },
    nowMilliseconds: nowMs,
  });
}

describe('slackSignature', () => {
  it("matches the example in Slack's documentation", () => {
    const { secret, timestamp, body, signature } = SLACK_DOCS_EXAMPLE;
    assert.equal(slackSignature(secret, timestamp, body), signature);
  });

  it('is v0= and the hex HMAC-SHA256 of v0:timestamp:body', () => {
    const body = 'payload=%7B%22type%22%3A%22block_actions%22%7D&ünïcode=✓';
    const expected = createHmac('sha256', 's3cret')
      .update(Buffer.from(`v0:1700000000:${body}`, 'utf8'))
      .digest('hex');
    assert.equal(slackSignature('s3cret', 1700000000, body), `v0=${expected}`);
  });
});

describe('signedHeaders', () => {
  const now = new Date('2026-03-01T12:00:00.900Z');
  const body = 'command=%2Faws-cost&text=7d';

  it('sends a form content type, whole-second timestamp and signature', () => {
    const headers = signedHeaders('secret', body, now);
    const seconds = Math.floor(now.getTime() / 1000);
    assert.deepEqual(headers, {
      'Content-Type': 'application/x-www-form-urlencoded',
      'X-Slack-Request-Timestamp': String(seconds),
      'X-Slack-Signature': slackSignature('secret', seconds, body),
    });
  });

  it("passes Bolt's own request verification", () => {
    const headers = signedHeaders('secret', body, now);
    assert.equal(boltAccepts('secret', body, headers, now.getTime()), true);
    assert.doesNotThrow(() =>
      verifySlackRequest({
        signingSecret: 'secret',
        body,
        headers: {
          'x-slack-signature': headers['X-Slack-Signature'] ?? '',
          'x-slack-request-timestamp': Number(headers['X-Slack-Request-Timestamp']),
        },
        nowMilliseconds: now.getTime() + 1000,
      }),
    );
  });

  it('fails Bolt verification with another secret, another body or a stale timestamp', () => {
    const headers = signedHeaders('secret', body, now);
    assert.equal(boltAccepts('other', body, headers, now.getTime()), false);
    assert.equal(boltAccepts('secret', `${body}x`, headers, now.getTime()), false);
    assert.equal(boltAccepts('secret', body, headers, now.getTime() + 6 * 60 * 1000), false);
  });
});
