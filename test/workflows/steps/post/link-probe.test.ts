/**
 * The Post step's check of a stable link: what each answer of the links endpoint and of S3
 * means (pure, table-driven), and the two calls as made, with `fetch` passed in. Whole runs
 * against the local links server and s3rver are in test/faults/chart-link.e2e.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ChartLinkBrokenError, ChartLinkUnavailableError } from '../../../../common/errors.ts';
import {
  createLinkProbe,
  linksVerdict,
  type ProbeVerdict,
  storageVerdict,
} from '../../../../workflows/steps/post/link-probe.ts';

const TOKEN = 'Y2hhcnRzLzIwMjYveC5wbmc.1795000000.abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
const LINK = `https://links.example/${TOKEN}`;
const SIGNATURE = 'f'.repeat(64);
const PRESIGNED = `https://costbot-charts.s3.amazonaws.com/charts/x.png?X-Amz-Signature=${SIGNATURE}`;

function s3Error(code: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message></Error>`;
}

/** ok, or broken / transient, as the tables below write it. */
function kind(verdict: ProbeVerdict): string {
  if (verdict.ok) return 'ok';
  return verdict.transient ? 'transient' : 'broken';
}

describe('Function: linksVerdict', () => {
  const cases: [number, string | null, string][] = [
    [302, PRESIGNED, 'ok'],
    [307, PRESIGNED, 'ok'],
    [302, null, 'broken'],
    [200, null, 'broken'],
    [403, null, 'broken'],
    [404, null, 'broken'],
    [502, null, 'broken'],
    [429, null, 'transient'],
    [500, null, 'transient'],
    [503, null, 'transient'],
    [504, null, 'transient'],
  ];
  for (const [status, location, expected] of cases) {
    it(`HTTP ${status}${location ? ' with a Location' : ''}: ${expected}`, () => {
      // Act
      const verdict = linksVerdict(status, location);
      // Assess
      assert.equal(kind(verdict), expected);
      if (!verdict.ok) assert.match(verdict.reason, new RegExp(`HTTP ${status}`));
    });
  }

  it('says a 404 is the token refused, and a 502 the links function failing', () => {
    // Act
    const refused = linksVerdict(404, null);
    const failed = linksVerdict(502, null);
    // Assess
    assert.ok(!refused.ok && /refused the token/.test(refused.reason));
    assert.ok(!failed.ok && /links function failed/.test(failed.reason));
  });
});

describe('Function: storageVerdict', () => {
  const cases: [number, string, string][] = [
    [206, '', 'ok'],
    [200, '', 'ok'],
    [403, 'SignatureDoesNotMatch', 'broken'],
    [403, 'InvalidAccessKeyId', 'broken'],
    [400, 'ExpiredToken', 'broken'],
    [403, 'AccessDenied', 'broken'],
    [404, 'NoSuchKey', 'broken'],
    [301, 'PermanentRedirect', 'broken'],
    [503, 'SlowDown', 'transient'],
    [500, 'InternalError', 'transient'],
    [503, '', 'transient'],
  ];
  for (const [status, code, expected] of cases) {
    it(`HTTP ${status} ${code || '(no body)'}: ${expected}`, () => {
      // Act
      const verdict = storageVerdict(status, code ? s3Error(code) : '');
      // Assess
      assert.equal(kind(verdict), expected);
      if (!verdict.ok)
        assert.ok(verdict.reason.includes(`HTTP ${status}${code ? ` ${code}` : ''}`));
    });
  }
});

interface Call {
  url: string;
  init: RequestInit | undefined;
}

/** A `fetch` answering each call in turn, recording what was asked. */
function scripted(...answers: (() => Response)[]) {
  const calls: Call[] = [];
  const fetch = (async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    const answer = answers[calls.length - 1];
    if (!answer) throw new Error('unexpected call');
    return answer();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const redirect = () => new Response(null, { status: 302, headers: { location: PRESIGNED } });

/** The error's message and name, checked to hold no secret. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(
    () => assert.fail('the probe passed'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof Error);
  assert.ok(!error.message.includes(TOKEN), 'the token is not in the message');
  assert.ok(!error.message.includes(SIGNATURE), 'the signature is not in the message');
  return error;
}

describe('Function: createLinkProbe', () => {
  it('GETs the link without following it, then the first byte of where it redirects', async () => {
    // Prepare
    const { fetch, calls } = scripted(redirect, () => new Response('x', { status: 206 }));
    // Act
    const result = await createLinkProbe({ fetch })(LINK);
    // Assess
    assert.deepEqual(result, { linksStatus: 302, storageStatus: 206 });
    assert.deepEqual(
      calls.map((c) => c.url),
      [LINK, PRESIGNED],
    );
    assert.equal(calls[0]?.init?.redirect, 'manual');
    assert.deepEqual(calls[1]?.init?.headers, { range: 'bytes=0-0' });
    assert.ok(calls.every((c) => c.init?.signal instanceof AbortSignal));
  });

  it('S3 refusing the signature: ChartLinkBrokenError naming the code and what to do', async () => {
    // Prepare
    const { fetch } = scripted(
      redirect,
      () => new Response(s3Error('SignatureDoesNotMatch'), { status: 403 }),
    );
    // Act
    const error = await rejection(createLinkProbe({ fetch })(LINK));
    // Assess
    assert.ok(error instanceof ChartLinkBrokenError);
    assert.equal(error.name, 'ChartLinkBrokenError');
    assert.match(error.message, /HTTP 403 SignatureDoesNotMatch/);
    assert.match(error.message, /npm run doctor/);
    assert.match(error.message, /npm run setup/);
  });

  it('S3 without the chart object (404 NoSuchKey): ChartLinkBrokenError saying the object is missing, not the key', async () => {
    // Prepare
    const { fetch } = scripted(redirect, () => new Response(s3Error('NoSuchKey'), { status: 404 }));
    // Act
    const error = await rejection(createLinkProbe({ fetch })(LINK));
    // Assess
    assert.ok(error instanceof ChartLinkBrokenError);
    assert.match(error.message, /HTTP 404 NoSuchKey/);
    assert.match(error.message, /chart object is missing/);
    assert.match(error.message, /signer key is not at fault/);
    assert.doesNotMatch(error.message, /--rotate/);
  });

  it('the links endpoint throttled: ChartLinkUnavailableError, S3 not asked', async () => {
    // Prepare
    const { fetch, calls } = scripted(() => new Response('', { status: 429 }));
    // Act
    const error = await rejection(createLinkProbe({ fetch })(LINK));
    // Assess
    assert.ok(error instanceof ChartLinkUnavailableError);
    assert.match(error.message, /throttled \(HTTP 429\)/);
    assert.equal(calls.length, 1);
  });

  it('a connection refused: ChartLinkUnavailableError naming the hop and the code', async () => {
    // Prepare
    const { fetch } = scripted(() => {
      throw new TypeError('fetch failed', {
        cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
      });
    });
    // Act
    const error = await rejection(createLinkProbe({ fetch })(LINK));
    // Assess
    assert.ok(error instanceof ChartLinkUnavailableError);
    assert.match(error.message, /the links endpoint could not be reached \(ECONNREFUSED\)/);
  });

  it('no answer in time: ChartLinkUnavailableError after the timeout, not later', async () => {
    // Prepare: a fetch that ends only when its signal does, as undici's does (its open socket,
    // here a timer, keeps the process alive: AbortSignal.timeout's own timer does not).
    const fetch = ((_input: string | URL | Request, init?: RequestInit) =>
      new Promise((_resolve, reject) => {
        const socket = setTimeout(() => reject(new Error('never aborted')), 5000);
        init?.signal?.addEventListener('abort', () => {
          clearTimeout(socket);
          reject(init.signal?.reason);
        });
      })) as typeof globalThis.fetch;
    const started = Date.now();
    // Act
    const error = await rejection(createLinkProbe({ fetch, timeoutMs: 50 })(LINK));
    // Assess
    assert.ok(error instanceof ChartLinkUnavailableError);
    assert.match(error.message, /did not answer within 50 ms/);
    assert.ok(Date.now() - started < 1000, `${Date.now() - started} ms`);
  });
});
