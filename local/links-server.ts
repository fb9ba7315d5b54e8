/**
 * The links endpoint on this machine: the deployed links handler (`workflows/links/`) behind a
 * loopback HTTP server, as a Function URL puts it behind HTTPS. `npm start` posts charts below
 * it, so the console's images load through stable links as Slack's would.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../common/log.ts';
import type { LinkRequestEvent, LinkResponse } from '../workflows/links/handler.ts';
import { listenError } from './cli.ts';

export interface LocalLinks {
  /** `http://127.0.0.1:<port>/`: a stable link is this plus a token. */
  url: string;
  /**
   * Where `link` redirects now (the presigned S3 URL), asked of the handler in-process; null
   * when it is refused (404).
   */
  resolve(link: string): Promise<string | null>;
  stop(): Promise<void>;
}

/** The event a Function URL would give the handler for `GET <path>`. */
function event(method: string, path: string): LinkRequestEvent {
  return { rawPath: path, requestContext: { http: { method } } };
}

/** Serves `handler` on 127.0.0.1:`port` (0: any free port). */
export async function startLocalLinks(options: {
  port: number;
  handler: (event: LinkRequestEvent) => Promise<LinkResponse>;
  log: Pick<Logger, 'error'>;
}): Promise<LocalLinks> {
  const server = createServer((req, res) => {
    // The raw path, as a Function URL's `rawPath`: the query is not part of a link.
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    options
      .handler(event(req.method ?? 'GET', path))
      .then((answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        res.end(req.method === 'HEAD' ? undefined : answer.body);
      })
      .catch((error: unknown) => {
        // What Lambda answers for a function error, with the reason in the log only.
        options.log.error('links endpoint failed', { error });
        res.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway\n');
      });
  });
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', (error) =>
      reject(listenError('COSTBOT_LOCAL_LINKS_PORT', options.port, error)),
    );
    server.listen(options.port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
  const url = `http://127.0.0.1:${port}/`;
  return {
    url,
    resolve: async (link) => {
      if (!link.startsWith(url)) return null;
      const answer = await options.handler(event('GET', `/${link.slice(url.length)}`));
      return answer.statusCode === 302 ? (answer.headers.location ?? null) : null;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
