/**
 * The delivery record against both stores it runs on: S3's conditional put (moto_server, which
 * enforces `If-None-Match: *` as S3 does) and the local backend's s3rver, which ignores it, behind
 * the in-process guard.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { s3Config } from '../../../../common/aws-clients.ts';
import type { Delivery } from '../../../../common/contract.ts';
import {
  AwsUnavailableError,
  DeliveryInProgressError,
  SlackUnavailableError,
} from '../../../../common/errors.ts';
import { type LocalS3, startLocalS3 } from '../../../../local/s3-server.ts';
import {
  CLAIM_LAPSE_MS,
  deliveryRecordKey,
  deliveryRecords,
  type RecordStore,
  s3RecordStore,
  singleProcessRecordStore,
} from '../../../../workflows/steps/post/delivery-record.ts';
import { type MotoServer, motoEnv, startMoto } from '../../../support/moto.ts';

const BUCKET = 'costbot-charts';
const DELIVERED: Delivery = { via: 'postMessage', channel: 'C0COSTS01', ts: '1795330800.000001' };

let sequence = 0;
/** A request id no other test uses: the stores live for the whole file. */
const freshId = () => {
  sequence += 1;
  return `digest-20261123-0900-record${sequence}`;
};

/** A `post` that counts its calls and answers `DELIVERED`, or throws `fail`. */
function counter(fail?: Error) {
  const calls = { count: 0 };
  const post = async () => {
    calls.count += 1;
    if (fail) throw fail;
    return DELIVERED;
  };
  return { calls, post };
}

async function s3rverStore(dir: string): Promise<{ s3: LocalS3; client: S3Client }> {
  const s3 = await startLocalS3({ directory: dir, port: 0, bucket: BUCKET, keys: [] });
  const client = new S3Client({
    ...s3Config({ AWS_ENDPOINT_URL_S3: s3.endpoint }, { maxAttempts: 1 }),
    region: 'us-east-1',
    endpoint: s3.endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  return { s3, client };
}

/** The behaviour every store must give, run once per store. */
function describeStore(name: string, storeOf: () => RecordStore) {
  describe(`Function: deliveryRecords, on ${name}`, () => {
    it('creates a record once: a second conditional create is refused', async () => {
      // Prepare
      const store = storeOf();
      const key = deliveryRecordKey(freshId(), 'report');

      // Act
      const first = await store.create(key, '{"state":"posting"}');
      const second = await store.create(key, '{"state":"posting"}');

      // Assess
      assert.deepEqual([first, second], [true, false]);
    });

    it('posts once; a retried Post returns the recorded delivery without posting', async () => {
      // Prepare
      const records = deliveryRecords(storeOf());
      const id = freshId();
      const { calls, post } = counter();

      // Act
      const first = await records.once(id, 'report', post);
      const again = await records.once(id, 'report', post);

      // Assess
      assert.equal(calls.count, 1);
      assert.deepEqual(first, { delivery: DELIVERED, posted: true, recorded: true });
      assert.deepEqual(again, { delivery: DELIVERED, posted: false, recorded: true });
      assert.deepEqual(await records.status(id, 'report'), {
        state: 'delivered',
        delivery: DELIVERED,
      });
      assert.deepEqual(await records.status(id, 'failure'), { state: 'none' });
    });

    it('two attempts at once: one posts, the other waits (DeliveryInProgressError) and then finds it', async () => {
      // Prepare
      const records = deliveryRecords(storeOf());
      const id = freshId();
      const { calls, post } = counter();
      const slowPost = async () => {
        await new Promise((resolve) => setTimeout(resolve, 50));
        return post();
      };

      // Act
      const outcomes = await Promise.allSettled([
        records.once(id, 'report', slowPost),
        records.once(id, 'report', slowPost),
      ]);
      const retried = await records.once(id, 'report', slowPost);

      // Assess
      assert.equal(calls.count, 1, 'Slack got one message');
      const rejected = outcomes.filter((o) => o.status === 'rejected');
      assert.equal(rejected.length, 1);
      assert.ok((rejected[0] as PromiseRejectedResult).reason instanceof DeliveryInProgressError);
      assert.equal(retried.posted, false);
    });

    it('a Slack failure releases the claim, so the retry posts', async () => {
      // Prepare
      const records = deliveryRecords(storeOf());
      const id = freshId();
      const failing = counter(
        new SlackUnavailableError('Slack chat.postMessage failed: HTTP 503.'),
      );
      const working = counter();

      // Act
      await assert.rejects(records.once(id, 'report', failing.post), SlackUnavailableError);
      const statusAfterFailure = await records.status(id, 'report');
      const retried = await records.once(id, 'report', working.post);

      // Assess
      assert.deepEqual(statusAfterFailure, { state: 'none' });
      assert.equal(working.calls.count, 1);
      assert.equal(retried.posted, true);
    });

    it('takes over a claim older than the Post task timeout (its attempt is gone)', async () => {
      // Prepare
      const store = storeOf();
      const id = freshId();
      const claimedAt = new Date('2026-11-23T09:00:00Z');
      await store.create(
        deliveryRecordKey(id, 'report'),
        JSON.stringify({ state: 'posting', claimedAt: claimedAt.toISOString() }),
      );
      const early = deliveryRecords(store, () => new Date(claimedAt.getTime() + 1_000));
      const late = deliveryRecords(store, () => new Date(claimedAt.getTime() + CLAIM_LAPSE_MS));
      const { calls, post } = counter();

      // Act
      const whileClaimed = await early.once(id, 'report', post).catch((error: unknown) => error);
      const lapsed = await late.once(id, 'report', post);

      // Assess
      assert.ok(whileClaimed instanceof DeliveryInProgressError);
      assert.equal(lapsed.posted, true);
      assert.equal(calls.count, 1);
    });
  });
}

describe('Delivery records', () => {
  let dir: string;
  let local: { s3: LocalS3; client: S3Client };
  let moto: MotoServer | null;
  let motoClient: S3Client;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-records-'));
    local = await s3rverStore(dir);
    moto = await startMoto();
    if (moto) {
      motoClient = new S3Client({
        ...s3Config(motoEnv(moto), { maxAttempts: 1 }),
        region: 'us-east-1',
        endpoint: moto.endpoint,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      await motoClient.send(new CreateBucketCommand({ Bucket: BUCKET }));
    }
  });

  after(async () => {
    await local?.s3.stop();
    await moto?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  describeStore('S3 conditional writes (moto_server)', () => {
    assert.ok(moto, 'moto_server is needed for the S3 store');
    return s3RecordStore(motoClient, BUCKET);
  });

  describeStore('s3rver behind the single-process guard', () =>
    singleProcessRecordStore(s3RecordStore(local.client, BUCKET)),
  );

  describe('Function: singleProcessRecordStore', () => {
    it('is needed: s3rver alone lets a second conditional create through', async () => {
      // Prepare
      const bare = s3RecordStore(local.client, BUCKET);
      const key = deliveryRecordKey(freshId(), 'report');

      // Act
      const results = [await bare.create(key, '{}'), await bare.create(key, '{}')];

      // Assess
      assert.deepEqual(results, [true, true], 's3rver 3.7 ignores If-None-Match');
    });

    it('lets exactly one of ten simultaneous creates of one key through', async () => {
      // Prepare
      const guarded = singleProcessRecordStore(s3RecordStore(local.client, BUCKET));
      const key = deliveryRecordKey(freshId(), 'report');

      // Act
      const results = await Promise.all(
        Array.from({ length: 10 }, () => guarded.create(key, '{}')),
      );

      // Assess
      assert.equal(results.filter(Boolean).length, 1);
    });
  });

  describe('when the record cannot be written after Slack answered', () => {
    it('returns the delivery (the retry must not post again) and says it was not recorded', async () => {
      // Prepare
      const inner = singleProcessRecordStore(s3RecordStore(local.client, BUCKET));
      const outage = new AwsUnavailableError('S3 PutObject failed (ECONNRESET)');
      const store: RecordStore = {
        ...inner,
        write: async (key, body) => {
          if (body.includes('"delivered"')) throw outage;
          return inner.write(key, body);
        },
      };
      const { calls, post } = counter();

      // Act
      const outcome = await deliveryRecords(store).once(freshId(), 'report', post);

      // Assess
      assert.equal(calls.count, 1);
      assert.deepEqual(outcome, {
        delivery: DELIVERED,
        posted: true,
        recorded: false,
        recordError: outage,
      });
    });

    it('names an S3 outage while reading the record AwsUnavailableError (retried), posting nothing', async () => {
      // Prepare: a bucket endpoint that refuses connections.
      const dead = new S3Client({
        ...s3Config({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' }, { maxAttempts: 1 }),
        region: 'us-east-1',
        endpoint: 'http://127.0.0.1:9',
        credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
      });
      const { calls, post } = counter();

      // Act
      const error = await deliveryRecords(s3RecordStore(dead, BUCKET))
        .once(freshId(), 'report', post)
        .catch((e: unknown) => e);

      // Assess
      assert.ok(error instanceof AwsUnavailableError, String(error));
      assert.equal(calls.count, 0);
    });
  });
});
