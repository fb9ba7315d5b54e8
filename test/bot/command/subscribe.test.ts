import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ParsedCommand, type ParseResult, parseCommand } from '../../../bot/command/parse.ts';
import {
  cronExpression,
  type Subscription,
  scheduleName,
  subscriptionFromSchedule,
  subscriptionInput,
} from '../../../common/subscription.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

/** The command text as Slack sends it: `& < >` typed by the person arrive as entities. */
function slack(typed: string): string {
  return typed.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

type Subscribe = Extract<ParsedCommand, { kind: 'subscribe' }>;

function subscribe(extra: Partial<Subscribe> = {}): ParseResult {
  return {
    ok: true,
    command: {
      kind: 'subscribe',
      cadence: { every: 'day' },
      time: '09:00',
      report: { period: 'mtd' },
      ...extra,
    },
  };
}

function error(text: string): ParseResult {
  return { ok: false, error: text };
}

const DAY_ERROR = ': use mon, tue, wed, thu, fri, sat or sun.';
const MONTH_ERROR = 'monthly takes a day from 1 to 28 (every month has it)';
const TIME_ERROR = ' is not HH:MM from 00:00 to 23:59.';
const ZONE_ERROR = ': use an IANA name such as Europe/Paris.';
const CONDITION_HELP =
  'use "if yesterday &gt; 250" (dollars), "if change &gt; 20%" (against the 7-day average) or "if anomaly".';
const AMOUNT_ERROR = 'The amount must be more than $0 and at most $1,000,000; got ';
const CHANGE_ERROR = 'The change must be from 1% to 1000%; got ';

/** Each row is one class of input; its neighbours are the rows around it. */
const CASES: { typed: string; expected: ParseResult }[] = [
  // When
  { typed: 'subscribe daily 09:00', expected: subscribe() },
  { typed: 'SUBSCRIBE Daily 09:00', expected: subscribe() },
  { typed: 'subscribe weekdays 09:00', expected: subscribe({ cadence: { every: 'weekday' } }) },
  {
    typed: 'subscribe weekly mon 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'mon' } }),
  },
  {
    typed: 'subscribe weekly TUE 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'tue' } }),
  },
  {
    typed: 'subscribe weekly wed 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'wed' } }),
  },
  {
    typed: 'subscribe weekly thu 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'thu' } }),
  },
  {
    typed: 'subscribe weekly fri 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'fri' } }),
  },
  {
    typed: 'subscribe weekly sat 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'sat' } }),
  },
  {
    typed: 'subscribe weekly sun 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'sun' } }),
  },
  {
    typed: 'subscribe weekly Monday 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'mon' } }),
  },
  {
    typed: 'subscribe weekly tuesday 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'tue' } }),
  },
  {
    typed: 'subscribe weekly WEDNESDAY 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'wed' } }),
  },
  {
    typed: 'subscribe weekly thursday 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'thu' } }),
  },
  {
    typed: 'subscribe weekly friday 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'fri' } }),
  },
  {
    typed: 'subscribe weekly saturday 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'sat' } }),
  },
  {
    typed: 'subscribe weekly sunday 09:00',
    expected: subscribe({ cadence: { every: 'week', day: 'sun' } }),
  },
  { typed: 'subscribe weekly funday 09:00', expected: error(`Unknown day "funday"${DAY_ERROR}`) },
  { typed: 'subscribe weekly tues 09:00', expected: error(`Unknown day "tues"${DAY_ERROR}`) },
  { typed: 'subscribe weekly 09:00', expected: error(`Unknown day "09:00"${DAY_ERROR}`) },
  { typed: 'subscribe weekly', expected: error(`weekly takes a day${DAY_ERROR}`) },
  { typed: 'subscribe weekly <b> 09:00', expected: error(`Unknown day "&lt;b&gt;"${DAY_ERROR}`) },
  { typed: 'subscribe monthly 0 09:00', expected: error(`${MONTH_ERROR}; got "0".`) },
  {
    typed: 'subscribe monthly 1 09:00',
    expected: subscribe({ cadence: { every: 'month', day: 1 } }),
  },
  {
    typed: 'subscribe monthly 01 09:00',
    expected: subscribe({ cadence: { every: 'month', day: 1 } }),
  },
  {
    typed: 'subscribe monthly 28 09:00',
    expected: subscribe({ cadence: { every: 'month', day: 28 } }),
  },
  { typed: 'subscribe monthly 29 09:00', expected: error(`${MONTH_ERROR}; got "29".`) },
  { typed: 'subscribe monthly 31 09:00', expected: error(`${MONTH_ERROR}; got "31".`) },
  { typed: 'subscribe monthly 15th 09:00', expected: error(`${MONTH_ERROR}; got "15th".`) },
  { typed: 'subscribe monthly -1 09:00', expected: error(`${MONTH_ERROR}; got "-1".`) },
  { typed: 'subscribe monthly 015 09:00', expected: error(`${MONTH_ERROR}; got "015".`) },
  { typed: 'subscribe monthly', expected: error(`${MONTH_ERROR}, e.g. "monthly 15 09:00".`) },
  {
    typed: 'subscribe',
    expected: error(
      'Say when, e.g. "subscribe daily 09:00": use daily, weekdays, weekly and a day, or monthly and a day from 1 to 28.',
    ),
  },
  {
    typed: 'subscribe hourly 09:00',
    expected: error(
      'Unknown schedule "hourly": use daily, weekdays, weekly and a day, or monthly and a day from 1 to 28.',
    ),
  },
  {
    typed: 'subscribe 09:00 daily',
    expected: error('Say when before the time, e.g. "subscribe daily 09:00".'),
  },

  // Time
  { typed: 'subscribe daily 00:00', expected: subscribe({ time: '00:00' }) },
  { typed: 'subscribe daily 23:59', expected: subscribe({ time: '23:59' }) },
  { typed: 'subscribe daily 9:05', expected: subscribe({ time: '09:05' }) },
  { typed: 'subscribe daily 24:00', expected: error(`Time "24:00"${TIME_ERROR}`) },
  { typed: 'subscribe daily 9:5', expected: error(`Time "9:5"${TIME_ERROR}`) },
  { typed: 'subscribe daily 09:60', expected: error(`Time "09:60"${TIME_ERROR}`) },
  { typed: 'subscribe daily 009:00', expected: error(`Time "009:00"${TIME_ERROR}`) },
  { typed: 'subscribe daily 9am', expected: error(`Time "9am"${TIME_ERROR}`) },
  { typed: 'subscribe daily 09.30', expected: error(`Time "09.30"${TIME_ERROR}`) },
  {
    typed: 'subscribe daily',
    expected: error('Give the time as HH:MM after the schedule, e.g. "subscribe daily 09:00".'),
  },
  { typed: 'subscribe daily 09:00 10:00', expected: error('The time is given twice ("10:00").') },
  {
    typed: 'subscribe daily 09:00 weekly',
    expected: error('The schedule is given twice ("weekly").'),
  },

  // Time zone
  {
    typed: 'subscribe daily 09:00 Europe/Paris',
    expected: subscribe({ timeZone: 'Europe/Paris' }),
  },
  {
    typed: 'subscribe daily 09:00 europe/paris',
    expected: subscribe({ timeZone: 'Europe/Paris' }),
  },
  {
    typed: 'subscribe daily 09:00 America/New_York',
    expected: subscribe({ timeZone: 'America/New_York' }),
  },
  { typed: 'subscribe daily 09:00 UTC', expected: subscribe({ timeZone: 'UTC' }) },
  { typed: 'subscribe daily 09:00 utc', expected: subscribe({ timeZone: 'UTC' }) },
  { typed: 'subscribe daily 09:00 Etc/GMT+5', expected: subscribe({ timeZone: 'Etc/GMT+5' }) },
  {
    typed: 'subscribe daily 09:00 Mars/Base',
    expected: error(`Unknown time zone "Mars/Base"${ZONE_ERROR}`),
  },
  {
    typed: 'subscribe daily 09:00 Paris',
    expected: error(`Unknown time zone "Paris"${ZONE_ERROR}`),
  },
  {
    typed: 'subscribe daily 09:00 +05:00',
    expected: error(`Unknown time zone "+05:00"${ZONE_ERROR}`),
  },
  {
    typed: 'subscribe daily 09:00 Europe/Paris America/New_York',
    expected: error('The time zone is given twice ("America/New_York").'),
  },
  {
    typed: 'subscribe daily 09:00 7d Europe/Paris',
    expected: error('Put the time zone right after the time; got "Europe/Paris".'),
  },

  // Report options: those of a report, with its errors
  { typed: 'subscribe daily 09:00 7d', expected: subscribe({ report: { period: '7d' } }) },
  {
    typed: 'subscribe daily 09:00 Europe/Paris last-month',
    expected: subscribe({ timeZone: 'Europe/Paris', report: { period: 'last-month' } }),
  },
  {
    typed: 'subscribe daily 09:00 service AmazonEC2 30d',
    expected: subscribe({ report: { period: '30d', service: 'AmazonEC2' } }),
  },
  {
    typed: 'subscribe daily 09:00 accounts 123456789012,210987654321 123456789012',
    expected: subscribe({ report: { period: 'mtd', accounts: ['123456789012', '210987654321'] } }),
  },
  {
    typed: 'subscribe daily 09:00 account 123456789012 7d if anomaly',
    expected: subscribe({
      report: { period: '7d', accounts: ['123456789012'] },
      condition: { kind: 'anomaly' },
    }),
  },
  {
    typed: 'subscribe daily 09:00 24h',
    expected: error(
      'Unknown period "24h": use 7d, 30d, mtd or last-month (hour periods are for metric charts).',
    ),
  },
  { typed: 'subscribe daily 09:00 7d 30d', expected: error('The period is given twice ("30d").') },
  {
    typed: 'subscribe daily 09:00 service AmazonEC2 service AmazonS3',
    expected: error('Unknown word "service" (service names are one word, e.g. AmazonEC2).'),
  },
  {
    typed: 'subscribe daily 09:00 account prod',
    expected: error('Account ids are 12 digits; got "prod" (account names cannot be looked up).'),
  },
  { typed: 'subscribe daily 09:00 Europe/Paris soon', expected: error('Unknown word "soon".') },

  // Conditions
  {
    typed: 'subscribe daily 09:00 if yesterday > 250',
    expected: subscribe({ condition: { kind: 'yesterday-above', dollars: 250 } }),
  },
  {
    typed: 'subscribe daily 09:00 IF Yesterday > $250',
    expected: subscribe({ condition: { kind: 'yesterday-above', dollars: 250 } }),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday>99.5',
    expected: subscribe({ condition: { kind: 'yesterday-above', dollars: 99.5 } }),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday >$1,000,000',
    expected: subscribe({ condition: { kind: 'yesterday-above', dollars: 1_000_000 } }),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday > 0.01',
    expected: subscribe({ condition: { kind: 'yesterday-above', dollars: 0.01 } }),
  },
  { typed: 'subscribe daily 09:00 if yesterday > 0', expected: error(`${AMOUNT_ERROR}"0".`) },
  { typed: 'subscribe daily 09:00 if yesterday > 0.00', expected: error(`${AMOUNT_ERROR}"0.00".`) },
  {
    typed: 'subscribe daily 09:00 if yesterday > 1000000.01',
    expected: error(`${AMOUNT_ERROR}"1000000.01".`),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday > 0.001',
    expected: error('The amount "0.001" is not dollars, e.g. 250 or $99.50.'),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday > -5',
    expected: error('The amount "-5" is not dollars, e.g. 250 or $99.50.'),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday > 1,00',
    expected: error('The amount "1,00" is not dollars, e.g. 250 or $99.50.'),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday',
    expected: error('Give the threshold, e.g. "if yesterday &gt; 250".'),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday >',
    expected: error('Give the threshold, e.g. "if yesterday &gt; 250".'),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday < 250',
    expected: error('Conditions compare with &gt; only, e.g. "if yesterday &gt; 250"; got "&lt;".'),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday >= 250',
    expected: error(
      'Conditions compare with &gt; only, e.g. "if yesterday &gt; 250"; got "&gt;=".',
    ),
  },
  {
    typed: 'subscribe daily 09:00 if change > 20%',
    expected: subscribe({ condition: { kind: 'change-above', percent: 20 } }),
  },
  {
    typed: 'subscribe daily 09:00 if change > 20 %',
    expected: subscribe({ condition: { kind: 'change-above', percent: 20 } }),
  },
  {
    typed: 'subscribe daily 09:00 if change > 12.5',
    expected: subscribe({ condition: { kind: 'change-above', percent: 12.5 } }),
  },
  {
    typed: 'subscribe daily 09:00 if change > 1%',
    expected: subscribe({ condition: { kind: 'change-above', percent: 1 } }),
  },
  {
    typed: 'subscribe daily 09:00 if change > 1000%',
    expected: subscribe({ condition: { kind: 'change-above', percent: 1000 } }),
  },
  { typed: 'subscribe daily 09:00 if change > 0%', expected: error(`${CHANGE_ERROR}"0%".`) },
  { typed: 'subscribe daily 09:00 if change > 0.5%', expected: error(`${CHANGE_ERROR}"0.5%".`) },
  { typed: 'subscribe daily 09:00 if change > 1001%', expected: error(`${CHANGE_ERROR}"1001%".`) },
  {
    typed: 'subscribe daily 09:00 if change > -20%',
    expected: error('The change "-20%" is not a percentage, e.g. 20%.'),
  },
  {
    typed: 'subscribe daily 09:00 if change > 20%%',
    expected: error('The change "20%%" is not a percentage, e.g. 20%.'),
  },
  {
    typed: 'subscribe daily 09:00 if change',
    expected: error('Give the threshold, e.g. "if change &gt; 20%".'),
  },
  {
    typed: 'subscribe daily 09:00 if anomaly',
    expected: subscribe({ condition: { kind: 'anomaly' } }),
  },
  {
    typed: 'subscribe daily 09:00 if ANOMALY',
    expected: subscribe({ condition: { kind: 'anomaly' } }),
  },
  {
    typed: 'subscribe daily 09:00 if',
    expected: error(`Say what to check after "if": ${CONDITION_HELP}`),
  },
  {
    typed: 'subscribe daily 09:00 if always',
    expected: error(`Unknown condition "always": ${CONDITION_HELP}`),
  },
  {
    typed: 'subscribe daily 09:00 if anomalies',
    expected: error(`Unknown condition "anomalies": ${CONDITION_HELP}`),
  },
  {
    typed: 'subscribe daily 09:00 if anomaly now',
    expected: error('Nothing may follow the condition; got "now".'),
  },
  {
    typed: 'subscribe daily 09:00 if yesterday > 250 7d',
    expected: error('Nothing may follow the condition; got "7d".'),
  },
  {
    typed: 'subscribe daily 09:00 if change > 20% 30%',
    expected: error('Nothing may follow the condition; got "30%".'),
  },
  {
    typed: 'subscribe daily 09:00 if change > 20 % now',
    expected: error('Nothing may follow the condition; got "now".'),
  },
  {
    typed: 'subscribe daily 09:00 if anomaly if change > 5%',
    expected: error('Give one condition; got a second "if".'),
  },

  // Everything at once, as the issue writes it
  {
    typed: 'subscribe weekdays 09:30 Europe/Paris service AmazonEC2 7d if yesterday > 250',
    expected: subscribe({
      cadence: { every: 'weekday' },
      time: '09:30',
      timeZone: 'Europe/Paris',
      report: { period: '7d', service: 'AmazonEC2' },
      condition: { kind: 'yesterday-above', dollars: 250 },
    }),
  },

  // Listing and removing
  { typed: 'subscriptions', expected: { ok: true, command: { kind: 'subscriptions' } } },
  { typed: 'Subscriptions', expected: { ok: true, command: { kind: 'subscriptions' } } },
  {
    typed: 'subscriptions all',
    expected: error('"subscriptions" takes no other words; got "all".'),
  },
  {
    typed: 'unsubscribe k3m9x2qa',
    expected: { ok: true, command: { kind: 'unsubscribe', id: 'k3m9x2qa' } },
  },
  {
    typed: 'unsubscribe K3M9X2QA',
    expected: { ok: true, command: { kind: 'unsubscribe', id: 'k3m9x2qa' } },
  },
  {
    typed: 'unsubscribe digest',
    expected: { ok: true, command: { kind: 'unsubscribe', id: 'digest' } },
  },
  {
    typed: `unsubscribe ${'a'.repeat(16)}`,
    expected: { ok: true, command: { kind: 'unsubscribe', id: 'a'.repeat(16) } },
  },
  {
    typed: `unsubscribe ${'a'.repeat(17)}`,
    expected: error(`Subscription ids are 1 to 16 letters and digits; got "${'a'.repeat(17)}".`),
  },
  {
    typed: 'unsubscribe k3m9-x2q',
    expected: error('Subscription ids are 1 to 16 letters and digits; got "k3m9-x2q".'),
  },
  {
    typed: 'unsubscribe C0123ABCD.k3m9x2qa',
    expected: error('Subscription ids are 1 to 16 letters and digits; got "C0123ABCD.k3m9x2qa".'),
  },
  {
    typed: 'unsubscribe',
    expected: error(
      'Say which subscription to remove, e.g. "unsubscribe k3m9x2qa" ("subscriptions" lists them).',
    ),
  },
  {
    typed: 'unsubscribe k3m9x2qa k3m9x2qb',
    expected: error('"unsubscribe" takes one id; got "k3m9x2qb".'),
  },
];

describe('Function: parseCommand (subscriptions)', () => {
  for (const c of CASES) {
    it(`${JSON.stringify(c.typed)} → ${c.expected.ok ? JSON.stringify(c.expected.command) : c.expected.error}`, () => {
      // Act
      const result = parseCommand(slack(c.typed));

      // Assess
      assert.deepEqual(result, c.expected);
    });
  }

  it('refuses a raw ">" as Slack markup: Slack always sends it as &gt;', () => {
    // Act
    const result = parseCommand('subscribe daily 09:00 if yesterday > 250');

    // Assess
    assert.deepEqual(
      result,
      error('Mentions, channels and links cannot be used here; got "&gt;".'),
    );
  });

  it('gives every subscribe it accepts a schedule that reads back as the same subscription', () => {
    // Prepare
    const accepted = CASES.flatMap(({ expected }) =>
      expected.ok && expected.command.kind === 'subscribe' ? [expected.command] : [],
    );

    const subscriptions: Subscription[] = accepted.map((command) => ({
      id: 'k3m9x2qa',
      channel: 'C0123ABCD',
      cadence: command.cadence,
      time: command.time,
      timeZone: command.timeZone ?? 'Europe/Paris',
      report: command.report,
      ...(command.condition ? { condition: command.condition } : {}),
    }));

    // Act
    const readBack = subscriptions.map((s) =>
      subscriptionFromSchedule({
        name: scheduleName(s.channel, s.id),
        expression: cronExpression(s),
        timeZone: s.timeZone,
        input: JSON.stringify(subscriptionInput(s)),
      }),
    );

    // Assess
    assert.ok(subscriptions.length > 40);
    assert.deepEqual(readBack, subscriptions);
  });
});
