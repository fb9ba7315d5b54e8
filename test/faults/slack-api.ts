/**
 * A tiny stand-in for Slack on 127.0.0.1: the Web API methods costbot calls (`auth.test`,
 * `chat.postMessage`, `conversations.info`) under `/api/`, and `response_url`s under
 * `/response/<id>`. It answers as Slack does (HTTP 200 with `{ok:false, error}` for refusals,
 * 429 with `Retry-After` for rate limits), so the real `WebClient` and `webApiDelivery` run
 * unchanged against it, and a test can make any call fail on purpose with `refuse`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SlackCall {
  /** `chat.postMessage`, or `response_url` for a POST to `/response/<id>`. */
  method: string;
  token: string | undefined;
  params: Record<string, unknown>;
  /** `performance.now()` when the call arrived. */
  at: number;
}

/**
 * What to answer instead of the default: a Slack error code, a raw HTTP answer, the connection
 * destroyed without an answer (`reset`), or no answer at all (`hang`, until the client gives up).
 */
export type Refusal =
  | { error: string }
  | { status: number; headers?: Record<string, string>; body?: unknown }
  | { reset: true }
  | { hang: true };

export interface FakeSlackApi {
  /** Web API base URL, for `SLACK_API_URL` / `slackApiUrl` (ends in `/api/`). */
  apiUrl: string;
  /** A fresh `response_url` on this server. */
  responseUrl(id?: string): string;
  /** Every call, accepted or refused, in order. */
  calls: SlackCall[];
  /** Accepted messages (chat.postMessage and response_url posts). */
  messages: SlackCall[];
  /** The token auth.test and every other method accept. */
  validToken: string;
  /** Scopes sent in `x-oauth-scopes`; null sends no header. */
  scopes: string[] | null;
  /** Channels the bot is a member of (conversations.info); others answer is_member false. */
  memberOf: Set<string>;
  /** Decides per call (1-based count of that method) whether to refuse it. */
  refuse: ((method: string, call: number) => Refusal | undefined) | undefined;
  /** Resolves once `count` messages were accepted; rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<void>;
  reset(): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks).toString('utf8');
  if ((req.headers['content-type'] ?? '').includes('application/json')) {
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  }
  const params: Record<string, unknown> = Object.fromEntries(new URLSearchParams(raw));
  for (const key of ['blocks', 'attachments']) {
    if (typeof params[key] === 'string') params[key] = JSON.parse(params[key] as string);
  }
  return params;
}

export async function startFakeSlackApi(validToken: string): Promise<FakeSlackApi> {
  const counts = new Map<string, number>();
  const api: Omit<FakeSlackApi, 'apiUrl' | 'responseUrl' | 'close' | 'waitForMessages'> = {
    calls: [],
    messages: [],
    validToken,
    scopes: ['commands', 'chat:write'],
    memberOf: new Set(),
    refuse: undefined,
    reset() {
      api.calls.length = 0;
      api.messages.length = 0;
      api.refuse = undefined;
      counts.clear();
    },
  };
  let responseCount = 0;

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const params = await readBody(req);
    const isResponse = url.pathname.startsWith('/response/');
    const method = isResponse ? 'response_url' : url.pathname.replace(/^\/api\//, '');
    const bearer = /^Bearer\s+(\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const token = bearer ?? (typeof params.token === 'string' ? params.token : undefined);
    const call: SlackCall = { method, token, params, at: performance.now() };
    api.calls.push(call);
    const n = (counts.get(method) ?? 0) + 1;
    counts.set(method, n);

    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const text = typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, {
        'content-type': typeof body === 'string' ? 'text/plain' : 'application/json',
        ...headers,
      });
      res.end(text);
    };

    const refusal = api.refuse?.(method, n);
    if (refusal && 'reset' in refusal) {
      req.socket.destroy();
      return;
    }
    if (refusal && 'hang' in refusal) return;
    if (refusal && 'error' in refusal) {
      if (isResponse) return send(404, refusal.error);
      return send(200, { ok: false, error: refusal.error });
    }
    if (refusal) return send(refusal.status, refusal.body ?? '', refusal.headers);

    if (isResponse) {
      api.messages.push(call);
      return send(200, 'ok');
    }
    if (token !== api.validToken) return send(200, { ok: false, error: 'invalid_auth' });
    switch (method) {
      case 'auth.test':
        return send(
          200,
          {
            ok: true,
            url: 'https://acme.slack.com/',
            team: 'Acme',
            user_id: 'U0COSTBOT',
            team_id: 'T0ACME',
          },
          api.scopes ? { 'x-oauth-scopes': api.scopes.join(',') } : {},
        );
      case 'chat.postMessage': {
        api.messages.push(call);
        const channel = String(params.channel ?? '');
        return send(200, {
          ok: true,
          channel,
          ts: `1795330800.${String(api.messages.length).padStart(6, '0')}`,
        });
      }
      case 'conversations.info': {
        const channel = String(params.channel ?? '');
        if (!/^[CGD][A-Z0-9]+$/.test(channel))
          return send(200, { ok: false, error: 'channel_not_found' });
        return send(200, {
          ok: true,
          channel: {
            id: channel,
            name: 'costs',
            is_member: api.memberOf.has(channel),
            is_archived: false,
          },
        });
      }
      default:
        return send(200, { ok: false, error: 'unknown_method' });
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(api, {
    apiUrl: `${base}/api/`,
    waitForMessages: async (count: number, timeoutMs = 5_000) => {
      const deadline = Date.now() + timeoutMs;
      while (api.messages.length < count) {
        if (Date.now() > deadline) {
          throw new Error(`expected ${count} Slack messages, got ${api.messages.length}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    },
    responseUrl: (id?: string) => {
      responseCount += 1;
      return `${base}/response/${id ?? `r${responseCount}`}`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

/** Every text of a posted message (its `text` and the texts in its blocks), one per line. */
export function postedText(call: SlackCall): string {
  const texts: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) for (const item of node) walk(item);
    else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  if (typeof call.params.text === 'string') texts.push(call.params.text);
  walk(call.params.blocks);
  return texts.join('\n');
}
