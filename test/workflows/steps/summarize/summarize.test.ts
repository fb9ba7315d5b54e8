import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DailySeries, FetchedData, ReportRequest } from '../../../../common/contract.ts';
import {
  amountChange,
  dailySpend,
  latestInMonth,
  roundCents,
  summarize,
} from '../../../../workflows/steps/summarize/summarize.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A series from explicit `date: cumulative value` pairs (days left out have no data point). */
function series(name: string, points: Record<string, number>): DailySeries {
  const dates = Object.keys(points).sort();
  return { name, dates, values: dates.map((date) => points[date] ?? Number.NaN) };
}

/**
 * A series with a point every day from the 1st to `lastDay` of `month` (`YYYY-MM`), whose
 * cumulative value is `rate * dayOfMonth`: a constant daily spend of `rate`.
 */
function steady(name: string, month: string, rate: number, lastDay: number): DailySeries {
  const points: Record<string, number> = {};
  for (let day = 1; day <= lastDay; day++) {
    points[`${month}-${String(day).padStart(2, '0')}`] = rate * day;
  }
  return series(name, points);
}

/** The `date: value` pairs of a series. */
function pointsOf(s: DailySeries): Record<string, number> {
  return Object.fromEntries(s.dates.map((date, i) => [date, s.values[i] ?? Number.NaN]));
}

function request(overrides: Partial<ReportRequest> = {}): ReportRequest {
  return { kind: 'command', requestId: 'r1', channel: 'C123', period: 'mtd', ...overrides };
}

function fetched(overrides: Partial<FetchedData> = {}): FetchedData {
  return {
    from: '2026-11-01',
    to: '2026-11-22',
    asOf: '2026-11-22T06:00:00.000Z',
    total: null,
    breakdown: [],
    breakdownBy: 'service',
    apiCalls: { getMetricData: 1, listMetrics: 1 },
    ...overrides,
  };
}

/** The values of the chart series called `name`. */
function chartValues(
  summary: ReturnType<typeof summarize>,
  name: string,
): (number | null)[] | undefined {
  return summary.chart.series.find((s) => s.name === name)?.values;
}

// ---------------------------------------------------------------------------------------------

describe('Function: roundCents', () => {
  it('rounds half away from zero without binary artefacts and never returns -0', () => {
    // Prepare
    const values = [1.005, 2.675, -1.005, 0.1 + 0.2, -0.004];

    // Act
    const rounded = values.map(roundCents);

    // Assess
    // 1.005 -> 1.01, 2.675 -> 2.68, -1.005 -> -1.01, 0.30000000000000004 -> 0.3, -0.004 -> 0
    assert.deepEqual(rounded, [1.01, 2.68, -1.01, 0.3, 0]);
    assert.equal(Object.is(rounded[4], -0), false);
  });
});

describe('Function: amountChange', () => {
  it('gives the difference in cents and the percentage of the base', () => {
    // Prepare
    const current = 16;
    const base = 12;

    // Act
    const result = amountChange(current, base);

    // Assess
    // 16 - 12 = 4; 4 / 12 = 33.33% -> 33.3
    assert.deepEqual(result, { amount: 4, percent: 33.3 });
  });

  it('has no percentage for a zero or negative base', () => {
    // Prepare
    const zeroBase = [5, 0] as const;
    const negativeBase = [5, -2] as const;

    // Act
    const fromZero = amountChange(...zeroBase);
    const fromNegative = amountChange(...negativeBase);

    // Assess
    // 5 - 0 = 5; 5 - (-2) = 7
    assert.deepEqual(fromZero, { amount: 5, percent: null });
    assert.deepEqual(fromNegative, { amount: 7, percent: null });
  });
});

describe('Function: dailySpend', () => {
  it('differences a cumulative series, gives 0 inside a gap and null after the last point', () => {
    // Prepare
    const total = series('Total', {
      '2026-11-01': 10,
      '2026-11-02': 20,
      // Nov 3 and 4 missing
      '2026-11-05': 52,
      '2026-11-06': 60,
      // Nov 7 not reported yet
    });

    // Act
    const spend = dailySpend(total, '2026-11-01', '2026-11-07');

    // Assess
    // Nov 1: first point of the month = 10; Nov 2: 20 - 10 = 10; Nov 3, 4: gap = 0;
    // Nov 5: 52 - 20 = 32 (carries the gap); Nov 6: 60 - 52 = 8; Nov 7: after the last point
    assert.deepEqual(spend, [10, 10, 0, 0, 32, 8, null]);
  });

  it('restarts at the month reset and leaves unknown the end of a month without points', () => {
    // Prepare
    const total = series('Total', {
      '2026-11-27': 540,
      '2026-11-28': 560,
      // Nov 29, 30 missing: November's last points never arrived
      '2026-12-01': 25,
      '2026-12-02': 47,
    });

    // Act
    const spend = dailySpend(total, '2026-11-28', '2026-12-02');

    // Assess
    // Nov 28: 560 - 540 = 20; Nov 29, 30: no later November point = null;
    // Dec 1: first point of December = its whole value 25; Dec 2: 47 - 25 = 22
    assert.deepEqual(spend, [20, null, null, 25, 22]);
  });

  it('keeps a downward correction negative', () => {
    // Prepare
    const total = series('Total', { '2026-11-01': 30, '2026-11-02': 26, '2026-11-03': 40 });

    // Act
    const spend = dailySpend(total, '2026-11-01', '2026-11-03');

    // Assess
    // 30; 26 - 30 = -4; 40 - 26 = 14
    assert.deepEqual(spend, [30, -4, 14]);
  });

  it('counts the whole value of a service first seen mid-month on that day', () => {
    // Prepare
    const bedrock = series('Amazon Bedrock', {
      '2026-11-18': 40,
      '2026-11-19': 45,
      '2026-11-20': 50,
      '2026-11-21': 55,
    });

    // Act
    const spend = dailySpend(bedrock, '2026-11-16', '2026-11-22');

    // Assess
    // Nov 16, 17: before its first point, later November points exist = 0; Nov 18: 40 whole;
    // Nov 19..21: 5 each; Nov 22: after the last point = null
    assert.deepEqual(spend, [0, 0, 40, 5, 5, 5, null]);
  });

  it('leaves unknown a first point when the data starts after the 1st of its month', () => {
    // Prepare
    const total = series('Total', {
      '2026-11-24': 480,
      '2026-11-25': 500,
      '2026-11-26': 520,
    });

    // Act
    const spend = dailySpend(total, '2026-11-23', '2026-11-26', { knownFrom: '2026-11-24' });

    // Assess
    // Nov 23: its next point (Nov 24) is unknown = null; Nov 24: an earlier November point may
    // exist before the known data = null; Nov 25: 500 - 480 = 20; Nov 26: 520 - 500 = 20
    assert.deepEqual(spend, [null, null, 20, 20]);
  });

  it('sorts unordered points and keeps the larger value of a duplicated date', () => {
    // Prepare
    const total: DailySeries = {
      name: 'Total',
      dates: ['2026-11-03', '2026-11-01', '2026-11-02', '2026-11-02'],
      values: [35, 10, 21, 18],
    };

    // Act
    const spend = dailySpend(total, '2026-11-01', '2026-11-03');

    // Assess
    // Nov 1: 10; Nov 2: max(21, 18) - 10 = 11; Nov 3: 35 - 21 = 14
    assert.deepEqual(spend, [10, 11, 14]);
  });
});

describe('Function: latestInMonth', () => {
  it("takes the latest value of the day's month up to that day", () => {
    // Prepare
    const total = series('Total', {
      '2026-10-31': 900,
      '2026-11-20': 250,
      '2026-11-21': 265,
      '2026-11-23': 290,
    });

    // Act
    const onThe22nd = latestInMonth(total, '2026-11-22');
    const onThe1st = latestInMonth(total, '2026-11-01');

    // Assess
    // Nov 21 = 265 (Nov 23 is after the day); before Nov 20 no November point: null
    assert.equal(onThe22nd, 265);
    assert.equal(onThe1st, null);
  });
});

describe('Function: summarize', () => {
  it('summarizes a normal mid-month report', () => {
    // Prepare
    // Daily spends: Nov 1..14 = 10 each (cumulative 140), Nov 15..19 = 12 each (200),
    // Nov 20 = 8 (208), Nov 21 = 16 (224), Nov 22 so far = 3 (227).
    const total = series('Total', {
      ...pointsOf(steady('Total', '2026-11', 10, 14)),
      '2026-11-15': 152,
      '2026-11-16': 164,
      '2026-11-17': 176,
      '2026-11-18': 188,
      '2026-11-19': 200,
      '2026-11-20': 208,
      '2026-11-21': 224,
      '2026-11-22': 227,
    });
    // EC2: 7 a day Nov 1..21 (147), 2 on Nov 22 (149). S3 = total - EC2.
    const ec2Points: Record<string, number> = {};
    const s3Points: Record<string, number> = {};
    total.dates.forEach((date, i) => {
      const ec2 = date === '2026-11-22' ? 149 : 7 * (i + 1);
      ec2Points[date] = ec2;
      s3Points[date] = (total.values[i] ?? 0) - ec2;
    });
    const data = fetched({
      total,
      breakdown: [series('Amazon S3', s3Points), series('Amazon EC2', ec2Points)],
    });

    // Act
    const summary = summarize(request({ period: 'mtd' }), data);

    // Assess
    assert.equal(summary.currency, 'USD');
    assert.equal(summary.asOf, '2026-11-22T06:00:00.000Z');
    assert.deepEqual(summary.period, {
      preset: 'mtd',
      label: 'Month to date (Nov 1–22)',
      from: '2026-11-01',
      to: '2026-11-22',
    });
    // latest November cumulative value = 227
    assert.equal(summary.monthToDate, 227);
    // Nov 21: 224 - 208 = 16
    assert.deepEqual(summary.yesterday, { date: '2026-11-21', amount: 16 });
    // Nov 20: 208 - 200 = 8; 16 - 8 = 8; 8 / 8 = +100%
    assert.deepEqual(summary.changeVsDayBefore, { amount: 8, percent: 100 });
    // Nov 15..21: 12 * 5 + 8 + 16 = 84; 84 / 7 = 12
    assert.equal(summary.sevenDayAverage, 12);
    // 16 - 12 = 4; 4 / 12 = 33.33% -> 33.3
    assert.deepEqual(summary.changeVsSevenDayAverage, { amount: 4, percent: 33.3 });
    // Nov 1..22 spends add up to the cumulative value: 227
    assert.equal(summary.periodTotal, 227);
    // EC2 = 149, share 149 / 227 = 0.65639 -> 0.6564; S3 = 227 - 149 = 78, 78 / 227 = 0.3436;
    // Other = 227 - 227 = 0, omitted
    assert.deepEqual(summary.top, [
      { name: 'Amazon EC2', amount: 149, share: 0.6564 },
      { name: 'Amazon S3', amount: 78, share: 0.3436 },
    ]);
    assert.equal(summary.topBy, 'service');
    // Dec 1 00:00 - Nov 22 06:00 = 8 days 18 h = 8.75 days; 227 + 12 * 8.75 = 227 + 105 = 332
    assert.deepEqual(summary.forecast, { monthEnd: 332, dailyRate: 12, daysLeft: 8.75 });
    assert.equal(summary.chart.title, 'Daily spend by service, Month to date (Nov 1–22)');
    assert.equal(summary.chart.unit, 'USD per day');
    assert.equal(summary.chart.style, 'stacked');
    assert.equal(summary.chart.dates.length, 22);
    assert.equal(summary.chart.dates[0], '2026-11-01');
    assert.equal(summary.chart.dates[21], '2026-11-22');
    assert.deepEqual(
      summary.chart.series.map((s) => s.name),
      ['Amazon EC2', 'Amazon S3'],
    );
    // EC2: 7 a day for Nov 1..21, then 149 - 147 = 2
    assert.deepEqual(chartValues(summary, 'Amazon EC2'), [...Array(21).fill(7), 2]);
    // S3 = total - EC2 per day: 10 - 7 = 3 (Nov 1..14), 12 - 7 = 5 (Nov 15..19),
    // 8 - 7 = 1 (Nov 20), 16 - 7 = 9 (Nov 21), 3 - 2 = 1 (Nov 22)
    assert.deepEqual(chartValues(summary, 'Amazon S3'), [
      ...Array(14).fill(3),
      ...Array(5).fill(5),
      1,
      9,
      1,
    ]);
  });

  it('handles a month boundary: yesterday is the 1st, the 7-day average spans two months', () => {
    // Prepare
    const total = series('Total', {
      '2026-11-24': 480,
      '2026-11-25': 500,
      '2026-11-26': 520,
      '2026-11-27': 545,
      '2026-11-28': 565,
      '2026-11-29': 580,
      '2026-11-30': 600,
      '2026-12-01': 30,
      '2026-12-02': 6,
    });
    const s3 = series('Amazon S3', {
      '2026-11-24': 120,
      '2026-11-25': 125,
      '2026-11-26': 130,
      '2026-11-27': 135,
      '2026-11-28': 140,
      '2026-11-29': 145,
      '2026-11-30': 150,
      '2026-12-01': 5,
      '2026-12-02': 1,
    });
    const ec2 = series('Amazon EC2', {
      '2026-11-24': 360,
      '2026-11-25': 375,
      '2026-11-26': 390,
      '2026-11-27': 410,
      '2026-11-28': 425,
      '2026-11-29': 435,
      '2026-11-30': 450,
      '2026-12-01': 25,
      '2026-12-02': 5,
    });
    const data = fetched({
      from: '2026-11-24',
      to: '2026-12-02',
      asOf: '2026-12-02T09:00:00.000Z',
      total,
      breakdown: [s3, ec2],
    });

    // Act
    const summary = summarize(request({ period: '7d' }), data);

    // Assess
    assert.deepEqual(summary.period, {
      preset: '7d',
      label: 'Last 7 days',
      from: '2026-11-25',
      to: '2026-12-01',
    });
    // latest December value = 6 (Dec 2), not November's 600
    assert.equal(summary.monthToDate, 6);
    // Dec 1 is December's first point: its whole cumulative value, 30
    assert.deepEqual(summary.yesterday, { date: '2026-12-01', amount: 30 });
    // Nov 30: 600 - 580 = 20; 30 - 20 = 10; 10 / 20 = +50%
    assert.deepEqual(summary.changeVsDayBefore, { amount: 10, percent: 50 });
    // Nov 25..Dec 1: 20 + 20 + 25 + 20 + 15 + 20 + 30 = 150; 150 / 7 = 21.4286 -> 21.43
    assert.equal(summary.sevenDayAverage, 21.43);
    // 30 - 21.4286 = 8.5714 -> 8.57; 8.5714 / 21.4286 = 40%
    assert.deepEqual(summary.changeVsSevenDayAverage, { amount: 8.57, percent: 40 });
    assert.equal(summary.periodTotal, 150);
    // EC2: 15 + 15 + 20 + 15 + 10 + 15 + 25 = 115, 115 / 150 = 0.76667 -> 0.7667;
    // S3: 5 * 6 + 5 = 35, 35 / 150 = 0.2333
    assert.deepEqual(summary.top, [
      { name: 'Amazon EC2', amount: 115, share: 0.7667 },
      { name: 'Amazon S3', amount: 35, share: 0.2333 },
    ]);
    // Jan 1 00:00 - Dec 2 09:00 = 29 days 15 h = 29.625 -> 29.63;
    // 6 + (150 / 7) * 29.625 = 6 + 634.8214 = 640.8214 -> 640.82
    assert.deepEqual(summary.forecast, { monthEnd: 640.82, dailyRate: 21.43, daysLeft: 29.63 });
    assert.deepEqual(summary.chart.dates, [
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29',
      '2026-11-30',
      '2026-12-01',
    ]);
    // Dec 1 of each service is its whole December value (25, 5)
    assert.deepEqual(chartValues(summary, 'Amazon EC2'), [15, 15, 20, 15, 10, 15, 25]);
    assert.deepEqual(chartValues(summary, 'Amazon S3'), [5, 5, 5, 5, 5, 5, 5]);
  });

  it('spreads nothing over missing days: 0 in the gap, the next point carries it', () => {
    // Prepare
    const total = series('Total', {
      '2026-11-01': 10,
      '2026-11-02': 20,
      '2026-11-03': 30,
      '2026-11-04': 40,
      // Nov 5, 6 missing
      '2026-11-07': 85,
      '2026-11-08': 95,
      '2026-11-09': 105,
      '2026-11-10': 115,
      '2026-11-11': 125,
      // Nov 12 (today) not reported yet
    });
    const data = fetched({
      to: '2026-11-12',
      asOf: '2026-11-12T12:00:00.000Z',
      total,
      breakdown: [{ ...total, name: 'Amazon EC2' }],
    });

    // Act
    const summary = summarize(request({ period: 'mtd' }), data);

    // Assess
    assert.equal(summary.monthToDate, 125);
    // Nov 11: 125 - 115 = 10
    assert.deepEqual(summary.yesterday, { date: '2026-11-11', amount: 10 });
    // Nov 10: 10; 10 - 10 = 0; 0 / 10 = 0%
    assert.deepEqual(summary.changeVsDayBefore, { amount: 0, percent: 0 });
    // Nov 5..11: 0 + 0 + (85 - 40 = 45) + 10 * 4 = 85; 85 / 7 = 12.142857 -> 12.14
    assert.equal(summary.sevenDayAverage, 12.14);
    // 10 - 12.142857 = -2.142857 -> -2.14; -2.142857 / 12.142857 = -17.647% -> -17.6
    assert.deepEqual(summary.changeVsSevenDayAverage, { amount: -2.14, percent: -17.6 });
    assert.equal(summary.periodTotal, 125);
    assert.deepEqual(summary.top, [{ name: 'Amazon EC2', amount: 125, share: 1 }]);
    // Dec 1 00:00 - Nov 12 12:00 = 18.5 days; 125 + (85 / 7) * 18.5 = 125 + 224.642857 = 349.64
    assert.deepEqual(summary.forecast, { monthEnd: 349.64, dailyRate: 12.14, daysLeft: 18.5 });
    // Nov 1..4: 10 each; Nov 5, 6: 0; Nov 7: 45; Nov 8..11: 10 each; Nov 12: null (no data)
    assert.deepEqual(chartValues(summary, 'Amazon EC2'), [
      10,
      10,
      10,
      10,
      0,
      0,
      45,
      10,
      10,
      10,
      10,
      null,
    ]);
  });

  it('counts a service that first appears mid-month on its first day', () => {
    // Prepare
    // EC2: 10 a day from Nov 1. Bedrock: first point Nov 18 (40), then 5 a day to Nov 21.
    const ec2 = steady('Amazon EC2', '2026-11', 10, 22);
    const bedrock = series('Amazon Bedrock', {
      '2026-11-18': 40,
      '2026-11-19': 45,
      '2026-11-20': 50,
      '2026-11-21': 55,
    });
    // Total = EC2 + Bedrock: Nov 14 = 140, Nov 15..17 = 150, 160, 170, Nov 18 = 180 + 40 = 220,
    // Nov 19 = 190 + 45 = 235, Nov 20 = 200 + 50 = 250, Nov 21 = 210 + 55 = 265, Nov 22 = 275
    const total = series('Total', {
      '2026-11-14': 140,
      '2026-11-15': 150,
      '2026-11-16': 160,
      '2026-11-17': 170,
      '2026-11-18': 220,
      '2026-11-19': 235,
      '2026-11-20': 250,
      '2026-11-21': 265,
      '2026-11-22': 275,
    });
    const data = fetched({ total, breakdown: [ec2, bedrock] });

    // Act
    const summary = summarize(request({ period: '7d' }), data);

    // Assess
    // Nov 15..21 total spends: 10, 10, 10, 50, 15, 15, 15 = 125
    assert.equal(summary.periodTotal, 125);
    // EC2: 10 * 7 = 70, 70 / 125 = 0.56; Bedrock: 0 + 0 + 0 + 40 + 5 + 5 + 5 = 55, 0.44
    assert.deepEqual(summary.top, [
      { name: 'Amazon EC2', amount: 70, share: 0.56 },
      { name: 'Amazon Bedrock', amount: 55, share: 0.44 },
    ]);
    assert.deepEqual(summary.yesterday, { date: '2026-11-21', amount: 15 });
    // 125 / 7 = 17.857 -> 17.86
    assert.equal(summary.sevenDayAverage, 17.86);
    assert.deepEqual(chartValues(summary, 'Amazon EC2'), [10, 10, 10, 10, 10, 10, 10]);
    assert.deepEqual(chartValues(summary, 'Amazon Bedrock'), [0, 0, 0, 40, 5, 5, 5]);
  });

  it('restricts the figures to the requested service, whatever the total holds', () => {
    // Prepare
    const bedrock = series('Amazon Bedrock', {
      '2026-11-18': 40,
      '2026-11-19': 45,
      '2026-11-20': 50,
      '2026-11-21': 55,
    });
    // An account-wide total (EC2 + Bedrock) that must not leak into a one-service report
    const accountTotal = series('Total', { '2026-11-14': 140, '2026-11-21': 265 });
    const data = fetched({ total: accountTotal, breakdown: [bedrock] });

    // Act
    const summary = summarize(request({ period: '7d', service: 'Amazon Bedrock' }), data);

    // Assess
    // Bedrock over Nov 15..21: 40 + 5 + 5 + 5 = 55; no Other
    assert.equal(summary.periodTotal, 55);
    assert.deepEqual(summary.top, [{ name: 'Amazon Bedrock', amount: 55, share: 1 }]);
    // Bedrock's latest November value
    assert.equal(summary.monthToDate, 55);
    // Nov 21: 55 - 50 = 5
    assert.deepEqual(summary.yesterday, { date: '2026-11-21', amount: 5 });
    assert.deepEqual(
      summary.chart.series.map((s) => s.name),
      ['Amazon Bedrock'],
    );
  });

  it('ranks the top 5 of 8 services and puts the rest in Other', () => {
    // Prepare
    // Steady daily rates over Nov 1..21; the window is Nov 15..21 (7 days).
    const rates: [string, number][] = [
      ['Amazon SNS', 0.5],
      ['Amazon S3', 6.5],
      ['AWS KMS', 1.01],
      ['Amazon EC2', 10],
      ['Amazon DynamoDB', 2],
      ['AWS Lambda', 4.25],
      ['Amazon RDS', 8],
      ['Amazon CloudWatch', 3.1],
    ];
    const breakdown = rates.map(([name, rate]) => steady(name, '2026-11', rate, 21));
    // Sum of the rates: 0.5 + 6.5 + 1.01 + 10 + 2 + 4.25 + 8 + 3.1 = 35.36 a day
    const total = steady('Total', '2026-11', 35.36, 21);
    const data = fetched({ total, breakdown });

    // Act
    const summary = summarize(request({ period: '7d' }), data);
    const top3 = summarize(request({ period: '7d' }), data, { topN: 3 });

    // Assess
    // 35.36 * 7 = 247.52
    assert.equal(summary.periodTotal, 247.52);
    // EC2 70, RDS 56, S3 45.5, Lambda 29.75, CloudWatch 21.7 (sum 222.95);
    // Other = 247.52 - 222.95 = 24.57 (DynamoDB 14 + KMS 7.07 + SNS 3.5)
    // shares: 70 / 247.52 = 0.28281, 56 / 247.52 = 0.22624, 45.5 / 247.52 = 0.18382,
    // 29.75 / 247.52 = 0.12019, 21.7 / 247.52 = 0.08767, 24.57 / 247.52 = 0.09926
    assert.deepEqual(summary.top, [
      { name: 'Amazon EC2', amount: 70, share: 0.2828 },
      { name: 'Amazon RDS', amount: 56, share: 0.2262 },
      { name: 'Amazon S3', amount: 45.5, share: 0.1838 },
      { name: 'AWS Lambda', amount: 29.75, share: 0.1202 },
      { name: 'Amazon CloudWatch', amount: 21.7, share: 0.0877 },
      { name: 'Other', amount: 24.57, share: 0.0993 },
    ]);
    assert.deepEqual(
      summary.chart.series.map((s) => s.name),
      ['Amazon EC2', 'Amazon RDS', 'Amazon S3', 'AWS Lambda', 'Amazon CloudWatch', 'Other'],
    );
    // Other per day: 35.36 - (10 + 8 + 6.5 + 4.25 + 3.1 = 31.85) = 3.51
    assert.deepEqual(chartValues(summary, 'Other'), [3.51, 3.51, 3.51, 3.51, 3.51, 3.51, 3.51]);
    assert.deepEqual(
      chartValues(summary, 'AWS Lambda'),
      [4.25, 4.25, 4.25, 4.25, 4.25, 4.25, 4.25],
    );
    // topN 3: Other = 247.52 - (70 + 56 + 45.5 = 171.5) = 76.02, 76.02 / 247.52 = 0.30713
    assert.deepEqual(top3.top.at(-1), { name: 'Other', amount: 76.02, share: 0.3071 });
    assert.equal(top3.top.length, 4);
  });

  it('never throws without data: zeros, nulls, no top, a chart without series', () => {
    // Prepare
    const data = fetched({ total: null, breakdown: [] });
    const emptyTotal = fetched({ total: { name: 'Total', dates: [], values: [] } });

    // Act
    const summary = summarize(request({ period: '30d' }), data);
    const withEmptyTotal = summarize(request({ period: 'mtd' }), emptyTotal);

    // Assess
    assert.equal(summary.monthToDate, 0);
    assert.equal(summary.yesterday, null);
    assert.equal(summary.changeVsDayBefore, null);
    assert.equal(summary.sevenDayAverage, null);
    assert.equal(summary.changeVsSevenDayAverage, null);
    assert.equal(summary.periodTotal, 0);
    assert.deepEqual(summary.top, []);
    assert.equal(summary.forecast, null);
    assert.equal(summary.chart.title, 'Daily spend by service, Last 30 days');
    assert.equal(summary.chart.style, 'stacked');
    assert.deepEqual(summary.chart.series, []);
    // 30 days ending yesterday (Nov 21): Oct 23 .. Nov 21
    assert.equal(summary.chart.dates.length, 30);
    assert.equal(summary.chart.dates[0], '2026-10-23');
    assert.equal(summary.chart.dates[29], '2026-11-21');
    assert.equal(withEmptyTotal.monthToDate, 0);
    assert.equal(withEmptyTotal.periodTotal, 0);
    assert.deepEqual(withEmptyTotal.top, []);
    assert.equal(withEmptyTotal.forecast, null);
  });

  it('says how fresh the data is: the newest billing point, when the fetch found one', () => {
    // Prepare
    const total = steady('Total', '2026-11', 10, 22);
    const withPoint = fetched({ total, newestBillingPoint: '2026-11-22T00:00:00.000Z' });

    // Act
    const fresh = summarize(request({ period: '7d' }), withPoint);
    const unknown = summarize(request({ period: '7d' }), fetched({ total }));

    // Assess
    assert.equal(fresh.dataAsOf, '2026-11-22T00:00:00.000Z');
    assert.equal('dataAsOf' in unknown, false);
  });

  it('reports last month as a closed month, keeping a downward correction in the total', () => {
    // Prepare
    // October: 20 a day, except Oct 10 where the estimate was revised down by 5
    // (Oct 9 = 180, Oct 10 = 175), then 20 a day again: Oct 31 = 175 + 21 * 20 = 595.
    const points: Record<string, number> = {};
    for (let day = 1; day <= 31; day++) {
      const value = day <= 9 ? 20 * day : day === 10 ? 175 : 175 + 20 * (day - 10);
      points[`2026-10-${String(day).padStart(2, '0')}`] = value;
    }
    Object.assign(points, { '2026-11-01': 15, '2026-11-02': 35, '2026-11-03': 40 });
    const total = series('Total', points);
    const data = fetched({
      from: '2026-10-01',
      to: '2026-11-03',
      asOf: '2026-11-03T10:00:00.000Z',
      total,
      breakdown: [{ ...total, name: 'Amazon EC2' }],
    });

    // Act
    const summary = summarize(request({ period: 'last-month' }), data);

    // Assess
    assert.deepEqual(summary.period, {
      preset: 'last-month',
      label: 'October 2026',
      from: '2026-10-01',
      to: '2026-10-31',
    });
    // 9 * 20 + (175 - 180 = -5) + 21 * 20 = 595: the month's final cumulative value
    assert.equal(summary.periodTotal, 595);
    assert.deepEqual(summary.top, [{ name: 'Amazon EC2', amount: 595, share: 1 }]);
    // no forecast for a closed month
    assert.equal(summary.forecast, null);
    // the figures of the current month still come with it: November's latest value = 40
    assert.equal(summary.monthToDate, 40);
    // Nov 2: 35 - 15 = 20; Nov 1: 15; 20 - 15 = 5; 5 / 15 = 33.3%
    assert.deepEqual(summary.yesterday, { date: '2026-11-02', amount: 20 });
    assert.deepEqual(summary.changeVsDayBefore, { amount: 5, percent: 33.3 });
    // Oct 27..31: 5 * 20 = 100, + 15 + 20 = 135; 135 / 7 = 19.2857 -> 19.29
    assert.equal(summary.sevenDayAverage, 19.29);
    // 20 - 19.2857 = 0.7143 -> 0.71; 0.7143 / 19.2857 = 3.7%
    assert.deepEqual(summary.changeVsSevenDayAverage, { amount: 0.71, percent: 3.7 });
    assert.equal(summary.chart.title, 'Daily spend by service, October 2026');
    const values = chartValues(summary, 'Amazon EC2');
    assert.equal(values?.length, 31);
    // Oct 9: 20; Oct 10: -5 clamped to 0 in the chart; Oct 11: 195 - 175 = 20
    assert.deepEqual(values?.slice(8, 11), [20, 0, 20]);
  });

  it('forecasts the month end from the 7-day average and the fractional days left', () => {
    // Prepare
    // February 2026 (28 days): 4 a day Feb 1..9 (cumulative 36), Feb 10 so far 5 (41).
    const points: Record<string, number> = {};
    for (let day = 1; day <= 9; day++) points[`2026-02-0${day}`] = 4 * day;
    points['2026-02-10'] = 41;
    const data = fetched({
      from: '2026-01-01',
      to: '2026-02-10',
      asOf: '2026-02-10T18:00:00.000Z',
      total: series('Total', points),
    });

    // Act
    const mtd = summarize(request({ period: 'mtd' }), data);
    const thirty = summarize(request({ period: '30d' }), data);
    const lastMonth = summarize(request({ period: 'last-month' }), data);

    // Assess
    // Mar 1 00:00 - Feb 10 18:00 = 18 days 6 h = 18.25 days; rate: Feb 3..9 = 4 a day;
    // 41 + 4 * 18.25 = 41 + 73 = 114
    assert.deepEqual(mtd.forecast, { monthEnd: 114, dailyRate: 4, daysLeft: 18.25 });
    assert.deepEqual(thirty.forecast, { monthEnd: 114, dailyRate: 4, daysLeft: 18.25 });
    assert.equal(lastMonth.forecast, null);
    // Without a breakdown the whole period is Other: Feb 1..10 = 41
    assert.deepEqual(mtd.top, [{ name: 'Other', amount: 41, share: 1 }]);
  });

  it('leaves days of unknown spend out of the 7-day average', () => {
    // Prepare
    // November's last two points never arrived: Nov 29, 30 are unknown, not 0.
    const total = series('Total', {
      '2026-11-24': 480,
      '2026-11-25': 500,
      '2026-11-26': 520,
      '2026-11-27': 540,
      '2026-11-28': 560,
      '2026-12-01': 32,
    });
    const data = fetched({
      from: '2026-11-01',
      to: '2026-12-02',
      asOf: '2026-12-02T00:00:00.000Z',
      total,
    });

    // Act
    const summary = summarize(request({ period: '7d' }), data);

    // Assess
    // Nov 25..28: 20 each, Nov 29, 30: unknown, Dec 1: 32; (4 * 20 + 32) / 5 = 112 / 5 = 22.4
    assert.equal(summary.sevenDayAverage, 22.4);
    // the day before yesterday (Nov 30) is unknown
    assert.equal(summary.changeVsDayBefore, null);
    // unknown days count 0 in the period total: 80 + 32 = 112
    assert.equal(summary.periodTotal, 112);
    // 32 - 22.4 = 9.6; 9.6 / 22.4 = 42.857% -> 42.9
    assert.deepEqual(summary.changeVsSevenDayAverage, { amount: 9.6, percent: 42.9 });
    // Jan 1 - Dec 2 00:00 = 30 days; 32 + 22.4 * 30 = 32 + 672 = 704
    assert.deepEqual(summary.forecast, { monthEnd: 704, dailyRate: 22.4, daysLeft: 30 });
    // Other (the total, no breakdown) per day, null where unknown
    assert.deepEqual(chartValues(summary, 'Other'), [20, 20, 20, 20, null, null, 32]);
  });

  it('names the breakdown by account and sums accounts when the request names accounts', () => {
    // Prepare
    const a = series('111111111111', { '2026-11-20': 30, '2026-11-21': 42 });
    const b = series('222222222222', { '2026-11-20': 8, '2026-11-21': 11.5 });
    const data = fetched({ total: null, breakdown: [a, b], breakdownBy: 'account' });

    // Act
    const summary = summarize(
      request({ period: '7d', accounts: ['111111111111', '222222222222'] }),
      data,
    );

    // Assess
    // Nov 15..19 are before each first point with later November points = 0;
    // Nov 20: 30 + 8 = 38 (first points, whole values); Nov 21: 12 + 3.5 = 15.5
    assert.deepEqual(summary.yesterday, { date: '2026-11-21', amount: 15.5 });
    // 38 + 15.5 = 53.5
    assert.equal(summary.periodTotal, 53.5);
    // 42 + 11.5 = 53.5
    assert.equal(summary.monthToDate, 53.5);
    // 42 / 53.5 = 0.78505 -> 0.785; 11.5 / 53.5 = 0.21495 -> 0.215 (0.2150)
    assert.deepEqual(summary.top, [
      { name: '111111111111', amount: 42, share: 0.785 },
      { name: '222222222222', amount: 11.5, share: 0.215 },
    ]);
    assert.equal(summary.topBy, 'account');
    assert.equal(summary.chart.title, 'Daily spend by account, Last 7 days');
  });
});
