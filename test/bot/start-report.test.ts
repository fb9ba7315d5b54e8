import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RespondArguments } from '@slack/bolt';
import { startReport } from '../../bot/start-report.ts';
import type { ReportRequest } from '../../common/contract.ts';
import { AwsAccessDeniedError } from '../../common/errors.ts';
import { createLogger } from '../../common/log.ts';

const request: ReportRequest = {
  kind: 'command',
  requestId: 'act-0123456789abcdef01234567',
  channel: 'C0COSTS01',
  period: '30d',
};
const quiet = createLogger({}, { write: () => {} });

describe('Function: startReport', () => {
  it('tells the person why the report could not start, with the statement that fixes it', async () => {
    // Prepare
    const replies: RespondArguments[] = [];
    const starter = {
      start: async () => {
        throw new AwsAccessDeniedError(
          'Step Functions StartExecution was denied (AccessDeniedException): User: arn:aws:sts::123456789012:assumed-role/costbot-bot/fn is not authorized to perform: states:StartExecution on resource: arn:aws:states:us-east-1:123456789012:stateMachine:costbot because no identity-based policy allows the states:StartExecution action',
        );
      },
    };

    // Act
    await startReport({ starter, log: quiet }, request, async (reply) => {
      replies.push(typeof reply === 'string' ? { text: reply } : reply);
    });

    // Assess
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.response_type, 'ephemeral');
    assert.match(replies[0]?.text ?? '', /could not be started/);
    assert.match(replies[0]?.text ?? '', /states:StartExecution/);
    assert.match(replies[0]?.text ?? '', /arn:aws:iam::123456789012:role\/costbot-bot/);
  });

  it('says nothing more when the execution starts', async () => {
    // Prepare
    const replies: unknown[] = [];
    const started: string[] = [];
    const starter = {
      start: async (r: ReportRequest) => {
        started.push(r.requestId);
        return { executionName: r.requestId, started: true };
      },
    };

    // Act
    await startReport({ starter, log: quiet }, request, async (reply) => {
      replies.push(reply);
    });

    // Assess
    assert.deepEqual(started, [request.requestId]);
    assert.deepEqual(replies, []);
  });
});
