import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FetchedMetric, MetricRequest } from '../../../../common/contract.ts';
import {
  ChartStateSchema,
  check,
  FetchedDataSchema,
  MAX_METRIC_POINTS,
  MAX_REQUEST_CHARS,
  MAX_SPLIT_VALUES,
  MetricSummarySchema,
} from '../../../../common/contract-schema.ts';
import {
  lineFigures,
  perPeriod,
  summarizeMetric,
} from '../../../../workflows/steps/summarize/metric.ts';

const METRIC: MetricRequest = {
  namespace: 'AWS/Lambda',
  metricName: 'Errors',
  dimensions: [],
  split: { name: 'FunctionName', values: ['api', 'worker'] },
  stat: 'Sum',
  period: '1h',
};

function fetched(overrides: Partial<FetchedMetric> = {}): FetchedMetric {
  return {
    periodSeconds: 60,
    start: '2026-11-27T07:15:00.000Z',
    end: '2026-11-27T07:19:00.000Z',
    unit: 'Count',
    region: 'eu-west-1',
    series: [
      { name: 'api', values: [2, 0, 5, null] },
      { name: 'worker', values: [null, 1, null, null] },
    ],
    ...overrides,
  };
}

describe('Function: lineFigures', () => {
  it('gives latest, min, max, average and, for Sum, the sum over the points that exist', () => {
    assert.deepEqual(lineFigures('api', [2, 0, 5, null], 'Sum'), {
      name: 'api',
      latest: 5,
      min: 0,
      max: 5,
      average: 7 / 3,
      sum: 7,
    });
  });

  it('gives no sum for other statistics and nulls for a line without points', () => {
    assert.deepEqual(lineFigures('idle', [null, null], 'Average'), {
      name: 'idle',
      latest: null,
      min: null,
      max: null,
      average: null,
    });
  });
});

describe('Function: summarizeMetric', () => {
  it('summarizes each line and draws one line per series at the fetched resolution', () => {
    // Act
    const summary = summarizeMetric(METRIC, fetched(), '2026-11-27T07:19:30.000Z');

    // Assess
    assert.deepEqual(
      summary.metric.series.map((s) => [s.name, s.latest, s.sum]),
      [
        ['api', 5, 7],
        ['worker', 1, 1],
      ],
    );
    assert.equal(summary.metric.newest, '2026-11-27T07:17:00.000Z');
    assert.equal(summary.metric.periodLabel, 'Last hour');
    assert.equal(summary.metric.resolutionSeconds, 60);
    assert.deepEqual(summary.chart, {
      title: 'AWS/Lambda Errors FunctionName=api,worker (Sum), Last hour',
      unit: 'Count per minute',
      dates: [
        '2026-11-27T07:15:00.000Z',
        '2026-11-27T07:16:00.000Z',
        '2026-11-27T07:17:00.000Z',
        '2026-11-27T07:18:00.000Z',
      ],
      resolutionSeconds: 60,
      series: [
        { name: 'api', values: [2, 0, 5, null] },
        { name: 'worker', values: [null, 1, null, null] },
      ],
      style: 'line',
    });
    assert.equal(summary.chart.title.match(/\(Sum\)/g)?.length, 1, 'the statistic once');
    assert.notEqual(check(MetricSummarySchema, summary), null, 'passes the contract schema');
  });

  it('says the unit alone for statistics that are not sums, and None as Value', () => {
    // Act
    const summary = summarizeMetric(
      { ...METRIC, metricName: 'Latency', stat: 'p99', split: undefined },
      fetched({ unit: 'None', periodSeconds: 3600 }),
      '2026-11-27T07:19:30.000Z',
    );

    // Assess
    assert.equal(summary.chart.unit, 'Value');
    assert.equal(summary.metric.series[0]?.sum, undefined);
  });

  it('has no newest point when no line has data', () => {
    const summary = summarizeMetric(METRIC, fetched({ series: [] }), '2026-11-27T07:19:30.000Z');
    assert.equal(summary.metric.newest, null);
    assert.deepEqual(summary.chart.dates, []);
  });
});

describe('Function: perPeriod', () => {
  it('names the period in the largest whole unit', () => {
    assert.deepEqual([60, 300, 3600, 10_800, 86_400].map(perPeriod), [
      'per minute',
      'per 5 minutes',
      'per hour',
      'per 3 hours',
      'per day',
    ]);
  });
});

describe('Bounds: the largest metric chart states', () => {
  it('Summarize input and output stay under 60% of the 256 KB payload limit', () => {
    // Prepare: every line, every point, names as long as allowed, values as wide as doubles print.
    const wide = -Math.PI * 1e-300;
    const values = Array.from({ length: MAX_METRIC_POINTS }, () => wide);
    const series = Array.from({ length: MAX_SPLIT_VALUES }, (_, i) => ({
      name: `${i}`.padEnd(1024, 'x'),
      values,
    }));
    const metric = fetched({ series, periodSeconds: 300, start: '2026-11-26T08:15:00.000Z' });
    const data = {
      from: '2026-11-26',
      to: '2026-11-27',
      asOf: '2026-11-27T08:17:30.000Z',
      total: null,
      breakdown: [],
      breakdownBy: 'service' as const,
      metric,
      apiCalls: { getMetricData: 1, listMetrics: 1 },
    };
    const request = {
      kind: 'command' as const,
      requestId: 'r1',
      channel: 'C1',
      period: 'mtd' as const,
      metric: METRIC,
    };

    // Act
    const summary = summarizeMetric(METRIC, metric, data.asOf);
    const input = JSON.stringify(data).length + MAX_REQUEST_CHARS;
    const output = JSON.stringify(summary).length + MAX_REQUEST_CHARS;

    // Assess
    assert.notEqual(check(FetchedDataSchema, data), null, 'a fetch the schema accepts');
    assert.notEqual(check(ChartStateSchema, { request, summary }), null, 'a state Chart takes');
    const limit = 0.6 * 256 * 1024;
    assert.ok(input < limit, `Summarize input ${input} bytes`);
    assert.ok(output < limit, `Summarize output ${output} bytes`);
  });
});
