/**
 * The Post step's failure path, its delivery records and the links a report carries (Sign's
 * presigned link, or the stable link Post mints), with a recording Slack and the records
 * in memory (the S3 and s3rver stores are tested in delivery-record.e2e.test.ts; whole runs in
 * test/faults/delivery.e2e.test.ts).
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import type { CostSummary, FailureState, PostState } from '../../../../common/contract.ts';
import {
  ChartLinkBrokenError,
  DeliveryInProgressError,
  InvalidEventError,
  SlackApiError,
} from '../../../../common/errors.ts';
import { createLogger } from '../../../../common/log.ts';
import { messageText, RecordingSlack } from '../../../../local/recording-slack.ts';
import {
  deliveryRecordKey,
  deliveryRecords,
  type RecordStore,
} from '../../../../workflows/steps/post/delivery-record.ts';
import { createPostHandler } from '../../../../workflows/steps/post/handler.ts';
import { COST_SUMMARY } from '../../../support/cost-summary.ts';

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

const SUMMARY: CostSummary = {
  ...COST_SUMMARY,
  usage: { listMetrics: 1, getMetricData: 1, metrics: 31 },
};

/** A report as RenderAndStore hands it on when no Sign state runs (stable links). */
const UNSIGNED: PostState = {
  request: { ...FAILURE.request, requestId: 'digest-20261123-0900-links' },
  summary: SUMMARY,
  chart: {
    bucket: 'costbot-charts',
    key: 'charts/2026/11/23/digest-20261123-0900-links.png',
    bytes: 80_801,
    width: 1600,
    height: 800,
  },
};

const SIGNED_LINK = {
  url: 'https://costbot-charts.s3.us-east-1.amazonaws.com/charts/2026/11/23/x.png?X-Amz-Signature=abc',
  expiresAt: '2026-11-30T09:00:00.000Z',
  expiresInSeconds: 604_800,
  accessKeyId: 'AKIAEXAMPLE',
};

const STABLE_LINK = {
  url: 'https://abcdefghij.lambda-url.us-east-1.on.aws/token',
  expiresAt: '2027-02-21T09:00:00.000Z',
};

describe('Function: createPostHandler (chart links)', () => {
  let slack: RecordingSlack;
  const handlerWith = (
    stableLink?: () => Promise<typeof STABLE_LINK>,
    probeLink?: (url: string) => Promise<{ linksStatus: number; storageStatus: number }>,
  ) =>
    createPostHandler({
      delivery: async () => slack,
      records: deliveryRecords(memoryStore()),
      log: createLogger({ step: 'post' }, { level: 'error' }),
      ...(stableLink ? { stableLink } : {}),
      ...(probeLink ? { probeLink } : {}),
    });

  beforeEach(() => {
    slack = new RecordingSlack();
  });

  it('refuses a report without a link when it makes no stable links (InvalidEventError), posting nothing', async () => {
    // Prepare
    const handler = handlerWith();

    // Act, Assess
    await assert.rejects(handler(UNSIGNED), (error: unknown) => {
      assert.ok(error instanceof InvalidEventError);
      assert.match(error.message, /^Post: the input event is malformed \(link: missing/);
      assert.match(error.message, /COSTBOT_LINKS_URL/);
      return true;
    });
    assert.equal(slack.messages.length, 0);
  });

  it('links a report without Sign through its stable link, and counts no Sign in the cost line', async () => {
    // Prepare
    const handler = handlerWith(async () => STABLE_LINK);

    // Act
    const posted = await handler(UNSIGNED);

    // Assess
    const text = messageText(slack.messages[0]?.message ?? { text: '', blocks: [] });
    assert.deepEqual(posted.stableLink, STABLE_LINK);
    assert.equal(posted.link, undefined);
    assert.ok(text.includes(`<${STABLE_LINK.url}|Open chart>`), text);
    assert.match(text, /, 6 state transitions, /);
    assert.equal(posted.summary.usage?.signed, false);
  });

  it('checks the stable link before posting, and posts nothing when it does not open', async () => {
    // Prepare
    const probed: string[] = [];
    const broken = new ChartLinkBrokenError(
      'S3 refused the presigned URL (HTTP 403 SignatureDoesNotMatch).',
    );
    const handler = handlerWith(
      async () => STABLE_LINK,
      async (url) => {
        probed.push(url);
        throw broken;
      },
    );

    // Act, Assess
    await assert.rejects(handler(UNSIGNED), broken);
    assert.deepEqual(probed, [STABLE_LINK.url]);
    assert.equal(slack.messages.length, 0);
  });

  it("links a signed report through Sign's presigned link, and counts Sign in the cost line", async () => {
    // Prepare
    const handler = handlerWith();

    // Act
    const posted = await handler({ ...UNSIGNED, link: SIGNED_LINK });

    // Assess
    const text = messageText(slack.messages[0]?.message ?? { text: '', blocks: [] });
    assert.deepEqual(posted.link, SIGNED_LINK);
    assert.equal(posted.stableLink, undefined);
    assert.ok(text.includes(`<${SIGNED_LINK.url}|Open chart>`), text);
    assert.match(text, /, 7 state transitions, /);
  });
});
