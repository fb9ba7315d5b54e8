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
