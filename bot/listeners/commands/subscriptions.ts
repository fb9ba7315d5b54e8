/**
 * `/aws-cost subscribe …`, `/aws-cost subscriptions` and `/aws-cost unsubscribe <id>`: each
 * asks the subscription store, then acks with the answer (ephemeral). The store calls come
 * before the ack, so on Lambda they count against Slack's 3 s: the store's client is built with
 * short timeouts (`bot/lambda.ts`), `subscribe` counts the channel's and all (names only) at
 * once, and the rest is pure (`bot/subscriptions/replies.ts`).
 *
 * One `subscribe` delivered twice (Slack does not retry slash commands, but a proxy or a
 * replayed request may repeat one) carries the same team and trigger id, so it names the same
 * subscription: the store keeps the first, and the repeat gets the same confirmation.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { explainThrown } from '../../../common/failure-explanation.ts';
import type { Logger } from '../../../common/log.ts';
import {
  type Subscription,
  type SubscriptionStore,
  subscriptionId,
} from '../../../common/subscription.ts';
import type { ParsedCommand } from '../../command/parse.ts';
import {
  ADMIN_REFUSAL,
  limitRefusal,
  listReply,
  mayManage,
  NOT_AVAILABLE,
  notFoundReply,
  placeRefusal,
  type Reply,
  removedReply,
  subscribedReply,
} from '../../subscriptions/replies.ts';

export interface SubscriptionDeps {
  /** Where subscriptions live (EventBridge Scheduler deployed, a file locally). */
  store: SubscriptionStore;
  /** Time zone of a subscription that names none (COSTBOT_TIME_ZONE). */
  timeZone: string;
  /** COSTBOT_ADMIN_USERS: who may change subscriptions; empty: everyone allowed. */
  adminUsers: string[];
  limits: { perChannel: number; total: number };
  log: Logger;
  now?: () => Date;
}

export type SubscriptionCommand = Extract<
  ParsedCommand,
  { kind: 'subscribe' | 'subscriptions' | 'unsubscribe' }
>;

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;
type Command = CommandArgs['command'];

async function subscribe(
  parsed: Extract<SubscriptionCommand, { kind: 'subscribe' }>,
  command: Command,
  deps: SubscriptionDeps,
  now: Date,
): Promise<Reply> {
  const { store } = deps;
  const subscription: Subscription = {
    id: subscriptionId(command.team_id, command.trigger_id),
    channel: command.channel_id,
    cadence: parsed.cadence,
    time: parsed.time,
    timeZone: parsed.timeZone ?? deps.timeZone,
    report: parsed.report,
    ...(parsed.condition ? { condition: parsed.condition } : {}),
    createdBy: command.user_id,
  };
  // Names only (one ListSchedules each, at once), then the create: two round trips before
  // the ack, not a GetSchedule per subscription of the channel.
  // Each count stops at its limit: a full group is not paged through before the ack.
  const [inChannel, total] = await Promise.all([
    store.count(command.channel_id, deps.limits.perChannel),
    store.count(undefined, deps.limits.total),
  ]);
  const refusal = limitRefusal({ channel: inChannel, total }, deps.limits);
  if (refusal) {
    // A repeat of a request that was saved, and filled the channel: confirmed again, not refused.
    const saved = await store.get(command.channel_id, subscription.id);
    return saved ? subscribedReply(saved, now) : { text: refusal };
  }
  // created: false is a retried request (same team and trigger id): the same subscription.
  const { created } = await store.create(subscription);
  deps.log.info('subscription created', {
    id: subscription.id,
    channel: subscription.channel,
    user: command.user_id,
    created,
  });
  return subscribedReply(subscription, now);
}

async function answer(
  parsed: SubscriptionCommand,
  command: Command,
  deps: SubscriptionDeps,
): Promise<Reply> {
  const { store } = deps;
  const now = deps.now?.() ?? new Date();
  if (parsed.kind === 'subscriptions') {
    return listReply(await store.list(command.channel_id), now, {
      limit: deps.limits.perChannel,
    });
  }
  if (!mayManage(deps.adminUsers, command.user_id)) return { text: ADMIN_REFUSAL };
  if (parsed.kind === 'subscribe') {
    const refusal = placeRefusal(command.channel_id);
    return refusal ? { text: refusal } : subscribe(parsed, command, deps, now);
  }
  const removed = await store.remove(command.channel_id, parsed.id);
  if (removed) deps.log.info('subscription removed', { id: parsed.id, user: command.user_id });
  return removed ? removedReply(parsed.id) : notFoundReply(parsed.id);
}

/**
 * Answers one subscription command in its ack; a store that fails is explained, not hidden.
 * Without `deps` (no store configured) the command says subscriptions are not available.
 */
export async function subscriptionCommand(
  { command, ack }: Pick<CommandArgs, 'command' | 'ack'>,
  parsed: SubscriptionCommand,
  deps: SubscriptionDeps | undefined,
): Promise<void> {
  if (!deps) {
    await ack({ response_type: 'ephemeral', text: NOT_AVAILABLE });
    return;
  }
  let reply: Reply;
  try {
    reply = await answer(parsed, command, deps);
  } catch (error) {
    deps.log.error('subscription command failed', { kind: parsed.kind, error });
    reply = {
      text: `The subscriptions could not be read or changed.\n${explainThrown(error).text}`,
    };
  }
  await ack({ response_type: 'ephemeral', ...reply });
}
