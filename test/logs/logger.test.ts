/**
 * costbot's logger on Powertools Logger: the line's shape, levels, redaction, errors, child
 * loggers, the Lambda context (cold start, request id) and the X-Ray trace id, and stderr as
 * the default destination.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  createLogger,
  type LambdaContext,
  type Logger,
  redact,
  withLambdaContext,
} from '../../common/log.ts';

function collecting(
  fields: Record<string, unknown> = {},
  level?: 'debug' | 'info' | 'warn' | 'error',
): { lines: string[]; records: () => Record<string, unknown>[]; log: Logger } {
  const lines: string[] = [];
  const log = createLogger(fields, { ...(level ? { level } : {}), write: (l) => lines.push(l) });
  return { lines, records: () => lines.map((l) => JSON.parse(l)), log };
}

function context(requestId: string): LambdaContext {
  return {
    functionName: 'costbot-post',
    functionVersion: '$LATEST',
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:costbot-post',
    memoryLimitInMB: '256',
    awsRequestId: requestId,
  };
}

/** Environment variables Powertools reads, restored after each test. */
const ENV_KEYS = ['_X_AMZN_TRACE_ID', 'AWS_LAMBDA_INITIALIZATION_TYPE', 'LOG_LEVEL'] as const;

describe('Function: createLogger', () => {
  const saved: Record<string, string | undefined> = {};

  beforeEach(() => {
    for (const key of ENV_KEYS) saved[key] = process.env[key];
  });

  afterEach(() => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('writes one JSON object per line: level, message, timestamp, service, fields', () => {
    // Prepare
    const { lines, records, log } = collecting({ step: 'post' });

    // Act
    log.info('posted', { requestId: 'r-1', ts: '1.2' });

    // Assess
    assert.equal(lines.length, 1);
    assert.match(lines[0] ?? '', /^\{"level":"info","message":"posted",/);
    const [record] = records();
    assert.equal(record?.service, 'costbot');
    assert.equal(record?.step, 'post');
    assert.equal(record?.requestId, 'r-1');
    assert.ok(!Number.isNaN(Date.parse(String(record?.timestamp))));
  });

  it('drops lines below its level and takes LOG_LEVEL when none is given', () => {
    // Prepare
    process.env.LOG_LEVEL = 'warn';
    const fromEnv = collecting();
    const explicit = collecting({}, 'debug');

    // Act
    for (const { log } of [fromEnv, explicit]) {
      log.debug('d');
      log.info('i');
      log.warn('w');
      log.error('e');
    }

    // Assess
    assert.deepEqual(
      fromEnv.records().map((r) => r.level),
      ['warn', 'error'],
    );
    assert.deepEqual(
      explicit.records().map((r) => r.level),
      ['debug', 'info', 'warn', 'error'],
    );
  });

  it('serializes errors as name, message and cause', () => {
    // Prepare
    const { records, log } = collecting();
    const cause = new TypeError('socket hang up');
    const error = new RangeError('Slack did not answer', { cause });

    // Act
    log.error('delivery failed', { error, detail: { nested: new Error('inner') } });

    // Assess
    const [record] = records();
    assert.deepEqual(record?.error, {
      name: 'RangeError',
      message: 'Slack did not answer',
      cause: { name: 'TypeError', message: 'socket hang up' },
    });
    assert.deepEqual(record?.detail, { nested: { name: 'Error', message: 'inner' } });
  });

  it('replaces every registered secret, in messages, fields and error causes', () => {
    // Prepare
    const secret = 'xoxb-logger-test-secret-42';
    redact(secret, 'short', undefined);
    const { lines, records, log } = collecting();

    // Act
    log.warn(`token ${secret} refused`, {
      header: `Bearer ${secret}`,
      error: new Error('outer', { cause: new Error(`inner ${secret}`) }),
      short: 'short',
    });

    // Assess
    assert.equal(lines[0]?.includes(secret), false);
    const [record] = records();
    assert.equal(record?.message, 'token [REDACTED] refused');
    assert.equal(record?.header, 'Bearer [REDACTED]');
    assert.deepEqual(record?.error, {
      name: 'Error',
      message: 'outer',
      cause: { name: 'Error', message: 'inner [REDACTED]' },
    });
    assert.equal(record?.short, 'short', 'values under 8 characters are not redacted');
  });

  it('gives a child its parent’s fields, level and destination', () => {
    // Prepare
    const { records, log } = collecting({ component: 'bot' }, 'warn');

    // Act
    const child = log.child({ requestId: 'r-9' });
    child.info('dropped');
    child.warn('kept', { extra: 1 });

    // Assess
    assert.deepEqual(
      records().map(({ level, message, component, requestId, extra }) => ({
        level,
        message,
        component,
        requestId,
        extra,
      })),
      [{ level: 'warn', message: 'kept', component: 'bot', requestId: 'r-9', extra: 1 }],
    );
  });

  it('writes to stderr by default, leaving stdout to the command', () => {
    // Prepare
    const written: string[] = [];
    const stderr = process.stderr.write;
    process.stderr.write = ((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stderr.write;
    const log = createLogger({ step: 'stderr' }, { level: 'info' });

    // Act
    try {
      log.info('to stderr');
    } finally {
      process.stderr.write = stderr;
    }

    // Assess
    assert.equal(written.length, 1);
    assert.match(written[0] ?? '', /^\{"level":"info","message":"to stderr".*\}\n$/);
  });

  it('carries the X-Ray trace id Lambda sets for the invocation', () => {
    // Prepare
    process.env._X_AMZN_TRACE_ID =
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const { records, log } = collecting();

    // Act
    log.info('traced');

    // Assess
    assert.equal(records()[0]?.xray_trace_id, '1-5759e988-bd862e3fe1be46a994272793');
  });
});

describe('Function: withLambdaContext', () => {
  it('adds the request id, function and cold-start flag to each invocation’s lines', async () => {
    // Prepare
    const saved = process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    process.env.AWS_LAMBDA_INITIALIZATION_TYPE = 'on-demand';
    const { records, log } = collecting({ step: 'post' });
    const handler = withLambdaContext(log, async (event: { n: number }) => {
      log.info('handled', { n: event.n });
      return event.n * 2;
    });

    // Act
    const results = [
      await handler({ n: 1 }, context('req-1')),
      await handler({ n: 2 }, context('req-2')),
    ];
    if (saved === undefined) delete process.env.AWS_LAMBDA_INITIALIZATION_TYPE;
    else process.env.AWS_LAMBDA_INITIALIZATION_TYPE = saved;

    // Assess
    assert.deepEqual(results, [2, 4]);
    assert.deepEqual(
      records().map((r) => [r.function_request_id, r.cold_start, r.function_name, r.n]),
      [
        ['req-1', true, 'costbot-post', 1],
        ['req-2', false, 'costbot-post', 2],
      ],
    );
  });
});

describe('Debug sampling (POWERTOOLS_LOGGER_SAMPLE_RATE)', () => {
  it('keeps debug lines of a sampled invocation under a higher level', async () => {
    // Prepare
    const saved = process.env.POWERTOOLS_LOGGER_SAMPLE_RATE;
    process.env.POWERTOOLS_LOGGER_SAMPLE_RATE = '1';
    const { records, log } = collecting({ step: 'fetch' }, 'error');
    const handler = withLambdaContext(log, async (n: number) => log.debug('detail', { n }));

    // Act
    try {
      await handler(1, context('req-1'));
      await handler(2, context('req-2'));
    } finally {
      if (saved === undefined) delete process.env.POWERTOOLS_LOGGER_SAMPLE_RATE;
      else process.env.POWERTOOLS_LOGGER_SAMPLE_RATE = saved;
    }

    // Assess
    const details = records().filter((r) => r.message === 'detail');
    assert.deepEqual(
      details.map((r) => [r.level, r.n, r.sampling_rate, r.function_request_id]),
      [
        ['debug', 1, 1, 'req-1'],
        ['debug', 2, 1, 'req-2'],
      ],
    );
  });
});
