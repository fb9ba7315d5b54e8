/**
 * A flaky loopback Slack: a proxy on 127.0.0.1 in front of the fake Slack (`slack-api.ts`)
 * that fails the first matching call one way (5xx, an HTML error page, a connection reset, a
 * hang, Slack's own `internal_error`) and forwards every other call unchanged. A hung or reset
 * call never reaches the fake, so whatever the fake holds is what Slack would show. Redirects
 * are passed back, not followed, so it also stands in front of the links endpoint and S3.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FlakyFailure } from '../attacks/cases.ts';

export interface FlakyProxy {
  /** Base URL: `${url}/api/` for the Web API, `${url}/response/<id>` for response_urls. */
  url: string;
  /** Fail the first call whose path starts with `path`, then behave. */
  failOnce(path: string, failure: FlakyFailure): void;
  /** Calls that were failed on purpose. */
  failed: string[];
  close(): Promise<void>;
}

async function readAll(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function fail(failure: FlakyFailure, req: IncomingMessage, res: ServerResponse): void {
  switch (failure) {
    case '503':
      res.writeHead(503, { 'content-type': 'text/plain' }).end('Service Unavailable');
      return;
    case '502 HTML':
      res
        .writeHead(502, { 'content-type': 'text/html' })
        .end('<html><h1>502 Bad Gateway</h1></html>');
      return;
    case 'reset':
      req.socket.destroy();
      return;
    case 'hang':
      // Never answered: the caller's timeout must end the call.
      return;
    case 'slow headers':
      // Answered only after any caller has given up.
      setTimeout(() => res.writeHead(200).end('ok'), 60_000).unref();
      return;
    case 'ok:false internal_error':
      res
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ ok: false, error: 'internal_error' }));
      return;
  }
}

/** An answer the proxy gives instead of forwarding (e.g. S3 refusing a signature). */
export interface ProxyAnswer {
  status: number;
  contentType: string;
  body: string;
}

export async function startFlakyProxy(
  target: string,
  options: {
    /** Checks each call as it arrives (`url`: as the caller addressed it); an answer stops it. */
    check?: (url: string) => Promise<ProxyAnswer | undefined>;
  } = {},
): Promise<FlakyProxy> {
  let armed: { path: string; failure: FlakyFailure } | undefined;
  const failed: string[] = [];
  const server = createServer(async (req, res) => {
    const path = req.url ?? '/';
    const body = await readAll(req);
    if (armed && path.startsWith(armed.path)) {
      const { failure } = armed;
      armed = undefined;
      failed.push(`${failure} ${path}`);
      fail(failure, req, res);
      return;
    }
    const refused = await options.check?.(`http://${req.headers.host}${path}`);
    if (refused) {
      res.writeHead(refused.status, { 'content-type': refused.contentType }).end(refused.body);
      return;
    }
    const headers: Record<string, string> = {};
    for (const name of ['content-type', 'authorization', 'range']) {
      const value = req.headers[name];
      if (typeof value === 'string') headers[name] = value;
    }
    const answer = await fetch(`${target}${path}`, {
      method: req.method ?? 'POST',
      headers,
      ...(body.length > 0 ? { body } : {}),
      redirect: 'manual',
    });
    const out: Record<string, string> = {};
    for (const name of [
      'content-type',
      'retry-after',
      'x-oauth-scopes',
      'location',
      'content-range',
    ]) {
      const value = answer.headers.get(name);
      if (value !== null) out[name] = value;
    }
    res.writeHead(answer.status, out).end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    failed,
    failOnce(path, failure) {
      armed = { path, failure };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
