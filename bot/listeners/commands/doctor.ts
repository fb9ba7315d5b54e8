/**
 * `/aws-cost doctor`: acknowledge with "Checking…", then run the checks that make sense from
 * the bot (Slack token, scopes and channel; parameters; bucket; billing metrics) and reply
 * ephemerally with what is wrong and how to fix it.
 *
 * Nothing is checked before the ack. On Lambda, though, Bolt returns the ack only when the
 * listener finishes, so the checks get a short per-call limit (`BOT_CHECK_TIMEOUT_MS`, two
 * rounds of calls) to stay inside Slack's 3 seconds; a slow call is reported, not waited for.
 */
import type { AllMiddlewareArgs, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { explainThrown } from '../../../common/failure-explanation.ts';
import type { Logger } from '../../../common/log.ts';
import { formatSlack, summary } from '../../../doctor/format.ts';
import { doctorWebClient, webClientSlackApi } from '../../../doctor/slack.ts';
import type { CheckResult, SlackApi } from '../../../doctor/types.ts';

/** Per call: parameters are read first, then every other check at once, so two rounds. */
export const BOT_CHECK_TIMEOUT_MS = 1_200;

export const CHECKING = 'Checking… (parameters, bucket, billing metrics, Slack)';

export interface DoctorCommandDeps {
  /**
   * Runs the bot's checks with this Slack client, for the channel asking (its subscriptions
   * are what the bill check reads whole). Called only after the ack.
   */
  run: (slack: SlackApi, channel: string) => Promise<CheckResult[]>;
  log: Logger;
}

type CommandArgs = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/**
 * A fail-fast Slack client with the listener's token and API URL: Bolt's own client retries
 * for up to 30 minutes, which a doctor must not.
 */
export function listenerSlackApi(client: CommandArgs['client']): SlackApi {
  return webClientSlackApi(doctorWebClient(client.token ?? '', client.slackApiUrl));
}

export async function doctorCommand(
  { command, ack, respond, client }: Pick<CommandArgs, 'command' | 'ack' | 'respond' | 'client'>,
  deps: DoctorCommandDeps,
): Promise<void> {
  await ack({ response_type: 'ephemeral', text: CHECKING });
  try {
    const results = await deps.run(listenerSlackApi(client), command.channel_id);
    deps.log.info('doctor ran', {
      user: command.user_id,
      channel: command.channel_id,
      summary: summary(results),
      failed: results.filter((r) => r.status === 'fail').map((r) => r.id),
    });
    await respond({ response_type: 'ephemeral', text: formatSlack(results) });
  } catch (error) {
    deps.log.error('doctor could not run', { user: command.user_id, error });
    await respond({
      response_type: 'ephemeral',
      text: `The checks could not run.\n${explainThrown(error).text}`,
    });
  }
}
