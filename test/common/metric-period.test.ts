import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  chooseResolution,
  METRIC_PERIODS,
  neighbourPeriods,
  periodSeconds,
  resolutionLabel,
} from '../../common/metric-period.ts';

const MINUTE = 60;
const HOUR = 3600;
const DAY = 86_400;

describe('Function: chooseResolution', () => {
  describe('a chart ending now', () => {
    // Prepare
    const table = [
      { period: '1h', resolution: 60, points: 60 },
      { period: '3h', resolution: 60, points: 180 },
      { period: '6h', resolution: 120, points: 180 },
      { period: '12h', resolution: 300, points: 144 },
      { period: '24h', resolution: 300, points: 288 },
      { period: '3d', resolution: 900, points: 288 },
      { period: '7d', resolution: 3600, points: 168 },
      { period: '14d', resolution: 7200, points: 168 },
      { period: '30d', resolution: 10_800, points: 240 },
    ] as const;
    for (const row of table) {
      it(`reads ${row.period} at ${row.resolution} s: ${row.points} points`, () => {
        // Act
        const seconds = periodSeconds(row.period);
        const resolution = chooseResolution(seconds, seconds);

        // Assess
        assert.equal(resolution, row.resolution);
        assert.equal(seconds / resolution, row.points);
      });
    }

    it('gives every period between 60 and 300 points', () => {
      for (const { period, seconds } of METRIC_PERIODS) {
        const points = seconds / chooseResolution(seconds, seconds);
        assert.ok(points >= 60 && points <= 300, `${period}: ${points} points`);
      }
    });
  });

  describe('retention: the age of the window start decides', () => {
    // Prepare
    const table = [
      { what: '1h starting exactly 15 days ago', duration: HOUR, age: 15 * DAY, expected: 60 },
      { what: '1h starting 15 days and 1 s ago', duration: HOUR, age: 15 * DAY + 1, expected: 300 },
      { what: '6h starting 20 days ago', duration: 6 * HOUR, age: 20 * DAY, expected: 300 },
      { what: '14d starting 14 days ago', duration: 14 * DAY, age: 14 * DAY, expected: 7200 },
      { what: '3h starting exactly 63 days ago', duration: 3 * HOUR, age: 63 * DAY, expected: 300 },
      {
        what: '3h starting 63 days and 1 s ago',
        duration: 3 * HOUR,
        age: 63 * DAY + 1,
        expected: HOUR,
      },
      { what: '24h starting a year ago', duration: DAY, age: 365 * DAY, expected: HOUR },
      { what: '1h starting 500 days ago', duration: HOUR, age: 500 * DAY, expected: HOUR },
      { what: '30d starting 30 days ago', duration: 30 * DAY, age: 30 * DAY, expected: 3 * HOUR },
    ];
    for (const row of table) {
      it(`reads ${row.what} at ${row.expected} s`, () => {
        // Act
        const resolution = chooseResolution(row.duration, row.age);

        // Assess
        assert.equal(resolution, row.expected);
      });
    }

    it('never asks for a period CloudWatch has dropped at that age', () => {
      for (const age of [0, 15 * DAY, 15 * DAY + 1, 63 * DAY, 63 * DAY + 1, 400 * DAY]) {
        for (const { seconds } of METRIC_PERIODS) {
          const resolution = chooseResolution(seconds, age + seconds);
          const start = age + seconds;
          const base = start > 63 * DAY ? HOUR : start > 15 * DAY ? 5 * MINUTE : MINUTE;
          assert.equal(resolution % base, 0, `age ${age}, ${seconds} s: ${resolution}`);
        }
      }
    });
  });
});

describe('Function: resolutionLabel', () => {
  it('says the resolution in the largest whole unit', () => {
    assert.deepEqual([60, 120, 300, 3600, 10_800, 86_400, 30].map(resolutionLabel), [
      '1-minute',
      '2-minute',
      '5-minute',
      '1-hour',
      '3-hour',
      '1-day',
      '30-second',
    ]);
  });
});

describe('Function: neighbourPeriods', () => {
  it('offers the nearest shorter and longer of 1h 6h 24h 7d 30d', () => {
    // Act
    const table = Object.fromEntries(
      METRIC_PERIODS.map(({ period }) => [period, neighbourPeriods(period)]),
    );

    // Assess
    assert.deepEqual(table, {
      '1h': { longer: '6h' },
      '3h': { shorter: '1h', longer: '6h' },
      '6h': { shorter: '1h', longer: '24h' },
      '12h': { shorter: '6h', longer: '24h' },
      '24h': { shorter: '6h', longer: '7d' },
      '3d': { shorter: '24h', longer: '7d' },
      '7d': { shorter: '24h', longer: '30d' },
      '14d': { shorter: '7d', longer: '30d' },
      '30d': { shorter: '7d' },
    });
  });
});
