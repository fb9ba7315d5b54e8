import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CostSummary, MetricSummary, ReportRequest } from '../../../../common/contract.ts';
import { evaluateGate } from '../../../../workflows/steps/summarize/gate.ts';
import { createSummarizeHandler } from '../../../../workflows/steps/summarize/handler.ts';
import { EC2_SPIKE } from '../../../support/cost-summary.ts';

function cost(overrides: Partial<CostSummary> = {}): CostSummary {
  return {
    currency: 'USD',
    asOf: '2026-11-22T06:00:00.000Z',
    period: { preset: 'mtd', label: 'Month to date', from: '2026-11-01', to: '2026-11-22' },
    monthToDate: 900,
    yesterday: { date: '2026-11-21', amount: 41.2 },
    changeVsDayBefore: null,
    sevenDayAverage: 40,
    changeVsSevenDayAverage: { amount: 1.2, percent: 3 },
    periodTotal: 900,
    top: [],
    topBy: 'service',
    forecast: null,
    anomalies: [],
    chart: { title: 't', unit: 'USD per day', dates: [], series: [], style: 'stacked' },
    ...overrides,
  };
}

describe('Function: evaluateGate', () => {
  it('posts without a condition', () => {
    // Act
    const gate = evaluateGate(undefined, cost());

    // Assess
    assert.deepEqual(gate, { post: true, reason: 'no condition' });
  });

  it('holds yesterday against a dollar threshold, in words', () => {
    // Act
    const below = evaluateGate({ kind: 'yesterday-above', dollars: 250 }, cost());
    const above = evaluateGate(
      { kind: 'yesterday-above', dollars: 250.5 },
      cost({ yesterday: { date: '2026-11-21', amount: 1312.4 } }),
    );
    const equal = evaluateGate({ kind: 'yesterday-above', dollars: 41.2 }, cost());
    const unknown = evaluateGate(
      { kind: 'yesterday-above', dollars: 250 },
      cost({ yesterday: null }),
    );

    // Assess
    assert.deepEqual(below, { post: false, reason: 'yesterday $41.20 is not above $250' });
    assert.deepEqual(above, { post: true, reason: 'yesterday $1,312.40 is above $250.50' });
    assert.equal(equal.post, false);
    assert.deepEqual(unknown, {
      post: false,
      reason: 'no figure for yesterday yet, so not above $250',
    });
  });

  it('holds the change against the 7-day average against a percentage', () => {
    // Act
    const small = evaluateGate({ kind: 'change-above', percent: 20 }, cost());
    const large = evaluateGate(
      { kind: 'change-above', percent: 20 },
      cost({
        yesterday: { date: '2026-11-21', amount: 60 },
        changeVsSevenDayAverage: { amount: 20, percent: 50 },
      }),
    );
    const drop = evaluateGate(
      { kind: 'change-above', percent: 20 },
      cost({ changeVsSevenDayAverage: { amount: -2, percent: -5 } }),
    );
    const zeroBase = evaluateGate(
      { kind: 'change-above', percent: 20 },
      cost({ changeVsSevenDayAverage: { amount: 41.2, percent: null } }),
    );

    // Assess
    assert.deepEqual(small, {
      post: false,
      reason: 'yesterday $41.20 is up 3.0% on the 7-day average of $40.00: not above 20%',
    });
    assert.deepEqual(large, {
      post: true,
      reason: 'yesterday $60.00 is up 50.0% on the 7-day average of $40.00: above 20%',
    });
    assert.match(drop.reason, /down 5\.0%/);
    assert.equal(drop.post, false);
    assert.equal(zeroBase.post, false);
  });

  it('posts on an anomaly and names it with its baseline', () => {
    // Act
    const one = evaluateGate({ kind: 'anomaly' }, cost({ anomalies: [EC2_SPIKE] }));
    const two = evaluateGate(
      { kind: 'anomaly' },
      cost({
        anomalies: [
          EC2_SPIKE,
          { ...EC2_SPIKE, name: 'AmazonBedrock', kind: 'new', median: 0, mad: 0 },
        ],
      }),
    );
    const none = evaluateGate({ kind: 'anomaly' }, cost());

    // Assess
    assert.deepEqual(one, {
      post: true,
      reason: 'AmazonEC2 $182.10 yesterday against a median of $40.05: anomaly',
    });
    assert.equal(two.reason, `${one.reason} (and 1 more)`);
    assert.deepEqual(none, {
      post: false,
      reason: 'no anomaly: no service spent 3 MADs and $5 above its 28-day median yesterday',
    });
  });

  it('lets a metric chart post: it has no cost figures', () => {
    // Prepare
    const metric = { asOf: '2026-11-22T06:00:00.000Z', metric: {}, chart: {} } as MetricSummary;

    // Act
    const gate = evaluateGate({ kind: 'anomaly' }, metric);

    // Assess
    assert.equal(gate.post, true);
  });
});

describe('Function: createSummarizeHandler', () => {
  it('puts the gate beside the summary: a scheduled run whose condition does not hold', async () => {
    // Prepare: $10 a day of EC2 all month, so yesterday is $10
    const dates = ['2026-11-19', '2026-11-20', '2026-11-21'];
    const request: ReportRequest = {
      kind: 'digest',
      requestId: 'k3m9x2qa-2026-11-22T090000Z',
      channel: 'C1',
      period: 'mtd',
      subscription: { id: 'k3m9x2qa', condition: { kind: 'yesterday-above', dollars: 250 } },
    };
    const handler = createSummarizeHandler({ topN: 5 });

    // Act
    const out = await handler({
      request,
      fetched: {
        from: '2026-11-01',
        to: '2026-11-22',
        asOf: '2026-11-22T09:00:00.000Z',
        total: null,
        breakdown: [{ name: 'AmazonEC2', dates, values: [190, 200, 210] }],
        breakdownBy: 'service',
        apiCalls: { getMetricData: 1, listMetrics: 1 },
      },
    });

    // Assess
    assert.deepEqual(out.gate, { post: false, reason: 'yesterday $10.00 is not above $250' });
    assert.deepEqual((out.summary as CostSummary).anomalies, []);
  });
});
