/** A Slack delivery built from the bot token in the parameter store, rebuilt when the token changes. */
import type { ParameterReader } from '../../../common/parameters.ts';
import type { SlackDelivery } from './delivery.ts';

export function slackDeliveryFromParameters(options: {
  parameters: ParameterReader;
  tokenName: string;
  build: (token: string) => SlackDelivery;
}): () => Promise<SlackDelivery> {
  let current: { token: string; delivery: SlackDelivery } | undefined;
  return async () => {
    const values = await options.parameters.get([options.tokenName]);
    const token = values[options.tokenName] as string;
    if (current?.token !== token) current = { token, delivery: options.build(token) };
    return current.delivery;
  };
}
