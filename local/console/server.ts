/**
 * The local Slack console: an Express router that plays Slack towards the bot. It sends the
 * bot signed slash commands and interactions (as Slack's servers do), answers the bot's Web
 * API calls and response_url posts, and shows the resulting channel on one HTML page. The bot
 * runs its production code path; only the URLs differ.
 *
 * The router is meant to be mounted next to Bolt's ExpressReceiver on the same port; its
 * body parsers are attached per route so they never touch the receiver's `/slack/events`,
 * whose Slack signature Bolt checks. Its own routes answer only this machine (`guard.ts`).
 */
import { request } from 'node:http';
import express, { type Request, type Response, type Router } from 'express';
import { FORM_TYPE, JSON_TYPE, loopbackOnly, only } from './guard.ts';
import { consolePage, PAGE_CSP } from './page.ts';
import {
  actionTs,
  blockActionsPayload,
  findElement,
  interactionBody,
  isRecord,
  newResponseId,
  newTriggerId,
  slashCommandBody,
  type Workspace,
  withBlockIds,
} from './protocol.ts';
import { signedHeaders } from './signing.ts';
import {
  ChannelDirectory,
  type ConsoleChannel,
  type ConsoleMessage,
  MessageStore,
} from './store.ts';
import { callWebApi, type WebApiContext } from './web-api.ts';

export type { ConsoleMessage } from './store.ts';

export interface ConsoleOptions {
  /** Where the bot listens, e.g. http://127.0.0.1:3000/slack/events */
  botEventsUrl: string;
  /** Base URL of this console as the bot sees it, e.g. http://127.0.0.1:3000 (response_urls point here) */
  publicUrl: string;
  signingSecret: string;
  /** The console accepts Web API calls only with this token (bearer header or `token` field). */
  botToken: string;
  /** Defaults: T0LOCAL, U0LOCAL, C0LOCAL (named #costs). */
  teamId?: string;
  userId?: string;
  defaultChannel?: string;
  /** Clock for response_url lifetimes, in ms since the epoch; tests move it forward. */
  now?: () => number;
}

/** The slash command the console sends; other commands are refused before reaching the bot. */
export const COMMAND = '/aws-cost';

/** Slack's limits on a response_url: 5 uses within 30 minutes. */
export const RESPONSE_URL_USES = 5;
export const RESPONSE_URL_LIFETIME_MS = 30 * 60 * 1000;

/** Slack gives up on an app that does not answer a command or interaction within 3 s. */
const BOT_TIMEOUT_MS = 3000;

/**
 * Signed `ssl_check`s sent at start: Bolt acks them before any listener (no side effect), and
 * the first burst of commands then finds the signing, HTTP and verification code compiled
 * (about half its CPU, measured with bench/ack-console.ts) instead of paying inside 3 s.
 */
const WARM_UP_REQUESTS = 20;

/**
 * POSTs a signed request to the bot and reads the answer, failing with a `TimeoutError` after
 * Slack's 3 s. Plain node:http: it runs in the bot's own process, where fetch's streams cost
 * a burst of commands a noticeable share of their acks' CPU (bench/ack-console.ts).
 */
function postSigned(
  url: string,
  headers: Record<string, string>,
  body: string,
): Promise<{ status: number; contentType: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'] ?? '',
          body: text,
        }),
      );
      res.on('error', reject);
    });
    const timer = setTimeout(() => {
      const timeout = new Error(`no answer within ${BOT_TIMEOUT_MS} ms`);
      timeout.name = 'TimeoutError';
      req.destroy(timeout);
    }, BOT_TIMEOUT_MS);
    req.on('close', () => clearTimeout(timer));
    req.on('error', reject);
    req.end(body);
  });
}

/** What a response_url may change: the message it was issued for, in its channel. */
interface ResponseTarget {
  channel: ConsoleChannel;
  user: string;
  createdAt: number;
  uses: number;
  /**
   * The message `replace_original` and `delete_original` act on. For an interaction: the
   * message clicked. For a command: the latest message delivered for that command (its ack
   * or an earlier response), as Slack replaces the previous response.
   */
  original: ConsoleMessage | undefined;
  followsResponses: boolean;
}

type BotAnswer =
  | { status: number; contentType: string; body: string }
  | { status: 0; error: 'dispatch_failed' | 'operation_timeout'; detail: string };

function messageContent(value: Record<string, unknown>): { text: string; blocks: unknown[] } {
  return {
    text: typeof value.text === 'string' ? value.text : '',
    blocks: Array.isArray(value.blocks) ? value.blocks : [],
  };
}

function hasContent(value: Record<string, unknown>): boolean {
  const c = messageContent(value);
  return c.text !== '' || c.blocks.length > 0;
}

export function createConsoleRouter(options: ConsoleOptions): {
  router: Router;
  messages(): ConsoleMessage[];
  /** Primes the path to the bot (see WARM_UP_REQUESTS); call once the bot is listening. */
  warmUp(): Promise<void>;
} {
  const now = options.now ?? Date.now;
  const publicUrl = options.publicUrl.replace(/\/+$/, '');
  const workspace: Workspace = {
    teamId: options.teamId ?? 'T0LOCAL',
    teamDomain: 'local-console',
    userId: options.userId ?? 'U0LOCAL',
    userName: 'developer',
    appId: 'A0COSTBOT',
    botUserId: 'U0COSTBOT',
    botId: 'B0COSTBOT',
    verificationToken: 'local-console-verification-token',
  };
  const channels = new ChannelDirectory({ id: options.defaultChannel ?? 'C0LOCAL', name: 'costs' });
  const defaultChannel = channels.defaultChannel;
  const store = new MessageStore();
  const targets = new Map<string, ResponseTarget>();
  const api: WebApiContext = {
    workspace,
    channels,
    store,
    botToken: options.botToken,
    publicUrl,
  };

  /** A fresh response_url and the record of what it may change. */
  function newResponseUrl(target: Omit<ResponseTarget, 'createdAt' | 'uses'>): {
    url: string;
    target: ResponseTarget;
  } {
    const id = newResponseId();
    const stored: ResponseTarget = { ...target, createdAt: now(), uses: 0 };
    targets.set(id, stored);
    return { url: `${publicUrl}/local/response/${id}`, target: stored };
  }

  /** Posts a signed form to the bot, giving up after Slack's 3 seconds. */
  async function sendToBot(body: string): Promise<BotAnswer> {
    try {
      return await postSigned(
        options.botEventsUrl,
        signedHeaders(options.signingSecret, body),
        body,
      );
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      return {
        status: 0,
        error: timedOut ? 'operation_timeout' : 'dispatch_failed',
        detail: timedOut
          ? `no answer within ${BOT_TIMEOUT_MS / 1000} s`
          : `cannot reach ${options.botEventsUrl}: ${error instanceof Error ? (error.cause ?? error.message) : error}`,
      };
    }
  }

  /** What Slack's client shows when the app fails a command, plus why, for the developer. */
  function commandFailure(command: string, code: string, detail: string): void {
    const text = `${command} failed with the error "${code}"`;
    store.add({
      channel: defaultChannel.id,
      text,
      blocks: [
        {
          type: 'section',
          text: { type: 'mrkdwn', text: `\`${command}\` failed with the error "${code}"` },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'plain_text',
              text: `Local console: ${detail}. Slack shows only the line above.`,
            },
          ],
        },
      ],
      via: 'ephemeral',
      user: workspace.userId,
      from: 'slack',
    });
  }

  /**
   * The synchronous answer to a slash command, as Slack treats it: an empty body shows
   * nothing, JSON with text or blocks is a message (ephemeral unless `in_channel`), other
   * text is an ephemeral message of that text.
   */
  function recordCommandAck(answer: {
    contentType: string;
    body: string;
  }): ConsoleMessage | undefined {
    const raw = answer.body.trim();
    if (raw === '') return undefined;
    let parsed: unknown = raw;
    if (answer.contentType.includes('json')) {
      try {
        parsed = JSON.parse(raw);
      } catch {
        // Slack shows an unparsable body as text; so does the console.
      }
    }
    if (isRecord(parsed)) {
      if (!hasContent(parsed)) return undefined;
      return parsed.response_type === 'in_channel'
        ? store.add({ channel: defaultChannel.id, ...messageContent(parsed), via: 'response_url' })
        : store.add({
            channel: defaultChannel.id,
            ...messageContent(parsed),
            via: 'ephemeral',
            user: workspace.userId,
          });
    }
    return store.add({
      channel: defaultChannel.id,
      text: raw,
      blocks: [],
      via: 'ephemeral',
      user: workspace.userId,
    });
  }

  async function onCommand(req: Request, res: Response): Promise<void> {
    const body: unknown = req.body;
    const line = isRecord(body) && typeof body.text === 'string' ? body.text.trim() : '';
    // The page sends the whole line; a bare argument string means the same command.
    const match = /^(\/\S+)\s*([\s\S]*)$/.exec(line);
    const command = match?.[1] ?? COMMAND;
    const text = match ? (match[2] ?? '') : line;
    if (command !== COMMAND) {
      res.status(400).json({ ok: false, error: 'unknown_command', status: 0 });
      return;
    }
    store.add({
      channel: defaultChannel.id,
      text: text ? `${COMMAND} ${text}` : COMMAND,
      blocks: [],
      via: 'command',
      user: workspace.userId,
    });
    const response = newResponseUrl({
      channel: defaultChannel,
      user: workspace.userId,
      original: undefined,
      followsResponses: true,
    });
    const form = slashCommandBody(workspace, {
      command: COMMAND,
      // As Slack sends what was typed: & < > as entities (`if yesterday > 250` arrives as &gt;).
      text: text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;'),
      channel: defaultChannel,
      responseUrl: response.url,
      triggerId: newTriggerId(),
    });
    const answer = await sendToBot(form);
    if ('error' in answer) {
      commandFailure(COMMAND, answer.error, answer.detail);
      res.status(502).json({ status: 0, ok: false, error: answer.error });
      return;
    }
    const ok = answer.status >= 200 && answer.status < 300;
    if (ok) {
      const ack = recordCommandAck(answer);
      // A response may already have arrived (the bot can answer before its ack is read).
      if (ack && !response.target.original) response.target.original = ack;
    } else {
      commandFailure(COMMAND, 'dispatch_failed', `the bot answered HTTP ${answer.status}`);
    }
    res.json({ status: answer.status, ok });
  }

  async function onAction(req: Request, res: Response): Promise<void> {
    const body: unknown = req.body;
    if (
      !isRecord(body) ||
      typeof body.channel !== 'string' ||
      typeof body.ts !== 'string' ||
      typeof body.actionId !== 'string'
    ) {
      res.status(400).json({ ok: false, status: 0, error: 'invalid_arguments' });
      return;
    }
    const message = store.find(body.channel, body.ts);
    const channel = channels.get(body.channel);
    if (!message || !channel) {
      res.status(404).json({ ok: false, status: 0, error: 'message_not_found' });
      return;
    }
    const blockId = typeof body.blockId === 'string' ? body.blockId : undefined;
    const found = findElement(withBlockIds(message.blocks, message.ts), body.actionId, blockId);
    if (!found) {
      res.status(404).json({ ok: false, status: 0, error: 'action_not_found' });
      return;
    }
    // Slack sends the value the message carries; the page's copy only fills a gap.
    if (found.element.value === undefined && typeof body.value === 'string') {
      found.element = { ...found.element, value: body.value };
    }
    const response = newResponseUrl({
      channel,
      user: workspace.userId,
      original: message,
      followsResponses: false,
    });
    const payload = blockActionsPayload(workspace, {
      channel,
      message,
      found,
      responseUrl: response.url,
      triggerId: newTriggerId(),
      actionTs: actionTs(),
    });
    const answer = await sendToBot(interactionBody(payload));
    if ('error' in answer) {
      res.status(502).json({ status: 0, ok: false, error: answer.error });
      return;
    }
    // Slack ignores the body of a block_actions ack; a non-2xx only shows a warning icon.
    res.json({ status: answer.status, ok: answer.status >= 200 && answer.status < 300 });
  }

  function onResponse(req: Request, res: Response): void {
    const id = String(req.params.id);
    const target = targets.get(id);
    const expired =
      !target ||
      target.uses >= RESPONSE_URL_USES ||
      now() - target.createdAt > RESPONSE_URL_LIFETIME_MS;
    if (!target || expired) {
      res.status(404).type('text/plain').send('expired_url');
      return;
    }
    target.uses += 1;
    let body: unknown = req.body;
    // Some clients post the JSON as a `payload` form field.
    if (isRecord(body) && typeof body.payload === 'string') {
      try {
        body = JSON.parse(body.payload);
      } catch {
        body = undefined;
      }
    }
    if (!isRecord(body)) {
      res.status(400).type('text/plain').send('invalid_payload');
      return;
    }
    const original = target.original && store.find(target.original.channel, target.original.ts);
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original) store.remove(original);
      target.original = undefined;
      res.type('text/plain').send('ok');
      return;
    }
    if (!hasContent(body)) {
      res.status(400).type('text/plain').send('no_text');
      return;
    }
    const replace = body.replace_original === true || body.replace_original === 'true';
    let delivered: ConsoleMessage | undefined;
    if (replace && original) {
      delivered = store.replace(original, messageContent(body));
    } else if (body.response_type === 'in_channel') {
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      delivered = store.add({
        channel: target.channel.id,
        ...messageContent(body),
        via: 'response_url',
        ...(threadTs ? { thread_ts: threadTs } : {}),
      });
    } else {
      delivered = store.add({
        channel: target.channel.id,
        ...messageContent(body),
        via: 'ephemeral',
        user: target.user,
      });
    }
    if (target.followsResponses && delivered) target.original = delivered;
    res.type('text/plain').send('ok');
  }

  const router = express.Router();
  const json = express.json({ limit: '1mb' });
  const form = express.urlencoded({ extended: false, limit: '1mb' });
  const page = consolePage({
    channelId: defaultChannel.id,
    channelName: defaultChannel.name,
    command: COMMAND,
  });

  // Everything the console serves is for this machine's browser and the bot, nothing else.
  router.use(loopbackOnly(publicUrl));
  router.get('/', (_req, res) => {
    res.set('Content-Security-Policy', PAGE_CSP).type('html').send(page);
  });
  // Browsers ask for it; an empty answer keeps their console free of 404s.
  router.get('/favicon.ico', (_req, res) => {
    res.status(204).end();
  });
  router.get('/local/messages', (_req, res) => {
    res.set('Cache-Control', 'no-store').json(store.all());
  });
  router.post('/local/command', only(JSON_TYPE), json, onCommand);
  router.post('/local/action', only(JSON_TYPE), json, onAction);
  // The bot's own calls: authenticated by the unguessable response_url and the bot token.
  router.post('/local/response/:id', only(JSON_TYPE, FORM_TYPE), json, form, onResponse);
  router.post('/api/:method', only(JSON_TYPE, FORM_TYPE), json, form, (req, res) => {
    res.json(callWebApi(api, String(req.params.method), req.body, req.get('authorization')));
  });

  async function warmUp(): Promise<void> {
    for (let n = 0; n < WARM_UP_REQUESTS; n++) await sendToBot('ssl_check=1');
  }

  return { router, messages: () => store.all(), warmUp };
}
