import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explainFailure, parseCaught } from '../../common/failure-explanation.ts';

const DENIED =
  'User: arn:aws:sts::123456789012:assumed-role/costbot-fetch/x is not authorized to perform: ' +
  'cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action';

/** The Cause Step Functions records for an error thrown by a Node.js Lambda. */
function lambdaCause(errorType: string, errorMessage: string): string {
  return JSON.stringify({
    errorType,
    errorMessage,
    trace: [`${errorType}: ${errorMessage}`, '    at fetchCosts (/var/task/index.mjs:1:2)'],
  });
}

describe('Function: parseCaught', () => {
  it('reads errorType and errorMessage from a Lambda JSON Cause', () => {
    // Prepare
    const caught = {
      Error: 'AwsThrottledError',
      Cause: lambdaCause('AwsThrottledError', 'CloudWatch GetMetricData was throttled'),
    };

    // Act
    const parsed = parseCaught(caught);

    // Assess
    assert.deepEqual(parsed, {
      name: 'AwsThrottledError',
      message: 'CloudWatch GetMetricData was throttled',
    });
  });

  it('falls back to Error when the JSON Cause has no errorType', () => {
    // Prepare
    const caught = { Error: 'Lambda.Unknown', Cause: '{"errorMessage":"out of memory"}' };

    // Act
    const parsed = parseCaught(caught);

    // Assess
    assert.deepEqual(parsed, { name: 'Lambda.Unknown', message: 'out of memory' });
  });

  it('uses a plain Cause as the message', () => {
    // Prepare
    const caught = { Error: 'States.TaskFailed', Cause: 'The task failed: connection refused' };

    // Act
    const parsed = parseCaught(caught);

    // Assess
    assert.deepEqual(parsed, {
      name: 'States.TaskFailed',
      message: 'The task failed: connection refused',
    });
  });

  it('uses a JSON Cause without errorMessage as plain text', () => {
    // Prepare
    const caught = { Error: 'States.Runtime', Cause: '{"detail":"x"}' };

    // Act
    const parsed = parseCaught(caught);

    // Assess
    assert.deepEqual(parsed, { name: 'States.Runtime', message: '{"detail":"x"}' });
  });

  it('uses the Error name as the message when there is no Cause', () => {
    // Prepare
    const caught = { Error: 'States.Timeout' };

    // Act
    const parsed = parseCaught(caught);

    // Assess
    assert.deepEqual(parsed, { name: 'States.Timeout', message: 'States.Timeout' });
  });

  it('survives a Cause that is JSON null', () => {
    // Prepare
    const caught = { Error: 'States.TaskFailed', Cause: 'null' };

    // Act
    const parsed = parseCaught(caught);

    // Assess
    assert.deepEqual(parsed, { name: 'States.TaskFailed', message: 'null' });
  });
});

describe('Function: explainFailure', () => {
  it('explains an AccessDenied with the action and a JSON policy statement', () => {
    // Prepare
    const caught = {
      Error: 'AwsAccessDeniedError',
      Cause: lambdaCause(
        'AwsAccessDeniedError',
        `CloudWatch GetMetricData was denied (AccessDeniedException): ${DENIED}`,
      ),
    };

    // Act
    const explained = explainFailure(caught);

    // Assess
    assert.equal(explained.name, 'AwsAccessDeniedError');
    assert.ok(explained.text.startsWith('*AWS denied the request*\n'), explained.text);
    assert.ok(explained.text.includes('*Action:* `cloudwatch:GetMetricData`'), explained.text);
    assert.ok(
      explained.text.includes('*Role:* `arn:aws:iam::123456789012:role/costbot-fetch`'),
      explained.text,
    );
    const statement = /```\n(\{[\s\S]*?\})\n```/.exec(explained.text)?.[1];
    assert.deepEqual(JSON.parse(statement ?? 'null'), {
      Effect: 'Allow',
      Action: 'cloudwatch:GetMetricData',
      Resource: '*',
    });
  });

  it('explains an AccessDenied carried in a plain Cause too', () => {
    // Prepare
    const caught = { Error: 'AccessDeniedException', Cause: DENIED };

    // Act
    const explained = explainFailure(caught);

    // Assess
    assert.equal(explained.name, 'AccessDeniedException');
    assert.ok(explained.text.includes('"Action": "cloudwatch:GetMetricData"'), explained.text);
  });

  it('quotes a generic error with <, > and & escaped', () => {
    // Prepare
    const caught = {
      Error: 'AwsRequestError',
      Cause: lambdaCause('AwsRequestError', 'bad input <!channel> & <http://evil|x>'),
    };

    // Act
    const explained = explainFailure(caught);

    // Assess
    assert.deepEqual(explained, {
      name: 'AwsRequestError',
      text: '> bad input &lt;!channel&gt; &amp; &lt;http://evil|x&gt;',
    });
  });

  it('adds the hint of a known error name', () => {
    // Prepare
    const caught = { Error: 'States.Timeout' };

    // Act
    const explained = explainFailure(caught);

    // Assess
    assert.deepEqual(explained, {
      name: 'States.Timeout',
      text: '> States.Timeout\nA step took longer than its timeout; it is safe to run the command again.',
    });
  });

  it('keeps at most 2,500 characters of a long message', () => {
    // Prepare
    const caught = { Error: 'AwsRequestError', Cause: 'x'.repeat(3000) };

    // Act
    const explained = explainFailure(caught);

    // Assess
    assert.equal(explained.text, `> ${'x'.repeat(2500)}`);
  });
});

describe('Function: explainFailure, given any $.error', () => {
  const malformed: { what: string; error: unknown; name: string }[] = [
    { what: 'null', error: null, name: 'UnknownError' },
    { what: 'a string', error: 'boom', name: 'UnknownError' },
    { what: 'a number', error: 42, name: 'UnknownError' },
    { what: 'an array', error: ['Error', 'Cause'], name: 'UnknownError' },
    { what: 'an empty object', error: {}, name: 'UnknownError' },
    { what: 'Error a number', error: { Error: 5, Cause: 'x' }, name: 'UnknownError' },
    { what: 'Error with markup', error: { Error: '<!channel>' }, name: 'UnknownError' },
    { what: 'Error "__proto__"', error: { Error: '__proto__' }, name: '__proto__' },
    {
      what: 'Cause an object',
      error: { Error: 'States.TaskFailed', Cause: { a: 1 } },
      name: 'States.TaskFailed',
    },
    {
      what: 'Cause not JSON',
      error: { Error: 'States.TaskFailed', Cause: '{not json' },
      name: 'States.TaskFailed',
    },
    {
      what: 'Cause JSON with errorType a number',
      error: { Error: 'X', Cause: '{"errorType":5,"errorMessage":"m"}' },
      name: 'X',
    },
    { what: 'Cause JSON null', error: { Error: 'X', Cause: 'null' }, name: 'X' },
    {
      what: 'a Cause of 200 KB',
      error: {
        Error: 'X',
        Cause: JSON.stringify({ errorType: 'Y', errorMessage: 'm'.repeat(200_000) }),
      },
      name: 'X',
    },
  ];
  for (const { what, error, name } of malformed) {
    it(`explains ${what} without throwing, as ${name}, in at most 2,600 safe characters`, () => {
      // Act
      const explained = explainFailure(error);

      // Assess
      assert.equal(explained.name, name);
      assert.ok(explained.text.length <= 2600, `${explained.text.length} characters`);
      assert.doesNotMatch(explained.text, /<!|\[object Object\]/);
    });
  }

  it('escapes Slack markup in the message', () => {
    // Act
    const explained = explainFailure({
      Error: 'X',
      Cause: lambdaCause('X', '<!channel> <http://evil|click>'),
    });
    // Assess
    assert.equal(explained.text, '> &lt;!channel&gt; &lt;http://evil|click&gt;');
  });

  it('names an InvalidEventError and says nothing was retried', () => {
    // Act
    const explained = explainFailure({
      Error: 'InvalidEventError',
      Cause: lambdaCause(
        'InvalidEventError',
        'Fetch: the input event is malformed (request: missing).',
      ),
    });
    // Assess
    assert.equal(explained.name, 'InvalidEventError');
    assert.match(explained.text, /request: missing[\s\S]*nothing was retried/);
  });
});
