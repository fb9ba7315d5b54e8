import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidRequestError } from '../../common/errors.ts';
import {
  type Cadence,
  cadenceFromCron,
  cronExpression,
  describeSubscription,
  nextRuns,
  parseScheduleName,
  SCHEDULER_PLACEHOLDERS,
  type StoredSchedule,
  type Subscription,
  scheduleName,
  subscriptionFromSchedule,
  subscriptionId,
  subscriptionInput,
} from '../../common/subscription.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

function subscription(extra: Partial<Subscription> = {}): Subscription {
  return {
    id: 'k3m9x2qa',
    channel: 'C0123ABCD',
    cadence: { every: 'day' },
    time: '09:00',
    timeZone: 'Europe/Paris',
    report: { period: 'mtd' },
    ...extra,
  };
}

/** The schedule a store would read back for `s`. */
function stored(s: Subscription): StoredSchedule {
  return {
    name: scheduleName(s.channel, s.id),
    expression: cronExpression(s),
    timeZone: s.timeZone,
    input: JSON.stringify(subscriptionInput(s)),
  };
}

const iso = (dates: Date[]) => dates.map((d) => d.toISOString());

// ---------------------------------------------------------------------------------------------

describe('Function: subscriptionId', () => {
  it('is 8 of [a-z0-9], the same for the same parts', () => {
    // Act
    const a = subscriptionId('T0123', '1234.5678.abcd');
    const b = subscriptionId('T0123', '1234.5678.abcd');

    // Assess
    assert.match(a, /^[a-z0-9]{8}$/);
    assert.equal(a, b);
  });

  it('differs when the parts differ, including where they split', () => {
    // Act
    const ids = [
      subscriptionId('T0123', 'x'),
      subscriptionId('T0123', 'y'),
      subscriptionId('a b', 'c'),
      subscriptionId('a', 'b c'),
    ];

    // Assess
    assert.equal(new Set(ids).size, ids.length);
  });

  it('is always 8 characters (leading zeros kept) over many inputs', () => {
    // Act
    const ids = Array.from({ length: 2000 }, (_, i) => subscriptionId(String(i)));

    // Assess
    assert.ok(ids.every((id) => /^[a-z0-9]{8}$/.test(id)));
    assert.equal(new Set(ids).size, ids.length);
  });
});

describe('Function: cronExpression / cadenceFromCron', () => {
  const cases: { cadence: Cadence; time: string; cron: string }[] = [
    { cadence: { every: 'day' }, time: '09:30', cron: 'cron(30 9 * * ? *)' },
    { cadence: { every: 'weekday' }, time: '09:30', cron: 'cron(30 9 ? * MON-FRI *)' },
    { cadence: { every: 'week', day: 'mon' }, time: '00:00', cron: 'cron(0 0 ? * MON *)' },
    { cadence: { every: 'week', day: 'tue' }, time: '23:59', cron: 'cron(59 23 ? * TUE *)' },
    { cadence: { every: 'week', day: 'wed' }, time: '07:05', cron: 'cron(5 7 ? * WED *)' },
    { cadence: { every: 'week', day: 'thu' }, time: '12:00', cron: 'cron(0 12 ? * THU *)' },
    { cadence: { every: 'week', day: 'fri' }, time: '17:45', cron: 'cron(45 17 ? * FRI *)' },
    { cadence: { every: 'week', day: 'sat' }, time: '10:10', cron: 'cron(10 10 ? * SAT *)' },
    { cadence: { every: 'week', day: 'sun' }, time: '20:00', cron: 'cron(0 20 ? * SUN *)' },
    { cadence: { every: 'month', day: 1 }, time: '08:00', cron: 'cron(0 8 1 * ? *)' },
    { cadence: { every: 'month', day: 15 }, time: '09:00', cron: 'cron(0 9 15 * ? *)' },
    { cadence: { every: 'month', day: 28 }, time: '09:00', cron: 'cron(0 9 28 * ? *)' },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.cadence)} at ${c.time} ⇄ ${c.cron}`, () => {
      // Act
      const cron = cronExpression({ cadence: c.cadence, time: c.time });
      const back = cadenceFromCron(cron);

      // Assess
      assert.equal(cron, c.cron);
      assert.deepEqual(back, { cadence: c.cadence, time: c.time });
    });
  }

  for (const [time, why] of [
    ['24:00', 'hour 24'],
    ['9:00', 'one-digit hour'],
    ['09:60', 'minute 60'],
    ['', 'empty'],
  ]) {
    it(`refuses the time "${time}" (${why})`, () => {
      assert.throws(
        () => cronExpression({ cadence: { every: 'day' }, time: time as string }),
        InvalidRequestError,
      );
    });
  }

  for (const day of [0, 29, 1.5]) {
    it(`refuses the monthly day ${day}`, () => {
      assert.throws(
        () => cronExpression({ cadence: { every: 'month', day }, time: '09:00' }),
        InvalidRequestError,
      );
    });
  }

  const foreign = [
    'rate(1 day)',
    'at(2026-11-23T09:00:00)',
    'cron(0 9 * * ? 2026)',
    'cron(00 9 * * ? *)',
    'cron(0 09 * * ? *)',
    'cron(60 9 * * ? *)',
    'cron(0 24 * * ? *)',
    'cron(0 9 ? * MON-SAT *)',
    'cron(0 9 ? * mon *)',
    'cron(0 9 ? * 2 *)',
    'cron(0 9 29 * ? *)',
    'cron(0 9 0 * ? *)',
    'cron(0 9 L * ? *)',
    'cron(0 9 15 JAN ? *)',
    'cron(0 9 * * * *)',
    'cron(0,30 9 * * ? *)',
    'cron(0 9 * * ? *) ',
    'cron( 0 9 * * ? *)',
    'cron(0  9 * * ? *)',
    '',
  ];
  for (const cron of foreign) {
    it(`reads "${cron}" as not costbot's`, () => {
      assert.equal(cadenceFromCron(cron), null);
    });
  }
});

describe('Function: describeSubscription', () => {
  const cases: { name: string; s: Subscription; expected: string }[] = [
    {
      name: 'daily, month to date, always',
      s: subscription(),
      expected: 'daily at 09:00 Europe/Paris · month-to-date report',
    },
    {
      name: 'the issue example',
      s: subscription({
        cadence: { every: 'weekday' },
        time: '09:30',
        report: { period: '7d', service: 'AmazonEC2' },
        condition: { kind: 'yesterday-above', dollars: 250 },
      }),
      expected:
        'weekdays at 09:30 Europe/Paris · 7-day report for AmazonEC2 · if yesterday &gt; $250',
    },
    {
      name: 'weekly, one account, a change',
      s: subscription({
        cadence: { every: 'week', day: 'tue' },
        timeZone: 'America/New_York',
        report: { period: '30d', accounts: ['123456789012'] },
        condition: { kind: 'change-above', percent: 20 },
      }),
      expected:
        'every Tuesday at 09:00 America/New_York · 30-day report for account 123456789012 · if change &gt; 20%',
    },
    {
      name: 'monthly, accounts with a service, cents, anomaly',
      s: subscription({
        cadence: { every: 'month', day: 1 },
        report: {
          period: 'last-month',
          service: 'AmazonS3',
          accounts: ['123456789012', '210987654321'],
        },
        condition: { kind: 'anomaly' },
      }),
      expected:
        "monthly on the 1st at 09:00 Europe/Paris · last month's report for AmazonS3 in accounts 123456789012, 210987654321 · if anomaly",
    },
    {
      name: 'ordinals and thousands',
      s: subscription({
        cadence: { every: 'month', day: 22 },
        condition: { kind: 'yesterday-above', dollars: 1_000_000 },
      }),
      expected:
        'monthly on the 22nd at 09:00 Europe/Paris · month-to-date report · if yesterday &gt; $1,000,000',
    },
    {
      name: 'the 3rd, the 11th, cents and a decimal percent',
      s: subscription({
        cadence: { every: 'month', day: 3 },
        condition: { kind: 'yesterday-above', dollars: 99.5 },
      }),
      expected:
        'monthly on the 3rd at 09:00 Europe/Paris · month-to-date report · if yesterday &gt; $99.50',
    },
    {
      name: 'the 11th, a decimal percent',
      s: subscription({
        cadence: { every: 'month', day: 11 },
        condition: { kind: 'change-above', percent: 12.5 },
      }),
      expected:
        'monthly on the 11th at 09:00 Europe/Paris · month-to-date report · if change &gt; 12.5%',
    },
    {
      name: 'what a person typed is escaped for mrkdwn',
      s: subscription({ timeZone: '<!channel>', report: { period: 'mtd', service: 'a&b<c>' } }),
      expected: 'daily at 09:00 &lt;!channel&gt; · month-to-date report for a&amp;b&lt;c&gt;',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.equal(describeSubscription(c.s), c.expected);
    });
  }
});

describe('Function: nextRuns', () => {
  const cases: { name: string; s: Subscription; after: string; n: number; expected: string[] }[] = [
    {
      name: 'Paris 02:30 daily skips 29 March 2026 (spring forward: 02:30 does not exist)',
      s: subscription({ time: '02:30' }),
      after: '2026-03-27T12:00:00Z',
      n: 3,
      // 28th CET (UTC+1), 30th CEST (UTC+2)
      expected: [
        '2026-03-28T01:30:00.000Z',
        '2026-03-30T00:30:00.000Z',
        '2026-03-31T00:30:00.000Z',
      ],
    },
    {
      name: 'Paris 02:30 daily runs once on 25 October 2026 (fall back: its first 02:30, CEST)',
      s: subscription({ time: '02:30' }),
      after: '2026-10-24T12:00:00Z',
      n: 2,
      expected: ['2026-10-25T00:30:00.000Z', '2026-10-26T01:30:00.000Z'],
    },
    {
      name: 'Paris 09:00 daily keeps 09:00 local across spring forward',
      s: subscription(),
      after: '2026-03-28T00:00:00Z',
      n: 2,
      expected: ['2026-03-28T08:00:00.000Z', '2026-03-29T07:00:00.000Z'],
    },
    {
      name: 'New York 09:00 weekdays: Friday EST, Monday EDT (8 March 2026)',
      s: subscription({ cadence: { every: 'weekday' }, timeZone: 'America/New_York' }),
      after: '2026-03-06T00:00:00Z',
      n: 2,
      expected: ['2026-03-06T14:00:00.000Z', '2026-03-09T13:00:00.000Z'],
    },
    {
      name: 'New York 02:30 every Sunday skips 8 March 2026',
      s: subscription({
        cadence: { every: 'week', day: 'sun' },
        time: '02:30',
        timeZone: 'America/New_York',
      }),
      after: '2026-03-01T00:00:00Z',
      n: 2,
      expected: ['2026-03-01T07:30:00.000Z', '2026-03-15T06:30:00.000Z'],
    },
    {
      name: 'New York 01:30 daily runs once on 1 November 2026 (EDT), then EST',
      s: subscription({ time: '01:30', timeZone: 'America/New_York' }),
      after: '2026-10-31T12:00:00Z',
      n: 2,
      expected: ['2026-11-01T05:30:00.000Z', '2026-11-02T06:30:00.000Z'],
    },
    {
      name: 'monthly on the 28th, through February, in UTC',
      s: subscription({ cadence: { every: 'month', day: 28 }, timeZone: 'UTC' }),
      after: '2026-01-28T09:00:00Z',
      n: 3,
      expected: [
        '2026-02-28T09:00:00.000Z',
        '2026-03-28T09:00:00.000Z',
        '2026-04-28T09:00:00.000Z',
      ],
    },
    {
      name: 'none asked, none given',
      s: subscription(),
      after: '2026-01-01T00:00:00Z',
      n: 0,
      expected: [],
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      assert.deepEqual(iso(nextRuns(c.s, new Date(c.after), c.n)), c.expected);
    });
  }
});

describe('Function: scheduleName / parseScheduleName', () => {
  it('round-trips a channel id and a subscription id', () => {
    // Act
    const name = scheduleName('C0123ABCD', 'k3m9x2qa');

    // Assess
    assert.equal(name, 'C0123ABCD.k3m9x2qa');
    assert.deepEqual(parseScheduleName(name), { channel: 'C0123ABCD', id: 'k3m9x2qa' });
  });

  it('names the stack digest and fits 64 characters at the longest', () => {
    // Act
    const digest = scheduleName('G01', 'digest');
    const longest = scheduleName('C'.repeat(47), 'a'.repeat(16));

    // Assess
    assert.equal(digest, 'G01.digest');
    assert.equal(longest.length, 64);
    assert.match(longest, /^[0-9a-zA-Z\-_.]{1,64}$/);
  });

  const refused: [string, string, string][] = [
    ['#general', 'k3m9x2qa', 'a channel name'],
    ['c0123abcd', 'k3m9x2qa', 'a lowercase channel'],
    ['', 'k3m9x2qa', 'no channel'],
    ['C'.repeat(48), 'k3m9x2qa', 'a channel too long'],
    ['C0123ABCD.x', 'k3m9x2qa', 'a dot in the channel'],
    ['C0123ABCD', 'K3M9X2QA', 'an uppercase id'],
    ['C0123ABCD', 'a'.repeat(17), 'an id too long'],
    ['C0123ABCD', '', 'no id'],
    ['C0123ABCD', 'k3m9-x2q', 'a dash in the id'],
  ];
  for (const [channel, id, why] of refused) {
    it(`refuses ${why}`, () => {
      assert.throws(() => scheduleName(channel, id), InvalidRequestError);
    });
  }

  for (const name of [
    'costbot-digest',
    'C0123ABCD',
    'C0123ABCD.',
    '.k3m9x2qa',
    'C0123ABCD.k3m9x2qa.x',
    'c0123abcd.k3m9x2qa',
    'C0123ABCD.K3M9X2QA',
    `C0123ABCD.${'a'.repeat(17)}`,
  ]) {
    it(`reads "${name}" as not costbot's`, () => {
      assert.equal(parseScheduleName(name), null);
    });
  }
});

describe('Function: subscriptionInput', () => {
  it('is a scheduled run with the scheduler placeholders and the subscription reference', () => {
    // Prepare
    const s = subscription({
      report: { period: '7d', service: 'AmazonEC2', accounts: ['123456789012'] },
      condition: { kind: 'change-above', percent: 20 },
      createdBy: 'U0123',
    });

    // Act
    const input = subscriptionInput(s);

    // Assess
    assert.deepEqual(input, {
      request: {
        kind: 'digest',
        requestId: '<aws.scheduler.execution-id>',
        channel: 'C0123ABCD',
        period: '7d',
        service: 'AmazonEC2',
        accounts: ['123456789012'],
        subscription: {
          id: 'k3m9x2qa',
          condition: { kind: 'change-above', percent: 20 },
          createdBy: 'U0123',
        },
      },
      scheduledAt: '<aws.scheduler.scheduled-time>',
    });
    assert.deepEqual(SCHEDULER_PLACEHOLDERS, {
      executionId: '<aws.scheduler.execution-id>',
      scheduledTime: '<aws.scheduler.scheduled-time>',
    });
  });

  it('writes no key for what the subscription does not have', () => {
    // Act
    const input = subscriptionInput(subscription());

    // Assess
    assert.deepEqual(Object.keys(input.request).sort(), [
      'channel',
      'kind',
      'period',
      'requestId',
      'subscription',
    ]);
    assert.deepEqual(input.request.subscription, { id: 'k3m9x2qa' });
  });
});

describe('Function: subscriptionFromSchedule', () => {
  const roundTrips: Subscription[] = [
    subscription(),
    subscription({
      id: 'digest',
      cadence: { every: 'weekday' },
      timeZone: 'America/New_York',
      report: { period: 'mtd' },
    }),
    subscription({
      cadence: { every: 'week', day: 'sun' },
      time: '23:59',
      report: { period: '30d', service: 'AmazonEC2' },
      condition: { kind: 'yesterday-above', dollars: 250.5 },
      createdBy: 'U0123',
    }),
    subscription({
      cadence: { every: 'month', day: 28 },
      time: '00:00',
      timeZone: 'UTC',
      report: { period: 'last-month', accounts: ['123456789012', '210987654321'] },
      condition: { kind: 'anomaly' },
    }),
  ];
  for (const s of roundTrips) {
    it(`round-trips ${describeSubscription(s)}`, () => {
      assert.deepEqual(subscriptionFromSchedule(stored(s)), s);
    });
  }

  it('reads an absent time zone as UTC, as the scheduler does', () => {
    // Prepare
    const s = subscription({ timeZone: 'UTC' });
    const { timeZone: _, ...withoutZone } = stored(s);

    // Act, Assess
    assert.deepEqual(subscriptionFromSchedule(withoutZone), s);
  });

  const good = stored(subscription({ condition: { kind: 'anomaly' } }));
  const input = JSON.parse(good.input);
  const withInput = (change: (i: typeof input) => void): StoredSchedule => {
    const copy = structuredClone(input);
    change(copy);
    return { ...good, input: JSON.stringify(copy) };
  };
  const foreign: [string, StoredSchedule][] = [
    ['a foreign name', { ...good, name: 'costbot-digest' }],
    ['a rate expression', { ...good, expression: 'rate(1 day)' }],
    ['a cron costbot does not write', { ...good, expression: 'cron(0 9 L * ? *)' }],
    ['an unknown time zone', { ...good, timeZone: 'Mars/Base' }],
    ['input that is not JSON', { ...good, input: '{"request":' }],
    ['empty input', { ...good, input: '' }],
    ['input that is JSON null', { ...good, input: 'null' }],
    ['input that is an array', { ...good, input: '[]' }],
    ['another channel in the input', withInput((i) => (i.request.channel = 'C999'))],
    ['another id in the input', withInput((i) => (i.request.subscription.id = 'other'))],
    ['no subscription reference', withInput((i) => delete i.request.subscription)],
    ['a command, not a digest', withInput((i) => (i.request.kind = 'command'))],
    ['a fixed request id', withInput((i) => (i.request.requestId = 'digest-1'))],
    ['a fixed scheduled time', withInput((i) => (i.scheduledAt = '2026-11-23T09:00:00Z'))],
    ['an unknown period', withInput((i) => (i.request.period = '24h'))],
    ['a bad service', withInput((i) => (i.request.service = 'Amazon EC2'))],
    ['a bad account', withInput((i) => (i.request.accounts = ['12345']))],
    [
      'a threshold of 0',
      withInput(
        (i) => (i.request.subscription.condition = { kind: 'yesterday-above', dollars: 0 }),
      ),
    ],
    [
      'a change above 1000%',
      withInput(
        (i) => (i.request.subscription.condition = { kind: 'change-above', percent: 1001 }),
      ),
    ],
    [
      'an unknown condition',
      withInput((i) => (i.request.subscription.condition = { kind: 'always' })),
    ],
  ];
  for (const [why, schedule] of foreign) {
    it(`is null for ${why}`, () => {
      assert.equal(subscriptionFromSchedule(schedule), null);
    });
  }

  it('is null, not a throw, for a schedule of the wrong types', () => {
    // Prepare
    const garbled = { name: 7, expression: null, input: {} } as unknown as StoredSchedule;

    // Act, Assess
    assert.equal(subscriptionFromSchedule(garbled), null);
  });
});
