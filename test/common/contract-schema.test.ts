/**
 * The bounds of `common/contract-schema.ts` keep every state under Step Functions' 256 KB: the
 * largest states the schemas accept are built (each checked against its schema, so it is one
 * a step would take) with the widest value every field allows, and measured as UTF-8 JSON.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as v from 'valibot';
import type { AccountFetched, ReportRequest } from '../../common/contract.ts';
import {
  check,
  FetchStateSchema,
  MAX_ACCOUNTS,
  MAX_REQUEST_CHARS,
  MAX_SERIES_POINTS,
  parseEvent,
  ReportRequestSchema,
  SummarizeAccountsStateSchema,
} from '../../common/contract-schema.ts';
import { InvalidEventError } from '../../common/errors.ts';

/** Step Functions' limit on a state's input or output, in bytes of UTF-8 JSON. */
const LIMIT = 256 * 1024;
/** The widest JSON number a finite double prints as. */
const WIDEST_NUMBER = -2.2250738585072014e-308;

const bytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value));
const accepted = (schema: v.GenericSchema<unknown, unknown>, value: unknown) =>
  check(schema, value) !== null;

const accounts = Array.from({ length: MAX_ACCOUNTS }, (_, i) => String(100000000000 + i));
const days = Array.from({ length: MAX_SERIES_POINTS }, (_, i) =>
  new Date(Date.UTC(2026, 0, 1 + i)).toISOString().slice(0, 10),
);

/** The largest request naming accounts: every account, every other field as long as allowed. */
function largestAccountsRequest(): ReportRequest {
  return {
    kind: 'command',
    requestId: 'a'.repeat(80),
    channel: `#${'c'.repeat(80)}`,
    responseUrl: `https://hooks.slack.com/commands/${'x'.repeat(2048 - 33)}`,
    userId: 'U'.repeat(64),
    period: 'last-month',
    asOf: '2026-02-28T23:59:59.999Z',
    accounts,
  };
}

/** A metric chart request of `chars` characters as JSON, its dimensions as long as need be. */
function metricRequest(chars: number): ReportRequest {
  const dimensions: { name: string; value: string }[] = [];
  const request = (): ReportRequest => ({
    kind: 'digest',
    requestId: 'r',
    channel: '#costs',
    period: 'mtd',
    metric: {
      namespace: 'AWS/Lambda',
      metricName: 'Errors',
      dimensions,
      stat: 'Sum',
      period: '24h',
    },
  });
  for (let room = chars - JSON.stringify(request()).length; room > 0; ) {
    const name = `D${dimensions.length}`;
    const overhead = JSON.stringify({ name, value: '' }).length + (dimensions.length > 0 ? 1 : 0);
    dimensions.push({ name, value: 'v'.repeat(Math.min(1024, Math.max(1, room - overhead))) });
    room = chars - JSON.stringify(request()).length;
  }
  return request();
}

function widestAccount(accountId: string): AccountFetched {
  return {
    accountId,
    series: { name: accountId, dates: days, values: days.map(() => WIDEST_NUMBER) },
    via: 'reader-role',
    from: days[0] as string,
    to: days.at(-1) as string,
    asOf: '2026-03-10T23:59:59.999Z',
    apiCalls: { getMetricData: 1_000_000, listMetrics: 1_000_000 },
  };
}

describe('Bounds: the largest states the schemas accept', () => {
  it(`a request is at most ${MAX_REQUEST_CHARS} characters as JSON`, () => {
    // Prepare
    const largest = metricRequest(MAX_REQUEST_CHARS);
    const over = metricRequest(MAX_REQUEST_CHARS + 1);

    // Assess
    assert.equal(JSON.stringify(largest).length, MAX_REQUEST_CHARS);
    assert.equal(JSON.stringify(over).length, MAX_REQUEST_CHARS + 1);
    assert.ok(accepted(ReportRequestSchema, largest), 'the largest request is accepted');
    assert.ok(!accepted(ReportRequestSchema, over), 'one more character is refused');
  });

  it('the FetchAccounts Map output (Summarize input), the largest state, stays under 60% of 256 KB', () => {
    // Prepare: every account, every point, every value printed as wide as a double prints.
    const state = { request: largestAccountsRequest(), perAccount: accounts.map(widestAccount) };

    // Act: counted with a request of the full MAX_REQUEST_CHARS, whatever it holds.
    const size = bytes(state.perAccount) + MAX_REQUEST_CHARS;

    // Assess
    assert.ok(accepted(SummarizeAccountsStateSchema, state), 'a state Summarize would take');
    assert.ok(size < 0.6 * LIMIT, `${size} bytes of ${LIMIT}`);
    // One account more is refused where the request enters, so this is the maximum.
    const more = { ...state.request, accounts: [...accounts, '999999999999'] };
    assert.ok(!accepted(ReportRequestSchema, more), `${MAX_ACCOUNTS + 1} accounts are refused`);
  });
});

describe('Function: parseEvent', () => {
  it('hands back the event itself once it matches', () => {
    // Prepare
    const event = {
      request: { kind: 'digest', requestId: 'd-1', channel: '#costs', period: 'mtd' },
    };
    // Act
    const state = parseEvent('Fetch', FetchStateSchema, event);
    // Assess
    assert.equal(state, event);
  });

  for (const [what, event] of [
    ['null', null],
    ['a string', 'hello'],
    ['no request', {}],
    [
      'a request with a mention as channel',
      { request: { kind: 'digest', requestId: 'd', channel: '<!here>', period: 'mtd' } },
    ],
  ] as const) {
    it(`throws InvalidEventError naming the step and the field for ${what}`, () => {
      // Act
      const parse = () => parseEvent('Fetch', FetchStateSchema, event);
      // Assess
      assert.throws(parse, (error: unknown) => {
        assert.ok(error instanceof InvalidEventError);
        assert.match(error.message, /^Fetch: the input event is malformed \(/);
        assert.doesNotMatch(error.message, /undefined|Cannot read/);
        return true;
      });
    });
  }
});
