import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatInZone, nextRun, parseCron, zonedTime } from '../../common/cron.ts';
import { CronError, CronUnsupportedError } from '../../common/errors.ts';

const WEEKDAYS_9 = 'cron(0 9 ? * MON-FRI *)';

function next(cron: string, timeZone: string, after: string): string | null {
  return nextRun(cron, timeZone, new Date(after))?.toISOString() ?? null;
}

describe('Function: nextRun', () => {
  const cases: {
    name: string;
    cron: string;
    tz: string;
    after: string;
    expected: string | null;
  }[] = [
    {
      name: 'weekdays 09:00 Berlin, from a Saturday: Monday, UTC+1 in November',
      cron: WEEKDAYS_9,
      tz: 'Europe/Berlin',
      after: '2026-11-21T12:00:00Z',
      expected: '2026-11-23T08:00:00.000Z',
    },
    {
      name: 'weekdays 09:00 Berlin, from a Friday after the run: Monday, UTC+2 in July',
      cron: WEEKDAYS_9,
      tz: 'Europe/Berlin',
      after: '2026-07-03T08:00:00Z',
      expected: '2026-07-06T07:00:00.000Z',
    },
    {
      name: 'a minute before the run: today',
      cron: WEEKDAYS_9,
      tz: 'Europe/Berlin',
      after: '2026-11-23T07:59:00Z',
      expected: '2026-11-23T08:00:00.000Z',
    },
    {
      name: 'exactly at the run: the next one (strictly after)',
      cron: WEEKDAYS_9,
      tz: 'Europe/Berlin',
      after: '2026-11-23T08:00:00Z',
      expected: '2026-11-24T08:00:00.000Z',
    },
    {
      name: 'in UTC',
      cron: WEEKDAYS_9,
      tz: 'UTC',
      after: '2026-11-22T09:00:00Z',
      expected: '2026-11-23T09:00:00.000Z',
    },
    {
      name: 'west of UTC, crossing the UTC date',
      cron: 'cron(30 22 ? * FRI *)',
      tz: 'America/Los_Angeles',
      after: '2026-11-20T00:00:00Z',
      expected: '2026-11-21T06:30:00.000Z',
    },
    {
      name: 'day-of-week 1 is Sunday',
      cron: 'cron(0 12 ? * 1 *)',
      tz: 'UTC',
      after: '2026-11-18T00:00:00Z',
      expected: '2026-11-22T12:00:00.000Z',
    },
    {
      name: 'steps, ranges and lists',
      cron: 'cron(0/20 8-9,17 ? * TUE *)',
      tz: 'UTC',
      after: '2026-11-24T08:45:00Z',
      expected: '2026-11-24T09:00:00.000Z',
    },
    {
      name: 'month names and a day of month',
      cron: 'cron(0 6 1 JAN,JUL ? *)',
      tz: 'UTC',
      after: '2026-11-22T00:00:00Z',
      expected: '2027-01-01T06:00:00.000Z',
    },
    {
      name: 'spring forward: 02:30 does not exist in Berlin on 28 March 2027, so that run is skipped',
      cron: 'cron(30 2 * * ? *)',
      tz: 'Europe/Berlin',
      after: '2027-03-27T02:00:00Z',
      expected: '2027-03-29T00:30:00.000Z',
    },
    {
      name: 'fall back: 02:30 happens twice in Berlin on 25 October 2026, the first is the run',
      cron: 'cron(30 2 * * ? *)',
      tz: 'Europe/Berlin',
      after: '2026-10-25T00:00:00Z',
      expected: '2026-10-25T00:30:00.000Z',
    },
    {
      name: 'fall back: and it runs only once that day',
      cron: 'cron(30 2 * * ? *)',
      tz: 'Europe/Berlin',
      after: '2026-10-25T00:30:00Z',
      expected: '2026-10-26T01:30:00.000Z',
    },
    {
      name: 'a year in the past: never',
      cron: 'cron(0 9 * * ? 2020)',
      tz: 'UTC',
      after: '2026-11-22T00:00:00Z',
      expected: null,
    },
    {
      name: '30 February: never',
      cron: 'cron(0 9 30 2 ? *)',
      tz: 'UTC',
      after: '2026-11-22T00:00:00Z',
      expected: null,
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      // Act
      const result = next(c.cron, c.tz, c.after);

      // Assess
      assert.equal(result, c.expected);
    });
  }

  const errors: { cron: string; tz?: string; message: RegExp; unsupported?: boolean }[] = [
    { cron: '0 9 ? * MON-FRI *', message: /is not of the form cron\(/ },
    { cron: 'cron(0 9 * * MON-FRI)', message: /needs 6 fields.*got 5/ },
    {
      cron: 'cron(0 9 * * * *)',
      message: /exactly one of day-of-month and day-of-week must be "\?"/,
    },
    { cron: 'cron(0 9 ? * ? *)', message: /exactly one of/ },
    { cron: 'cron(? 9 * * ? *)', message: /minutes: "\?" is allowed only in the day fields/ },
    { cron: 'cron(0 9 ? * FRI-MON *)', message: /day-of-week: the range "FRI-MON" runs backwards/ },
    { cron: 'cron(0 9 ? * FUN *)', message: /day-of-week: "FUN" is not a value from 1 to 7/ },
    { cron: 'cron(60 9 ? * MON *)', message: /minutes: "60"/ },
    { cron: 'cron(0/0 9 ? * MON *)', message: /step .* must be at least 1/ },
    { cron: WEEKDAYS_9, tz: 'Mars/Olympus', message: /"Mars\/Olympus" is not an IANA time zone/ },
    { cron: 'cron(0 9 L * ? *)', message: /L, W, #/, unsupported: true },
    { cron: 'cron(0 9 ? * 6#3 *)', message: /L, W, #/, unsupported: true },
  ];
  for (const e of errors) {
    it(`refuses ${e.cron}${e.tz ? ` in ${e.tz}` : ''}`, () => {
      // Act
      const act = () => nextRun(e.cron, e.tz ?? 'UTC', new Date('2026-11-22T00:00:00Z'));

      // Assess
      assert.throws(act, (error: unknown) => {
        assert.ok(error instanceof CronError);
        assert.equal(error instanceof CronUnsupportedError, e.unsupported === true);
        assert.match(error.message, e.message);
        return true;
      });
    });
  }
});

describe('Function: parseCron', () => {
  it('expands every field', () => {
    // Act
    const s = parseCron('cron(0,30 9 ? * MON-FRI *)');

    // Assess
    assert.deepEqual(s.minutes, [0, 30]);
    assert.deepEqual(s.hours, [9]);
    assert.equal(s.daysOfMonth, null);
    assert.deepEqual([...(s.daysOfWeek ?? [])], [2, 3, 4, 5, 6]);
    assert.equal(s.months.size, 12);
    assert.ok(s.years.has(1970) && s.years.has(2199));
  });
});

describe('Function: zonedTime', () => {
  it('returns null for a wall-clock time that does not exist', () => {
    // Act
    const t = zonedTime({ year: 2027, month: 3, day: 28, hour: 2, minute: 30 }, 'Europe/Berlin');

    // Assess
    assert.equal(t, null);
  });
});

describe('Function: formatInZone', () => {
  it('writes the weekday, date and time in the zone', () => {
    // Act
    const text = formatInZone(new Date('2026-11-23T08:00:00Z'), 'Europe/Berlin');

    // Assess
    assert.equal(text, 'Mon, 23 Nov 2026, 09:00');
  });
});
