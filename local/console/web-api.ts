/**
 * The few Web API methods the bot calls, answered from the console's store. Answers follow
 * Slack's conventions, which the bot's WebClient relies on: HTTP 200 with `{ok: false,
 * error}` for refusals (the client turns those into platform errors and does not retry).
 */
import { isRecord, slackMessage, type Workspace } from './protocol.ts';
import type { ChannelDirectory, ConsoleMessage, MessageStore } from './store.ts';

export interface WebApiContext {
  workspace: Workspace;
  channels: ChannelDirectory;
  store: MessageStore;
  botToken: string;
  publicUrl: string;
}

export type WebApiAnswer = Record<string, unknown> & { ok: boolean };

type Handler = (ctx: WebApiContext, params: Record<string, unknown>) => WebApiAnswer;

/** Fields the WebClient sends JSON-encoded inside a form body. */
const JSON_FIELDS = ['blocks', 'attachments', 'metadata'];

function refuse(error: string): WebApiAnswer {
  return { ok: false, error };
}

/**
 * The request's arguments whatever the encoding: the WebClient posts forms with
 * JSON-stringified `blocks`, other clients post JSON. Returns an error code when a
 * JSON field cannot be parsed, as Slack refuses such calls.
 */
export function normalizeParams(body: unknown): Record<string, unknown> | string {
  const params: Record<string, unknown> = isRecord(body) ? { ...body } : {};
  for (const field of JSON_FIELDS) {
    const value = params[field];
    if (typeof value !== 'string') continue;
    try {
      params[field] = JSON.parse(value);
    } catch {
      return field === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments';
    }
  }
  return params;
}

function stringParam(params: Record<string, unknown>, name: string): string | undefined {
  const value = params[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The message content of a post or update; an error code when Slack would refuse it. */
function content(
  params: Record<string, unknown>,
  requireSome: boolean,
): { text: string | undefined; blocks: unknown[] | undefined } | string {
  const text = typeof params.text === 'string' ? params.text : undefined;
  const blocks = params.blocks;
  if (blocks !== undefined) {
    if (!Array.isArray(blocks)) return 'invalid_blocks';
    if (!blocks.every((b) => isRecord(b) && typeof b.type === 'string')) return 'invalid_blocks';
  }
  const hasSome = Boolean(text) || (Array.isArray(blocks) && blocks.length > 0);
  if (requireSome && !hasSome) return 'no_text';
  return { text, blocks: blocks as unknown[] | undefined };
}

/**
 * A new message from a `chat.postMessage` / `chat.postEphemeral` call, refused in Slack's
 * order: unknown channel, then (ephemeral) no user, then no content.
 */
function storeNew(
  ctx: WebApiContext,
  params: Record<string, unknown>,
  via: 'postMessage' | 'ephemeral',
): ConsoleMessage | WebApiAnswer {
  const channel = ctx.channels.resolve(stringParam(params, 'channel') ?? '');
  if (!channel) return refuse('channel_not_found');
  const user = stringParam(params, 'user');
  if (via === 'ephemeral' && !user) return refuse('user_not_in_channel');
  const c = content(params, true);
  if (typeof c === 'string') return refuse(c);
  const threadTs = stringParam(params, 'thread_ts');
  return ctx.store.add({
    channel: channel.id,
    text: c.text ?? '',
    blocks: c.blocks ?? [],
    via,
    ...(via === 'ephemeral' && user ? { user } : {}),
    ...(threadTs ? { thread_ts: threadTs } : {}),
  });
}

const handlers: Record<string, Handler> = {
  'api.test': (_ctx, params) => ({ ok: true, args: params }),

  'auth.test': (ctx) => ({
    ok: true,
    url: `${ctx.publicUrl}/`,
    team: 'Local console',
    user: 'costbot',
    team_id: ctx.workspace.teamId,
    user_id: ctx.workspace.botUserId,
    bot_id: ctx.workspace.botId,
    is_enterprise_install: false,
  }),

  'chat.postMessage': (ctx, params) => {
    const stored = storeNew(ctx, params, 'postMessage');
    if ('ok' in stored) return stored;
    return {
      ok: true,
      channel: stored.channel,
      ts: stored.ts,
      message: slackMessage(ctx.workspace, stored),
    };
  },

  'chat.postEphemeral': (ctx, params) => {
    const stored = storeNew(ctx, params, 'ephemeral');
    if ('ok' in stored) return stored;
    return { ok: true, message_ts: stored.ts };
  },

  'chat.update': (ctx, params) => {
    const channel = ctx.channels.resolve(stringParam(params, 'channel') ?? '');
    if (!channel) return refuse('channel_not_found');
    const target = ctx.store.find(channel.id, stringParam(params, 'ts') ?? '');
    // Ephemeral messages cannot be updated through the Web API; Slack does not find them.
    if (!target || target.via === 'ephemeral' || target.via === 'command') {
      return refuse('message_not_found');
    }
    const c = content(params, false);
    if (typeof c === 'string') return refuse(c);
    // Slack keeps the previous text or blocks when an update leaves that field out.
    const updated = ctx.store.replace(target, {
      text: c.text ?? target.text,
      blocks: c.blocks ?? target.blocks,
    });
    if (!updated) return refuse('message_not_found');
    return {
      ok: true,
      channel: channel.id,
      ts: updated.ts,
      text: updated.text,
      message: slackMessage(ctx.workspace, updated),
    };
  },

  'conversations.info': (ctx, params) => {
    const channel = ctx.channels.resolve(stringParam(params, 'channel') ?? '');
    if (!channel) return refuse('channel_not_found');
    return {
      ok: true,
      channel: {
        id: channel.id,
        name: channel.name,
        is_channel: true,
        is_private: false,
        is_archived: false,
        is_member: true,
        is_general: false,
      },
    };
  },

  'users.info': (ctx, params) => {
    const id = stringParam(params, 'user');
    const { workspace } = ctx;
    const known: Record<string, { name: string; is_bot: boolean }> = {
      [workspace.userId]: { name: workspace.userName, is_bot: false },
      [workspace.botUserId]: { name: 'costbot', is_bot: true },
    };
    const user = id ? known[id] : undefined;
    if (!id || !user) return refuse('user_not_found');
    return {
      ok: true,
      user: {
        id,
        team_id: workspace.teamId,
        name: user.name,
        real_name: user.name,
        is_bot: user.is_bot,
        deleted: false,
        tz: 'UTC',
        profile: { display_name: user.name, real_name: user.name },
      },
    };
  },
};

/** Methods that answer without a token, as Slack's do. */
const UNAUTHENTICATED = new Set(['api.test']);

/** The bearer token of `Authorization`, or the `token` argument. */
function presentedToken(authorization: string | undefined, params: Record<string, unknown>) {
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  return bearer ?? stringParam(params, 'token');
}

/** Answers one Web API call. */
export function callWebApi(
  ctx: WebApiContext,
  method: string,
  body: unknown,
  authorization: string | undefined,
): WebApiAnswer {
  const handler = Object.hasOwn(handlers, method) ? handlers[method] : undefined;
  if (!handler) return refuse('unknown_method');
  const params = normalizeParams(body);
  if (typeof params === 'string') return refuse(params);
  if (!UNAUTHENTICATED.has(method)) {
    const token = presentedToken(authorization, params);
    if (!token) return refuse('not_authed');
    if (token !== ctx.botToken) return refuse('invalid_auth');
  }
  delete params.token;
  return handler(ctx, params);
}
