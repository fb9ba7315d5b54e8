import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsCall, classifyAwsError } from '../../common/aws-errors.ts';
import {
  AwsAccessDeniedError,
  AwsRequestError,
  AwsThrottledError,
  AwsUnavailableError,
  ConfigError,
  CostbotError,
  InvalidRequestError,
  ParameterNotFoundError,
  RETRYABLE_AWS_ERRORS,
  RETRYABLE_SLACK_ERRORS,
  SessionCredentialsError,
  SlackApiError,
  SlackRateLimitedError,
} from '../../common/errors.ts';

const CONTEXT = { service: 'CloudWatch', operation: 'GetMetricData' };

/** An SDK v3 service exception as a client throws it. */
function sdkError(
  name: string,
  message: string,
  extra: { status?: number; fault?: 'client' | 'server'; throttling?: boolean } = {},
): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: extra.fault ?? 'client',
    $metadata: { httpStatusCode: extra.status ?? 400, attempts: 1 },
    ...(extra.throttling !== undefined ? { $retryable: { throttling: extra.throttling } } : {}),
  });
}

/** A Node socket error as the SDK's HTTP handler rethrows it (name `Error`, a `code`). */
function socketError(code: string): Error {
  return Object.assign(new Error(`read ${code}`), { code, errno: -104, syscall: 'read' });
}

describe('Function: classifyAwsError', () => {
  const cases: {
    name: string;
    error: unknown;
    expected: new (...args: never[]) => CostbotError;
    expectedName: string;
    code: string;
  }[] = [
    {
      name: 'ThrottlingException',
      error: sdkError('ThrottlingException', 'Rate exceeded'),
      expected: AwsThrottledError,
      expectedName: 'AwsThrottledError',
      code: 'ThrottlingException',
    },
    {
      name: 'CloudWatch Throttling (query protocol)',
      error: sdkError('Throttling', 'Rate exceeded'),
      expected: AwsThrottledError,
      expectedName: 'AwsThrottledError',
      code: 'Throttling',
    },
    {
      name: 'an unknown code with $retryable.throttling',
      error: sdkError('SomethingNew', 'Slow down please', { throttling: true }),
      expected: AwsThrottledError,
      expectedName: 'AwsThrottledError',
      code: 'SomethingNew',
    },
    {
      name: 'HTTP 429',
      error: sdkError('UnknownError', 'Too many', { status: 429 }),
      expected: AwsThrottledError,
      expectedName: 'AwsThrottledError',
      code: 'UnknownError',
    },
    {
      name: 'AccessDeniedException',
      error: sdkError('AccessDeniedException', 'User: x is not authorized'),
      expected: AwsAccessDeniedError,
      expectedName: 'AwsAccessDeniedError',
      code: 'AccessDeniedException',
    },
    {
      name: 'HTTP 403 with an unknown code',
      error: sdkError('Forbidden', 'nope', { status: 403 }),
      expected: AwsAccessDeniedError,
      expectedName: 'AwsAccessDeniedError',
      code: 'Forbidden',
    },
    {
      name: '$fault server',
      error: sdkError('InternalFailure', 'oops', { fault: 'server', status: 400 }),
      expected: AwsUnavailableError,
      expectedName: 'AwsUnavailableError',
      code: 'InternalFailure',
    },
    {
      name: 'HTTP 503',
      error: sdkError('ServiceUnavailable', 'down', { status: 503 }),
      expected: AwsUnavailableError,
      expectedName: 'AwsUnavailableError',
      code: 'ServiceUnavailable',
    },
    {
      name: 'a connection reset (ECONNRESET)',
      error: socketError('ECONNRESET'),
      expected: AwsUnavailableError,
      expectedName: 'AwsUnavailableError',
      code: '(ECONNRESET): read ECONNRESET',
    },
    {
      name: 'an SDK TimeoutError',
      error: Object.assign(new Error('socket timed out'), { name: 'TimeoutError' }),
      expected: AwsUnavailableError,
      expectedName: 'AwsUnavailableError',
      code: 'TimeoutError',
    },
    {
      name: 'ValidationException',
      error: sdkError('ValidationException', 'The parameter StartTime must be before EndTime'),
      expected: AwsRequestError,
      expectedName: 'AwsRequestError',
      code: 'ValidationException',
    },
  ];

  for (const c of cases) {
    it(`maps ${c.name} to ${c.expectedName}`, () => {
      // Prepare
      const error = c.error;

      // Act
      const classified = classifyAwsError(error, CONTEXT);

      // Assess
      assert.ok(classified instanceof c.expected, `got ${classified.name}`);
      assert.equal(classified.name, c.expectedName);
      assert.ok(classified.message.includes('CloudWatch GetMetricData'), classified.message);
      assert.ok(classified.message.includes(c.code), classified.message);
      assert.equal(classified.cause, error);
    });
  }

  it("keeps AWS's message after the call name", () => {
    // Prepare
    const error = sdkError('ValidationException', 'StartTime must be before EndTime');

    // Act
    const classified = classifyAwsError(error, CONTEXT);

    // Assess
    assert.equal(
      classified.message,
      'CloudWatch GetMetricData failed (ValidationException): StartTime must be before EndTime',
    );
  });

  it('keeps the name of a plain Error that has no code', () => {
    // Prepare
    const error = new Error('something odd');

    // Act
    const classified = classifyAwsError(error, CONTEXT);

    // Assess
    assert.ok(classified instanceof AwsRequestError);
    assert.equal(classified.message, 'CloudWatch GetMetricData failed (Error): something odd');
  });

  it('classifies a non-object error as an AwsRequestError with its text', () => {
    // Prepare
    const error = 'plain string failure';

    // Act
    const classified = classifyAwsError(error, { service: 'S3', operation: 'PutObject' });

    // Assess
    assert.ok(classified instanceof AwsRequestError);
    assert.equal(classified.message, 'S3 PutObject failed (UnknownError): plain string failure');
  });
});

describe('Function: awsCall', () => {
  it('returns the value of a call that succeeds', async () => {
    // Prepare
    const call = async () => 42;

    // Act
    const value = await awsCall(CONTEXT, call);

    // Assess
    assert.equal(value, 42);
  });

  it('rethrows a failure as a named costbot error', async () => {
    // Prepare
    const call = async () => {
      throw sdkError('ThrottlingException', 'Rate exceeded');
    };

    // Act
    const result = awsCall(CONTEXT, call);

    // Assess
    await assert.rejects(result, {
      name: 'AwsThrottledError',
      message: 'CloudWatch GetMetricData was throttled (ThrottlingException): Rate exceeded',
    });
  });
});

describe('Module: common/errors', () => {
  it('names every error class after itself', () => {
    // Prepare
    const instances: [Error, string][] = [
      [new CostbotError('x'), 'CostbotError'],
      [new ConfigError('SETTING', 'x'), 'ConfigError'],
      [new InvalidRequestError('x'), 'InvalidRequestError'],
      [new ParameterNotFoundError(['/a']), 'ParameterNotFoundError'],
      [new SessionCredentialsError('x'), 'SessionCredentialsError'],
      [new AwsThrottledError('x'), 'AwsThrottledError'],
      [new AwsUnavailableError('x'), 'AwsUnavailableError'],
      [new AwsAccessDeniedError('x'), 'AwsAccessDeniedError'],
      [new AwsRequestError('x'), 'AwsRequestError'],
      [new SlackRateLimitedError(3), 'SlackRateLimitedError'],
      [new SlackApiError('code', 'x'), 'SlackApiError'],
    ];

    // Act
    const names = instances.map(([error]) => error.name);

    // Assess
    assert.deepEqual(
      names,
      instances.map(([, expected]) => expected),
    );
    for (const [error] of instances) assert.ok(error instanceof CostbotError);
  });

  it('lists exactly the retryable names', () => {
    // Prepare
    const aws = [...RETRYABLE_AWS_ERRORS].sort();
    const slack = [...RETRYABLE_SLACK_ERRORS];

    // Act
    const all = [...aws, ...slack];

    // Assess
    assert.deepEqual(aws, [
      'AwsThrottledError',
      'AwsUnavailableError',
      'ChartLinkUnavailableError',
    ]);
    assert.deepEqual(slack, ['SlackRateLimitedError', 'DeliveryInProgressError']);
    assert.equal(all.includes('AwsAccessDeniedError'), false);
  });

  it('words the messages of the errors that build their own', () => {
    // Prepare
    const config = new ConfigError('COSTBOT_TOP_N', 'must be an integer.');
    const one = new ParameterNotFoundError(['/costbot/a']);
    const limited = new SlackRateLimitedError(7);

    // Act
    const messages = [config.message, one.message, limited.message];

    // Assess
    assert.deepEqual(messages, [
      'COSTBOT_TOP_N: must be an integer.',
      'Parameter not found: /costbot/a. Run `npm run setup` to create them, or set the COSTBOT_PARAM_* setting to the name you used.',
      'Slack rate limit hit; Slack asked to retry after 7s.',
    ]);
    assert.equal(limited.retryAfterSeconds, 7);
  });
});
