/**
 * The console is not an open door: its own endpoints answer only same-origin JSON from a
 * loopback Host/Origin, and a refusal has no side effect (nothing reaches the bot, nothing is
 * stored). The bot's own calls (Web API with the bot token, response_url) keep working.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { WebClient } from '@slack/web-api';
import { BOT_TOKEN, type Harness, postJson, startHarness } from './harness.ts';

/** A raw HTTP request (fetch will not send a Host of our choosing). */
function raw(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string },
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('the console guard', () => {
  let h: Harness;
  let port: string;

  before(async () => {
    h = await startHarness();
    port = new URL(h.consoleUrl).port;
  });
  after(() => h.close());

  /** Asserts that neither the bot nor the store saw anything. */
  function assertNoSideEffect(before: { received: number; messages: number }): void {
    assert.equal(h.received.length, before.received, 'nothing reached the bot');
    assert.equal(h.messages().length, before.messages, 'nothing was stored');
  }

  function snapshot() {
    return { received: h.received.length, messages: h.messages().length };
  }

  const crossSite: [string, string, Record<string, string>, string, number][] = [
    [
      'a text/plain command from another site',
      '/local/command',
      { 'content-type': 'text/plain', origin: 'https://evil.example' },
      '{"text":"/aws-cost 30d"}',
      403,
    ],
    [
      'a text/plain command without Origin',
      '/local/command',
      { 'content-type': 'text/plain' },
      '{"text":"/aws-cost 30d"}',
      415,
    ],
    [
      'a form-encoded command',
      '/local/command',
      { 'content-type': 'application/x-www-form-urlencoded' },
      'text=%2Faws-cost+30d',
      415,
    ],
    [
      'a JSON command from a foreign Origin',
      '/local/command',
      { 'content-type': 'application/json', origin: 'http://127.0.0.1:1' },
      '{"text":"/aws-cost 30d"}',
      403,
    ],
    [
      'a JSON command marked cross-site by the browser',
      '/local/command',
      { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site' },
      '{"text":"/aws-cost 30d"}',
      403,
    ],
    [
      'a text/plain click',
      '/local/action',
      { 'content-type': 'text/plain' },
      '{"channel":"C0LOCAL","ts":"1.0","actionId":"x"}',
      415,
    ],
    [
      'a Web API post from another site, token and all',
      '/api/chat.postMessage',
      { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' },
      `token=${BOT_TOKEN}&channel=C0LOCAL&text=pwned`,
      403,
    ],
    [
      'a text/plain Web API post',
      '/api/chat.postMessage',
      { 'content-type': 'text/plain', authorization: `Bearer ${BOT_TOKEN}` },
      'channel=C0LOCAL&text=pwned',
      415,
    ],
    [
      'a text/plain post to a response_url',
      '/local/response/anything',
      { 'content-type': 'text/plain' },
      '{"text":"pwned"}',
      415,
    ],
  ];
  for (const [what, path, headers, body, status] of crossSite) {
    it(`refuses ${what} with ${status}, and nothing happens`, async () => {
      // Prepare
      const seen = snapshot();

      // Act
      const res = await raw(`${h.consoleUrl}${path}`, { method: 'POST', headers, body });

      // Assess
      assert.equal(res.status, status);
      assert.equal(JSON.parse(res.body).ok, false);
      assertNoSideEffect(seen);
    });
  }

  for (const [method, path] of [
    ['GET', '/'],
    ['GET', '/local/messages'],
    ['POST', '/local/command'],
    ['POST', '/api/auth.test'],
  ] as const) {
    it(`refuses ${method} ${path} under a rebound host name (DNS rebinding)`, async () => {
      // Prepare
      const seen = snapshot();

      // Act
      const res = await raw(`${h.consoleUrl}${path}`, {
        method,
        headers: { host: `evil.example:${port}`, 'content-type': 'application/json' },
        ...(method === 'POST' ? { body: '{"text":"/aws-cost"}' } : {}),
      });

      // Assess
      assert.equal(res.status, 403);
      assert.equal(JSON.parse(res.body).error, 'forbidden_host');
      assertNoSideEffect(seen);
    });
  }

  it('refuses a page of another port on the same machine reading the messages', async () => {
    // Act
    const res = await raw(`${h.consoleUrl}/local/messages`, {
      headers: { origin: 'http://localhost:8080', 'sec-fetch-site': 'same-site' },
    });

    // Assess
    assert.equal(res.status, 403);
  });

  it("accepts the page's own JSON, from 127.0.0.1 or localhost on its port", async () => {
    // Prepare
    const seen = snapshot();

    // Act
    const fromPage = await raw(`${h.consoleUrl}/local/command`, {
      method: 'POST',
      headers: {
        host: `localhost:${port}`,
        origin: `http://localhost:${port}`,
        'sec-fetch-site': 'same-origin',
        'content-type': 'application/json',
      },
      body: '{"text":"/aws-cost 7d"}',
    });
    const plain = await postJson(`${h.consoleUrl}/local/command`, { text: '/aws-cost 30d' });

    // Assess
    assert.equal(fromPage.status, 200, fromPage.body);
    assert.equal(plain.status, 200);
    assert.equal(h.received.length, seen.received + 2);
  });

  it("keeps answering the bot's WebClient (form-encoded, bearer token, no Origin)", async () => {
    // Prepare
    const client = new WebClient(BOT_TOKEN, {
      slackApiUrl: `${h.consoleUrl}/api/`,
      retryConfig: { retries: 0 },
    });

    // Act
    const posted = await client.chat.postMessage({ channel: 'C0LOCAL', text: 'from the bot' });

    // Assess
    assert.equal(posted.ok, true);
    assert.ok(h.messages().some((m) => m.text === 'from the bot'));
  });
});
