/**
 * Starts a report after the ack, for the command and the buttons alike. A failure to start
 * (AccessDenied on StartExecution, a throttled API) is told to the person who asked, through
 * the AccessDenied explainer, instead of vanishing into the logs. Resolves to whether it started
 * (or had started already, for a retried request).
 */
import type { RespondArguments } from '@slack/bolt';
import type { ReportRequest } from '../common/contract.ts';
import { explainThrown } from '../common/failure-explanation.ts';
import type { Logger } from '../common/log.ts';
import type { ReportStarter } from './starter.ts';

export async function startReport(
  deps: { starter: ReportStarter; log: Logger },
  request: ReportRequest,
  respond: (message: RespondArguments) => Promise<unknown>,
): Promise<boolean> {
  try {
    const result = await deps.starter.start(request);
    deps.log.info('report requested', {
      requestId: request.requestId,
      started: result.started,
      kind: request.kind,
      period: request.period,
    });
    return true;
  } catch (error) {
    deps.log.error('could not start the report', { requestId: request.requestId, error });
    await respond({
      response_type: 'ephemeral',
      replace_original: false,
      text: `The report could not be started.\n${explainThrown(error).text}`,
    });
    return false;
  }
}
