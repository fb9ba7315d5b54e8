import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ANOMALY_PARAMETERS,
  type DailyLine,
  detectAnomalies,
  detectAnomaly,
  median,
} from '../../common/anomaly.ts';

/**
 * 28 days cycling $38, $40, $42, $40: median $40; the absolute deviations are fourteen 0s and
 * fourteen 2s, so their median is 1 and the MAD 1.4826. Threshold: 40 + 3 × 1.4826 = $44.4478.
 */
const CYCLING = Array.from({ length: 28 }, (_, i) => [38, 40, 42, 40][i % 4] ?? 0);

/** 28 days at $0.00. */
const ZEROS = Array.from({ length: 28 }, () => 0);

/** `previousFirst` only when given: yesterday is then the 1st of a month. */
function line(
  history: (number | null)[],
  yesterday: number | null,
  name = 'AmazonEC2',
  previousFirst?: number | null,
): DailyLine {
  return {
    name,
    daily: [...history, yesterday],
    ...(previousFirst === undefined ? {} : { previousFirst }),
  };
}

describe('Function: median', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    // Act
    const odd = median([5, 1, 3]);
    const even = median([4, 1, 3, 2]);

    // Assess
    assert.equal(odd, 3);
    assert.equal(even, 2.5);
  });
});

describe('Function: detectAnomaly', () => {
  it('flags a spike far above the median, with its baseline', () => {
    // Act
    const anomaly = detectAnomaly(line(CYCLING, 182.1));

    // Assess
    assert.ok(anomaly);
    assert.equal(anomaly.kind, 'spike');
    assert.equal(anomaly.yesterday, 182.1);
    assert.equal(anomaly.median, 40);
    assert.equal(anomaly.mad, 1.4826);
    assert.ok(Math.abs(anomaly.excess - 142.1) < 1e-9);
    assert.equal(anomaly.baselineDays, 28);
  });

  it('leaves a steady service alone: inside k MADs of the median', () => {
    // Act: $44.40 is below the threshold $44.4478
    const steady = detectAnomaly(line(CYCLING, 44.4));

    // Assess
    assert.equal(steady, null);
  });

  it('needs the dollar floor too: above k MADs but less than $5 above the median', () => {
    // Prepare: above $44.4478, yet only $4.50 / $0.30 above the median
    const justAbove = line(CYCLING, 44.5);
    const cents = line(
      Array.from({ length: 28 }, (_, i) => (i % 2 === 0 ? 0.1 : 0.12)),
      0.41,
    );

    // Act
    const verdicts = [detectAnomaly(justAbove), detectAnomaly(cents)];

    // Assess: median 0.11, MAD 0.014826: 0.41 is twenty MADs above, but 30 cents pages no one
    assert.deepEqual(verdicts, [null, null]);
  });

  it('judges a flat history (MAD = 0) by the floor alone', () => {
    // Prepare
    const flat = Array.from({ length: 28 }, () => 10);

    // Act
    const atFloor = detectAnomaly(line(flat, 15));
    const underFloor = detectAnomaly(line(flat, 14.99));
    const same = detectAnomaly(line(flat, 10));

    // Assess
    assert.deepEqual(atFloor, {
      name: 'AmazonEC2',
      kind: 'spike',
      yesterday: 15,
      median: 10,
      mad: 0,
      excess: 5,
      baselineDays: 28,
    });
    assert.equal(underFloor, null);
    assert.equal(same, null);
  });

  it('flags a new service: no history, or only $0.00 days, and yesterday at the floor or more', () => {
    // Prepare
    const unseen = line(
      Array.from({ length: 28 }, () => null),
      9.5,
      'AmazonBedrock',
    );
    const zeros = line(
      Array.from({ length: 28 }, () => 0),
      12,
      'AmazonBedrock',
    );
    const smallNew = line(
      Array.from({ length: 28 }, () => 0),
      4.99,
      'AmazonBedrock',
    );

    // Act
    const verdicts = [unseen, zeros, smallNew].map((l) => detectAnomaly(l));

    // Assess
    assert.deepEqual(verdicts[0], {
      name: 'AmazonBedrock',
      kind: 'new',
      yesterday: 9.5,
      median: 0,
      mad: 0,
      excess: 9.5,
      baselineDays: 0,
    });
    assert.equal(verdicts[1]?.kind, 'new');
    assert.equal(verdicts[1]?.baselineDays, 28);
    assert.equal(verdicts[2], null);
  });

  it('skips days of missing data rather than counting them as $0', () => {
    // Prepare: 16 unknown days and 12 days at $30; yesterday $32
    const history = Array.from({ length: 28 }, (_, i) => (i < 16 ? null : 30));

    // Act
    const verdict = detectAnomaly(line(history, 32));

    // Assess: median of the known days is $30, so $2 more is no anomaly (read as $0 days the
    // median would be $0 and $32 a spike)
    assert.equal(verdict, null);
  });

  it('skips one missing day in a steady history: the spike is still measured against the rest', () => {
    // Prepare: the cycle with its 2nd day ($40) unknown: 27 known days, 7 × 38, 13 × 40, 7 × 42
    const history = CYCLING.map((value, i) => (i === 1 ? null : value));

    // Act
    const anomaly = detectAnomaly(line(history, 60));

    // Assess: median $40; deviations 13 × 0, 14 × 2 (27 values): median 2, MAD 2.9652
    assert.equal(anomaly?.median, 40);
    assert.ok(Math.abs((anomaly?.mad ?? 0) - 2.9652) < 1e-9);
    assert.equal(anomaly?.baselineDays, 27);
  });

  it('gives no verdict with fewer than 7 known days of history, or without yesterday', () => {
    // Prepare
    const six = [...Array.from({ length: 22 }, () => null), 10, 10, 10, 10, 10, 10];
    const seven = [...Array.from({ length: 21 }, () => null), 10, 10, 10, 10, 10, 10, 10];

    // Act
    const verdicts = [
      detectAnomaly(line(six, 50)),
      detectAnomaly(line(seven, 50)),
      detectAnomaly(line(CYCLING, null)),
    ];

    // Assess
    assert.equal(verdicts[0], null);
    assert.equal(verdicts[1]?.kind, 'spike');
    assert.equal(verdicts[2], null);
  });

  it('reads only the 28 days before yesterday: an older spike is out of the baseline', () => {
    // Prepare: a 29th day back of $1,000 would not move a median, but 28 more would
    const old = Array.from({ length: 28 }, () => 1000);

    // Act
    const anomaly = detectAnomaly(line([...old, ...CYCLING], 182.1));

    // Assess
    assert.equal(anomaly?.median, 40);
    assert.equal(ANOMALY_PARAMETERS.historyDays, 28);
  });

  it('does not flag a drop', () => {
    // Act
    const verdict = detectAnomaly(line(CYCLING, 0));

    // Assess
    assert.equal(verdict, null);
  });

  it('takes k and the floor as options', () => {
    // Act: threshold 40 + 1 × 1.4826; floor $1
    const anomaly = detectAnomaly(line(CYCLING, 42), { k: 1, floorDollars: 1 });

    // Assess
    assert.equal(anomaly?.excess, 2);
  });
});

describe('Function: detectAnomaly (yesterday the 1st of a month)', () => {
  /** 28 ordinary days at $0.04 (Route 53 queries), the 1st's hosted zones on top. */
  const QUERIES = Array.from({ length: 28 }, () => 0.04);

  it('leaves a monthly charge alone when it equals the previous 1st', () => {
    // Prepare: $6.04 on the 1st, as on the previous 1st
    const route53 = line(QUERIES, 6.04, 'AmazonRoute53', 6.04);

    // Act
    const withPreviousFirst = detectAnomaly(route53);
    const without = detectAnomaly(line(QUERIES, 6.04, 'AmazonRoute53'));

    // Assess: against the 28 days alone (median $0.04, MAD 0) it is $6 above: a spike every
    // month; the previous 1st spent the same, $0 more, under the $5 floor
    assert.equal(withPreviousFirst, null);
    assert.equal(without?.kind, 'spike');
  });

  it('flags the 1st when it is also at least the floor above the previous 1st', () => {
    // Prepare: CYCLING (median $40, MAD 1.4826); the previous 1st spent $50
    const atFloor = line(CYCLING, 55, 'AmazonEC2', 50);
    const underFloor = line(CYCLING, 54.99, 'AmazonEC2', 50);

    // Act
    const verdicts = [detectAnomaly(atFloor), detectAnomaly(underFloor)];

    // Assess: $55 is above 40 + 3 × 1.4826 and $15 above the median, and $5 above the previous
    // 1st; $54.99 is $4.99 above it. The excess stays against the median
    assert.deepEqual(verdicts[0], {
      name: 'AmazonEC2',
      kind: 'spike',
      yesterday: 55,
      median: 40,
      mad: 1.4826,
      excess: 15,
      baselineDays: 28,
    });
    assert.equal(verdicts[1], null);
  });

  it('still needs the ordinary rule on the 1st: far above the previous 1st is not enough', () => {
    // Prepare: the previous 1st spent $0, yesterday $44.40 is inside k MADs of $40
    const steady = line(CYCLING, 44.4, 'AmazonEC2', 0);

    // Act
    const verdict = detectAnomaly(steady);

    // Assess
    assert.equal(verdict, null);
  });

  it('gives no verdict on the 1st when the previous 1st is unknown', () => {
    // Prepare: a monthly charge whose previous 1st has no reading; and a real spike
    const monthly = { ...line(QUERIES, 6.04, 'AmazonRoute53'), previousFirst: null };
    const zeros = {
      ...line(
        Array.from({ length: 28 }, () => 0),
        100,
      ),
      previousFirst: null,
    };
    const spike = { ...line(CYCLING, 182.1), previousFirst: null };

    // Act
    const verdicts = [monthly, zeros, spike].map((l) => detectAnomaly(l));

    // Assess: a Marketplace charge billed only on the 1st has $0 ordinary days: without its
    // previous 1st it cannot be told from a new line
    assert.deepEqual(verdicts, [null, null, null]);
  });

  it('flags a new line on the 1st: no spend in its history, the previous 1st included', () => {
    // Prepare: never read before (every day unknown, the previous 1st too); read at $0
    // everywhere; and a charge billed only on the 1st, $100 on the previous 1st as well
    const unseen = line(
      Array.from({ length: 28 }, () => null),
      9.5,
      'AmazonBedrock',
      null,
    );
    const zeros = line(ZEROS, 12, 'AmazonBedrock', 0);
    const marketplace = line(ZEROS, 100, 'AWSMarketplace', 100);

    // Act
    const verdicts = [unseen, zeros, marketplace].map((l) => detectAnomaly(l));

    // Assess: the Marketplace line has spent before (on the previous 1st): not new, and not
    // $5 above that day
    assert.equal(verdicts[0]?.kind, 'new');
    assert.equal(verdicts[0]?.baselineDays, 0);
    assert.equal(verdicts[1]?.kind, 'new');
    assert.equal(verdicts[1]?.excess, 12);
    assert.equal(verdicts[2], null);
  });
});

describe('Function: detectAnomalies', () => {
  it('returns only the anomalous lines, the largest excess first', () => {
    // Prepare
    const lines = [
      line(CYCLING, 41, 'AmazonRDS'),
      line(CYCLING, 60, 'AmazonS3'),
      line(CYCLING, 182.1, 'AmazonEC2'),
    ];

    // Act
    const anomalies = detectAnomalies(lines);

    // Assess
    assert.deepEqual(
      anomalies.map((a) => a.name),
      ['AmazonEC2', 'AmazonS3'],
    );
  });
});
