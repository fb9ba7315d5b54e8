/**
 * Slack's request signing, checked one way for every receiver before Bolt parses anything:
 * `guardLambda` wraps the AwsLambdaReceiver handler (`bot/lambda.ts`), `guardHttp` goes in
 * front of the ExpressReceiver (`local/bot-server.ts`). Both call `verifySlackRequest`.
 *
 * @example
 * export const handler = guardLambda(await receiver.start(), { signingSecret });
 *
 * Decisions:
 * - A timestamp more than {@link MAX_CLOCK_SKEW_SECONDS} away from now is refused in both
 *   directions: Bolt refuses only old ones, so a request signed for the future could be
 *   replayed until then.
 * - The signature is checked before the body is parsed; an unsigned or malformed request is
 *   answered 4xx with an empty body, never by throwing (Bolt's Lambda receiver parses first and
 *   throws on a bad `payload=`).
 * - Beyond the signature the body must be one Bolt can read and the bot handles: a command form
 *   with its fields, one interaction `payload` that is a JSON object with a user, or an event
 *   object with a `type`; anything else is a 400.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import * as v from 'valibot';
import { check } from '../common/contract-schema.ts';

/** Slack's own rule, applied both ways. */
export const MAX_CLOCK_SKEW_SECONDS = 300;
/** Largest body read: a click on a report carries the whole message, a few KB. */
export const MAX_BODY_BYTES = 128 * 1024;

const FORM = 'application/x-www-form-urlencoded';
const JSON_TYPE = 'application/json';

export type RequestHeaders = Record<string, string | string[] | undefined | null>;

export type Refusal = { ok: false; status: 400 | 401 | 413 | 415; reason: string };
export type Verdict = { ok: true } | Refusal;

/** A header by name, any case; absent, or sent more than once, is undefined. */
export function headerValue(headers: RequestHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(headers).filter(([key]) => key.toLowerCase() === wanted);
  if (found.length !== 1) return undefined;
  const value = found[0]?.[1];
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return typeof value === 'string' ? value : undefined;
}

const nonEmpty = v.pipe(v.string(), v.minLength(1));
const CommandForm = v.looseObject({
  command: nonEmpty,
  user_id: nonEmpty,
  channel_id: nonEmpty,
  team_id: nonEmpty,
  trigger_id: nonEmpty,
  response_url: nonEmpty,
});
const Interaction = v.pipe(
  v.looseObject({
    type: nonEmpty,
    user: v.looseObject({ id: nonEmpty }),
    actions: v.optional(v.pipe(v.array(v.looseObject({ action_id: nonEmpty })), v.minLength(1))),
  }),
  v.check((p) => p.type !== 'block_actions' || p.actions !== undefined, 'no actions'),
);
const SlackEvent = v.looseObject({ type: nonEmpty });

function parsedJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Why a signed body cannot be handed to Bolt, or null when it can. */
function bodyProblem(contentType: string | undefined, body: string): Refusal | null {
  const bad = (reason: string): Refusal => ({ ok: false, status: 400, reason });
  if (contentType === FORM) {
    const form = new URLSearchParams(body);
    const payloads = form.getAll('payload');
    if (payloads.length > 1) return bad('more than one payload');
    if (payloads.length === 1) {
      const payload = parsedJson(payloads[0] as string);
      if (Array.isArray(payload) || !check(Interaction, payload)) {
        return bad('payload is not an interaction');
      }
      return null;
    }
    if (form.get('ssl_check') === '1') return null;
    return check(CommandForm, Object.fromEntries(form)) ? null : bad('not a slash command');
  }
  if (contentType === JSON_TYPE) {
    const event = parsedJson(body);
    return Array.isArray(event) || !check(SlackEvent, event) ? bad('not a Slack event') : null;
  }
  return { ok: false, status: 415, reason: `content type ${contentType ?? '(none)'}` };
}

function sameSignature(sent: string, expected: string): boolean {
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * Slack's v0 signature check, with the timestamp checked both ways, then the body's shape.
 * Pure: the caller reads the body (at most {@link MAX_BODY_BYTES}) and the clock.
 */
export function verifySlackRequest(input: {
  signingSecret: string;
  headers: RequestHeaders;
  body: string;
  nowMs: number;
}): Verdict {
  const refused = (reason: string): Refusal => ({ ok: false, status: 401, reason });
  if (Buffer.byteLength(input.body) > MAX_BODY_BYTES) {
    return { ok: false, status: 413, reason: 'body too large' };
  }
  const timestamp = headerValue(input.headers, 'x-slack-request-timestamp');
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) {
    return refused('timestamp missing or not whole seconds');
  }
  const skew = Math.abs(Math.floor(input.nowMs / 1000) - Number(timestamp));
  if (skew > MAX_CLOCK_SKEW_SECONDS) return refused(`timestamp ${skew} s away from now`);
  const signature = headerValue(input.headers, 'x-slack-signature');
  if (signature === undefined || !/^v0=[0-9a-f]{64}$/.test(signature)) {
    return refused('signature missing or malformed');
  }
  const expected = `v0=${createHmac('sha256', input.signingSecret)
    .update(`v0:${timestamp}:${input.body}`, 'utf8')
    .digest('hex')}`;
  if (!sameSignature(signature, expected)) return refused('signature mismatch');
  return bodyProblem(headerValue(input.headers, 'content-type'), input.body) ?? { ok: true };
}

export interface GuardOptions {
  signingSecret: string;
  /** Milliseconds since the epoch; `Date.now` by default. */
  now?: () => number;
  /** Told why a request was refused (never its body or headers). */
  onRefused?: (verdict: Refusal) => void;
}

/** What a refusal answers; Bolt's own answers pass through as they are. */
export interface LambdaHttpResult {
  statusCode: number;
  body: string;
}

const LambdaHttpEvent = v.looseObject({
  headers: v.record(v.string(), v.union([v.string(), v.undefined()])),
  body: v.optional(v.nullable(v.string())),
  isBase64Encoded: v.optional(v.boolean()),
});
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A Function URL (payload 2.0) or API Gateway (1.0) event's body as text, or why not. The
 * encoded size is checked before anything is decoded.
 */
function lambdaBody(event: v.InferOutput<typeof LambdaHttpEvent>): string | Refusal {
  const raw = event.body ?? '';
  if (!event.isBase64Encoded) return raw;
  if (raw.length > Math.ceil(MAX_BODY_BYTES / 3) * 4) {
    return { ok: false, status: 413, reason: 'body too large' };
  }
  if (!BASE64.test(raw)) return { ok: false, status: 400, reason: 'body is not base64' };
  return Buffer.from(raw, 'base64').toString('utf8');
}

/**
 * The Lambda receiver's handler behind the check: a refused request gets its 4xx and an empty
 * body; a verified one goes to Bolt with the body already decoded, so Bolt reads exactly the
 * bytes that were verified.
 */
export function guardLambda<E, C, R extends LambdaHttpResult>(
  handler: (event: E, context: C) => Promise<R>,
  options: GuardOptions,
) {
  return async function guardedHandler(event: unknown, context: C): Promise<R | LambdaHttpResult> {
    const refuse = (verdict: Refusal): LambdaHttpResult => {
      options.onRefused?.(verdict);
      return { statusCode: verdict.status, body: '' };
    };
    const http = check(LambdaHttpEvent, event);
    if (!http) return refuse({ ok: false, status: 400, reason: 'not an HTTP event' });
    const body = lambdaBody(http);
    if (typeof body !== 'string') return refuse(body);
    const verdict = verifySlackRequest({
      signingSecret: options.signingSecret,
      headers: http.headers,
      body,
      nowMs: (options.now ?? Date.now)(),
    });
    if (!verdict.ok) return refuse(verdict);
    // The event as Lambda sent it, only its body decoded: the shape `handler` takes.
    return handler({ ...http, body, isBase64Encoded: false } as E, context);
  };
}

type Next = (error?: unknown) => void;

/**
 * The same check as Node HTTP middleware (Express, Connect) in front of Bolt's
 * ExpressReceiver: reads at most {@link MAX_BODY_BYTES}, verifies, and hands the bytes on as
 * `req.rawBody`, which the receiver reads instead of the stream.
 */
export function guardHttp(options: GuardOptions) {
  return function guardRequest(
    req: IncomingMessage & { rawBody?: Buffer },
    res: ServerResponse,
    next: Next,
  ): void {
    const chunks: Buffer[] = [];
    let size = 0;
    const answer = (verdict: Refusal) => {
      options.onRefused?.(verdict);
      res.writeHead(verdict.status, { 'content-length': '0' }).end();
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      // Past the limit the rest is drained, not kept.
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('error', next);
    req.on('end', () => {
      if (size > MAX_BODY_BYTES) {
        answer({ ok: false, status: 413, reason: 'body too large' });
        return;
      }
      const raw = Buffer.concat(chunks);
      const verdict = verifySlackRequest({
        signingSecret: options.signingSecret,
        headers: req.headers,
        body: raw.toString('utf8'),
        nowMs: (options.now ?? Date.now)(),
      });
      if (!verdict.ok) {
        answer(verdict);
        return;
      }
      req.rawBody = raw;
      next();
    });
  };
}
