/**
 * What the console's own endpoints accept, so that a web page on another site cannot drive
 * them through the developer's browser:
 * - `Host` must be 127.0.0.1 or localhost on the console's own port: a DNS-rebinding page
 *   reaches the port under its own host name and is refused (403 `forbidden_host`);
 * - `Origin`, when the browser sends one, must be the console's own (403 `forbidden_origin`),
 *   and `Sec-Fetch-Site` must be same-origin or none (a typed URL);
 * - a POST must carry the content type its route reads (415 `unsupported_media_type`): a page
 *   elsewhere can send `text/plain` or a form without asking, never `application/json`.
 * Refusals happen before any body is read, so they have no side effect. Requests without
 * `Origin` (the bot's own Web API and response_url calls) are authenticated by what they
 * carry: the bot token, an unguessable response_url.
 */
import type { Request, RequestHandler, Response } from 'express';

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

function refuse(res: Response, status: number, error: string): void {
  res.status(status).json({ ok: false, status: 0, error });
}

/** Loopback `Host` and same-origin `Origin` / `Sec-Fetch-Site` for the console at `publicUrl`. */
export function loopbackOnly(publicUrl: string): RequestHandler {
  const port = new URL(publicUrl).port;
  const hosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const origins = new Set([...hosts].map((host) => `http://${host}`));
  return (req: Request, res: Response, next) => {
    if (!hosts.has((req.get('host') ?? '').toLowerCase())) {
      refuse(res, 403, 'forbidden_host');
      return;
    }
    const origin = req.get('origin');
    const site = req.get('sec-fetch-site');
    if (
      (origin !== undefined && !origins.has(origin.toLowerCase())) ||
      (site !== undefined && site !== 'same-origin' && site !== 'none')
    ) {
      refuse(res, 403, 'forbidden_origin');
      return;
    }
    next();
  };
}

/** Refuses a request whose body is not one of `types` (a missing body included). */
export function only(...types: string[]): RequestHandler {
  return (req, res, next) => {
    if (!req.is(types)) {
      refuse(res, 415, 'unsupported_media_type');
      return;
    }
    next();
  };
}
