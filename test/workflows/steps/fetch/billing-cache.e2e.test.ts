/**
 * Reuse of billing reads: the fetch handler with its billing client behind the cache, against
 * moto_server's CloudWatch and S3, counting the requests that reach CloudWatch on the wire.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { BILLING_CACHE_PREFIX, isFresh } from '../../../../common/billing-cache.ts';
import type { ReportRequest } from '../../../../common/contract.ts';
import { createLogger } from '../../../../common/log.ts';
import { type ReportUsage, reportCostLine } from '../../../../common/report-cost.ts';
import {
  type BillingCache,
  billingCacheKey,
  s3CacheStore,
} from '../../../../workflows/steps/fetch/billing-cache.ts';
import { createFetchHandler } from '../../../../workflows/steps/fetch/handler.ts';
import { cloudWatchMetricsApi } from '../../../../workflows/steps/fetch/metrics-api.ts';
import { createSummarizeHandler } from '../../../../workflows/steps/summarize/handler.ts';
import { type MotoServer, startMoto } from '../../../support/moto.ts';

const BUCKET = 'costbot-cache-test';
/** Fails the match below if a summary ever lacks its usage. */
const NOT_COUNTED: ReportUsage = { listMetrics: -1, getMetricData: -1, metrics: -1 };
const MAX_AGE_SECONDS = 4 * 3600;
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
/** The billing metric's newest point is 06:00; reports start at 09:00 the same day. */
const NINE = new Date('2026-11-22T09:00:00Z');

function billingData(service: string | null, perDay: number) {
  const dims = [
    { Name: 'Currency', Value: 'USD' },
    ...(service ? [{ Name: 'ServiceName', Value: service }] : []),
  ];
  return Array.from({ length: 5 }, (_, i) => ({
    MetricName: 'EstimatedCharges',
    Dimensions: dims,
    Timestamp: new Date(`2026-11-${18 + i}T06:00:00Z`),
    Value: perDay * (i + 18),
    Unit: 'None' as const,
  }));
}

const request = (n: number, extra: Partial<ReportRequest> = {}): ReportRequest => ({
  kind: 'command',
  requestId: `cache-${n}`,
  channel: 'C0CACHE01',
  period: 'mtd',
  ...extra,
});

describe('Billing cache: reports reuse a billing read (moto_server)', () => {
  let moto: MotoServer | null = null;
  let s3: S3Client;
  let cloudwatch: CloudWatchClient;
  /** Requests that reached CloudWatch, by operation. */
  let wire: string[] = [];
  let clock = NINE;

  const handler = (cache: Partial<BillingCache> = {}) => {
    const api = cloudWatchMetricsApi(cloudwatch);
    const log = createLogger({ step: 'fetch' }, { level: 'error' });
    return createFetchHandler({
      clients: { billing: api, metrics: api },
      log,
      now: () => clock,
      billingCache: {
        store: s3CacheStore(s3, BUCKET),
        maxAgeSeconds: MAX_AGE_SECONDS,
        log,
        ...cache,
      },
    });
  };
  const cacheKeys = async () =>
    (
      await s3.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: BILLING_CACHE_PREFIX }))
    ).Contents?.map((o) => o.Key ?? '') ?? [];

  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    const common = { endpoint: moto.endpoint, region: 'us-east-1', credentials: CREDENTIALS };
    s3 = new S3Client({ ...common, forcePathStyle: true });
    cloudwatch = new CloudWatchClient({ ...common, disableRequestCompression: true });
    cloudwatch.middlewareStack.add(
      (next, context) => async (args) => {
        wire.push(String(context.commandName).replace(/Command$/, ''));
        return next(args);
      },
      { step: 'deserialize', name: 'countWire', priority: 'low' },
    );
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    for (const [service, perDay] of [
      [null, 30],
      ['AmazonEC2', 20],
      ['AmazonS3', 6],
    ] as const) {
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Billing',
          MetricData: billingData(service, perDay),
        }),
      );
    }
  });

  beforeEach(async () => {
    if (!moto) return;
    const keys = await cacheKeys();
    if (keys.length > 0) {
      await s3.send(
        new DeleteObjectsCommand({
          Bucket: BUCKET,
          Delete: { Objects: keys.map((Key) => ({ Key })) },
        }),
      );
    }
    wire = [];
    clock = NINE;
  });

  after(async () => {
    await moto?.stop();
  });

  it('a burst of five reports makes one ListMetrics and one GetMetricData, the same figures each', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const fetch = handler();
    // Act
    const reports = [];
    for (let n = 1; n <= 5; n += 1) {
      reports.push(await fetch({ request: request(n) }));
      clock = new Date(clock.getTime() + 10 * 60_000);
    }
    // Assess
    assert.deepEqual(wire, ['ListMetrics', 'GetMetricData']);
    assert.deepEqual(reports[0]?.fetched.apiCalls, {
      getMetricData: 1,
      listMetrics: 1,
      metrics: 4,
    });
    for (const later of reports.slice(1)) {
      assert.deepEqual(later.fetched.apiCalls, { getMetricData: 0, listMetrics: 0, metrics: 0 });
      assert.deepEqual(later.fetched.breakdown, reports[0]?.fetched.breakdown);
      assert.deepEqual(later.fetched.total, reports[0]?.fetched.total);
    }
    assert.equal(reports[0]?.fetched.total?.values.at(-1), 30 * 22);
    assert.equal((await cacheKeys()).length, 2);
  });

  it('the message of a reused read says it made no CloudWatch request', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const fetch = handler();
    const summarize = createSummarizeHandler({ topN: 5 });
    // Act
    const first = await summarize(await fetch({ request: request(1) }));
    const second = await summarize(await fetch({ request: request(2) }));
    // Assess
    assert.deepEqual(first.summary.usage, { listMetrics: 1, getMetricData: 1, metrics: 4 });
    assert.match(
      reportCostLine(first.summary.usage ?? NOT_COUNTED),
      /^this report: 2 CloudWatch requests, 4 metrics,/,
    );
    assert.match(
      reportCostLine(second.summary.usage ?? NOT_COUNTED),
      /^this report: 0 CloudWatch requests, 0 metrics,/,
    );
  });

  it('reads CloudWatch again once the entry is as old as the setting', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const fetch = handler();
    await fetch({ request: request(1) });
    // Act
    clock = new Date(NINE.getTime() + MAX_AGE_SECONDS * 1000 - 1);
    const young = await fetch({ request: request(2) });
    clock = new Date(NINE.getTime() + MAX_AGE_SECONDS * 1000);
    const expired = await fetch({ request: request(3) });
    // Assess
    assert.deepEqual(young.fetched.apiCalls, { getMetricData: 0, listMetrics: 0, metrics: 0 });
    assert.deepEqual(expired.fetched.apiCalls, { getMetricData: 1, listMetrics: 1, metrics: 4 });
    assert.deepEqual(wire, ['ListMetrics', 'GetMetricData', 'ListMetrics', 'GetMetricData']);
  });

  it('a different query misses: one service reads its own series', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const fetch = handler();
    await fetch({ request: request(1) });
    // Act
    const other = await fetch({ request: request(2, { service: 'AmazonEC2' }) });
    // Assess: the same ListMetrics is reused, the GetMetricData of other series is not.
    assert.deepEqual(other.fetched.apiCalls, { getMetricData: 1, listMetrics: 0, metrics: 3 });
    assert.deepEqual(wire, ['ListMetrics', 'GetMetricData', 'GetMetricData']);
  });

  it('ignores a corrupt entry: the report reads CloudWatch and rewrites it', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const fetch = handler();
    const first = await fetch({ request: request(1) });
    for (const Key of await cacheKeys()) {
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body: '{"version":1,"output"' }));
    }
    // Act
    const second = await fetch({ request: request(2) });
    const third = await fetch({ request: request(3) });
    // Assess
    assert.deepEqual(second.fetched.apiCalls, { getMetricData: 1, listMetrics: 1, metrics: 4 });
    assert.deepEqual(second.fetched.breakdown, first.fetched.breakdown);
    assert.deepEqual(third.fetched.apiCalls, { getMetricData: 0, listMetrics: 0, metrics: 0 });
  });

  it('never fails a report when the bucket cannot be used: every report reads CloudWatch', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const fetch = handler({ store: s3CacheStore(s3, 'costbot-no-such-bucket') });
    // Act
    const one = await fetch({ request: request(1) });
    const two = await fetch({ request: request(2) });
    // Assess
    assert.deepEqual(two.fetched.apiCalls, { getMetricData: 1, listMetrics: 1, metrics: 4 });
    assert.deepEqual(two.fetched.total, one.fetched.total);
    assert.equal(wire.length, 4);
  });

  it('0 seconds turns reuse off', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const fetch = handler({ maxAgeSeconds: 0 });
    // Act
    await fetch({ request: request(1) });
    await fetch({ request: request(2) });
    // Assess
    assert.equal(wire.length, 4);
    assert.deepEqual(await cacheKeys(), []);
  });
});

describe('Billing cache: keys and age', () => {
  it('keys by view, operation and the whole query', () => {
    // Prepare
    const input = { Namespace: 'AWS/Billing', MetricName: 'EstimatedCharges' };
    // Act
    const key = billingCacheKey('payer', 'listMetrics', input);
    // Assess
    assert.match(key, /^cache\/billing\/[0-9a-f]{64}\.json$/);
    assert.equal(billingCacheKey('payer', 'listMetrics', { ...input }), key);
    assert.notEqual(billingCacheKey('222222222222', 'listMetrics', input), key);
    assert.notEqual(billingCacheKey('payer', 'getMetricData', input), key);
    assert.notEqual(billingCacheKey('payer', 'listMetrics', { ...input, Namespace: 'X' }), key);
  });

  it('an entry from the future (a clock gone back) is not fresh', () => {
    // Prepare
    const fetchedAt = '2026-11-22T09:00:00.000Z';
    // Act, Assess
    assert.equal(isFresh(fetchedAt, new Date('2026-11-22T08:59:59Z'), 60), false);
    assert.equal(isFresh(fetchedAt, new Date('2026-11-22T09:00:59Z'), 60), true);
    assert.equal(isFresh(fetchedAt, new Date('2026-11-22T09:01:00Z'), 60), false);
  });
});
