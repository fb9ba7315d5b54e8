import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { daysBetween, periodWindow, requiredFetchWindow } from '../../common/dates.ts';

describe('Function: periodWindow', () => {
  it('covers the 1st of the month to today for mtd', () => {
    // Prepare
    const asOf = new Date('2026-11-22T06:00:00Z');

    // Act
    const window = periodWindow('mtd', asOf);

    // Assess
    assert.deepEqual(window, {
      from: '2026-11-01',
      to: '2026-11-22',
      label: 'Month to date (Nov 1–22)',
    });
  });

  it('labels mtd on the 1st with a single day', () => {
    // Prepare
    const asOf = new Date('2026-12-01T00:00:00Z');

    // Act
    const window = periodWindow('mtd', asOf);

    // Assess
    assert.deepEqual(window, {
      from: '2026-12-01',
      to: '2026-12-01',
      label: 'Month to date (Dec 1)',
    });
  });

  it('ends 7d and 30d yesterday, across month boundaries', () => {
    // Prepare
    const asOf = new Date('2026-12-02T23:59:59Z');

    // Act
    const week = periodWindow('7d', asOf);
    const month = periodWindow('30d', asOf);

    // Assess
    // yesterday = Dec 1; Dec 1 - 6 days = Nov 25
    assert.deepEqual(week, { from: '2026-11-25', to: '2026-12-01', label: 'Last 7 days' });
    // Dec 1 - 29 days = Nov 2 (Nov has 30 days)
    assert.deepEqual(month, { from: '2026-11-02', to: '2026-12-01', label: 'Last 30 days' });
  });

  it('covers the whole previous month for last-month, across a year and in a leap year', () => {
    // Prepare
    const january = new Date('2027-01-15T12:00:00Z');
    const leapMarch = new Date('2028-03-01T00:30:00Z');

    // Act
    const december = periodWindow('last-month', january);
    const february = periodWindow('last-month', leapMarch);

    // Assess
    assert.deepEqual(december, { from: '2026-12-01', to: '2026-12-31', label: 'December 2026' });
    // 2028 is a leap year: February has 29 days
    assert.deepEqual(february, { from: '2028-02-01', to: '2028-02-29', label: 'February 2028' });
  });
});

describe('Function: requiredFetchWindow', () => {
  it('starts at the 1st of the month of the earliest day whose spend is needed', () => {
    // Prepare
    const asOf = new Date('2026-11-22T06:00:00Z');

    // Act
    const mtd = requiredFetchWindow('mtd', asOf);
    const thirty = requiredFetchWindow('30d', asOf);

    // Assess
    // mtd: window from Nov 1, 7 days ending yesterday from Nov 15, the anomalies' 28 days
    // before yesterday (Nov 21) from Oct 24 -> Oct 1
    assert.deepEqual(mtd, { from: '2026-10-01', to: '2026-11-22' });
    // 30d: window from Oct 23 -> Oct 1
    assert.deepEqual(thirty, { from: '2026-10-01', to: '2026-11-22' });
  });

  it('reads no earlier month than needed: late in a month the baseline fits in it', () => {
    // Prepare: yesterday Nov 29; its 28 days before start Nov 1
    const asOf = new Date('2026-11-30T06:00:00Z');

    // Act
    const mtd = requiredFetchWindow('mtd', asOf);
    const longest = requiredFetchWindow('mtd', new Date('2027-03-01T06:00:00Z'));

    // Assess
    assert.deepEqual(mtd, { from: '2026-11-01', to: '2026-11-30' });
    // As of Mar 1 the baseline starts Jan 31: 60 days, the longest window any report reads
    assert.deepEqual(longest, { from: '2027-01-01', to: '2027-03-01' });
  });

  it('reaches into the previous month for the 7-day average early in a month', () => {
    // Prepare
    const asOf = new Date('2026-11-03T10:00:00Z');

    // Act
    const mtd = requiredFetchWindow('mtd', asOf);

    // Assess
    // mtd window from Nov 1, but the 7 days ending Nov 2 start Oct 27 -> Oct 1
    assert.deepEqual(mtd, { from: '2026-10-01', to: '2026-11-03' });
  });
});

describe('Function: daysBetween', () => {
  it('lists days inclusively across a month end, and nothing for a reversed range', () => {
    // Prepare
    const from = '2026-02-27';
    const to = '2026-03-02';

    // Act
    const days = daysBetween(from, to);
    const reversed = daysBetween(to, from);

    // Assess
    // 2026 is not a leap year: Feb 27, Feb 28, Mar 1, Mar 2
    assert.deepEqual(days, ['2026-02-27', '2026-02-28', '2026-03-01', '2026-03-02']);
    assert.deepEqual(reversed, []);
  });
});
