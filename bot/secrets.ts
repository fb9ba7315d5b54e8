/** The bot's Slack secrets from the parameter store, read once per process (cold start). */
import type { CostbotConfig } from '../common/config.ts';
import type { ParameterReader } from '../common/parameters.ts';
import type { SlackSecrets } from './app.ts';

export async function loadSlackSecrets(
  config: CostbotConfig,
  parameters: ParameterReader,
): Promise<SlackSecrets> {
  const names = config.parameterNames;
  const values = await parameters.get([names.slackBotToken, names.slackSigningSecret]);
  return {
    botToken: values[names.slackBotToken] as string,
    signingSecret: values[names.slackSigningSecret] as string,
  };
}
