/**
 * The bot's Slack secrets. On Lambda they come from the parameter store, read once per process
 * (cold start). Local and Socket Mode runs follow Bolt's convention as well: `SLACK_BOT_TOKEN`
 * and `SLACK_SIGNING_SECRET` from the environment (or `.env`) win over the parameter store,
 * through `withSlackSecretOverrides` around the reader every local step shares.
 */
import type { CostbotConfig, ParameterNames, SlackSecretsFromEnv } from '../common/config.ts';
import { redact } from '../common/log.ts';
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

/**
 * `parameters`, except that the Slack parameters answer with the secrets given in the
 * environment, so the bot, the console and the Post step of a local run all use the same
 * token. Secrets not given are still read from `parameters`; with none given it is returned
 * as it is.
 *
 * @example
 * const parameters = withSlackSecretOverrides(fileReader, config.parameterNames, slackSecretsFromEnv(env));
 */
export function withSlackSecretOverrides(
  parameters: ParameterReader,
  names: ParameterNames,
  secrets: SlackSecretsFromEnv,
): ParameterReader {
  const given = new Map<string, string>();
  if (secrets.botToken) given.set(names.slackBotToken, secrets.botToken);
  if (secrets.signingSecret) given.set(names.slackSigningSecret, secrets.signingSecret);
  if (given.size === 0) return parameters;
  // Like every value read from the parameter store, kept out of the logs.
  redact(...given.values());
  return {
    async get(requested) {
      const rest = requested.filter((name) => !given.has(name));
      const read = rest.length > 0 ? await parameters.get(rest) : {};
      const overridden = requested.flatMap((name) => {
        const value = given.get(name);
        return value === undefined ? [] : [[name, value] as const];
      });
      return { ...read, ...Object.fromEntries(overridden) };
    },
  };
}
