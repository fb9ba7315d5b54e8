import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import {
  type ChatPostMessageArguments,
  type ChatPostMessageResponse,
  WebAPIPlatformError,
  WebAPIRateLimitedError,
  WebClient,
} from '@slack/web-api';
import {
  SlackApiError,
  SlackRateLimitedError,
  SlackUnavailableError,
} from '../../../../common/errors.ts';
import type { SlackMessage } from '../../../../common/slack-message.ts';
import {
  SLACK_TIMEOUT_MS,
  slackHint,
  slackWebClient,
  webApiDelivery,
} from '../../../../workflows/steps/post/delivery.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const MESSAGE: SlackMessage = {
  text: 'AWS cost: $1.00 month to date.',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Month to date*\n$1.00' } }],
};

/** A WebClient whose `chat.postMessage` is replaced: records its arguments, then `answer`s. */
function fakeClient(answer: () => Promise<ChatPostMessageResponse>): {
  client: WebClient;
  calls: ChatPostMessageArguments[];
} {
  const calls: ChatPostMessageArguments[] = [];
  const client = new WebClient('xoxb-test-token');
  client.chat.postMessage = async (args: ChatPostMessageArguments) => {
    calls.push(args);
    return answer();
  };
  return { client, calls };
}

/** Runs `promise` expecting a rejection, and returns the error. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

/** A loopback HTTP server; `routes` answers by path and every request is recorded. */
async function startServer(
  routes: Record<string, (req: IncomingMessage, res: ServerResponse, body: string) => void>,
): Promise<{ server: Server; base: string; received: { path: string; body: string }[] }> {
  const received: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = new URL(req.url ?? '/', 'http://x').pathname;
      received.push({ path, body });
      const route = routes[path];
      if (route) route(req, res, body);
      else res.writeHead(500).end('no route');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, base: `http://127.0.0.1:${port}`, received };
}

async function stopServer(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

// ---------------------------------------------------------------------------------------------

describe('Function: webApiDelivery', () => {
  describe('Method: postMessage', () => {
    it('posts text and blocks without unfurling and returns the ts', async () => {
      // Prepare
      const { client, calls } = fakeClient(async () => ({
        ok: true,
        channel: 'C0123ABCD',
        ts: '1732255200.000100',
      }));
      const delivery = webApiDelivery(client);

      // Act
      const result = await delivery.postMessage('#costs', MESSAGE);

      // Assess
      assert.deepEqual(result, {
        via: 'postMessage',
        channel: 'C0123ABCD',
        ts: '1732255200.000100',
      });
      assert.deepEqual(calls, [
        { channel: '#costs', text: MESSAGE.text, blocks: MESSAGE.blocks, unfurl_links: false },
      ]);
    });

    it('keeps the requested channel when Slack does not echo one', async () => {
      // Prepare
      const { client } = fakeClient(async () => ({ ok: true, ts: '1.2' }));

      // Act
      const result = await webApiDelivery(client).postMessage('C0999', MESSAGE);

      // Assess
      assert.deepEqual(result, { via: 'postMessage', channel: 'C0999', ts: '1.2' });
    });

    it('turns a rate-limit error shaped like @slack/web-api into SlackRateLimitedError', async () => {
      // Prepare
      const thrown = Object.assign(new Error('rate limited'), {
        code: 'slack_webapi_rate_limited_error',
        retryAfter: 7,
      });
      const { client } = fakeClient(async () => {
        throw thrown;
      });

      // Act
      const error = await rejection(webApiDelivery(client).postMessage('C1', MESSAGE));

      // Assess
      assert.ok(error instanceof SlackRateLimitedError);
      assert.equal(error.retryAfterSeconds, 7);
      assert.equal(error.name, 'SlackRateLimitedError');
      assert.equal(error.cause, thrown);
    });

    it("turns the library's own WebAPIRateLimitedError into SlackRateLimitedError", async () => {
      // Prepare
      const { client } = fakeClient(async () => {
        throw new WebAPIRateLimitedError(12);
      });

      // Act
      const error = await rejection(webApiDelivery(client).postMessage('C1', MESSAGE));

      // Assess
      assert.ok(error instanceof SlackRateLimitedError);
      assert.equal(error.retryAfterSeconds, 12);
    });

    const platformCodes = ['channel_not_found', 'not_in_channel', 'invalid_auth'];
    for (const code of platformCodes) {
      it(`turns the platform error ${code} into SlackApiError with its hint`, async () => {
        // Prepare
        const thrown = Object.assign(new Error(`An API error occurred: ${code}`), {
          code: 'slack_webapi_platform_error',
          data: { ok: false, error: code },
        });
        const { client } = fakeClient(async () => {
          throw thrown;
        });

        // Act
        const error = await rejection(webApiDelivery(client).postMessage('C1', MESSAGE));

        // Assess
        assert.ok(error instanceof SlackApiError);
        assert.equal(error.code, code);
        assert.equal(error.message, `Slack chat.postMessage failed: ${code}. ${slackHint(code)}`);
        assert.equal(error.cause, thrown);
      });
    }

    it('gives the hint text a person can act on', () => {
      // Prepare
      const codes = ['channel_not_found', 'not_in_channel', 'invalid_auth', 'brand_new_code'];

      // Act
      const hints = codes.map(slackHint);

      // Assess
      assert.deepEqual(hints, [
        'The channel does not exist or the bot cannot see it: check the channel id, and invite the bot to private channels.',
        'The bot is not a member of the channel: `/invite @costbot` there.',
        'The Slack bot token is invalid: store the current `xoxb-` token in the bot-token parameter (`npm run setup`).',
        'Slack answered "brand_new_code".',
      ]);
    });

    it('treats a platform "ratelimited" answer as a rate limit', async () => {
      // Prepare
      const { client } = fakeClient(async () => {
        throw new WebAPIPlatformError({ ok: false, error: 'ratelimited' });
      });

      // Act
      const error = await rejection(webApiDelivery(client).postMessage('C1', MESSAGE));

      // Assess
      assert.ok(error instanceof SlackRateLimitedError);
      assert.equal(error.retryAfterSeconds, 1);
    });

    describe('with a real WebClient against a local Slack API', () => {
      let stub: Awaited<ReturnType<typeof startServer>>;

      before(async () => {
        const json = { 'content-type': 'application/json' };
        stub = await startServer({
          '/limited/chat.postMessage': (_req, res) =>
            res
              .writeHead(429, { ...json, 'retry-after': '7' })
              .end('{"ok":false,"error":"ratelimited"}'),
          '/missing/chat.postMessage': (_req, res) =>
            res.writeHead(200, json).end('{"ok":false,"error":"channel_not_found"}'),
        });
      });

      after(async () => {
        await stopServer(stub.server);
      });

      /** A client configured like the post step's: rate limits rejected, no retries. */
      function client(path: string): WebClient {
        return new WebClient('xoxb-test-token', {
          slackApiUrl: `${stub.base}/${path}/`,
          rejectRateLimitedCalls: true,
          retryConfig: { retries: 0 },
        });
      }

      it("maps Slack's HTTP 429 with Retry-After 7 to SlackRateLimitedError(7)", async () => {
        // Prepare
        const delivery = webApiDelivery(client('limited'));

        // Act
        const error = await rejection(delivery.postMessage('C1', MESSAGE));

        // Assess
        assert.ok(error instanceof SlackRateLimitedError);
        assert.equal(error.retryAfterSeconds, 7);
        assert.deepEqual(
          stub.received.map((r) => r.path),
          ['/limited/chat.postMessage'],
        );
      });

      it('maps channel_not_found to SlackApiError', async () => {
        // Prepare
        const delivery = webApiDelivery(client('missing'));

        // Act
        const error = await rejection(delivery.postMessage('C1', MESSAGE));

        // Assess
        assert.ok(error instanceof SlackApiError);
        assert.equal(error.code, 'channel_not_found');
      });
    });
  });

  describe('Method: respond', () => {
    let stub: Awaited<ReturnType<typeof startServer>>;

    before(async () => {
      stub = await startServer({
        '/ok': (_req, res) => res.writeHead(200).end('ok'),
        '/limited': (_req, res) => res.writeHead(429, { 'retry-after': '3' }).end(),
        '/expired': (_req, res) => res.writeHead(404).end('expired_url'),
        '/refused': (_req, res) => res.writeHead(400).end('invalid_blocks'),
      });
    });

    after(async () => {
      await stopServer(stub.server);
    });

    afterEach(() => {
      stub.received.length = 0;
    });

    /** Never called: `respond` must use the injected fetch only. */
    const unusedClient = fakeClient(async () => assert.fail('chat.postMessage called')).client;

    it('posts the message in channel to the response_url', async () => {
      // Prepare
      const delivery = webApiDelivery(unusedClient);

      // Act
      const result = await delivery.respond(`${stub.base}/ok`, 'C0123ABCD', MESSAGE);

      // Assess
      assert.deepEqual(result, { via: 'response_url', channel: 'C0123ABCD' });
      assert.equal(stub.received.length, 1);
      assert.deepEqual(JSON.parse(stub.received[0]?.body ?? '{}'), {
        response_type: 'in_channel',
        text: MESSAGE.text,
        blocks: MESSAGE.blocks,
      });
    });

    it('turns 429 with Retry-After 3 into SlackRateLimitedError(3)', async () => {
      // Prepare
      const delivery = webApiDelivery(unusedClient);

      // Act
      const error = await rejection(delivery.respond(`${stub.base}/limited`, 'C1', MESSAGE));

      // Assess
      assert.ok(error instanceof SlackRateLimitedError);
      assert.equal(error.retryAfterSeconds, 3);
    });

    it('turns 404 into SlackApiError expired_url', async () => {
      // Prepare
      const delivery = webApiDelivery(unusedClient);

      // Act
      const error = await rejection(delivery.respond(`${stub.base}/expired`, 'C1', MESSAGE));

      // Assess
      assert.ok(error instanceof SlackApiError);
      assert.equal(error.code, 'expired_url');
      assert.equal(
        error.message,
        'Slack response_url failed: expired_url. The response_url expired (30 minutes, 5 uses): run the command again.',
      );
    });

    it("uses Slack's body as the code of another refusal", async () => {
      // Prepare
      const delivery = webApiDelivery(unusedClient);

      // Act
      const error = await rejection(delivery.respond(`${stub.base}/refused`, 'C1', MESSAGE));

      // Assess
      assert.ok(error instanceof SlackApiError);
      assert.equal(error.code, 'invalid_blocks');
    });
  });

  describe('Slack outages: every class is a retryable SlackUnavailableError', () => {
    /** Short, so the hang case takes a fraction of a second; deployed it is SLACK_TIMEOUT_MS. */
    const TIMEOUT_MS = 300;
    let stub: Awaited<ReturnType<typeof startServer>>;
    const json = { 'content-type': 'application/json' };

    /** One way of failing per path: `/<class>/chat.postMessage` and `/<class>/respond`. */
    const faults: Record<string, (req: IncomingMessage, res: ServerResponse) => void> = {
      '503': (_req, res) => res.writeHead(503).end('upstream unavailable'),
      '500': (_req, res) => res.writeHead(500, json).end('{"ok":false}'),
      reset: (req) => req.socket.destroy(),
      hang: () => {},
      garbage: (_req, res) => res.writeHead(200).end('<html>502 Bad Gateway</html>'),
      internal_error: (_req, res) =>
        res.writeHead(200, json).end('{"ok":false,"error":"internal_error"}'),
    };

    before(async () => {
      const routes: Parameters<typeof startServer>[0] = {};
      for (const [name, fault] of Object.entries(faults)) {
        routes[`/${name}/chat.postMessage`] = fault;
        routes[`/${name}/respond`] = fault;
      }
      stub = await startServer(routes);
    });

    after(async () => {
      await stopServer(stub.server);
    });

    function delivery(name: string) {
      const client = slackWebClient('xoxb-test-token', {
        slackApiUrl: `${stub.base}/${name}/`,
        timeoutMs: TIMEOUT_MS,
      });
      return webApiDelivery(client, { timeoutMs: TIMEOUT_MS });
    }

    it('bounds every call well inside the Post function (25 s) and task (30 s)', () => {
      assert.ok(SLACK_TIMEOUT_MS <= 10_000, `SLACK_TIMEOUT_MS ${SLACK_TIMEOUT_MS}`);
    });

    for (const name of Object.keys(faults)) {
      it(`${name}: chat.postMessage and response_url both throw SlackUnavailableError`, async () => {
        // Prepare
        const slack = delivery(name);
        const started = performance.now();

        // Act
        const errors = [
          await rejection(slack.postMessage('C1', MESSAGE)),
          await rejection(slack.respond(`${stub.base}/${name}/respond`, 'C1', MESSAGE)),
        ];

        // Assess
        for (const error of errors) {
          assert.ok(error instanceof SlackUnavailableError, `${name}: ${String(error)}`);
          assert.equal(error.name, 'SlackUnavailableError');
          assert.match(error.message, /^Slack (chat\.postMessage|response_url) /);
        }
        assert.ok(performance.now() - started < 4 * TIMEOUT_MS, 'no call outlives its timeout');
      });
    }

    it('connection refused: both throw SlackUnavailableError naming ECONNREFUSED', async () => {
      // Prepare: a port nothing listens on.
      const closed = await startServer({});
      const base = closed.base;
      await stopServer(closed.server);
      const slack = webApiDelivery(
        slackWebClient('xoxb-test-token', { slackApiUrl: `${base}/`, timeoutMs: TIMEOUT_MS }),
        { timeoutMs: TIMEOUT_MS },
      );

      // Act
      const errors = [
        await rejection(slack.postMessage('C1', MESSAGE)),
        await rejection(slack.respond(`${base}/respond`, 'C1', MESSAGE)),
      ];

      // Assess
      for (const error of errors) {
        assert.ok(error instanceof SlackUnavailableError, String(error));
        assert.match(error.message, /ECONNREFUSED/);
      }
    });

    it('a DNS failure of response_url is SlackUnavailableError naming ENOTFOUND', async () => {
      // Prepare: fetch that fails as undici does when the name does not resolve.
      const dnsFailure: typeof fetch = async () => {
        throw new TypeError('fetch failed', {
          cause: Object.assign(new Error('getaddrinfo ENOTFOUND hooks.slack.com'), {
            code: 'ENOTFOUND',
          }),
        });
      };
      const slack = webApiDelivery(fakeClient(async () => assert.fail('unused')).client, {
        fetch: dnsFailure,
      });

      // Act
      const error = await rejection(slack.respond('https://hooks.slack.com/x', 'C1', MESSAGE));

      // Assess
      assert.ok(error instanceof SlackUnavailableError);
      assert.equal(error.message, 'Slack response_url failed: ENOTFOUND.');
    });

    it('still names a refusal that will not go away SlackApiError (not retried)', async () => {
      // Prepare
      const { client } = fakeClient(async () => {
        throw new WebAPIPlatformError({ ok: false, error: 'channel_not_found' });
      });

      // Act
      const error = await rejection(webApiDelivery(client).postMessage('C1', MESSAGE));

      // Assess
      assert.ok(error instanceof SlackApiError);
      assert.ok(!(error instanceof SlackUnavailableError));
    });
  });
});
