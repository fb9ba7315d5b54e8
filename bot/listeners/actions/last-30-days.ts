/** "Last 30 days": the same report (service or accounts kept) over the last 30 days. */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { ReportRequest } from '../../../common/contract.ts';
import type { Logger } from '../../../common/log.ts';
import type { RerunValue } from '../../../common/slack-message.ts';
import { type AccessPolicy, accessRefusal } from '../../access.ts';
import { startReport } from '../../start-report.ts';
import { type ReportStarter, slackRequestId } from '../../starter.ts';

export interface RerunDeps {
  starter: ReportStarter;
  access: AccessPolicy;
  log: Logger;
}

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** The button's value, checked: it comes back from Slack and could be anything. */
export function parseRerun(value: string | undefined): RerunValue | null {
  try {
    const v = JSON.parse(value ?? '{}') as Record<string, unknown>;
    const out: RerunValue = {};
    if (typeof v.service === 'string' && /^[A-Za-z0-9._-]{1,64}$/.test(v.service))
      out.service = v.service;
    if (
      Array.isArray(v.accounts) &&
      v.accounts.every((a) => typeof a === 'string' && /^\d{12}$/.test(a))
    ) {
      out.accounts = v.accounts as string[];
    }
    return out;
  } catch {
    return null;
  }
}

export function createLast30DaysAction(deps: RerunDeps) {
  return async function last30Days({ ack, action, body, respond }: ActionArgs): Promise<void> {
    await ack();
    const rerun = parseRerun(action.value);
    const channel = body.channel?.id ?? '';
    const refusal = rerun
      ? accessRefusal(deps.access, channel, body.user.id)
      : 'This button is not valid.';
    if (refusal || !rerun) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: refusal ?? '' });
      return;
    }
    const request: ReportRequest = {
      kind: 'command',
      // One execution per click, whatever Slack retries: the action's own timestamp is unique.
      requestId: slackRequestId('action', body.team?.id ?? '', body.user.id, action.action_ts),
      channel,
      responseUrl: body.response_url,
      userId: body.user.id,
      period: '30d',
      ...rerun,
    };
    await startReport(deps, request, respond);
  };
}
