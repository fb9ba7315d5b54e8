import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { BOT_SLACK_TIMEOUT_MS, fetchWithTimeout } from '../../common/slack-http.ts';

describe('Function: fetchWithTimeout', () => {
  let server: Server;
  let base: string;

  before(async () => {
    // `/hang` never answers; `/ok` answers at once.
    server = createServer((req, res) => {
      if (req.url === '/ok') res.writeHead(200).end('ok');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('gives up on a Slack that does not answer, with a TimeoutError, after the limit', async () => {
    // Prepare
    const slackFetch = fetchWithTimeout(150);
    const started = performance.now();

    // Act
    const error = await slackFetch(`${base}/hang`, { method: 'POST' }).catch((e: unknown) => e);

    // Assess
    const elapsed = performance.now() - started;
    assert.equal((error as Error).name, 'TimeoutError');
    assert.ok(elapsed >= 140 && elapsed < 1_000, `${Math.round(elapsed)} ms`);
  });

  it('passes an answer through', async () => {
    // Act
    const res = await fetchWithTimeout(1_000)(`${base}/ok`);

    // Assess
    assert.equal(await res.text(), 'ok');
  });

  it("keeps the caller's own signal", async () => {
    // Prepare
    const caller = new AbortController();
    const pending = fetchWithTimeout(5_000)(`${base}/hang`, { signal: caller.signal });

    // Act
    caller.abort();
    const error = await pending.catch((e: unknown) => e);

    // Assess
    assert.equal((error as Error).name, 'AbortError');
  });

  it("bounds the bot's calls so that its answer still reaches Slack within 3 s", () => {
    assert.ok(BOT_SLACK_TIMEOUT_MS <= 2_000, `${BOT_SLACK_TIMEOUT_MS} ms`);
  });
});
