/**
 * What the subscription commands and buttons say, as pure functions of what the store returned:
 * the listeners (`bot/listeners/commands/subscriptions.ts`, `bot/listeners/actions/
 * subscription-buttons.ts`) do the I/O and hand the result here. Every piece of a subscription
 * shown comes from `describeSubscription`, which is already safe as mrkdwn.
 */
import type { KnownBlock } from '@slack/types';
import { formatInZone } from '../../common/cron.ts';
import { ACTION_IDS } from '../../common/slack-message.ts';
import { describeSubscription, nextRuns, type Subscription } from '../../common/subscription.ts';

export interface Reply {
  text: string;
  blocks?: KnownBlock[];
}

export const NOT_AVAILABLE =
  'Subscriptions are not available here: this bot has no subscription store configured.';

export const ADMIN_REFUSAL =
  'Only the people named in COSTBOT_ADMIN_USERS may subscribe, unsubscribe or remove subscriptions. Ask one of them.';

/** Run times the confirmation lists. */
export const CONFIRMED_RUNS = 3;

/** Whether `user` may change subscriptions: everyone when no admins are configured. */
export function mayManage(adminUsers: readonly string[], user: string | undefined): boolean {
  return adminUsers.length === 0 || (user !== undefined && adminUsers.includes(user));
}

/** Why a new subscription would break a limit, or null when it fits. */
export function limitRefusal(
  counts: { channel: number; total: number },
  limits: { perChannel: number; total: number },
): string | null {
  // Counting stops at a limit, so a count may be short of the true number: the limit is quoted.
  if (counts.channel >= limits.perChannel) {
    return `This channel has the most subscriptions it may have, ${limits.perChannel} (COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL=${limits.perChannel}; deployed, CDK context maxSubscriptionsPerChannel). Remove one first: \`/aws-cost subscriptions\` lists them.`;
  }
  if (counts.total >= limits.total) {
    return `This workspace has the most subscriptions costbot keeps, ${limits.total} (COSTBOT_MAX_SUBSCRIPTIONS=${limits.total}; deployed, CDK context maxSubscriptions). Remove one first, here or in another channel.`;
  }
  return null;
}

/** `Mon 23 Nov 2026, 09:30` for each of the next `n` runs, in the subscription's zone. */
function runTimes(s: Subscription, now: Date, n: number): string[] {
  return nextRuns(s, now, n).map((t) => formatInZone(t, s.timeZone));
}

/** The way to remove one, in words, for the confirmation and the command's reply. */
function howToRemove(id: string): string {
  return `Remove it with \`/aws-cost unsubscribe ${id}\`, or with its Remove button in \`/aws-cost subscriptions\`.`;
}

/**
 * The confirmation of `/aws-cost subscribe`: in words, its id, the next three run times in its
 * zone, and how to remove it. The same for a retried request (the subscription existed).
 */
export function subscribedReply(s: Subscription, now: Date): Reply {
  const runs = runTimes(s, now, CONFIRMED_RUNS);
  return {
    text: [
      `Subscribed this channel: ${describeSubscription(s)}.`,
      `Id: \`${s.id}\``,
      `Next runs (${s.timeZone}): ${runs.join(' · ')}`,
      howToRemove(s.id),
      MEMBERSHIP_REMINDER,
    ].join('\n'),
  };
}

/** The bot posts with chat:write alone, which reaches only channels it is a member of. */
const MEMBERSHIP_REMINDER =
  'Its reports post as costbot: if costbot is not in this channel yet, add it with `/invite @costbot`.';

/**
 * Why a subscription cannot be made here, or null: a direct message (`D…`) has no channel for
 * the bot to post to on a schedule.
 */
export function placeRefusal(channel: string): string | null {
  return channel.startsWith('D')
    ? 'Subscriptions post to a channel, not a direct message: run `/aws-cost subscribe …` in the channel that should get the reports.'
    : null;
}

export function removedReply(id: string): Reply {
  return { text: `Removed subscription \`${id}\` from this channel.` };
}

export function notFoundReply(id: string): Reply {
  return { text: `No subscription ${id} in this channel.` };
}

export function runStartedReply(s: Subscription): Reply {
  const when = s.condition
    ? ' It posts here if its condition holds; if not, it ends without a word (ConditionNotMet), as its scheduled runs do.'
    : ' It posts here.';
  return { text: `Running \`${s.id}\` now: ${describeSubscription(s)}.${when}` };
}

/** The block of the subscription `id`'s buttons: block ids must be unique in a message. */
export function subscriptionBlockId(id: string): string {
  return `subscription.${id}`;
}

function subscriptionBlocks(s: Subscription, now: Date): KnownBlock[] {
  const [next] = runTimes(s, now, 1);
  return [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `\`${s.id}\` · ${describeSubscription(s)}\nNext run: ${next ?? 'none'} (${s.timeZone})`,
      },
    },
    {
      type: 'actions',
      block_id: subscriptionBlockId(s.id),
      elements: [
        {
          type: 'button',
          action_id: ACTION_IDS.runSubscription,
          text: { type: 'plain_text', text: 'Run now' },
          value: s.id,
        },
        {
          type: 'button',
          action_id: ACTION_IDS.removeSubscription,
          text: { type: 'plain_text', text: 'Remove' },
          style: 'danger',
          value: s.id,
          confirm: {
            title: { type: 'plain_text', text: 'Remove this subscription?' },
            text: { type: 'mrkdwn', text: `\`${s.id}\` stops posting to this channel.` },
            confirm: { type: 'plain_text', text: 'Remove' },
            deny: { type: 'plain_text', text: 'Keep it' },
          },
        },
      ],
    },
  ];
}

/**
 * `/aws-cost subscriptions`: the channel's subscriptions, each with its id, schedule, zone,
 * next run, report and condition, and its Run now and Remove buttons. `notice` heads the list
 * when it replaces an earlier one (what was just removed).
 */
export function listReply(
  subscriptions: readonly Subscription[],
  now: Date,
  options: { limit: number; notice?: string },
): Reply {
  const head = options.notice ? `${options.notice}\n` : '';
  if (subscriptions.length === 0) {
    return {
      text: `${head}No subscriptions in this channel. Add one with \`/aws-cost subscribe daily 09:00\` (\`/aws-cost help\` shows the options).`,
    };
  }
  const sorted = [...subscriptions].sort((a, b) => a.id.localeCompare(b.id));
  const title = `${head}*Subscriptions in this channel* (${sorted.length} of at most ${options.limit})`;
  return {
    text: `${head}${sorted.length} subscription${sorted.length === 1 ? '' : 's'} in this channel: ${sorted.map((s) => s.id).join(', ')}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: title } },
      // Two blocks each: 20 subscriptions (the highest limit) and the title stay under Slack's 50.
      ...sorted.flatMap((s) => subscriptionBlocks(s, now)),
    ],
  };
}
