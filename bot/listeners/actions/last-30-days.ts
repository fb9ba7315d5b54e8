/** "Last 30 days": the same report (service or accounts kept) over the last 30 days. */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ReportRequest } from '../../../common/contract.ts';
import type { Logger } from '../../../common/log.ts';
import { startReport } from '../../start-report.ts';
import { type ReportStarter, slackRequestId } from '../../starter.ts';
import { type ButtonValues, INVALID_BUTTON, parseButtonValue } from './values.ts';

export interface RerunDeps {
  starter: ReportStarter;
  values: ButtonValues;
  log: Logger;
}

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

export function createLast30DaysAction(deps: RerunDeps) {
  return async function last30Days({ ack, action, body, respond }: ActionArgs): Promise<void> {
    await ack();
    // Checked again here (the global guard checked first) so no path uses an unchecked value.
    const rerun = parseButtonValue(deps.values.last30Days, action.value);
    if (!rerun) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: INVALID_BUTTON });
      return;
    }
    const request: ReportRequest = { ...buttonRequest(body, action), period: '30d', ...rerun };
    await startReport(deps, request, respond);
  };
}

/** What every re-run button's request shares: who asked, where to reply, a unique id. */
export function buttonRequest(
  body: ActionArgs['body'],
  action: ActionArgs['action'],
): Omit<ReportRequest, 'period'> {
  return {
    kind: 'command',
    // One execution per click, whatever Slack retries: the action's own timestamp is unique.
    requestId: slackRequestId('action', body.team?.id ?? '', body.user.id, action.action_ts),
    channel: body.channel?.id ?? '',
    responseUrl: body.response_url,
    userId: body.user.id,
  };
}
