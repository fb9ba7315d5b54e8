/**
 * The subscription replies as pure functions: who may manage, the limits at and one under,
 * and a list at the highest channel limit still one Slack message (50 blocks at most, one
 * block id per subscription).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  limitRefusal,
  listReply,
  mayManage,
  subscriptionBlockId,
} from '../../../bot/subscriptions/replies.ts';
import { SETTINGS } from '../../../common/config.ts';
import type { Subscription } from '../../../common/subscription.ts';

/** Slack's limit on blocks in one message. */
const MAX_BLOCKS = 50;

const DAILY: Subscription = {
  id: 'daily001',
  channel: 'C0123ABCD',
  cadence: { every: 'day' },
  time: '09:00',
  timeZone: 'UTC',
  report: { period: 'mtd' },
};

describe('Function: mayManage', () => {
  it('lets everyone manage without admins, and only the admins with them', () => {
    assert.equal(mayManage([], 'U0ANY0001'), true);
    assert.equal(mayManage(['U0ADMIN01'], 'U0ADMIN01'), true);
    assert.equal(mayManage(['U0ADMIN01'], 'U0ANY0001'), false);
    assert.equal(mayManage(['U0ADMIN01'], undefined), false);
  });
});

describe('Function: limitRefusal', () => {
  const limits = { perChannel: 10, total: 200 };
  for (const [channel, total, refused] of [
    [9, 199, null],
    [10, 10, /COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL=10/],
    [0, 200, /COSTBOT_MAX_SUBSCRIPTIONS=200/],
  ] as const) {
    it(`${channel} here, ${total} in all: ${refused ? 'refused' : 'fits'}`, () => {
      const refusal = limitRefusal({ channel, total }, limits);
      if (refused) assert.match(refusal ?? '', refused);
      else assert.equal(refusal, null);
    });
  }
});

describe('Function: listReply', () => {
  it('keeps the most a channel may have in one message, one block id each', () => {
    // Prepare: the highest COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL accepts.
    const most = 20;
    assert.throws(() =>
      SETTINGS.COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL.kind(String(most + 1), {
        setting: 'COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL',
        source: 'environment',
      }),
    );
    const subscriptions: Subscription[] = Array.from({ length: most }, (_, i) => ({
      id: `s${String(i).padStart(2, '0')}`,
      channel: 'C0CHANNEL1',
      cadence: { every: 'month', day: 28 },
      time: '23:59',
      timeZone: 'America/Argentina/ComodRivadavia',
      report: { period: 'last-month', accounts: ['123456789012', '210987654321'] },
      condition: { kind: 'change-above', percent: 20 },
    }));

    // Act
    const reply = listReply(subscriptions, new Date('2026-11-23T06:00:00Z'), { limit: most });

    // Assess
    const blocks = reply.blocks ?? [];
    assert.ok(blocks.length <= MAX_BLOCKS, `${blocks.length} blocks`);
    const ids = blocks.flatMap((b) => ('block_id' in b && b.block_id ? [b.block_id] : []));
    assert.deepEqual(
      ids,
      subscriptions.map((s) => subscriptionBlockId(s.id)),
    );
  });

  it('counts in its notification text, one or many', () => {
    // Prepare
    const one = DAILY;
    // Act
    const single = listReply([one], new Date('2026-11-23T06:00:00Z'), { limit: 10 }).text;
    const two = listReply([one, { ...one, id: 'second01' }], new Date('2026-11-23T06:00:00Z'), {
      limit: 10,
    }).text;
    // Assess
    assert.match(single, new RegExp(`^1 subscription in this channel: ${one.id}$`));
    assert.match(two, /^2 subscriptions in this channel: /);
  });

  it('says how to add one when the channel has none', () => {
    assert.match(listReply([], new Date(), { limit: 10 }).text, /No subscriptions in this channel/);
  });
});
