import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  MAX_DIMENSIONS,
  MAX_LENGTH,
  type ParsedCommand,
  type ParseResult,
  parseCommand,
  SUBSCRIPTION_USAGE,
  USAGE,
  usageReply,
} from '../../../bot/command/parse.ts';
import type { MetricPeriod, MetricRequest } from '../../../common/contract.ts';
import { check, MAX_ACCOUNTS, ReportRequestSchema } from '../../../common/contract-schema.ts';
import { seeded } from '../../support/seeded.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const PERIOD_ERROR = ': use 7d, 30d, mtd or last-month.';

function report(
  period: 'mtd' | '7d' | '30d' | 'last-month',
  extra: { service?: string; accounts?: string[] } = {},
): ParseResult {
  return { ok: true, command: { kind: 'report', period, ...extra } };
}

function chart(period: 'mtd' | '7d' | '30d' | 'last-month'): ParseResult {
  return { ok: true, command: { kind: 'chart', period } };
}

function metricChart(
  period: MetricPeriod,
  metric: Partial<MetricRequest> & { namespace: string; metricName: string },
): ParseResult {
  return {
    ok: true,
    command: { kind: 'chart', metric: { dimensions: [], stat: 'Sum', ...metric, period } },
  };
}

const METRIC_PERIOD_ERROR = ': metric charts take 1h, 3h, 6h, 12h, 24h, 3d, 7d, 14d, 30d.';

function error(text: string): ParseResult {
  return { ok: false, error: text };
}

/** `n` distinct dimensions `D1=v1 D2=v2 ...`. */
function dims(n: number): { text: string; list: { name: string; value: string }[] } {
  const list = Array.from({ length: n }, (_, i) => ({ name: `D${i + 1}`, value: `v${i + 1}` }));
  return { text: list.map((d) => `${d.name}=${d.value}`).join(' '), list };
}

const CASES: { text: string; expected: ParseResult }[] = [
  // Reports by period
  { text: '', expected: report('mtd') },
  { text: '  \t \n ', expected: report('mtd') },
  { text: 'mtd', expected: report('mtd') },
  { text: '7d', expected: report('7d') },
  { text: ' 30D ', expected: report('30d') },
  { text: 'last-month', expected: report('last-month') },
  { text: 'LastMonth', expected: report('last-month') },
  { text: '7d\r\n', expected: report('7d') },
  { text: '\u00a07d\u3000', expected: report('7d') },
  { text: '8d', expected: error(`Unknown period "8d"${PERIOD_ERROR}`) },
  { text: '-7d', expected: error(`Unknown period "-7d"${PERIOD_ERROR}`) },
  { text: '99999999999d', expected: error(`Unknown period "99999999999d"${PERIOD_ERROR}`) },
  { text: 'last month', expected: error(`Unknown period "last"${PERIOD_ERROR}`) },
  { text: '7d 30d', expected: error('The period is given twice ("30d").') },
  { text: '7d foo', expected: error('Unknown word "foo".') },
  { text: 'foo', expected: error('Unknown word "foo".') },
  { text: 'report', expected: error('Unknown word "report".') },
  { text: '😀', expected: error('Unknown word "😀".') },

  // Help and digest
  { text: 'help', expected: { ok: true, command: { kind: 'help' } } },
  { text: 'HELP chart', expected: { ok: true, command: { kind: 'help' } } },
  { text: 'digest', expected: { ok: true, command: { kind: 'digest' } } },
  { text: 'Digest 7d', expected: error('"digest" takes no other words; got "7d".') },
  { text: 'doctor', expected: { ok: true, command: { kind: 'doctor' } } },
  { text: '  DOCTOR\t', expected: { ok: true, command: { kind: 'doctor' } } },
  { text: 'doctor 7d', expected: error('"doctor" takes no other words; got "7d".') },
  {
    text: 'doctor <!here>',
    expected: error('Mentions, channels and links cannot be used here; got "&lt;!here&gt;".'),
  },

  // One service
  { text: 'service AmazonEC2', expected: report('mtd', { service: 'AmazonEC2' }) },
  { text: '  SERVICE   AWSLambda   7d ', expected: report('7d', { service: 'AWSLambda' }) },
  {
    text: 'service amazon.s3_x-1 last-month',
    expected: report('last-month', { service: 'amazon.s3_x-1' }),
  },
  { text: 'service', expected: error('Name a service, e.g. "service AmazonEC2".') },
  {
    text: 'service 7d',
    expected: error('Name the service before the period, e.g. "service AmazonEC2 7d".'),
  },
  {
    text: 'service Amazon EC2',
    expected: error('Unknown word "EC2" (service names are one word, e.g. AmazonEC2).'),
  },
  {
    text: 'service Amazon$EC2',
    expected: error(
      'Service names are one word of letters, digits, ".", "_" or "-" (max 64); got "Amazon$EC2".',
    ),
  },
  { text: 'service AmazonEC2 8d', expected: error(`Unknown period "8d"${PERIOD_ERROR}`) },

  // Linked accounts
  { text: 'account 123456789012', expected: report('mtd', { accounts: ['123456789012'] }) },
  {
    text: 'accounts 123456789012,210987654321 30d',
    expected: report('30d', { accounts: ['123456789012', '210987654321'] }),
  },
  {
    text: 'account 123456789012, 210987654321 123456789012',
    expected: report('mtd', { accounts: ['123456789012', '210987654321'] }),
  },
  { text: 'account 123', expected: error('Account ids are 12 digits; got "123".') },
  {
    text: 'account 123456789012,,1234567890123',
    expected: error('Account ids are 12 digits; got "1234567890123".'),
  },
  {
    text: 'account prod',
    expected: error('Account ids are 12 digits; got "prod" (account names cannot be looked up).'),
  },
  {
    text: 'account 123456789012 prod',
    expected: error('Account ids are 12 digits; got "prod" (account names cannot be looked up).'),
  },
  {
    text: 'account',
    expected: error('Name the accounts by 12-digit id, e.g. "account 123456789012".'),
  },
  {
    text: 'account 7d',
    expected: error('Name the accounts by 12-digit id, e.g. "account 123456789012".'),
  },

  // Charts of cost
  { text: 'chart cost', expected: chart('mtd') },
  { text: 'Chart COST last-month', expected: chart('last-month') },
  { text: 'chart cost p99', expected: error('Unknown word "p99".') },
  {
    text: 'chart',
    expected: error('Say what to chart, e.g. "chart cost" or "chart AWS/Lambda Errors".'),
  },
  {
    text: 'chart 7d',
    expected: error('Say what to chart before the period, e.g. "chart cost 7d".'),
  },

  // Charts of a metric
  {
    text: 'chart AWS/Lambda Errors',
    expected: metricChart('24h', { namespace: 'AWS/Lambda', metricName: 'Errors' }),
  },
  {
    text: 'chart AWS/Lambda Duration FunctionName=api Resource=api:live 7d p99',
    expected: metricChart('7d', {
      namespace: 'AWS/Lambda',
      metricName: 'Duration',
      dimensions: [
        { name: 'FunctionName', value: 'api' },
        { name: 'Resource', value: 'api:live' },
      ],
      stat: 'p99',
    }),
  },
  {
    text: 'chart MyApp/Orders Placed average 30d',
    expected: metricChart('30d', {
      namespace: 'MyApp/Orders',
      metricName: 'Placed',
      stat: 'Average',
    }),
  },
  {
    text: 'chart AWS/Lambda Duration P99.9 1H',
    expected: metricChart('1h', {
      namespace: 'AWS/Lambda',
      metricName: 'Duration',
      stat: 'p99.9',
    }),
  },
  {
    text: 'chart AWS/Lambda Duration p99 last-month',
    expected: error(`Unknown period "last-month"${METRIC_PERIOD_ERROR}`),
  },
  {
    text: 'chart AWS/Lambda Errors mtd',
    expected: error(`Unknown period "mtd"${METRIC_PERIOD_ERROR}`),
  },
  {
    text: 'chart AWS/Lambda Errors 2h',
    expected: error(`Unknown period "2h"${METRIC_PERIOD_ERROR}`),
  },
  ...(['1h', '3h', '6h', '12h', '24h', '3d', '7d', '14d', '30d'] as const).map((period) => ({
    text: `chart AWS/Lambda Errors ${period}`,
    expected: metricChart(period, { namespace: 'AWS/Lambda', metricName: 'Errors' }),
  })),

  // Several lines of a metric
  {
    text: 'chart AWS/Lambda Errors FunctionName=api,worker 24h',
    expected: metricChart('24h', {
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      split: { name: 'FunctionName', values: ['api', 'worker'] },
    }),
  },
  {
    text: 'chart AWS/Lambda Duration Resource=live FunctionName=* p99 3h',
    expected: metricChart('3h', {
      namespace: 'AWS/Lambda',
      metricName: 'Duration',
      dimensions: [{ name: 'Resource', value: 'live' }],
      split: { name: 'FunctionName', values: '*' },
      stat: 'p99',
    }),
  },
  {
    text: 'chart AWS/Lambda Errors FunctionName=api,worker,api',
    expected: metricChart('24h', {
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      split: { name: 'FunctionName', values: ['api', 'worker'] },
    }),
  },
  {
    text: `chart AWS/Lambda Errors FunctionName=${Array.from({ length: 10 }, (_, i) => `f${i}`).join(',')}`,
    expected: metricChart('24h', {
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      split: { name: 'FunctionName', values: Array.from({ length: 10 }, (_, i) => `f${i}`) },
    }),
  },
  {
    text: `chart AWS/Lambda Errors FunctionName=${Array.from({ length: 11 }, (_, i) => `f${i}`).join(',')}`,
    expected: error(
      'At most 10 values for one dimension; got 11 in "FunctionName=f0,f1,f2,f3,f4,f5,f6,f7,f8,…".',
    ),
  },
  {
    text: 'chart AWS/Lambda Errors FunctionName=api,,worker',
    expected: error(
      `Separate a dimension's values by single commas; got "FunctionName=api,,worker".`,
    ),
  },
  {
    text: 'chart AWS/Lambda Errors FunctionName=api,',
    expected: error(`Separate a dimension's values by single commas; got "FunctionName=api,".`),
  },
  {
    text: 'chart AWS/Lambda Errors FunctionName=*,api',
    expected: error('* stands alone (every value of the dimension); got "FunctionName=*,api".'),
  },
  {
    text: 'chart AWS/Lambda Errors FunctionName=a,b Resource=*',
    expected: error(
      'Only one dimension may list several values or *; got "FunctionName" and "Resource".',
    ),
  },
  {
    text: 'chart AWS/Lambda Errors FunctionName=a,b FunctionName=c',
    expected: error('The dimension "FunctionName" is given twice.'),
  },
  {
    text: '24h',
    expected: error(
      `Unknown period "24h"${PERIOD_ERROR.slice(0, -1)} (hour periods are for metric charts).`,
    ),
  },
  {
    text: 'chart cost 1h',
    expected: error(
      `Unknown period "1h"${PERIOD_ERROR.slice(0, -1)} (hour periods are for metric charts).`,
    ),
  },
  {
    text: 'service AmazonEC2 12h',
    expected: error(
      `Unknown period "12h"${PERIOD_ERROR.slice(0, -1)} (hour periods are for metric charts).`,
    ),
  },
  {
    text: 'chart 24h',
    expected: error('Say what to chart before the period, e.g. "chart cost 7d".'),
  },
  {
    text: 'chart AWS/Lambda 24h',
    expected: error('Name the metric after the namespace, e.g. "chart AWS/Lambda Errors".'),
  },
  {
    text: 'chart AWS/SQS ApproximateAgeOfOldestMessage QueueName=jobs samplecount',
    expected: metricChart('24h', {
      namespace: 'AWS/SQS',
      metricName: 'ApproximateAgeOfOldestMessage',
      dimensions: [{ name: 'QueueName', value: 'jobs' }],
      stat: 'SampleCount',
    }),
  },
  {
    text: 'chart MyApp/Latency p99 Maximum',
    expected: metricChart('24h', {
      namespace: 'MyApp/Latency',
      metricName: 'p99',
      stat: 'Maximum',
    }),
  },
  {
    text: `chart A/B M ${dims(MAX_DIMENSIONS).text}`,
    expected: metricChart('24h', { namespace: 'A/B', metricName: 'M', dimensions: dims(30).list }),
  },
  {
    text: `chart A/B M ${dims(MAX_DIMENSIONS + 1).text}`,
    expected: error('Too many dimensions (max 30).'),
  },
  {
    text: 'chart AWS/Lambda Duration p999',
    expected: error(
      'Unknown statistic "p999": use Sum, Average, Maximum, Minimum, SampleCount or a percentile p0 to p99.9.',
    ),
  },
  {
    text: 'chart AWS/Lambda Duration avg',
    expected: error(
      'Unknown statistic "avg": use Sum, Average, Maximum, Minimum, SampleCount or a percentile p0 to p99.9.',
    ),
  },
  {
    text: 'chart AWS/Lambda Errors Sum Average',
    expected: error('The statistic is given twice ("Average").'),
  },
  {
    text: 'chart AWS/Lambda Errors 7d -30d',
    expected: error(`Unknown period "-30d"${METRIC_PERIOD_ERROR}`),
  },
  {
    text: 'chart AWS/Lambda Duration 7d FunctionName=api',
    expected: error('Put dimensions before the period and statistic; got "FunctionName=api".'),
  },
  {
    text: 'chart AWS/Lambda FunctionName=api',
    expected: error('Name the metric after the namespace, e.g. "chart AWS/Lambda Errors".'),
  },
  {
    text: 'chart AWS/Lambda',
    expected: error('Name the metric after the namespace, e.g. "chart AWS/Lambda Errors".'),
  },
  {
    text: 'chart AWS/Lambda Errors FunctionName="api"',
    expected: error(
      'Dimensions are Name=Value, one word without quotes; got "FunctionName="api"".',
    ),
  },
  {
    text: 'chart AWS/Lambda Errors A=b=c',
    expected: error('Dimensions are Name=Value, one word without quotes; got "A=b=c".'),
  },
  {
    text: 'chart AWS/Lambda Errors FunctionName=',
    expected: error('Dimensions are Name=Value, one word without quotes; got "FunctionName=".'),
  },
  { text: 'chart AWS/Lambda Errors A=1 A=2', expected: error('The dimension "A" is given twice.') },
  {
    text: 'chart :Bad Errors',
    expected: error(
      'Unknown namespace ":Bad": one word like AWS/Lambda or MyApp/Orders, or "cost".',
    ),
  },
  {
    text: 'chart AWS/Lambda Err@rs',
    expected: error('Metric names are one word of letters, digits, ".", "_" or "-"; got "Err@rs".'),
  },
  {
    text: 'chart AWS/Lambda Errors extra',
    expected: error('Unknown word "extra" (metric names are one word; dimensions are Name=Value).'),
  },

  // Slack markup, entities, control characters, limits
  {
    text: '<@U123> 7d',
    expected: error('Mentions, channels and links cannot be used here; got "&lt;@U123&gt;".'),
  },
  {
    text: 'service <!channel>',
    expected: error('Mentions, channels and links cannot be used here; got "&lt;!channel&gt;".'),
  },
  {
    text: 'chart <http://x.com|x y>',
    expected: error(
      'Mentions, channels and links cannot be used here; got "&lt;http://x.com|x y&gt;".',
    ),
  },
  { text: 'foo&amp;bar', expected: error('Unknown word "foo&amp;bar".') },
  { text: '&lt;!here&gt;', expected: error('Unknown word "&lt;!here&gt;".') },
  { text: '7d\u0007', expected: error('Control characters are not allowed (found U+0007).') },
  { text: 'help\u009b', expected: error('Control characters are not allowed (found U+009B).') },
  { text: 'a'.repeat(501), expected: error('The command is too long (max 500 characters).') },
  {
    text: `${'7d '.repeat(200)}<!channel>`,
    expected: error('The command is too long (max 500 characters).'),
  },
  { text: 'x'.repeat(500), expected: error(`Unknown word "${'x'.repeat(40)}…".`) },
  { text: '😀'.repeat(50), expected: error(`Unknown word "${'😀'.repeat(40)}…".`) },
  { text: 'mtd '.repeat(36), expected: error('Too many words.') },
];

// ---------------------------------------------------------------------------------------------
// Property-style checks

const PIECES = [
  '',
  'x'.repeat(600),
  '7d '.repeat(170),
  'é',
  'Straße',
  '中文',
  '😀',
  '👍🏽',
  '\u200d',
  '\u0000',
  '\u0007',
  '\u001b[31m',
  '\u007f',
  '\u009b',
  '\t',
  '\n',
  '\u00a0',
  '"',
  "'",
  '`',
  '<@U1>',
  '<!channel>',
  '<!here|here>',
  '<http://x|y>',
  '<http://x|y z>',
  '<',
  '>',
  '&amp;',
  '&lt;',
  '&gt;',
  '&',
  '*bold*',
  '_it_',
  '{"a":1}',
  '["7d"]',
  '{"kind":"report"}',
  '99999999999d',
  '1e309d',
  '-7d',
  '+30d',
  '0d',
  'NaN',
  '7d',
  '30d',
  'mtd',
  'last-month',
  'lastmonth',
  'last',
  'help',
  'digest',
  'service',
  'AmazonEC2',
  'account',
  'accounts',
  '123456789012',
  '123456789012,210987654321',
  '123',
  'chart',
  'cost',
  'AWS/Lambda',
  'MyApp/Orders',
  'Errors',
  'FunctionName=api',
  'A=<@U1>',
  'A=b=c',
  'p99',
  'p99.9',
  'Sum',
  'samplecount',
  '__proto__',
  'constructor',
  'toString',
];
const SEPARATORS = [' ', '  ', '\t', '\n', '', ',', '=', '\u3000'];

/** Starts of well-formed commands, so that many generated strings are close to valid. */
const FORMS = [
  '',
  'service AmazonEC2',
  'account 123456789012',
  'chart cost',
  'chart AWS/Lambda Errors',
  'chart AWS/Lambda Duration FunctionName=api',
  'digest',
  'help',
];
const TAILS = ['7d', '30d', 'mtd', 'last-month', 'Sum', 'p99', 'p99.9', 'Average'];

/**
 * The `count` test strings: every piece alone first, then random sequences of pieces, and
 * command forms followed by a few tail words or, sometimes, a random piece.
 */
function generated(count: number, seed: number): string[] {
  const random = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const out = [...PIECES];
  while (out.length < count) {
    let text = '';
    if (random() < 0.5) {
      const n = 1 + Math.floor(random() * 8);
      for (let i = 0; i < n; i++) text += (i > 0 ? pick(SEPARATORS) : '') + pick(PIECES);
    } else {
      text = pick(FORMS);
      const n = Math.floor(random() * 3);
      for (let i = 0; i < n; i++) text += ` ${random() < 0.2 ? pick(PIECES) : pick(TAILS)}`;
    }
    if (random() < 0.1) text = text.toUpperCase();
    out.push(text);
  }
  return out.slice(0, count);
}

const PERIOD_SET = new Set(['mtd', '7d', '30d', 'last-month']);
const METRIC_PERIOD_SET = new Set(['1h', '3h', '6h', '12h', '24h', '3d', '7d', '14d', '30d']);
const STAT = /^(?:Sum|Average|Maximum|Minimum|SampleCount|p(?:[1-9]?\d)(?:\.\d)?)$/;

/** Why `command` is not a command the rest of the bot can run, or null when it is one. */
function invalidCommand(command: ParsedCommand): string | null {
  const keys = Object.keys(command).sort().join(',');
  switch (command.kind) {
    case 'help':
    case 'digest':
    case 'doctor':
      return keys === 'kind' ? null : `unexpected keys ${keys}`;
    case 'report': {
      if (!PERIOD_SET.has(command.period)) return `bad period ${command.period}`;
      if (command.service !== undefined && command.accounts !== undefined) return 'both';
      if (command.service !== undefined && !/^[A-Za-z0-9._-]{1,64}$/.test(command.service)) {
        return `bad service ${command.service}`;
      }
      if (command.accounts !== undefined) {
        if (command.accounts.length === 0) return 'no accounts';
        if (new Set(command.accounts).size !== command.accounts.length) return 'duplicate ids';
        if (!command.accounts.every((id) => /^\d{12}$/.test(id))) return 'bad account id';
      }
      return null;
    }
    case 'chart': {
      if (!('metric' in command)) {
        return PERIOD_SET.has(command.period) ? null : `bad period ${command.period}`;
      }
      const m = command.metric;
      if (!METRIC_PERIOD_SET.has(m.period)) return `bad period ${m.period}`;
      if (!/^[A-Za-z0-9._/#-][A-Za-z0-9._/#:-]{0,254}$/.test(m.namespace)) return 'namespace';
      if (!/^[A-Za-z0-9._-]{1,255}$/.test(m.metricName)) return 'metric name';
      if (!STAT.test(m.stat)) return `stat ${m.stat}`;
      if (m.dimensions.length > 30) return 'too many dimensions';
      for (const d of m.dimensions) {
        if (!/^[A-Za-z0-9._:/-]{1,255}$/.test(d.name)) return `dimension name ${d.name}`;
        if (!/^[\x21-\x7e]{1,1024}$/.test(d.value) || /[=<>&"'`,]/.test(d.value)) {
          return `dimension value ${d.value}`;
        }
      }
      if (m.split) {
        const { values } = m.split;
        if (m.dimensions.some((d) => d.name === m.split?.name)) return 'split twice';
        if (values !== '*' && (values.length < 2 || values.length > 10)) return 'split count';
        if (values !== '*' && new Set(values).size !== values.length) return 'split repeats';
      }
      return null;
    }
    default:
      return 'unknown kind';
  }
}

// ---------------------------------------------------------------------------------------------

describe('Function: parseCommand', () => {
  for (const { text, expected } of CASES) {
    const label = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);
    it(`parses ${label}`, () => {
      assert.deepEqual(parseCommand(text), expected);
    });
  }

  it('covers at least 35 inputs, both valid and invalid', () => {
    // Prepare
    const valid = CASES.filter((c) => c.expected.ok).length;

    // Act
    const invalid = CASES.length - valid;

    // Assess
    assert.ok(CASES.length >= 35, `${CASES.length} cases`);
    assert.ok(valid >= 10 && invalid >= 10, `${valid} valid, ${invalid} invalid`);
  });

  it('never throws and returns a runnable command or a mrkdwn-safe error, for 300 strings', () => {
    // Prepare
    const inputs = generated(300, 20_261_122);
    let valid = 0;
    let invalid = 0;

    for (const text of inputs) {
      // Act
      let result: ParseResult | undefined;
      assert.doesNotThrow(
        () => {
          result = parseCommand(text);
        },
        `threw for ${JSON.stringify(text)}`,
      );

      // Assess
      assert.ok(result, `no result for ${JSON.stringify(text)}`);
      if (result.ok) {
        valid++;
        assert.equal(invalidCommand(result.command), null, JSON.stringify(text));
      } else {
        invalid++;
        assert.equal(typeof result.error, 'string');
        assert.ok(result.error.length > 0 && result.error.length < 200, result.error);
        assert.doesNotMatch(result.error, /[<>]/, `raw bracket for ${JSON.stringify(text)}`);
        assert.doesNotMatch(result.error, /&(?!(?:amp|lt|gt);)/, 'unescaped &');
        assert.doesNotMatch(result.error, /\p{Cc}/u, 'control character in the error');
        assert.equal(usageReply(result.error), `${result.error}\n\n${USAGE}`, 'escaped twice');
      }
    }
    assert.equal(inputs.length, 300);
    assert.ok(valid >= 40, `only ${valid} valid inputs were generated`);
    assert.ok(invalid >= 100, `only ${invalid} invalid inputs were generated`);
  });

  it('is deterministic', () => {
    // Prepare
    const inputs = generated(50, 7);

    // Act
    const first = inputs.map(parseCommand);
    const second = generated(50, 7).map(parseCommand);

    // Assess
    assert.deepEqual(second, first);
  });
});

describe('Bound: accounts per command', () => {
  it(`names at most MAX_ACCOUNTS (${MAX_ACCOUNTS}) accounts, however the text is packed`, () => {
    // Prepare: as many distinct ids as fit in the longest command text.
    const ids: string[] = [];
    while (
      `account ${[...ids, String(100000000000 + ids.length)].join(',')}`.length <= MAX_LENGTH
    ) {
      ids.push(String(100000000000 + ids.length));
    }

    // Act
    const parsed = parseCommand(`account ${ids.join(',')}`);

    // Assess
    assert.ok(parsed.ok && parsed.command.kind === 'report');
    assert.equal(parsed.command.accounts?.length, ids.length);
    assert.ok(ids.length <= MAX_ACCOUNTS, `${ids.length} accounts fit in ${MAX_LENGTH} characters`);
    const { period, accounts } = parsed.command;
    const request = {
      kind: 'command',
      requestId: 'cmd-1',
      channel: 'C0CHANNEL1',
      period,
      accounts,
    };
    assert.ok(check(ReportRequestSchema, request), 'the request the command makes validates');
  });
});

describe('Constant: USAGE', () => {
  it('mentions every command form, period and statistic', () => {
    // Prepare
    const mentions = [
      '`/aws-cost`',
      '/aws-cost 7d',
      '/aws-cost service ',
      '/aws-cost account ',
      '/aws-cost chart cost',
      '/aws-cost chart AWS/Lambda ',
      'Name=Value',
      '/aws-cost digest',
      '/aws-cost doctor',
      '/aws-cost help',
      '/aws-cost subscribe ',
      '/aws-cost subscriptions',
      '/aws-cost unsubscribe ',
      '`7d`',
      '`30d`',
      '`mtd`',
      '`last-month`',
      '`Sum`',
      '`Average`',
      '`Maximum`',
      '`Minimum`',
      '`SampleCount`',
      '`p50`',
      '`p99.9`',
    ];

    // Act
    const missing = mentions.filter((m) => !USAGE.includes(m));

    // Assess
    assert.deepEqual(missing, []);
  });

  it('gives examples that parse, one for each kind of command', () => {
    // Prepare
    const examples = [...USAGE.matchAll(/`\/aws-cost([^`[]*)`/g)].map((m) => m[1] ?? '');

    // Act
    const results = examples.map((text) => ({ text, result: parseCommand(text) }));

    // Assess
    const failed = results.filter((r) => !r.result.ok);
    assert.deepEqual(failed, []);
    const shapes = new Set(
      results.map(({ result }) => {
        if (!result.ok) return 'error';
        const c = result.command;
        if (c.kind === 'report') return c.service ? 'service' : c.accounts ? 'accounts' : 'report';
        if (c.kind === 'chart') return 'metric' in c ? 'chart metric' : 'chart cost';
        return c.kind;
      }),
    );
    assert.deepEqual([...shapes].sort(), [
      'accounts',
      'chart cost',
      'chart metric',
      'digest',
      'doctor',
      'help',
      'report',
      'service',
      'subscribe',
      'subscriptions',
      'unsubscribe',
    ]);
  });

  it('is mrkdwn without raw brackets', () => {
    // Prepare
    const text = USAGE;

    // Act
    const brackets = text.match(/[<>]/g);

    // Assess
    assert.equal(brackets, null);
    assert.ok(text.startsWith('*Usage:*'));
  });
});

describe('Function: usageReply', () => {
  it('escapes raw markup in the error and appends the usage', () => {
    // Prepare
    const message = 'Bad <!channel> & <@U1> here';

    // Act
    const reply = usageReply(message);

    // Assess
    assert.equal(reply, `Bad &lt;!channel&gt; &amp; &lt;@U1&gt; here\n\n${USAGE}`);
  });

  it('does not escape a parse error twice', () => {
    // Prepare
    const parsed = parseCommand('service <!channel>');
    assert.equal(parsed.ok, false);
    const message = parsed.ok ? '' : parsed.error;

    // Act
    const reply = usageReply(message);

    // Assess
    assert.ok(reply.includes('"&lt;!channel&gt;"'), reply);
    assert.ok(!reply.includes('&amp;lt;'), reply);
    assert.ok(!reply.includes('<!channel>'), reply);
  });

  for (const text of [
    'subscribe weekly funday 08:00',
    '  Subscribe daily',
    'subscriptions now',
    'UNSUBSCRIBE',
    'unsubscribe a b',
  ]) {
    it(`shows only the subscription commands' usage after "${text}"`, () => {
      // Act
      const reply = usageReply('Bad.', text);
      // Assess
      assert.equal(reply, `Bad.\n\n${SUBSCRIPTION_USAGE}`);
      assert.equal(SUBSCRIPTION_USAGE.split('\n').length, 4, 'a title and three commands');
    });
  }

  for (const text of ['', 'service', 'chart cost 24h', 'subscriber', 'digest subscribe']) {
    it(`shows the whole usage after "${text}"`, () => {
      assert.equal(usageReply('Bad.', text), `Bad.\n\n${USAGE}`);
    });
  }
});
