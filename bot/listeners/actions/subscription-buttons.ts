/**
 * The buttons of `/aws-cost subscriptions`. Each carries a subscription id and nothing else;
 * the channel is always the one the click came from, so a value changed on the way (any id)
 * can only name a subscription of that channel: `<channel>.<id>` is the only schedule it can
 * reach.
 * - "Remove": removes it (admins only when COSTBOT_ADMIN_USERS is set) and replaces the list
 *   with the channel's remaining subscriptions, headed by what was removed.
 * - "Run now": starts the subscription's report now, condition included, as its schedule would.
 */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { explainThrown } from '../../../common/failure-explanation.ts';
import type { Subscription } from '../../../common/subscription.ts';
import { startReport } from '../../start-report.ts';
import { type ReportStarter, slackRequestId } from '../../starter.ts';
import {
  ADMIN_REFUSAL,
  listReply,
  mayManage,
  NOT_AVAILABLE,
  notFoundReply,
  type Reply,
  runStartedReply,
} from '../../subscriptions/replies.ts';
import { runNowRequest } from '../../subscriptions/run-now.ts';
import type { SubscriptionDeps } from '../commands/subscriptions.ts';
import { type ButtonValues, INVALID_BUTTON, parseButtonValue } from './values.ts';

export interface SubscriptionButtonDeps {
  /** Without it (no store configured) the buttons say subscriptions are not available. */
  subscriptions?: SubscriptionDeps;
  starter: ReportStarter;
  values: ButtonValues;
}

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;
type Respond = ActionArgs['respond'];

/** An ephemeral answer that leaves the clicked message as it is. */
function tell(respond: Respond, reply: Reply): Promise<unknown> {
  return respond({ response_type: 'ephemeral', replace_original: false, ...reply });
}

/** The clicked subscription's channel and id, or null once the person has been told why not. */
async function clicked(
  { action, body, respond }: Pick<ActionArgs, 'action' | 'body' | 'respond'>,
  schema: ButtonValues['removeSubscription'],
  subscriptions: SubscriptionDeps | undefined,
): Promise<{ channel: string; id: string; subscriptions: SubscriptionDeps } | null> {
  // Checked again here (the global guard checked first) so no path uses an unchecked value.
  const id = parseButtonValue(schema, action.value);
  const channel = body.channel?.id ?? body.container?.channel_id;
  if (id === null || !channel) {
    await tell(respond, { text: INVALID_BUTTON });
    return null;
  }
  if (!subscriptions) {
    await tell(respond, { text: NOT_AVAILABLE });
    return null;
  }
  return { channel, id, subscriptions };
}

export function createRemoveSubscriptionAction(deps: SubscriptionButtonDeps) {
  return async function removeSubscription(args: ActionArgs): Promise<void> {
    const { ack, body, respond } = args;
    await ack();
    const target = await clicked(args, deps.values.removeSubscription, deps.subscriptions);
    if (!target) return;
    const { channel, id, subscriptions } = target;
    const { store } = subscriptions;
    if (!mayManage(subscriptions.adminUsers, body.user.id)) {
      await tell(respond, { text: ADMIN_REFUSAL });
      return;
    }
    let reply: Reply;
    try {
      const removed = await store.remove(channel, id);
      if (removed) subscriptions.log.info('subscription removed', { id, user: body.user.id });
      const notice = removed ? `Removed subscription \`${id}\`.` : notFoundReply(id).text;
      reply = listReply(await store.list(channel), subscriptions.now?.() ?? new Date(), {
        limit: subscriptions.limits.perChannel,
        notice,
      });
    } catch (error) {
      subscriptions.log.error('subscription removal failed', { id, error });
      await tell(respond, {
        text: `The subscription could not be removed.\n${explainThrown(error).text}`,
      });
      return;
    }
    // Outside the catch: a response_url that failed once is not tried a second time.
    await respond({ response_type: 'ephemeral', replace_original: true, ...reply });
  };
}

export function createRunSubscriptionAction(deps: SubscriptionButtonDeps) {
  return async function runSubscription(args: ActionArgs): Promise<void> {
    const { ack, action, body, respond } = args;
    await ack();
    const target = await clicked(args, deps.values.runSubscription, deps.subscriptions);
    if (!target) return;
    const { channel, id, subscriptions } = target;
    const { store } = subscriptions;
    let found: Subscription | null;
    try {
      found = await store.get(channel, id);
    } catch (error) {
      subscriptions.log.error('subscription lookup failed', { id, error });
      await tell(respond, {
        text: `The subscription could not be read.\n${explainThrown(error).text}`,
      });
      return;
    }
    if (!found) {
      await tell(respond, notFoundReply(id));
      return;
    }
    const request = runNowRequest(
      found,
      // One execution per click, whatever Slack retries: the action's own timestamp is unique.
      slackRequestId('action', body.team?.id ?? '', body.user.id, action.action_ts),
      body.user.id,
    );
    if (await startReport({ starter: deps.starter, log: subscriptions.log }, request, respond)) {
      await tell(respond, runStartedReply(found));
    }
  };
}
