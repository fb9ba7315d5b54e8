import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DailySeries, FetchedData, ReportRequest } from '../../../../common/contract.ts';
import { daysBetween } from '../../../../common/dates.ts';
import { measuredDailySpend, summarize } from '../../../../workflows/steps/summarize/summarize.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** A cumulative month-to-date series from each day's own spend (a day left out has no point). */
function cumulative(name: string, spend: Record<string, number>): DailySeries {
  const dates = Object.keys(spend).sort();
  let month = '';
  let sum = 0;
  const values = dates.map((date) => {
    if (date.slice(0, 7) !== month) {
      month = date.slice(0, 7);
      sum = 0;
    }
    sum += spend[date] ?? 0;
    return sum;
  });
  return { name, dates, values };
}

/** `perDay` on every day from `from` to `to`, then `overrides`. */
function days(
  from: string,
  to: string,
  perDay: number,
  overrides: Record<string, number> = {},
): Record<string, number> {
  return {
    ...Object.fromEntries(daysBetween(from, to).map((day) => [day, perDay])),
    ...overrides,
  };
}

const REQUEST: ReportRequest = { kind: 'digest', requestId: 'r1', channel: 'C1', period: 'mtd' };

function fetched(asOf: string, breakdown: DailySeries[]): FetchedData {
  return {
    from: '2026-10-01',
    to: asOf.slice(0, 10),
    asOf,
    total: null,
    breakdown,
    breakdownBy: 'service',
    apiCalls: { getMetricData: 1, listMetrics: 1 },
  };
}

// ---------------------------------------------------------------------------------------------

describe('Function: measuredDailySpend', () => {
  it('counts the 1st of a month as its whole value, and leaves a gap and the day after it unknown', () => {
    // Prepare: $10 a day from Oct 28 (the line's first reading); none on Oct 30; Nov 1 reads
    // $10 after the reset
    const series = cumulative('AmazonEC2', days('2026-10-28', '2026-11-02', 10));
    const gapped = {
      ...series,
      dates: series.dates.filter((d) => d !== '2026-10-30'),
      values: series.values.filter((_, i) => series.dates[i] !== '2026-10-30'),
    };

    // Act
    const spend = measuredDailySpend(gapped, '2026-10-28', '2026-11-02', {
      knownFrom: '2026-10-01',
    });

    // Assess: Oct 28 (the month's first reading, known from Oct 1: its whole value), 29,
    // [30 missing], 31 (after the gap: its difference holds two days), Nov 1, 2
    assert.deepEqual(spend, [10, 10, null, null, 10, 10]);
  });
});

describe('Function: summarize (anomalies)', () => {
  it('flags a spike on the 1st of a month against the days before the reset', () => {
    // Prepare: EC2 $40 a day in October, $190 on Nov 1; S3 steady at $6 across the boundary
    const ec2 = cumulative(
      'AmazonEC2',
      days('2026-10-01', '2026-11-01', 40, { '2026-11-01': 190 }),
    );
    const s3 = cumulative('AmazonS3', days('2026-10-01', '2026-11-01', 6));

    // Act: as of Nov 2, yesterday is Nov 1
    const summary = summarize(REQUEST, fetched('2026-11-02T06:00:00.000Z', [ec2, s3]));

    // Assess: Nov 1 reads $190 (its own value after the reset, not 190 − 1,240); the baseline
    // Oct 4..31 is $40 every day: median 40, MAD 0, excess 150
    assert.deepEqual(summary.anomalies, [
      {
        name: 'AmazonEC2',
        kind: 'spike',
        yesterday: 190,
        median: 40,
        mad: 0,
        excess: 150,
        baselineDays: 28,
      },
    ]);
  });

  it('flags nothing for steady spend across the month boundary', () => {
    // Prepare
    const ec2 = cumulative('AmazonEC2', days('2026-10-01', '2026-11-02', 40));

    // Act: yesterday Nov 2; the baseline Oct 5..Nov 1 spans the reset
    const summary = summarize(REQUEST, fetched('2026-11-03T06:00:00.000Z', [ec2]));

    // Assess
    assert.deepEqual(summary.anomalies, []);
  });

  it('does not read two days of spend after a missing reading as a spike', () => {
    // Prepare: $40 a day, no reading on Nov 20, so Nov 21's difference holds $80
    const all = cumulative('AmazonEC2', days('2026-10-01', '2026-11-21', 40));
    const keep = all.dates.map((d) => d !== '2026-11-20');
    const ec2 = {
      ...all,
      dates: all.dates.filter((_, i) => keep[i]),
      values: all.values.filter((_, i) => keep[i]),
    };

    // Act
    const summary = summarize(REQUEST, fetched('2026-11-22T06:00:00.000Z', [ec2]));

    // Assess: yesterday's own spend is unknown: no verdict
    assert.deepEqual(summary.anomalies, []);
  });

  it('flags a new service, and rounds amounts to cents', () => {
    // Prepare: Bedrock's first reading ever is yesterday's $9.504
    const bedrock = cumulative('AmazonBedrock', { '2026-11-21': 9.504 });
    const ec2 = cumulative('AmazonEC2', days('2026-10-01', '2026-11-21', 40));

    // Act
    const summary = summarize(REQUEST, fetched('2026-11-22T06:00:00.000Z', [ec2, bedrock]));

    // Assess
    assert.deepEqual(summary.anomalies, [
      {
        name: 'AmazonBedrock',
        kind: 'new',
        yesterday: 9.5,
        median: 0,
        mad: 0,
        excess: 9.5,
        baselineDays: 0,
      },
    ]);
  });

  it('gives no verdict for days before the fetched window (unknown, not $0)', () => {
    // Prepare: a window fetched from Nov 14 only: Nov 14's reading holds two weeks
    const ec2 = cumulative('AmazonEC2', days('2026-11-01', '2026-11-21', 40, { '2026-11-21': 90 }));
    const late = { ...fetched('2026-11-22T06:00:00.000Z', [ec2]), from: '2026-11-14' };
    const lastWeek = {
      ...ec2,
      dates: ec2.dates.filter((d) => d >= '2026-11-14'),
      values: ec2.values.filter((_, i) => (ec2.dates[i] ?? '') >= '2026-11-14'),
    };

    // Act
    const summary = summarize(REQUEST, { ...late, breakdown: [lastWeek] });

    // Assess: Nov 15..20 are the only known baseline days: 6 < 7, no verdict (had Nov 14
    // counted, 7 days at a median of $40 would make yesterday's $90 a spike)
    assert.deepEqual(summary.anomalies, []);
  });
});
