import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  AccountFetched,
  DailySeries,
  FetchedData,
  ReportRequest,
} from '../../../../common/contract.ts';
import { InvalidRequestError } from '../../../../common/errors.ts';
import { createSummarizeHandler } from '../../../../workflows/steps/summarize/handler.ts';
import { mergeAccounts } from '../../../../workflows/steps/summarize/merge.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** Cumulative month-to-date values from the 1st: `rate * dayOfMonth`, days 1..`lastDay`. */
function steady(name: string, rate: number, lastDay: number): DailySeries {
  const days = Array.from({ length: lastDay }, (_, i) => i + 1);
  return {
    name,
    dates: days.map((d) => `2026-11-${String(d).padStart(2, '0')}`),
    values: days.map((d) => rate * d),
  };
}

function account(accountId: string, overrides: Partial<AccountFetched> = {}): AccountFetched {
  return {
    accountId,
    series: steady(accountId, 10, 21),
    via: 'payer',
    from: '2026-11-01',
    to: '2026-11-22',
    asOf: '2026-11-22T09:00:00.000Z',
    apiCalls: { getMetricData: 1, listMetrics: 0 },
    ...overrides,
  };
}

function request(overrides: Partial<ReportRequest> = {}): ReportRequest {
  return {
    kind: 'command',
    requestId: 'r1',
    channel: 'C123',
    period: 'mtd',
    accounts: ['111111111111', '222222222222'],
    ...overrides,
  };
}

// ---------------------------------------------------------------------------------------------

describe('Function: mergeAccounts', () => {
  it('is as fresh as its least fresh account: the earliest newest point', () => {
    // Prepare
    const perAccount = [
      account('111111111111', { newestBillingPoint: '2026-11-22T06:00:00.000Z' }),
      account('222222222222', { newestBillingPoint: '2026-11-22T00:00:00.000Z' }),
      account('333333333333'),
    ];

    // Act
    const merged = mergeAccounts(perAccount);
    const unknown = mergeAccounts([account('111111111111')]);

    // Assess
    assert.equal(merged.newestBillingPoint, '2026-11-22T00:00:00.000Z');
    assert.equal('newestBillingPoint' in unknown, false);
  });

  it('makes a by-account FetchedData: each series in request order, named by account, no total', () => {
    // Prepare
    const perAccount = [
      account('222222222222', { series: steady('whatever', 5, 21), via: 'reader-role' }),
      account('111111111111'),
    ];

    // Act
    const merged = mergeAccounts(perAccount);

    // Assess
    assert.deepEqual(merged, {
      from: '2026-11-01',
      to: '2026-11-22',
      asOf: '2026-11-22T09:00:00.000Z',
      total: null,
      breakdown: [steady('222222222222', 5, 21), steady('111111111111', 10, 21)],
      breakdownBy: 'account',
      apiCalls: { getMetricData: 2, listMetrics: 0 },
    } satisfies FetchedData);
  });

  it('leaves out accounts without a series, and counts an account named twice once', () => {
    // Prepare
    const perAccount = [
      account('111111111111'),
      account('333333333333', { series: null }),
      account('111111111111', { series: steady('111111111111', 99, 21) }),
    ];

    // Act
    const merged = mergeAccounts(perAccount);

    // Assess
    assert.deepEqual(
      merged.breakdown.map((s) => [s.name, s.values.at(-1)]),
      [['111111111111', 210]],
    );
    assert.equal(merged.apiCalls.getMetricData, 3, 'every call made is counted');
  });

  it('takes the latest asOf and a window covering every iteration’s', () => {
    // Prepare: the second iteration ran after midnight UTC, into a new day.
    const perAccount = [
      account('111111111111', { asOf: '2026-11-22T23:59:59.900Z', to: '2026-11-22' }),
      account('222222222222', {
        asOf: '2026-11-23T00:00:00.100Z',
        from: '2026-11-01',
        to: '2026-11-23',
      }),
      account('333333333333', { asOf: '2026-11-22T23:59:58.000Z', from: '2026-10-01' }),
    ];

    // Act
    const merged = mergeAccounts(perAccount);

    // Assess
    assert.equal(merged.asOf, '2026-11-23T00:00:00.100Z');
    assert.equal(merged.from, '2026-10-01');
    assert.equal(merged.to, '2026-11-23');
  });

  it('refuses an empty list with InvalidRequestError', () => {
    // Act / Assess
    assert.throws(() => mergeAccounts([]), InvalidRequestError);
  });
});

describe('Function: createSummarizeHandler', () => {
  const summarizeHandler = createSummarizeHandler({ topN: 5 });

  it('summarizes {request, perAccount} as it summarizes the equivalent {request, fetched}', async () => {
    // Prepare
    const req = request();
    const perAccount = [
      account('111111111111'),
      account('222222222222', { series: steady('x', 30, 21) }),
    ];
    const fetched: FetchedData = {
      from: '2026-11-01',
      to: '2026-11-22',
      asOf: '2026-11-22T09:00:00.000Z',
      total: null,
      breakdown: [steady('111111111111', 10, 21), steady('222222222222', 30, 21)],
      breakdownBy: 'account',
      apiCalls: { getMetricData: 2, listMetrics: 0 },
    };

    // Act
    const fromMap = await summarizeHandler({ request: req, perAccount });
    const fromFetch = await summarizeHandler({ request: req, fetched });

    // Assess
    // The same figures; only the cost line differs: the Map's path has a state per account.
    assert.deepEqual({ ...fromMap.summary, usage: null }, { ...fromFetch.summary, usage: null });
    assert.equal(fromMap.summary.usage?.accounts, 2);
    assert.equal(fromMap.request, req);
    assert.equal(fromMap.summary.topBy, 'account');
    assert.deepEqual(
      fromMap.summary.top.map((i) => [i.name, i.amount]),
      [
        ['222222222222', 630],
        ['111111111111', 210],
      ],
    );
    assert.equal(fromMap.summary.monthToDate, 840);
  });
});
