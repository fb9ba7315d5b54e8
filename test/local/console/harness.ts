/**
 * A console on 127.0.0.1 with a tiny fake bot behind it. The fake bot checks every request's
 * signature with Bolt's own verifier and records the parsed form, so tests see exactly what
 * the bot would receive.
 */
import type { AddressInfo } from 'node:net';
import { isValidSlackRequest } from '@slack/bolt';
import express, { type Express } from 'express';
import {
  type ConsoleMessage,
  type ConsoleOptions,
  createConsoleRouter,
} from '../../../local/console/server.ts';

export const SIGNING_SECRET = 'test-signing-secret';
export const BOT_TOKEN = 'xoxb-test-token';

export interface Received {
  /** Whether Bolt's verifier accepted the signature. */
  valid: boolean;
  contentType: string;
  body: string;
  form: Record<string, string>;
}

export interface BotReply {
  status?: number;
  /** Sent as application/json. */
  json?: unknown;
  /** Sent as text/plain. */
  text?: string;
  delayMs?: number;
}

export interface Harness {
  consoleUrl: string;
  botUrl: string;
  received: Received[];
  /** How the fake bot answers the next requests; an empty 200 (Bolt's bare `ack()`) by default. */
  reply: (received: Received) => BotReply;
  messages(): ConsoleMessage[];
  close(): Promise<void>;
}

export async function listen(app: Express): Promise<{ url: string; close(): Promise<void> }> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

export async function startHarness(
  options: Partial<Pick<ConsoleOptions, 'now' | 'botEventsUrl'>> = {},
): Promise<Harness> {
  const received: Received[] = [];
  const harness = {
    received,
    reply: (() => ({})) as Harness['reply'],
  };

  const bot = express();
  bot.post(
    '/slack/events',
    express.text({ type: 'application/x-www-form-urlencoded' }),
    async (req, res) => {
      const body = typeof req.body === 'string' ? req.body : '';
      const entry: Received = {
        valid: isValidSlackRequest({
          signingSecret: SIGNING_SECRET,
          body,
          headers: {
            'x-slack-signature': req.get('x-slack-signature') ?? '',
            'x-slack-request-timestamp': Number(req.get('x-slack-request-timestamp')),
          },
        }),
        contentType: req.get('content-type') ?? '',
        body,
        form: Object.fromEntries(new URLSearchParams(body)),
      };
      received.push(entry);
      const reply = entry.valid ? harness.reply(entry) : { status: 401 };
      if (reply.delayMs) await new Promise((resolve) => setTimeout(resolve, reply.delayMs));
      res.status(reply.status ?? 200);
      if (reply.json !== undefined) res.json(reply.json);
      else res.type('text/plain').send(reply.text ?? '');
    },
  );
  const botServer = await listen(bot);

  const app = express();
  const consoleServer = await listen(app);
  const slackConsole = createConsoleRouter({
    botEventsUrl: options.botEventsUrl ?? `${botServer.url}/slack/events`,
    publicUrl: consoleServer.url,
    signingSecret: SIGNING_SECRET,
    botToken: BOT_TOKEN,
    ...(options.now ? { now: options.now } : {}),
  });
  app.use(slackConsole.router);

  return Object.assign(harness, {
    consoleUrl: consoleServer.url,
    botUrl: botServer.url,
    messages: slackConsole.messages,
    async close() {
      await Promise.all([consoleServer.close(), botServer.close()]);
    },
  });
}

export async function postJson(url: string, body: unknown): Promise<globalThis.Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}
