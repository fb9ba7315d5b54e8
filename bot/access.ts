/**
 * Who may use the bot, enforced once for every surface: `accessGuard` is a Bolt global
 * middleware, so it runs before the command, every button and any listener added later, and a
 * new listener cannot forget it. Empty lists allow everyone.
 *
 * @example
 * app.use(accessGuard({ allowedChannels: ['C0123ABCD'], allowedUsers: [] }));
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';

/** Optional allow-lists of channels and users, from configuration. Empty lists allow everyone. */
export interface AccessPolicy {
  allowedChannels: string[];
  allowedUsers: string[];
}

export const CHANNEL_REFUSAL =
  'costbot is not enabled in this channel. Ask an admin to add it to COSTBOT_ALLOWED_CHANNELS.';
export const USER_REFUSAL =
  'You are not on the list of people who can run /aws-cost or use its buttons (COSTBOT_ALLOWED_USERS). Ask an admin to add you.';

/**
 * Why `user` may not act in `channel`, or null when allowed. An unknown user or channel is
 * refused whenever its list is set: what cannot be identified cannot be allowed.
 */
export function accessRefusal(
  policy: AccessPolicy,
  channel: string | undefined,
  user: string | undefined,
): string | null {
  if (
    policy.allowedChannels.length > 0 &&
    (channel === undefined || !policy.allowedChannels.includes(channel))
  ) {
    return CHANNEL_REFUSAL;
  }
  if (
    policy.allowedUsers.length > 0 &&
    (user === undefined || !policy.allowedUsers.includes(user))
  ) {
    return USER_REFUSAL;
  }
  return null;
}

type Fields = Record<string, unknown>;

function field(value: unknown, ...path: string[]): string | undefined {
  let at: unknown = value;
  for (const key of path) {
    if (typeof at !== 'object' || at === null) return undefined;
    at = (at as Fields)[key];
  }
  return typeof at === 'string' && at !== '' ? at : undefined;
}

/**
 * The user and channel of any request body Slack sends: a slash command (`user_id`,
 * `channel_id`), an interaction (`user.id`, `channel.id` or `container.channel_id`), an event
 * (`event.user`, `event.channel`). A view or a global shortcut has no channel.
 */
export function whoAndWhere(body: unknown): { user?: string; channel?: string } {
  const user = field(body, 'user_id') ?? field(body, 'user', 'id') ?? field(body, 'event', 'user');
  const channel =
    field(body, 'channel_id') ??
    field(body, 'channel', 'id') ??
    field(body, 'container', 'channel_id') ??
    field(body, 'event', 'channel');
  return { ...(user ? { user } : {}), ...(channel ? { channel } : {}) };
}

type GuardArgs = AnyMiddlewareArgs & AllMiddlewareArgs;

/**
 * Answers a refused request and starts nothing: a command's ack carries the refusal; an
 * interaction is acked, then told ephemerally through its `response_url`; an event is dropped.
 */
export async function refuse(args: GuardArgs, text: string): Promise<void> {
  if ('command' in args) {
    await args.ack({ response_type: 'ephemeral', text });
    return;
  }
  if ('ack' in args) await (args.ack as () => Promise<void>)();
  if ('respond' in args && typeof args.respond === 'function') {
    await args.respond({ response_type: 'ephemeral', replace_original: false, text });
  }
}

/** The allow-lists as a Bolt global middleware: refused requests never reach a listener. */
export function accessGuard(policy: AccessPolicy) {
  return async function checkAccess(args: GuardArgs): Promise<void> {
    const { user, channel } = whoAndWhere(args.body);
    const refusal = accessRefusal(policy, channel, user);
    if (refusal) {
      args.logger.info(`costbot: refused by the allow-lists (user ${user}, channel ${channel})`);
      await refuse(args, refusal);
      return;
    }
    await args.next();
  };
}
