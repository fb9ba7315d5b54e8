/**
 * `/aws-cost`: acknowledge at once, then start one execution. Nothing before the ack calls
 * SSM, CloudWatch or S3; starting the execution is the only remote call on this path.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { ReportRequest } from '../../../common/contract.ts';
import type { Logger } from '../../../common/log.ts';
import { type ParsedCommand, parseCommand, USAGE, usageReply } from '../../command/parse.ts';
import { startReport } from '../../start-report.ts';
import { type ReportStarter, slackRequestId } from '../../starter.ts';
import { type DoctorCommandDeps, doctorCommand } from './doctor.ts';
import {
  type SubscriptionCommand,
  type SubscriptionDeps,
  subscriptionCommand,
} from './subscriptions.ts';

export interface CommandDeps {
  starter: ReportStarter;
  digestChannel: string;
  log: Logger;
  /** `/aws-cost doctor`; without it the command says it is not available. */
  doctor?: DoctorCommandDeps;
  /** `/aws-cost subscribe`, `subscriptions` and `unsubscribe`; without it they say not available. */
  subscriptions?: SubscriptionDeps;
}

const SUBSCRIPTION_KINDS: ReadonlySet<string> = new Set<SubscriptionCommand['kind']>([
  'subscribe',
  'subscriptions',
  'unsubscribe',
]);

function isSubscriptionCommand(parsed: ParsedCommand): parsed is SubscriptionCommand {
  return SUBSCRIPTION_KINDS.has(parsed.kind);
}

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/** The execution input for a parsed command; the request id is stable across Slack retries. */
export function commandRequest(
  parsed: Exclude<ParsedCommand, { kind: 'help' | 'doctor' } | SubscriptionCommand>,
  command: CommandArgs['command'],
  digestChannel: string,
): ReportRequest {
  if (parsed.kind === 'digest') {
    return {
      kind: 'digest',
      requestId: slackRequestId('digest', command.team_id, command.trigger_id),
      channel: digestChannel,
      period: 'mtd',
    };
  }
  const base = {
    kind: 'command' as const,
    requestId: slackRequestId('command', command.team_id, command.trigger_id),
    channel: command.channel_id,
    responseUrl: command.response_url,
    userId: command.user_id,
  };
  // A metric chart's window is `metric.period`; the cost period is not read for it.
  if ('metric' in parsed) return { ...base, period: 'mtd', metric: parsed.metric };
  if (parsed.kind === 'chart') return { ...base, period: parsed.period };
  return {
    ...base,
    period: parsed.period,
    ...(parsed.service ? { service: parsed.service } : {}),
    ...(parsed.accounts ? { accounts: parsed.accounts } : {}),
  };
}

export function createAwsCostCommand(deps: CommandDeps) {
  return async function awsCostCommand(args: CommandArgs): Promise<void> {
    const { command, ack, respond } = args;
    const parsed = parseCommand(command.text ?? '');
    if (!parsed.ok) {
      await ack({ response_type: 'ephemeral', text: usageReply(parsed.error, command.text ?? '') });
      return;
    }
    if (parsed.command.kind === 'help') {
      await ack({ response_type: 'ephemeral', text: USAGE });
      return;
    }
    if (parsed.command.kind === 'doctor') {
      if (!deps.doctor) {
        await ack({ response_type: 'ephemeral', text: 'The doctor is not available here.' });
        return;
      }
      await doctorCommand(args, deps.doctor);
      return;
    }
    if (isSubscriptionCommand(parsed.command)) {
      await subscriptionCommand(args, parsed.command, deps.subscriptions);
      return;
    }
    const request = commandRequest(parsed.command, command, deps.digestChannel);
    const where = request.kind === 'digest' ? ` Posting the digest to ${request.channel}.` : '';
    await ack({ response_type: 'ephemeral', text: `Working on it…${where}` });
    await startReport(deps, request, respond);
  };
}
