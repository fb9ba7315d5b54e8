/**
 * What moto_server (verified with moto 5.2.1 and @aws-sdk v3.116x) does with the calls costbot
 * makes, so the AWS backend can be tested against it, and where moto differs from AWS.
 *
 * Clients are configured only through `motoEnv()` (AWS_ENDPOINT_URL, AWS_REGION, static keys),
 * like the product under COSTBOT_BACKEND=aws, plus the client options the product must set:
 *
 * - CloudWatch: `disableRequestCompression: true`. The SDK gzips bodies of 10 KiB or more;
 *   moto 5.2.1 then answers 500 (server log: `BadGzipFile: Not a gzipped file (b'{"')`, its WSGI
 *   layer has already inflated the body) and the SDK, after 3 attempts, throws a
 *   deserialization `SyntaxError` for the HTML error page.
 * - S3: `forcePathStyle: true`. Against `http://127.0.0.1:port` the SDK already picks path style
 *   for DNS-compatible bucket names, but a `localhost` endpoint goes virtual-host
 *   (`ENOTFOUND <bucket>.localhost`) and a dotted bucket name throws `Invalid URL`.
 *   Flexible checksums (the SDK default WHEN_SUPPORTED) work: `requestChecksumCalculation:
 *   'WHEN_REQUIRED'` is not needed.
 *
 * GetMetricData in moto 5.2.1 (see the tests for each):
 * - buckets are [StartTime + k*Period, StartTime + (k+1)*Period): timestamps are aligned to
 *   StartTime, not to the clock; StartTime is inclusive, EndTime exclusive; buckets without
 *   data are omitted (no zeros);
 * - ScanBy is honoured; when absent the order is descending, as on AWS;
 * - MaxDatapoints is ignored and NextToken never returned: one page holds everything;
 * - dimensions must be given in the order they were put (moto sorts them with a broken `<`);
 *   no Dimensions matches every dimension set; with Dimensions the Namespace is NOT checked;
 * - metric math `Expression`s return an empty series.
 * ListMetrics in moto 5.2.1 repeats a metric with 2+ dimensions once per datapoint: dedupe.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import {
  CloudWatchClient,
  type Dimension,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  ListMetricsCommand,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { type MotoServer, motoEnv, startMoto } from '../support/moto.ts';

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** UTC midnight today: the billing metric's day boundary. */
const TODAY = Math.floor(Date.now() / DAY) * DAY;

let moto: MotoServer | null = null;
const savedEnv: Record<string, string | undefined> = {};
let cloudwatch: CloudWatchClient;
let ssm: SSMClient;
let s3: S3Client;

before(async () => {
  moto = await startMoto();
  if (!moto) return;
  // A server of our own starts empty; a shared one (COSTBOT_MOTO_ENDPOINT) may hold a past run.
  await moto.reset();
  for (const [name, value] of Object.entries(motoEnv(moto))) {
    savedEnv[name] = process.env[name];
    process.env[name] = value;
  }
  cloudwatch = new CloudWatchClient({ disableRequestCompression: true });
  ssm = new SSMClient({});
  s3 = new S3Client({ forcePathStyle: true });
});

after(async () => {
  for (const client of [cloudwatch, ssm, s3]) client?.destroy();
  await moto?.stop();
  for (const [name, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** False (and the test skipped) when moto_server is not installed. */
function hasMoto(t: TestContext): boolean {
  if (!moto) t.skip('moto_server not installed');
  return moto !== null;
}

describe('moto: SSM parameters', () => {
  it('GetParameters WithDecryption returns a SecureString in clear, and only then', async (t) => {
    if (!hasMoto(t)) return;
    const Name = '/costbot/test/slack-token';
    await ssm.send(new PutParameterCommand({ Name, Value: 'xoxb-secret', Type: 'SecureString' }));

    const clear = await ssm.send(new GetParametersCommand({ Names: [Name], WithDecryption: true }));
    assert.equal(clear.Parameters?.[0]?.Value, 'xoxb-secret');
    assert.equal(clear.Parameters?.[0]?.Type, 'SecureString');

    // moto 5.2.1 returns `kms:alias/aws/ssm:xoxb-secret`, the same when WithDecryption is absent.
    const sealed = await ssm.send(
      new GetParametersCommand({ Names: [Name], WithDecryption: false }),
    );
    assert.equal(sealed.Parameters?.length, 1);
    assert.notEqual(sealed.Parameters?.[0]?.Value, 'xoxb-secret');
  });

  it('GetParameters lists a missing name in InvalidParameters and returns the others', async (t) => {
    if (!hasMoto(t)) return;
    const Name = '/costbot/test/present';
    await ssm.send(new PutParameterCommand({ Name, Value: 'here', Type: 'String' }));
    const missing = '/costbot/test/missing';
    const result = await ssm.send(
      new GetParametersCommand({ Names: [Name, missing], WithDecryption: true }),
    );
    assert.deepEqual(result.InvalidParameters, [missing]);
    assert.deepEqual(
      result.Parameters?.map((p) => [p.Name, p.Value]),
      [[Name, 'here']],
    );
  });
});

describe('moto: CloudWatch billing metric', () => {
  const NAMESPACE = 'AWS/Billing';
  const METRIC = 'EstimatedCharges';
  const USD: Dimension = { Name: 'Currency', Value: 'USD' };
  const service = (name: string): Dimension[] => [USD, { Name: 'ServiceName', Value: name }];
  const EC2 = service('AmazonEC2');
  const S3 = service('AmazonS3');
  const DAYS = 10;
  const HOURS = [1, 7, 13, 19];
  /** Day `d` (0 = oldest, DAYS - 1 = yesterday) starts at this UTC midnight. */
  const dayStart = (d: number) => TODAY - (DAYS - d) * DAY;
  /** Cumulative charges, like the real metric: the day's maximum is its last point. */
  const charge = (rate: number, d: number, k: number) => rate * (d * HOURS.length + k + 1);
  const dailyMax = (rate: number) =>
    Array.from({ length: DAYS }, (_, d) => charge(rate, d, HOURS.length - 1));

  const points = (dimensions: Dimension[], rate: number): MetricDatum[] =>
    Array.from({ length: DAYS }, (_, d) =>
      HOURS.map((hour, k) => ({
        MetricName: METRIC,
        Dimensions: dimensions,
        Timestamp: new Date(dayStart(d) + hour * HOUR),
        Value: charge(rate, d, k),
        Unit: 'None' as const,
      })),
    ).flat();

  const query = (
    dimensions: Dimension[],
    extra: Partial<GetMetricDataCommandInput> = {},
    id = 'charges',
  ): GetMetricDataCommandInput => ({
    MetricDataQueries: [
      {
        Id: id,
        MetricStat: {
          Metric: { Namespace: NAMESPACE, MetricName: METRIC, Dimensions: dimensions },
          Period: 86_400,
          Stat: 'Maximum',
        },
        ReturnData: true,
      },
    ],
    StartTime: new Date(dayStart(0)),
    EndTime: new Date(TODAY),
    ScanBy: 'TimestampAscending',
    ...extra,
  });

  const series = async (input: GetMetricDataCommandInput) => {
    const result = await cloudwatch.send(new GetMetricDataCommand(input));
    const first = result.MetricDataResults?.[0];
    return {
      timestamps: (first?.Timestamps ?? []).map((date) => date.toISOString()),
      values: first?.Values ?? [],
      nextToken: result.NextToken,
      status: first?.StatusCode,
    };
  };
  const midnights = (from: number, count: number, offset = 0) =>
    Array.from({ length: count }, (_, d) => new Date(from + d * DAY + offset).toISOString());

  before(async () => {
    if (!moto) return;
    // 40 points per service, in one call each: under the SDK's 10 KiB compression threshold
    // anyway, but disableRequestCompression is set (see the compression test).
    for (const [dimensions, rate] of [
      [EC2, 10],
      [S3, 1],
    ] as const) {
      await cloudwatch.send(
        new PutMetricDataCommand({ Namespace: NAMESPACE, MetricData: points(dimensions, rate) }),
      );
    }
  });

  it('ListMetrics returns each dimension set (moto repeats them once per datapoint)', async (t) => {
    if (!hasMoto(t)) return;
    const metrics = [];
    let NextToken: string | undefined;
    do {
      const page = await cloudwatch.send(
        new ListMetricsCommand({ Namespace: NAMESPACE, MetricName: METRIC, NextToken }),
      );
      metrics.push(...(page.Metrics ?? []));
      NextToken = page.NextToken;
    } while (NextToken);

    const sets = new Set(metrics.map((m) => JSON.stringify(m.Dimensions)));
    assert.deepEqual([...sets].sort(), [JSON.stringify(EC2), JSON.stringify(S3)].sort());
    // moto 5.2.1 quirk: one entry per PutMetricData datapoint for 2+ dimensions (AWS: one).
    assert.equal(metrics.length, 2 * DAYS * HOURS.length);
    // Dimensions come back in the order they were put.
    assert.deepEqual(metrics[0]?.Dimensions, EC2);
  });

  it('GetMetricData (Period 86400, Maximum, midnight-aligned) gives one value per day, its maximum', async (t) => {
    if (!hasMoto(t)) return;
    const ec2 = await series(query(EC2));
    assert.equal(ec2.status, 'Complete');
    assert.deepEqual(ec2.timestamps, midnights(dayStart(0), DAYS));
    assert.deepEqual(ec2.values, dailyMax(10));
    const s3Series = await series(query(S3));
    assert.deepEqual(s3Series.values, dailyMax(1));
  });

  it('GetMetricData honours ScanBy; without it the order is descending', async (t) => {
    if (!hasMoto(t)) return;
    const descending = await series(query(EC2, { ScanBy: 'TimestampDescending' }));
    assert.deepEqual(descending.timestamps, midnights(dayStart(0), DAYS).reverse());
    assert.deepEqual(descending.values, dailyMax(10).reverse());
    const unspecified = await series(query(EC2, { ScanBy: undefined }));
    assert.deepEqual(unspecified.values, dailyMax(10).reverse());
  });

  it('GetMetricData buckets start at StartTime, not at midnight', async (t) => {
    if (!hasMoto(t)) return;
    // [05:00, 05:00 next day) holds hours 7, 13, 19 of a day and hour 1 of the next.
    const shifted = await series(query(EC2, { StartTime: new Date(dayStart(0) + 5 * HOUR) }));
    assert.deepEqual(shifted.timestamps, midnights(dayStart(0), DAYS, 5 * HOUR));
    const expected = Array.from({ length: DAYS }, (_, d) =>
      d < DAYS - 1 ? charge(10, d + 1, 0) : charge(10, d, HOURS.length - 1),
    );
    assert.deepEqual(shifted.values, expected);
  });

  it('GetMetricData: StartTime inclusive, EndTime exclusive, empty days omitted', async (t) => {
    if (!hasMoto(t)) return;
    const dims = service('AWSLambda');
    const at = (time: number, Value: number): MetricDatum => ({
      MetricName: METRIC,
      Dimensions: dims,
      Timestamp: new Date(time),
      Value,
    });
    const start = dayStart(DAYS - 3);
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: NAMESPACE,
        MetricData: [at(start - 1000, 50), at(start, 1), at(TODAY - DAY, 3), at(TODAY, 99)],
      }),
    );
    const result = await series(query(dims, { StartTime: new Date(start) }));
    assert.deepEqual(
      result.timestamps,
      [start, TODAY - DAY].map((ms) => new Date(ms).toISOString()),
    );
    assert.deepEqual(result.values, [1, 3]);
  });

  it('GetMetricData ignores MaxDatapoints and never pages (no NextToken)', async (t) => {
    if (!hasMoto(t)) return;
    const limited = await series(query(EC2, { MaxDatapoints: 3 }));
    assert.equal(limited.values.length, DAYS);
    assert.equal(limited.nextToken, undefined);
  });

  it('GetMetricData matches dimensions only in the order they were put (moto quirk)', async (t) => {
    if (!hasMoto(t)) return;
    const reversed = await series(query([...EC2].reverse()));
    assert.deepEqual(reversed.values, []);
    // A subset of the dimensions matches nothing, as on AWS ...
    assert.deepEqual((await series(query([USD]))).values, []);
    // ... but no dimensions at all matches every dimension set (AWS: only the dimensionless one).
    assert.equal((await series(query([]))).values.length, DAYS);
  });

  it('PutMetricData of 10 KiB or more fails with 500 unless request compression is disabled', async (t) => {
    if (!hasMoto(t)) return;
    const big: MetricDatum[] = Array.from({ length: 200 }, (_, i) => ({
      MetricName: 'Padding',
      Timestamp: new Date(TODAY - DAY + i * 1000),
      Value: i,
    }));
    const command = new PutMetricDataCommand({ Namespace: 'Costbot/Test', MetricData: big });
    const compressing = new CloudWatchClient({ maxAttempts: 1 });
    try {
      await assert.rejects(compressing.send(command), (error: unknown) => {
        const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata;
        assert.equal(status?.httpStatusCode, 500);
        return true;
      });
    } finally {
      compressing.destroy();
    }
    const result = await cloudwatch.send(command);
    assert.equal(result.$metadata.httpStatusCode, 200);
  });
});

describe('moto: S3 chart objects', () => {
  it('PutObject keeps ContentType; HeadObject, GetObject and a presigned GET return it', async (t) => {
    if (!hasMoto(t)) return;
    const Bucket = 'costbot-test-charts';
    const Key = 'charts/report.png';
    const png = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
    await s3.send(new CreateBucketCommand({ Bucket }));
    await s3.send(new PutObjectCommand({ Bucket, Key, Body: png, ContentType: 'image/png' }));

    const head = await s3.send(new HeadObjectCommand({ Bucket, Key }));
    assert.equal(head.ContentType, 'image/png');
    assert.equal(head.ContentLength, png.length);

    const object = await s3.send(new GetObjectCommand({ Bucket, Key }));
    assert.deepEqual(Buffer.from((await object.Body?.transformToByteArray()) ?? []), png);

    const url = await getSignedUrl(s3, new GetObjectCommand({ Bucket, Key }), { expiresIn: 300 });
    assert.ok(url.startsWith(`${moto?.endpoint}/${Bucket}/`), url); // path style
    const response = await fetch(url);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), png);
  });
});

describe('moto: helper', () => {
  // Last: it forgets everything the tests above created.
  it('reset() forgets every resource', async (t) => {
    if (!hasMoto(t) || !moto) return;
    const Name = '/costbot/test/reset';
    await ssm.send(new PutParameterCommand({ Name, Value: 'x', Type: 'String' }));
    await moto.reset();
    const result = await ssm.send(new GetParametersCommand({ Names: [Name] }));
    assert.deepEqual(result.InvalidParameters, [Name]);
  });
});
