import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  CloudWatchClient,
  type Dimension,
  GetMetricDataCommand,
  ListMetricsCommand,
  type MetricDataQuery,
  type MetricDataResult,
} from '@aws-sdk/client-cloudwatch';
import { mockClient } from 'aws-sdk-client-mock';
import type { ReportRequest } from '../../../../common/contract.ts';
import { AwsThrottledError, InvalidRequestError } from '../../../../common/errors.ts';
import {
  fetchCosts,
  readDailySeries,
  selectBillingQueries,
} from '../../../../workflows/steps/fetch/fetch.ts';
import {
  cloudWatchMetricsApi,
  type GetMetricDataInput,
  type GetMetricDataOutput,
  type ListMetricsInput,
  type ListMetricsOutput,
  type MetricsApi,
} from '../../../../workflows/steps/fetch/metrics-api.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

type Points = { timestamps: Date[]; values: number[] };

/**
 * A MetricsApi that records every input. ListMetrics answers from `pages` (one page per call,
 * NextToken between them); GetMetricData answers each query with `points(query)`, and when
 * `pageOnce` is set splits its very first answer in two pages (later calls answer in one).
 */
class RecordingMetricsApi implements MetricsApi {
  readonly listInputs: ListMetricsInput[] = [];
  readonly getInputs: GetMetricDataInput[] = [];
  private paged = false;

  constructor(
    private readonly options: {
      pages?: Dimension[][][];
      points?: (query: MetricDataQuery) => Points;
      pageOnce?: boolean;
    } = {},
  ) {}

  async listMetrics(input: ListMetricsInput): Promise<ListMetricsOutput> {
    this.listInputs.push(input);
    const pages = this.options.pages ?? [[]];
    const index = input.NextToken ? Number(input.NextToken.slice('list-'.length)) : 0;
    const page = pages[index] ?? [];
    return {
      Metrics: page.map((Dimensions) => ({
        Namespace: 'AWS/Billing',
        MetricName: 'EstimatedCharges',
        Dimensions,
      })),
      NextToken: index + 1 < pages.length ? `list-${index + 1}` : undefined,
    };
  }

  async getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput> {
    this.getInputs.push(input);
    const queries = input.MetricDataQueries ?? [];
    const results: MetricDataResult[] = queries.map((q) => {
      const p = this.options.points?.(q) ?? { timestamps: [], values: [] };
      return { Id: q.Id, Label: q.Label, Timestamps: p.timestamps, Values: p.values };
    });
    if (this.options.pageOnce && !this.paged) {
      this.paged = true;
      const half = Math.ceil(results.length / 2);
      return { MetricDataResults: results.slice(0, half), NextToken: `rest-${half}` };
    }
    if (input.NextToken) {
      const half = Number(input.NextToken.slice('rest-'.length));
      return { MetricDataResults: results.slice(half) };
    }
    return { MetricDataResults: results };
  }
}

function dimensions(values: Record<string, string>): Dimension[] {
  return Object.entries(values).map(([Name, Value]) => ({ Name, Value }));
}

function dimsMap(values: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(values));
}

function request(overrides: Partial<ReportRequest> = {}): ReportRequest {
  return { kind: 'command', requestId: 'r1', channel: 'C123', period: 'mtd', ...overrides };
}

/** A billing query as `selectBillingQueries` builds it. */
function query(name: string, dims: Record<string, string>) {
  return {
    name,
    namespace: 'AWS/Billing',
    metricName: 'EstimatedCharges',
    dimensions: dimensions(dims),
    stat: 'Maximum',
  };
}

const EXISTING = [
  dimsMap({ Currency: 'USD' }),
  dimsMap({ Currency: 'EUR' }),
  dimsMap({ ServiceName: 'AmazonEC2', Currency: 'USD' }),
  dimsMap({ ServiceName: 'AWSLambda', Currency: 'USD' }),
  dimsMap({ ServiceName: 'AmazonS3', Currency: 'EUR' }),
  dimsMap({ ServiceName: 'AmazonEC2', LinkedAccount: '111111111111', Currency: 'USD' }),
  dimsMap({ LinkedAccount: '111111111111', Currency: 'USD' }),
  dimsMap({ LinkedAccount: '222222222222', Currency: 'USD' }),
];

const day = (iso: string) => new Date(`${iso}T00:00:00.000Z`);

// ---------------------------------------------------------------------------------------------

describe('Function: selectBillingQueries', () => {
  it('picks the USD total and the USD services, not account combinations', () => {
    // Prepare
    const req = request();

    // Act
    const selected = selectBillingQueries(req, EXISTING);

    // Assess
    assert.deepEqual(selected, {
      total: query('Total', { Currency: 'USD' }),
      breakdown: [
        query('AmazonEC2', { ServiceName: 'AmazonEC2', Currency: 'USD' }),
        query('AWSLambda', { ServiceName: 'AWSLambda', Currency: 'USD' }),
      ],
      by: 'service',
    });
  });

  it('filters services case-insensitively and keeps the metric spelling', () => {
    // Prepare
    const req = request({ service: 'amazonec2' });

    // Act
    const selected = selectBillingQueries(req, EXISTING);

    // Assess
    assert.deepEqual(
      selected.breakdown.map((q) => q.name),
      ['AmazonEC2'],
    );
    assert.equal(selected.total?.name, 'Total');
  });

  it('reports by the requested accounts that exist', () => {
    // Prepare
    const req = request({ accounts: ['222222222222', '333333333333'] });

    // Act
    const selected = selectBillingQueries(req, EXISTING);

    // Assess
    assert.equal(selected.by, 'account');
    assert.deepEqual(selected.breakdown, [
      query('222222222222', { LinkedAccount: '222222222222', Currency: 'USD' }),
    ]);
  });

  it('returns no total when only other currencies exist', () => {
    // Prepare
    const existing = [dimsMap({ Currency: 'EUR' }), dimsMap({ ServiceName: 'X', Currency: 'EUR' })];

    // Act
    const selected = selectBillingQueries(request(), existing);

    // Assess
    assert.deepEqual(selected, { total: null, breakdown: [], by: 'service' });
  });
});

describe('Function: readDailySeries', () => {
  const window = { from: '2026-11-01', to: '2026-11-22' };

  /** `count` distinct queries; query i answers one point of value i on Nov 2. */
  function manyQueries(count: number) {
    return Array.from({ length: count }, (_, i) => query(`S${i}`, { ServiceName: `S${i}` }));
  }
  const onePointEach = (q: MetricDataQuery): Points => ({
    timestamps: [day('2026-11-02')],
    values: [Number(q.Label?.slice(1))],
  });

  it('reads 1,201 queries in 3 calls of 500, 500 and 201 queries', async () => {
    // Prepare
    const api = new RecordingMetricsApi({ points: onePointEach });

    // Act
    const read = await readDailySeries(api, manyQueries(1201), window);

    // Assess
    assert.equal(read.calls, 3);
    assert.deepEqual(
      api.getInputs.map((input) => input.MetricDataQueries?.length),
      [500, 500, 201],
    );
    assert.equal(api.getInputs[2]?.MetricDataQueries?.[0]?.Id, 'm1000');
    assert.equal(read.series.length, 1201);
    assert.deepEqual(read.series[1200], { name: 'S1200', dates: ['2026-11-02'], values: [1200] });
    assert.deepEqual(read.series[499], { name: 'S499', dates: ['2026-11-02'], values: [499] });
  });

  it('follows NextToken with the same queries', async () => {
    // Prepare
    const api = new RecordingMetricsApi({ points: onePointEach, pageOnce: true });

    // Act
    const read = await readDailySeries(api, manyQueries(1201), window);

    // Assess
    assert.equal(read.calls, 4);
    assert.deepEqual(
      api.getInputs.map((input) => [input.MetricDataQueries?.length, input.NextToken]),
      [
        [500, undefined],
        [500, 'rest-250'],
        [500, undefined],
        [201, undefined],
      ],
    );
    assert.deepEqual(api.getInputs[1]?.MetricDataQueries, api.getInputs[0]?.MetricDataQueries);
    // Points from both pages land on their series.
    assert.deepEqual(read.series[0]?.values, [0]);
    assert.deepEqual(read.series[499]?.values, [499]);
  });

  it('asks for daily maxima over whole UTC days', async () => {
    // Prepare
    const api = new RecordingMetricsApi();

    // Act
    await readDailySeries(api, [query('Total', { Currency: 'USD' })], window);

    // Assess
    const input = api.getInputs[0];
    assert.equal(input?.StartTime?.toISOString(), '2026-11-01T00:00:00.000Z');
    assert.equal(input?.EndTime?.toISOString(), '2026-11-23T00:00:00.000Z');
    assert.equal(input?.ScanBy, 'TimestampAscending');
    assert.deepEqual(input?.MetricDataQueries, [
      {
        Id: 'm0',
        Label: 'Total',
        ReturnData: true,
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Billing',
            MetricName: 'EstimatedCharges',
            Dimensions: [{ Name: 'Currency', Value: 'USD' }],
          },
          Period: 86_400,
          Stat: 'Maximum',
        },
      },
    ]);
  });

  it('keeps the largest of several points in one day, and sorts the days', async () => {
    // Prepare
    const api = new RecordingMetricsApi({
      points: () => ({
        timestamps: [
          new Date('2026-11-04T00:00:00Z'),
          new Date('2026-11-03T06:00:00Z'),
          new Date('2026-11-03T18:00:00Z'),
          new Date('2026-11-03T12:00:00Z'),
        ],
        values: [9, 5, 6, 7],
      }),
    });

    // Act
    const read = await readDailySeries(api, [query('Total', { Currency: 'USD' })], window);

    // Assess
    assert.deepEqual(read.series, [
      { name: 'Total', dates: ['2026-11-03', '2026-11-04'], values: [7, 9] },
    ]);
  });

  it('makes no call for no queries', async () => {
    // Prepare
    const api = new RecordingMetricsApi();

    // Act
    const read = await readDailySeries(api, [], window);

    // Assess
    assert.deepEqual(read, { series: [], newest: [], calls: 0 });
    assert.equal(api.getInputs.length, 0);
  });
});

describe('Function: fetchCosts', () => {
  const asOf = new Date('2026-11-22T06:00:00Z');
  /** Cumulative charges: value = 10 × day of month for every query. */
  const cumulative = (): Points => ({
    timestamps: [day('2026-11-01'), day('2026-11-02')],
    values: [10, 20],
  });

  it('fetches total and services from the billing client and counts the calls', async () => {
    // Prepare
    const billing = new RecordingMetricsApi({
      pages: [
        [
          dimensions({ Currency: 'USD' }),
          dimensions({ ServiceName: 'AmazonEC2', Currency: 'USD' }),
        ],
        [dimensions({ ServiceName: 'AWSLambda', Currency: 'USD' })],
      ],
      points: cumulative,
    });
    const metrics = new RecordingMetricsApi();

    // Act
    const fetched = await fetchCosts({ billing, metrics }, request(), asOf);

    // Assess
    assert.deepEqual(fetched, {
      // From the 1st of the month of the anomalies' baseline (the 28 days before Nov 21)
      from: '2026-10-01',
      to: '2026-11-22',
      asOf: '2026-11-22T06:00:00.000Z',
      newestBillingPoint: '2026-11-02T00:00:00.000Z',
      total: { name: 'Total', dates: ['2026-11-01', '2026-11-02'], values: [10, 20] },
      breakdown: [
        { name: 'AmazonEC2', dates: ['2026-11-01', '2026-11-02'], values: [10, 20] },
        { name: 'AWSLambda', dates: ['2026-11-01', '2026-11-02'], values: [10, 20] },
      ],
      breakdownBy: 'service',
      apiCalls: { getMetricData: 1, listMetrics: 2 },
    });
    assert.deepEqual(
      billing.listInputs.map((i) => [i.Namespace, i.MetricName, i.NextToken]),
      [
        ['AWS/Billing', 'EstimatedCharges', undefined],
        ['AWS/Billing', 'EstimatedCharges', 'list-1'],
      ],
    );
    assert.equal(metrics.getInputs.length, 0);
    assert.equal(metrics.listInputs.length, 0);
  });

  it('reports by account when the request names accounts', async () => {
    // Prepare
    const billing = new RecordingMetricsApi({
      pages: [
        [
          dimensions({ Currency: 'USD' }),
          dimensions({ LinkedAccount: '111111111111', Currency: 'USD' }),
          dimensions({ LinkedAccount: '222222222222', Currency: 'USD' }),
        ],
      ],
      points: cumulative,
    });

    // Act
    const fetched = await fetchCosts(
      { billing, metrics: new RecordingMetricsApi() },
      request({ accounts: ['111111111111'] }),
      asOf,
    );

    // Assess
    assert.equal(fetched.breakdownBy, 'account');
    assert.deepEqual(
      fetched.breakdown.map((s) => s.name),
      ['111111111111'],
    );
    assert.equal(fetched.total?.name, 'Total');
  });

  it('reads only the metric for a metric chart: no billing call', async () => {
    // Prepare
    const billing = new RecordingMetricsApi({ pages: [[dimensions({ Currency: 'USD' })]] });
    const metrics = new RecordingMetricsApi();
    const req = request({
      metric: {
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        dimensions: [{ name: 'FunctionName', value: 'api' }],
        stat: 'Sum',
        period: '24h',
      },
    });

    // Act
    const fetched = await fetchCosts({ billing, metrics, metricsRegion: 'eu-west-1' }, req, asOf);

    // Assess
    assert.equal(billing.listInputs.length + billing.getInputs.length, 0);
    assert.equal(metrics.getInputs.length, 1);
    assert.deepEqual(fetched.apiCalls, { getMetricData: 1, listMetrics: 0 });
    assert.equal(fetched.metric?.region, 'eu-west-1');
    assert.equal(fetched.metric?.periodSeconds, 300);
    assert.deepEqual(
      fetched.metric?.series.map((s) => s.name),
      ['FunctionName=api'],
    );
    assert.equal(fetched.total, null);
  });

  it('reads the total hourly in the same call and reports its newest point', async () => {
    // Prepare
    const billing = new RecordingMetricsApi({
      pages: [[dimensions({ Currency: 'USD' })]],
      points: (q) =>
        q.MetricStat?.Period === 3600
          ? {
              timestamps: [new Date('2026-11-21T18:00:00Z'), new Date('2026-11-22T00:00:00Z')],
              values: [600, 610],
            }
          : cumulative(),
    });

    // Act
    const fetched = await fetchCosts(
      { billing, metrics: new RecordingMetricsApi() },
      request(),
      asOf,
    );

    // Assess
    assert.equal(billing.getInputs.length, 1);
    const periods = billing.getInputs[0]?.MetricDataQueries?.map((q) => q.MetricStat?.Period);
    assert.deepEqual(periods, [86_400, 3600]);
    assert.equal(fetched.newestBillingPoint, '2026-11-22T00:00:00.000Z');
    assert.equal(fetched.total?.name, 'Total');
    assert.deepEqual(fetched.apiCalls, { getMetricData: 1, listMetrics: 1 });
  });

  it('rejects an invalid asOf before any call', async () => {
    // Prepare
    const billing = new RecordingMetricsApi();

    // Act
    const result = fetchCosts(
      { billing, metrics: new RecordingMetricsApi() },
      request(),
      new Date('not a date'),
    );

    // Assess
    await assert.rejects(result, InvalidRequestError);
    assert.equal(billing.listInputs.length, 0);
  });
});

describe('Function: cloudWatchMetricsApi', () => {
  const cloudWatchMock = mockClient(CloudWatchClient);

  afterEach(() => {
    cloudWatchMock.reset();
  });

  it('surfaces CloudWatch throttling as AwsThrottledError', async () => {
    // Prepare
    cloudWatchMock.on(GetMetricDataCommand).rejects(
      Object.assign(new Error('Rate exceeded'), {
        name: 'Throttling',
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const api = cloudWatchMetricsApi(new CloudWatchClient({ region: 'us-east-1' }));

    // Act
    const result = readDailySeries(api, [query('Total', { Currency: 'USD' })], {
      from: '2026-11-01',
      to: '2026-11-02',
    });

    // Assess
    await assert.rejects(result, (error: unknown) => {
      assert.ok(error instanceof AwsThrottledError);
      assert.equal(
        error.message,
        'CloudWatch GetMetricData was throttled (Throttling): Rate exceeded',
      );
      return true;
    });
  });

  it('sends ListMetrics and GetMetricData through the client', async () => {
    // Prepare
    cloudWatchMock.on(ListMetricsCommand).resolves({
      Metrics: [{ Namespace: 'AWS/Billing', MetricName: 'EstimatedCharges', Dimensions: [] }],
    });
    cloudWatchMock.on(GetMetricDataCommand).resolves({
      MetricDataResults: [{ Id: 'm0', Timestamps: [day('2026-11-01')], Values: [1.5] }],
    });
    const api = cloudWatchMetricsApi(new CloudWatchClient({ region: 'us-east-1' }));

    // Act
    const listed = await api.listMetrics({ Namespace: 'AWS/Billing' });
    const read = await readDailySeries(api, [query('Total', { Currency: 'USD' })], {
      from: '2026-11-01',
      to: '2026-11-01',
    });

    // Assess
    assert.equal(listed.Metrics?.[0]?.MetricName, 'EstimatedCharges');
    assert.deepEqual(read.series, [{ name: 'Total', dates: ['2026-11-01'], values: [1.5] }]);
    assert.deepEqual(cloudWatchMock.commandCalls(ListMetricsCommand)[0]?.args[0].input, {
      Namespace: 'AWS/Billing',
    });
  });
});
