/** The cost model behind each report's cost line and the doctor's monthly bill. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PRICES,
  REPORT_LAMBDA_GB_SECONDS,
  reportCost,
  reportCostLine,
  tinyUsd,
} from '../../common/report-cost.ts';

describe('Function: reportCost', () => {
  it('prices ListMetrics per request and GetMetricData per metric, not per request', () => {
    // Prepare
    const one = { listMetrics: 1, getMetricData: 1, metrics: 31 };
    const paged = { listMetrics: 1, getMetricData: 3, metrics: 31 };
    // Act
    const a = reportCost(one);
    const b = reportCost(paged);
    // Assess
    assert.equal(a.dollars.cloudwatch, 32 * 0.00001);
    assert.equal(b.dollars.cloudwatch, a.dollars.cloudwatch);
  });

  it('adds the Map state and a FetchAccount invocation per account of a report by account', () => {
    // Prepare
    const usage = { listMetrics: 0, getMetricData: 10, metrics: 10 };
    // Act
    const single = reportCost(usage);
    const byAccount = reportCost({ ...usage, accounts: 10 });
    // Assess
    assert.equal(single.transitions, 6);
    assert.equal(byAccount.transitions, 26);
    assert.equal(byAccount.lambdaInvocations, 15);
    assert.equal(
      single.dollars.total,
      10 * PRICES.getMetricDataPerMetric +
        6 * PRICES.transition +
        5 * PRICES.lambdaRequest +
        REPORT_LAMBDA_GB_SECONDS * PRICES.lambdaGbSecond,
    );
  });
});

describe('Function: reportCostLine', () => {
  it('names requests, metrics, transitions and the total', () => {
    // Act
    const line = reportCostLine({ listMetrics: 1, getMetricData: 1, metrics: 1 });
    // Assess
    assert.equal(
      line,
      'this report: 2 CloudWatch requests, 1 metric, 6 state transitions, about $0.00019',
    );
  });
});

describe('Function: tinyUsd', () => {
  it('keeps two significant digits of fractions of a cent', () => {
    // Act, Assess
    assert.equal(tinyUsd(0.00049367), '$0.00049');
    assert.equal(tinyUsd(0.0005), '$0.0005');
    assert.equal(tinyUsd(0.33), '$0.33');
    assert.equal(tinyUsd(12.345), '$12');
    assert.equal(tinyUsd(0), '$0');
  });
});
