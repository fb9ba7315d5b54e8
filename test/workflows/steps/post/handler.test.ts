/**
 * The Post step's failure path and its delivery records, with a recording Slack and the records
 * in memory (the S3 and s3rver stores are tested in delivery-record.e2e.test.ts; whole runs in
 * test/faults/delivery.e2e.test.ts).
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { FailureState } from '../../../../common/contract.ts';
import { DeliveryInProgressError, SlackApiError } from '../../../../common/errors.ts';
import { createLogger } from '../../../../common/log.ts';
import { RecordingSlack } from '../../../../local/recording-slack.ts';
import {
  deliveryRecordKey,
  deliveryRecords,
  type RecordStore,
} from '../../../../workflows/steps/post/delivery-record.ts';
import { createPostHandler } from '../../../../workflows/steps/post/handler.ts';

/** Records in a Map: `create` refuses an existing key, as S3's conditional put does. */
function memoryStore(): RecordStore & { objects: Map<string, string> } {
  const objects = new Map<string, string>();
  return {
    objects,
    read: async (key) => objects.get(key),
    create: async (key, body) => {
      if (objects.has(key)) return false;
      objects.set(key, body);
      return true;
    },
    write: async (key, body) => {
      objects.set(key, body);
    },
    remove: async (key) => {
      objects.delete(key);
    },
  };
}

const FAILURE: FailureState = {
  request: {
    kind: 'digest',
    requestId: 'digest-20261123-0900-handler',
    channel: 'C0COSTS01',
    period: 'mtd',
  },
  error: { Error: 'States.Timeout', Cause: 'Task timed out' },
};

describe('Function: createPostHandler (failure path)', () => {
  let slack: RecordingSlack;
  let store: ReturnType<typeof memoryStore>;
  let handler: ReturnType<typeof createPostHandler>;

  beforeEach(() => {
    slack = new RecordingSlack();
    store = memoryStore();
    handler = createPostHandler({
      delivery: async () => slack,
      records: deliveryRecords(store),
      log: createLogger({ step: 'post' }, { level: 'error' }),
    });
  });

  it('posts no notice when the report had reached Slack, and says so', async () => {
    // Prepare
    const delivery = { via: 'postMessage' as const, channel: 'C0COSTS01', ts: '1.000100' };
    await store.write(
      deliveryRecordKey(FAILURE.request.requestId, 'report'),
      JSON.stringify({ state: 'delivered', delivery, deliveredAt: '2026-11-23T09:00:05Z' }),
    );

    // Act
    const out = await handler(FAILURE);

    // Assess
    assert.equal(slack.calls, 0);
    assert.equal(out.reportDelivered, true);
    assert.deepEqual(out.delivery, delivery);
  });

  it('waits (DeliveryInProgressError) while the report may be reaching Slack', async () => {
    // Prepare
    await store.write(
      deliveryRecordKey(FAILURE.request.requestId, 'report'),
      JSON.stringify({ state: 'posting', claimedAt: new Date().toISOString() }),
    );

    // Act
    const error = await handler(FAILURE).catch((e: unknown) => e);

    // Assess
    assert.ok(error instanceof DeliveryInProgressError);
    assert.equal(slack.calls, 0);
  });

  it('posts the notice once: a retried ReportFailure returns the recorded delivery', async () => {
    // Act
    const first = await handler(FAILURE);
    const second = await handler(FAILURE);

    // Assess
    assert.equal(slack.messages.length, 1);
    assert.equal(first.reportDelivered, false);
    assert.deepEqual(second.delivery, first.delivery);
    assert.ok(store.objects.has(deliveryRecordKey(FAILURE.request.requestId, 'failure')));
  });

  it('releases the claim when Slack refuses the notice, so nothing is recorded as delivered', async () => {
    // Prepare
    slack.reset(() => new SlackApiError('channel_not_found', 'Slack refused.'));

    // Act
    const error = await handler(FAILURE).catch((e: unknown) => e);

    // Assess
    assert.ok(error instanceof SlackApiError);
    assert.equal(store.objects.size, 0);
  });
});
