/**
 * Starting a report: the only remote call on the ack path. Execution names are
 * deterministic per Slack request, so a retried delivery (`X-Slack-Retry-Num`) or a double
 * submit cannot start a second report: a Standard state machine refuses a name it has seen
 * in the last 90 days, and the local starter remembers names for its lifetime.
 */
import { createHash } from 'node:crypto';
import { ExecutionAlreadyExists, type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { classifyAwsError } from '../common/aws-errors.ts';
import type { FetchState, ReportKind, ReportRequest } from '../common/contract.ts';

export interface StartResult {
  executionName: string;
  /** False when an execution with this name already existed: nothing new was started. */
  started: boolean;
}

export interface ReportStarter {
  start(request: ReportRequest): Promise<StartResult>;
}

/**
 * `cmd-<24 hex>` from what Slack repeats on a retry (team and trigger id), so the name is the
 * same for every delivery of one command and different for every other command.
 */
export function slackRequestId(kind: ReportKind | 'action', ...parts: string[]): string {
  const prefix = kind === 'digest' ? 'dig' : kind === 'command' ? 'cmd' : 'act';
  return `${prefix}-${createHash('sha256').update(parts.join('|')).digest('hex').slice(0, 24)}`;
}

export class StepFunctionsStarter implements ReportStarter {
  constructor(
    private readonly sfn: Pick<SFNClient, 'send'>,
    private readonly stateMachineArn: string,
  ) {}

  async start(request: ReportRequest): Promise<StartResult> {
    const input: FetchState = { request };
    try {
      await this.sfn.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: request.requestId,
          input: JSON.stringify(input),
        }),
      );
      return { executionName: request.requestId, started: true };
    } catch (error) {
      // The name was used: this Slack request already started its report.
      if (error instanceof ExecutionAlreadyExists) {
        return { executionName: request.requestId, started: false };
      }
      throw classifyAwsError(error, { service: 'Step Functions', operation: 'StartExecution' });
    }
  }
}
