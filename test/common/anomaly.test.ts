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

function line(history: (number | null)[], yesterday: number | null, name = 'AmazonEC2'): DailyLine {
  return { name, daily: [...history, yesterday] };
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
