/**
 * Post step handler, for both ends of the state machine: a report (`{..., link}`) or a
 * caught failure (`{request, error}`). A command's reply goes to its `response_url` (it
 * works without the bot being in the channel); a digest is posted to the channel.
 */
import { WebClient } from '@slack/web-api';
import type { CostbotConfig } from '../../../common/config.ts';
import type {
  Delivery,
  FailureReportedState,
  FailureState,
  PostedState,
  PostState,
  ReportRequest,
} from '../../../common/contract.ts';
import { SlackApiError } from '../../../common/errors.ts';
import { explainFailure } from '../../../common/failure-explanation.ts';
import { createLogger, type Logger } from '../../../common/log.ts';
import type { ParameterReader } from '../../../common/parameters.ts';
import { failureMessage, reportMessage, type SlackMessage } from '../../../common/slack-message.ts';
import { type SlackDelivery, webApiDelivery } from './delivery.ts';
import { slackDeliveryFromParameters } from './slack-client.ts';

export interface PostDeps {
  /** Resolved per call: the token behind it may be rotated. */
  delivery: () => Promise<SlackDelivery>;
  log: Logger;
}

/**
 * Slack's Web API with the bot token from the parameter store. Rate-limited calls are
 * rejected, not waited on inside the Lambda, so the state machine's Retry owns the wait.
 */
export function postDepsFromConfig(config: CostbotConfig, parameters: ParameterReader): PostDeps {
  return {
    delivery: slackDeliveryFromParameters({
      parameters,
      tokenName: config.parameterNames.slackBotToken,
      build: (token) =>
        webApiDelivery(
          new WebClient(token, {
            rejectRateLimitedCalls: true,
            retryConfig: { retries: 0 },
            slackApiUrl: config.slackApiUrl,
          }),
        ),
    }),
    log: createLogger({ step: 'post' }, { level: config.logLevel }),
  };
}

async function deliver(deps: PostDeps, request: ReportRequest, message: SlackMessage) {
  const slack = await deps.delivery();
  try {
    const delivery: Delivery = request.responseUrl
      ? await slack.respond(request.responseUrl, request.channel, message)
      : await slack.postMessage(request.channel, message);
    deps.log.info('posted', { requestId: request.requestId, via: delivery.via, ts: delivery.ts });
    return delivery;
  } catch (error) {
    // When even the failure notice cannot be posted, this line is what a person finds.
    deps.log.error('delivery failed', {
      requestId: request.requestId,
      channel: request.channel,
      code: error instanceof SlackApiError ? error.code : undefined,
      error,
    });
    throw error;
  }
}

export function createPostHandler(deps: PostDeps) {
  async function postHandler(state: FailureState): Promise<FailureReportedState>;
  async function postHandler(state: PostState): Promise<PostedState>;
  async function postHandler(
    state: PostState | FailureState,
  ): Promise<PostedState | FailureReportedState> {
    if ('error' in state) {
      const failure = explainFailure(state.error);
      deps.log.error('report failed', {
        requestId: state.request.requestId,
        error: failure.name,
      });
      const message = failureMessage({
        request: state.request,
        explanation: failure.text,
        errorName: failure.name,
      });
      return { ...state, delivery: await deliver(deps, state.request, message) };
    }
    const message = reportMessage(state);
    return { ...state, delivery: await deliver(deps, state.request, message) };
  }
  return postHandler;
}
