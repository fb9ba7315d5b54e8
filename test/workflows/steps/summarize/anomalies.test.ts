import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  Anomaly,
  DailySeries,
  FetchedData,
  ReportRequest,
} from '../../../../common/contract.ts';
import { daysBetween, requiredFetchWindow } from '../../../../common/dates.ts';
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

/** `series` without its readings on `missing` days. */
function withoutReadings(series: DailySeries, missing: readonly string[]): DailySeries {
  const keep = series.dates.map((date) => !missing.includes(date));
  return {
    ...series,
    dates: series.dates.filter((_, i) => keep[i]),
    values: series.values.filter((_, i) => keep[i]),
  };
}

const REQUEST: ReportRequest = { kind: 'digest', requestId: 'r1', channel: 'C1', period: 'mtd' };

/** A spike against a flat history (MAD 0), as Summarize reports it. */
function flatSpike(
  name: string,
  figures: Pick<Anomaly, 'yesterday' | 'median' | 'excess' | 'baselineDays'>,
): Anomaly {
  return { name, kind: 'spike', mad: 0, ...figures };
}

/** What Fetch hands Summarize as of `asOf`: the window `requiredFetchWindow` reads. */
function fetched(asOf: string, breakdown: DailySeries[]): FetchedData {
  return {
    from: requiredFetchWindow(REQUEST.period, new Date(asOf)).from,
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
    const gapped = withoutReadings(series, ['2026-10-30']);

    // Act
    const spend = measuredDailySpend(gapped, '2026-10-28', '2026-11-02', {
      knownFrom: '2026-10-01',
    });

    // Assess: Oct 28 (the month's first reading, after the 1st: it may hold several days),
    // 29, [30 missing], 31 (after the gap: its difference holds two days), Nov 1 (the 1st after a
    // gap at the end of October: its own value after the reset), 2
    assert.deepEqual(spend, [null, 10, null, null, 10, 10]);
  });

  it('leaves the first reading of a month unknown when it is not on the 1st', () => {
    // Prepare: $40 a day in February 2027; no reading on Mar 1 in one series, none on Mar 1..3
    // in the other (Mar 4 then reads $160, four days)
    const ec2 = cumulative('AmazonEC2', days('2027-02-01', '2027-03-06', 40));
    const firstMissing = withoutReadings(ec2, ['2027-03-01']);
    const threeMissing = withoutReadings(ec2, ['2027-03-01', '2027-03-02', '2027-03-03']);

    // Act
    const one = measuredDailySpend(firstMissing, '2027-02-27', '2027-03-06');
    const three = measuredDailySpend(threeMissing, '2027-02-27', '2027-03-06');

    // Assess: Feb 27, 28, Mar 1, 2, 3, 4, 5, 6. Mar 2 reads $80 and Mar 4 $160: month-to-date,
    // not the day's; the next readings are differences of consecutive days again
    assert.deepEqual(one, [40, 40, null, null, 40, 40, 40, 40]);
    assert.deepEqual(three, [40, 40, null, null, null, null, 40, 40]);
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
      flatSpike('AmazonEC2', { yesterday: 190, median: 40, excess: 150, baselineDays: 28 }),
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

  it('does not read two days of spend after a missing reading as a spike, nor on the 2nd', () => {
    // Prepare: $40 a day, no reading on Nov 20, so Nov 21's difference holds $80; no reading
    // on Nov 1, so Nov 2's month-to-date reads $80
    const all = cumulative('AmazonEC2', days('2026-10-01', '2026-11-21', 40));
    const midMonth = withoutReadings(all, ['2026-11-20']);
    const onTheFirst = withoutReadings(all, ['2026-11-01']);

    // Act
    const verdicts = [
      summarize(REQUEST, fetched('2026-11-22T06:00:00.000Z', [midMonth])),
      summarize(REQUEST, fetched('2026-11-03T06:00:00.000Z', [onTheFirst])),
    ];

    // Assess: yesterday's own spend is unknown: no verdict ($80 would be $40 above a flat $40
    // median, a spike)
    assert.deepEqual(
      verdicts.map((summary) => summary.anomalies),
      [[], []],
    );
  });

  it('flags a new service from its second reading, and rounds amounts to cents', () => {
    // Prepare: Bedrock first reads on Nov 20 ($7), then spends $9.504 on Nov 21
    const bedrock = cumulative('AmazonBedrock', { '2026-11-20': 7, '2026-11-21': 9.504 });
    const ec2 = cumulative('AmazonEC2', days('2026-10-01', '2026-11-21', 40));

    // Act
    const firstDay = summarize(REQUEST, fetched('2026-11-21T06:00:00.000Z', [ec2, bedrock]));
    const summary = summarize(REQUEST, fetched('2026-11-22T06:00:00.000Z', [ec2, bedrock]));

    // Assess: a first reading after the 1st holds everything since the 1st: no verdict on it;
    // the next day's difference is the day's own spend, against no known day: new
    assert.deepEqual(firstDay.anomalies, []);
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

describe('Function: summarize (anomalies around the 1st of a month)', () => {
  /** Route 53: hosted zones billed `zones` on the 1st, queries $0.04 every day. */
  function route53(from: string, to: string, zones: Record<string, number>): DailySeries {
    const queries = days(from, to, 0.04);
    const firsts = Object.fromEntries(
      Object.entries(zones).map(([day, amount]) => [day, amount + 0.04]),
    );
    return cumulative('AmazonRoute53', { ...queries, ...firsts });
  }

  it('does not read a month-to-date reading after missing readings on the 1st..3rd as a spike', () => {
    // Prepare: EC2 $40 a day in February 2027; no readings on Mar 1..3; Mar 4 reads $160
    // (four days), then Mar 5 spends $90
    const ec2 = withoutReadings(
      cumulative('AmazonEC2', days('2027-02-01', '2027-03-05', 40, { '2027-03-05': 90 })),
      ['2027-03-01', '2027-03-02', '2027-03-03'],
    );

    // Act
    const onFourth = summarize(REQUEST, fetched('2027-03-05T06:00:00.000Z', [ec2]));
    const onFifth = summarize(REQUEST, fetched('2027-03-06T06:00:00.000Z', [ec2]));

    // Assess: Mar 4's own spend is unknown (it was a $160 "spike" against a median of $40);
    // Mar 5's $90 is judged against Feb 5..28, 24 known days at $40 (Mar 1..4 unknown)
    assert.deepEqual(onFourth.anomalies, []);
    assert.deepEqual(onFifth.anomalies, [
      flatSpike('AmazonEC2', { yesterday: 90, median: 40, excess: 50, baselineDays: 24 }),
    ]);
  });

  it('flags a spike on the 1st after missing readings at the end of the month before', () => {
    // Prepare: EC2 $40 a day in October, no readings Oct 29..31, $190 on Nov 1
    const ec2 = withoutReadings(
      cumulative('AmazonEC2', days('2026-10-01', '2026-11-01', 40, { '2026-11-01': 190 })),
      ['2026-10-29', '2026-10-30', '2026-10-31'],
    );

    // Act
    const summary = summarize(REQUEST, fetched('2026-11-02T06:00:00.000Z', [ec2]));

    // Assess: Nov 1 reads its own $190 after the reset; baseline Oct 4..28, 25 days at $40;
    // and $150 above the previous 1st's $40
    assert.deepEqual(summary.anomalies, [
      flatSpike('AmazonEC2', { yesterday: 190, median: 40, excess: 150, baselineDays: 25 }),
    ]);
  });

  it('leaves a monthly charge on the 1st alone after a 31-day month, and flags it once it grows', () => {
    // Prepare: $6 of hosted zones on Oct 1 and Nov 1 (Oct 1 is outside the 28 days Oct 4..31);
    // zones doubled to $12 on Nov 1 in the other; a Marketplace fee billed only on the 1st
    const same = route53('2026-10-01', '2026-11-01', { '2026-10-01': 6, '2026-11-01': 6 });
    const doubled = route53('2026-10-01', '2026-11-01', { '2026-10-01': 6, '2026-11-01': 12 });
    const marketplace = cumulative('AWSMarketplace', {
      ...days('2026-10-01', '2026-11-01', 0),
      '2026-10-01': 100,
      '2026-11-01': 100,
    });

    // Act
    const steady = summarize(REQUEST, fetched('2026-11-02T06:00:00.000Z', [same, marketplace]));
    const grown = summarize(REQUEST, fetched('2026-11-02T06:00:00.000Z', [doubled]));

    // Assess: $6.04 against a median of $0.04 is $6 above it, but no more than the previous 1st;
    // $12.04 is $6 above the previous 1st's $6.04
    assert.deepEqual(steady.anomalies, []);
    assert.deepEqual(grown.anomalies, [
      flatSpike('AmazonRoute53', { yesterday: 12.04, median: 0.04, excess: 12, baselineDays: 28 }),
    ]);
  });

  it('leaves a monthly charge on Mar 1 alone after February, leap year or not', () => {
    // Prepare: 2027: the 28 days before Mar 1 are Feb 1..28, Feb 1 among them; 2028: Feb 2..29,
    // Feb 1 only in the fetched window
    const common = route53('2027-01-01', '2027-03-01', {
      '2027-01-01': 6,
      '2027-02-01': 6,
      '2027-03-01': 6,
    });
    const leap = route53('2028-01-01', '2028-03-01', {
      '2028-01-01': 6,
      '2028-02-01': 6,
      '2028-03-01': 6,
    });
    const inCommon = fetched('2027-03-02T06:00:00.000Z', [common]);
    const inLeap = fetched('2028-03-02T06:00:00.000Z', [leap]);

    // Act
    const verdicts = [summarize(REQUEST, inCommon), summarize(REQUEST, inLeap)];

    // Assess
    assert.equal(inCommon.from, '2027-02-01');
    assert.equal(inLeap.from, '2028-02-01');
    assert.deepEqual(
      verdicts.map((summary) => summary.anomalies),
      [[], []],
    );
  });

  it('gives no verdict on the 1st when the previous 1st has no reading', () => {
    // Prepare: the $6 monthly charge, Oct 1's reading missing
    const zones = withoutReadings(
      route53('2026-10-01', '2026-11-01', { '2026-10-01': 6, '2026-11-01': 6 }),
      ['2026-10-01'],
    );

    // Act
    const summary = summarize(REQUEST, fetched('2026-11-02T06:00:00.000Z', [zones]));

    // Assess: against Oct 4..31 alone $6.04 would be a spike
    assert.deepEqual(summary.anomalies, []);
  });

  it('is fetched back to the previous 1st whenever yesterday is a 1st, for every period', () => {
    // Prepare: as of the 2nd of every month of 2027 and 2028 (a leap year)
    const presets = ['mtd', '7d', '30d', 'last-month'] as const;
    const seconds = Array.from({ length: 24 }, (_, i) => new Date(Date.UTC(2027, i, 2, 6)));

    // Act
    const late = seconds.flatMap((asOf) =>
      presets
        .map((preset) => ({ preset, asOf, from: requiredFetchWindow(preset, asOf).from }))
        .filter(({ asOf, from }) => {
          const previousFirst = new Date(
            Date.UTC(asOf.getUTCFullYear(), asOf.getUTCMonth() - 1, 1),
          );
          return from > previousFirst.toISOString().slice(0, 10);
        }),
    );

    // Assess
    assert.deepEqual(late, []);
  });
});
