/** The cost model behind each report's cost line, the doctor's monthly bill and the bench. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  executionObservabilityDollars,
  fixedMonthlyCosts,
  PRICES,
  REPORT_LAMBDA_GB_SECONDS,
  reportCost,
  reportCostLine,
  reportLinkChecks,
  reportTaskStates,
  reportTransitions,
  SCHEDULED_RUN_EXTRA_TRANSITIONS,
  STATE_MACHINE_LOG_EVENT_BYTES,
  stateMachineLogEvents,
  tinyUsd,
} from '../../common/report-cost.ts';

/** The default path: stable links, no Sign state. */
const STABLE = { stableLinks: true };
const REPORT_TRANSITIONS = reportTransitions(STABLE);
const REPORT_TASK_STATES = reportTaskStates(STABLE);

describe('Function: reportTransitions', () => {
  it('counts Route?, Fetch, Summarize, ConditionMet?, RenderAndStore, Post; Sign too with presigned links', () => {
    // Act, Assess
    assert.equal(reportTransitions({ stableLinks: true }), 6);
    assert.equal(reportTransitions({ stableLinks: false }), 7);
    assert.equal(SCHEDULED_RUN_EXTRA_TRANSITIONS, 2, 'NameScheduledRun and ByAccount?');
    assert.deepEqual(
      [reportTaskStates({ stableLinks: true }), reportTaskStates({ stableLinks: false })],
      [4, 5],
    );
  });
});

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
    assert.equal(single.transitions, REPORT_TRANSITIONS);
    assert.equal(byAccount.transitions, REPORT_TRANSITIONS + 20);
    assert.equal(byAccount.lambdaInvocations, REPORT_TASK_STATES + 1 + 10);
    assert.equal(
      single.dollars.total,
      10 * PRICES.getMetricDataPerMetric +
        REPORT_TRANSITIONS * PRICES.transition +
        (REPORT_TASK_STATES + 1) * PRICES.lambdaRequest +
        REPORT_LAMBDA_GB_SECONDS * PRICES.lambdaGbSecond +
        executionObservabilityDollars(REPORT_TRANSITIONS, REPORT_TASK_STATES),
    );
  });

  it('adds the naming states of a scheduled run', () => {
    // Prepare
    const usage = { listMetrics: 1, getMetricData: 1, metrics: 31 };
    // Act
    const command = reportCost(usage);
    const scheduled = reportCost({ ...usage, scheduled: true });
    // Assess
    assert.equal(scheduled.transitions, command.transitions + SCHEDULED_RUN_EXTRA_TRANSITIONS);
    assert.ok(scheduled.dollars.total > command.dollars.total);
  });

  it("counts the links function's invocation by Post's link check with stable links, Sign's without", () => {
    // Prepare
    const usage = { listMetrics: 1, getMetricData: 1, metrics: 31 };
    // Act
    const stable = reportCost(usage);
    const signed = reportCost({ ...usage, signed: true });
    // Assess
    assert.deepEqual(
      [reportLinkChecks({ stableLinks: true }), reportLinkChecks({ stableLinks: false })],
      [1, 0],
    );
    assert.equal(stable.lambdaInvocations, REPORT_TASK_STATES + 1, 'the tasks and the link check');
    assert.equal(signed.transitions, reportTransitions({ stableLinks: false }));
    assert.equal(signed.transitions, stable.transitions + 1);
    assert.equal(signed.lambdaInvocations, reportTaskStates({ stableLinks: false }));
    assert.ok(signed.dollars.total > stable.dollars.total);
  });

  it("counts the execution's X-Ray trace and its state machine log", () => {
    // Act
    const cost = reportCost({ listMetrics: 0, getMetricData: 0, metrics: 0 });
    // Assess
    const events = 2 + 2 * REPORT_TRANSITIONS + 3 * REPORT_TASK_STATES;
    assert.equal(
      cost.dollars.tracingAndLogs,
      PRICES.xrayTraceRecorded + events * STATE_MACHINE_LOG_EVENT_BYTES * PRICES.logsIngestedByte,
    );
    assert.ok(cost.dollars.tracingAndLogs > 0 && cost.dollars.tracingAndLogs < 0.00002);
  });
});

describe('Function: stateMachineLogEvents', () => {
  it('logs the execution, two events per state and three more per Lambda task', () => {
    // Act, Assess: Route?, five tasks and a Choice; a bare Pass state.
    assert.equal(stateMachineLogEvents(7, 5), 2 + 14 + 15);
    assert.equal(stateMachineLogEvents(1, 0), 4);
  });
});

describe('Function: fixedMonthlyCosts', () => {
  it('bills a metric-math alarm per metric it reads, free within 10 alarm metrics', () => {
    // Act
    const [alarm, ...rest] = fixedMonthlyCosts({ alarmMetrics: 3, alarmTopicKey: false });
    // Assess
    assert.equal(rest.length, 0, 'no key without alarmTopicKey');
    assert.equal(alarm?.listDollars, 3 * 0.1);
    assert.equal(alarm?.afterFreeTierDollars, 0);
    assert.match(alarm?.freeTier ?? '', /10 alarm metrics a month/);
  });

  it('bills after the free tier only the alarm metrics beyond the 10 free ones', () => {
    // Act
    const [ten] = fixedMonthlyCosts({ alarmMetrics: 10, alarmTopicKey: false });
    const [eleven] = fixedMonthlyCosts({ alarmMetrics: 11, alarmTopicKey: false });
    const [thirteen] = fixedMonthlyCosts({ alarmMetrics: 13, alarmTopicKey: false });

    // Assess: $0.10 a metric a month; 11 metrics list at $1.10, of which 1 is beyond the tier
    assert.equal(ten?.afterFreeTierDollars, 0);
    assert.ok(Math.abs((eleven?.listDollars ?? 0) - 1.1) < 1e-9);
    assert.ok(Math.abs((eleven?.afterFreeTierDollars ?? 0) - 0.1) < 1e-9);
    assert.ok(Math.abs((thirteen?.afterFreeTierDollars ?? 0) - 0.3) < 1e-9);
  });

  it('adds the topic key at $1 a month, which no free tier covers', () => {
    // Act
    const [, key] = fixedMonthlyCosts({ alarmMetrics: 3, alarmTopicKey: true });
    // Assess
    assert.equal(key?.listDollars, 1);
    assert.equal(key?.afterFreeTierDollars, 1);
  });
});

describe('Function: reportCostLine', () => {
  it('names requests, metrics, transitions and the total', () => {
    // Prepare
    const usage = { listMetrics: 1, getMetricData: 1, metrics: 1 };
    // Act
    const line = reportCostLine(usage);
    // Assess
    assert.equal(
      line,
      `this report: 2 CloudWatch requests, 1 metric, ${REPORT_TRANSITIONS} state transitions, about ${tinyUsd(reportCost(usage).dollars.total)}`,
    );
    assert.match(line, /about \$0\.000\d+$/);
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
