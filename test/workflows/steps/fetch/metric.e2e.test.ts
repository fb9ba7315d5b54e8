import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CloudWatchClient,
  type MetricDatum,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import type { MetricRequest } from '../../../../common/contract.ts';
import { fetchMetric, lineSize, metricWindow } from '../../../../workflows/steps/fetch/metric.ts';
import {
  cloudWatchMetricsApi,
  type GetMetricDataInput,
  type GetMetricDataOutput,
  type ListMetricsInput,
  type ListMetricsOutput,
  type MetricsApi,
} from '../../../../workflows/steps/fetch/metrics-api.ts';
import { type MotoServer, startMoto } from '../../../support/moto.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const NOW = new Date('2026-11-27T08:17:30Z');

function errors(overrides: Partial<MetricRequest> = {}): MetricRequest {
  return {
    namespace: 'AWS/Lambda',
    metricName: 'Errors',
    dimensions: [],
    stat: 'Sum',
    period: '24h',
    ...overrides,
  };
}

/** Counts the calls a MetricsApi gets. */
function counting(api: MetricsApi) {
  const calls = { list: [] as ListMetricsInput[], get: [] as GetMetricDataInput[] };
  const wrapped: MetricsApi = {
    listMetrics: (input) => {
      calls.list.push(input);
      return api.listMetrics(input);
    },
    getMetricData: (input) => {
      calls.get.push(input);
      return api.getMetricData(input);
    },
  };
  return { api: wrapped, calls };
}

/** Lists `functions` (and one metric with an extra dimension); answers `perPoint(fn)` everywhere. */
function fakeLambda(functions: string[], perPoint: (fn: string) => number): MetricsApi {
  return {
    async listMetrics(): Promise<ListMetricsOutput> {
      return {
        Metrics: [
          ...functions.map((fn) => ({
            Namespace: 'AWS/Lambda',
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: fn }],
          })),
          {
            Namespace: 'AWS/Lambda',
            MetricName: 'Errors',
            Dimensions: [
              { Name: 'FunctionName', Value: 'aliased' },
              { Name: 'Resource', Value: 'aliased:live' },
            ],
          },
        ],
      };
    },
    async getMetricData(input): Promise<GetMetricDataOutput> {
      const start = (input.StartTime as Date).getTime();
      return {
        MetricDataResults: (input.MetricDataQueries ?? []).map((q) => {
          const fn = q.MetricStat?.Metric?.Dimensions?.[0]?.Value ?? '';
          const step = (q.MetricStat?.Period ?? 60) * 1000;
          return {
            Id: q.Id,
            Timestamps: [new Date(start), new Date(start + step)],
            Values: [perPoint(fn), perPoint(fn)],
          };
        }),
      };
    },
  };
}

// ---------------------------------------------------------------------------------------------

describe('Function: metricWindow', () => {
  it('ends at the last period boundary before asOf and is the period long', () => {
    // Act
    const window = metricWindow('24h', NOW, NOW);

    // Assess
    assert.equal(window.periodSeconds, 300);
    assert.equal(window.end.toISOString(), '2026-11-27T08:15:00.000Z');
    assert.equal(window.start.toISOString(), '2026-11-26T08:15:00.000Z');
  });

  it('reads a chart of the past at what CloudWatch still keeps', () => {
    // Act
    const window = metricWindow('1h', new Date('2026-11-07T08:17:30Z'), NOW);

    // Assess: the start is 20 days old, so 5-minute data, 12 points.
    assert.equal(window.periodSeconds, 300);
    assert.equal((window.end.getTime() - window.start.getTime()) / 300_000, 12);
  });
});

describe('Function: lineSize', () => {
  it('sizes a line by its statistic, a line without points last', () => {
    assert.equal(lineSize([1, null, 4], 'Sum'), 5);
    assert.equal(lineSize([1, null, 4], 'Maximum'), 4);
    assert.equal(lineSize([1, null, 4], 'Minimum'), 1);
    assert.equal(lineSize([1, null, 4], 'p99'), 2.5);
    assert.equal(lineSize([null], 'Sum'), Number.NEGATIVE_INFINITY);
  });
});

describe('Function: fetchMetric', () => {
  it('keeps the 10 largest of every value ListMetrics finds, read in one call', async () => {
    // Prepare
    const functions = Array.from({ length: 12 }, (_, i) => `fn${String(i).padStart(2, '0')}`);
    const { api, calls } = counting(fakeLambda(functions, (fn) => Number(fn.slice(2))));
    const metric = errors({ split: { name: 'FunctionName', values: '*' } });

    // Act
    const read = await fetchMetric(api, metric, { asOf: NOW, now: NOW, region: 'eu-west-1' });

    // Assess
    assert.equal(calls.get.length, 1);
    assert.equal(
      calls.get[0]?.MetricDataQueries?.length,
      12,
      'the extra-dimension metric is left out',
    );
    assert.deepEqual(calls.list[0]?.Dimensions, [{ Name: 'FunctionName' }]);
    assert.deepEqual(
      read.metric.series.map((s) => s.name),
      ['fn11', 'fn10', 'fn09', 'fn08', 'fn07', 'fn06', 'fn05', 'fn04', 'fn03', 'fn02'],
    );
    assert.equal(read.metric.found, 12);
    assert.deepEqual(read.calls, { getMetricData: 1, listMetrics: 1 });
    assert.equal(read.metric.unit, 'Count');
  });

  it('puts points on a fixed grid, null where CloudWatch has none', async () => {
    // Prepare
    const { api } = counting(fakeLambda(['api'], () => 7));

    // Act
    const read = await fetchMetric(
      api,
      errors({ dimensions: [{ name: 'FunctionName', value: 'api' }], period: '1h' }),
      { asOf: NOW, now: NOW, region: 'us-east-1' },
    );

    // Assess
    const [line] = read.metric.series;
    assert.equal(line?.name, 'FunctionName=api');
    assert.equal(line?.values.length, 60);
    assert.deepEqual(line?.values.slice(0, 3), [7, 7, null]);
    assert.equal(read.metric.start, '2026-11-27T07:17:00.000Z');
  });
});

describe('Function: fetchMetric against moto_server', () => {
  let moto: MotoServer | null = null;
  let client: CloudWatchClient;

  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    client = new CloudWatchClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      // moto answers 500 to the gzipped bodies the SDK sends for large PutMetricData.
      disableRequestCompression: true,
    });
  });
  after(async () => {
    await moto?.stop();
  });

  it('reads several series put with PutMetricData in one GetMetricData call', async (t) => {
    if (!moto) return t.skip('moto_server not installed');
    // Prepare: errors of api (3 a point) and worker (1 a point), every 5 minutes for 24 hours.
    const now = new Date();
    const window = metricWindow('24h', now, now);
    const data: MetricDatum[] = [];
    for (let t = window.start.getTime(); t < window.end.getTime(); t += 300_000) {
      for (const [fn, value] of [
        ['api', 3],
        ['worker', 1],
      ] as const) {
        data.push({
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: fn }],
          Timestamp: new Date(t + 60_000),
          Value: value,
          Unit: 'Count',
        });
      }
    }
    for (let i = 0; i < data.length; i += 150) {
      await client.send(
        new PutMetricDataCommand({ Namespace: 'AWS/Lambda', MetricData: data.slice(i, i + 150) }),
      );
    }
    const { api, calls } = counting(cloudWatchMetricsApi(client));

    // Act
    const read = await fetchMetric(
      api,
      errors({ split: { name: 'FunctionName', values: ['api', 'worker'] } }),
      { asOf: now, now, region: 'us-east-1' },
    );

    // Assess
    assert.equal(calls.get.length, 1);
    assert.equal(calls.get[0]?.MetricDataQueries?.length, 2);
    assert.equal(read.metric.periodSeconds, 300);
    assert.deepEqual(
      read.metric.series.map((s) => [s.name, s.values.length]),
      [
        ['api', 288],
        ['worker', 288],
      ],
    );
    const sums = read.metric.series.map((s) => s.values.reduce<number>((a, b) => a + (b ?? 0), 0));
    assert.deepEqual(sums, [3 * 288, 288]);
    assert.ok(read.metric.series.every((s) => s.values.every((v) => v !== null)));
  });

  it('finds every value of a dimension with ListMetrics for *', async (t) => {
    if (!moto) return t.skip('moto_server not installed');
    // Prepare: the series of the test above are in moto; one more function with no errors.
    const now = new Date();
    await client.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          {
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: 'quiet' }],
            Timestamp: new Date(now.getTime() - 3_600_000),
            Value: 0,
          },
        ],
      }),
    );

    // Act
    const read = await fetchMetric(
      cloudWatchMetricsApi(client),
      errors({ split: { name: 'FunctionName', values: '*' } }),
      { asOf: now, now, region: 'us-east-1' },
    );

    // Assess
    assert.deepEqual(
      read.metric.series.map((s) => s.name),
      ['api', 'worker', 'quiet'],
    );
    assert.equal(read.metric.found, 3);
  });
});
