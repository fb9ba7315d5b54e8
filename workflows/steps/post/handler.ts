/**
 * Post step handler, for both ends of the state machine: a report (`{..., chart}`, with Sign's
 * `link` when stable links are off) or a caught failure (`{request, error}`). A command's reply goes to its `response_url` (it
 * works without the bot being in the channel); a digest is posted to the channel.
 *
 * Each is delivered once per `requestId` (`delivery-record.ts`): a retried Post, or a second
 * execution of the same scheduled digest, returns the recorded delivery without posting. A
 * failure whose report had already reached Slack posts no notice and ends as delivered.
 *
 * A stable link is opened as Slack will open it before the report is posted (`link-probe.ts`):
 * one that does not show the chart fails the report, so the notice says why instead.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { s3Config } from '../../../common/aws-clients.ts';
import type { CostbotConfig } from '../../../common/config.ts';
import type {
  ChartLinks,
  Delivery,
  FailureReportedState,
  FailureState,
  PostedState,
  PostState,
  ReportRequest,
  StableLink,
  StoredChart,
  Summary,
} from '../../../common/contract.ts';
import {
  FailureInputSchema,
  PostStateSchema,
  parseEvent,
} from '../../../common/contract-schema.ts';
import {
  DeliveryInProgressError,
  InvalidEventError,
  SlackApiError,
} from '../../../common/errors.ts';
import { explainFailure } from '../../../common/failure-explanation.ts';
import { createStableLinker } from '../../../common/link-token.ts';
import { createLogger, type Logger } from '../../../common/log.ts';
import type { ParameterReader } from '../../../common/parameters.ts';
import {
  failureMessage,
  metricMessage,
  reportMessage,
  type SlackMessage,
} from '../../../common/slack-message.ts';
import { type SlackDelivery, slackWebClient, webApiDelivery } from './delivery.ts';
import {
  type DeliveryKind,
  type DeliveryRecords,
  deliveryRecords,
  RECORD_TIMEOUT_MS,
  s3RecordStore,
} from './delivery-record.ts';
import { createLinkProbe, type LinkProbeResult } from './link-probe.ts';
import { slackDeliveryFromParameters } from './slack-client.ts';

export interface PostDeps {
  /** Resolved per call: the token behind it may be rotated. */
  delivery: () => Promise<SlackDelivery>;
  records: DeliveryRecords;
  log: Logger;
  /**
   * Stable links on (`COSTBOT_STABLE_LINKS`, and `COSTBOT_LINKS_URL` set): the chart's link
   * through the links endpoint. Without it a report must arrive with Sign's `link`.
   */
  stableLink?: (chart: StoredChart) => Promise<StableLink>;
  /**
   * Opens a stable link as Slack will before it is posted (`createLinkProbe`): a link that does
   * not show the chart fails the report (its notice says why) instead of being posted.
   */
  probeLink?: (url: string) => Promise<LinkProbeResult>;
}

/** The S3 client of the delivery records: one attempt (the state machine retries), bounded. */
export function recordS3Client(env: Record<string, string | undefined>): S3Client {
  return new S3Client({
    ...s3Config(env, { maxAttempts: 1 }),
    requestHandler: { requestTimeout: RECORD_TIMEOUT_MS, connectionTimeout: RECORD_TIMEOUT_MS },
  });
}

/**
 * Slack's Web API with the bot token from the parameter store, and the delivery records in
 * the charts bucket. Rate-limited calls are rejected, not waited on inside the Lambda, so
 * the state machine's Retry owns the wait.
 */
export function postDepsFromConfig(
  config: CostbotConfig,
  parameters: ParameterReader,
  records: DeliveryRecords,
  options: { slackTimeoutMs?: number; linkProbeTimeoutMs?: number } = {},
): PostDeps {
  const timeoutMs = options.slackTimeoutMs;
  return {
    delivery: slackDeliveryFromParameters({
      parameters,
      tokenName: config.parameterNames.slackBotToken,
      build: (token) =>
        webApiDelivery(slackWebClient(token, { slackApiUrl: config.slackApiUrl, timeoutMs }), {
          timeoutMs,
        }),
    }),
    records,
    log: createLogger({ step: 'post' }, { level: config.logLevel }),
    ...(config.stableLinks && config.linksUrl
      ? {
          stableLink: createStableLinker({
            parameters,
            keyName: config.parameterNames.linkKey,
            baseUrl: config.linksUrl,
            lifetimeDays: config.chartRetentionDays,
          }),
          probeLink: createLinkProbe({ timeoutMs: options.linkProbeTimeoutMs }),
        }
      : {}),
  };
}

/** The records on the deployed bucket, for the Lambda entry and the `aws` backend. */
export function s3DeliveryRecords(
  config: CostbotConfig,
  env: Record<string, string | undefined>,
): DeliveryRecords {
  return deliveryRecords(s3RecordStore(recordS3Client(env), config.bucket));
}

async function post(slack: SlackDelivery, request: ReportRequest, message: SlackMessage) {
  return request.responseUrl
    ? slack.respond(request.responseUrl, request.channel, message)
    : slack.postMessage(request.channel, message);
}

/** Delivers `message` once for this request and kind, logging what happened. */
async function deliverOnce(
  deps: PostDeps,
  request: ReportRequest,
  kind: DeliveryKind,
  message: SlackMessage,
): Promise<Delivery> {
  const slack = await deps.delivery();
  const fields = { requestId: request.requestId, kind };
  try {
    const outcome = await deps.records.once(request.requestId, kind, () =>
      post(slack, request, message),
    );
    const { via, ts } = outcome.delivery;
    if (!outcome.posted)
      deps.log.info('already delivered: not posted again', { ...fields, via, ts });
    else deps.log.info('posted', { ...fields, via, ts });
    if (!outcome.recorded) {
      // A retry or a duplicate execution would post again: this line says why.
      deps.log.error('delivery record not written', { ...fields, error: outcome.recordError });
    }
    return outcome.delivery;
  } catch (error) {
    if (!(error instanceof DeliveryInProgressError)) {
      // When even the failure notice cannot be posted, this line is what a person finds.
      deps.log.error('delivery failed', {
        ...fields,
        channel: request.channel,
        code: error instanceof SlackApiError ? error.code : undefined,
        error,
      });
    }
    throw error;
  }
}

/**
 * Post's event, checked before use (`InvalidEventError`, not retried): a report whole; a
 * failure only for where to deliver, since `$.error` may be anything (`explainFailure` reads it
 * defensively) and the request itself may be what failed, and its notice must still go out.
 */
function checkedPostInput(event: unknown): PostState<Summary> | FailureState {
  if (typeof event === 'object' && event !== null && 'error' in event) {
    parseEvent('ReportFailure', FailureInputSchema, event);
    return event as FailureState;
  }
  return parseEvent('Post', PostStateSchema, event);
}

/** Checks the link before it is posted; the log never holds the link (its token is a secret). */
async function checkLink(
  deps: PostDeps,
  probeLink: (url: string) => Promise<LinkProbeResult>,
  request: ReportRequest,
  url: string,
): Promise<void> {
  const started = Date.now();
  try {
    const answers = await probeLink(url);
    deps.log.info('chart link checked', {
      requestId: request.requestId,
      ...answers,
      ms: Date.now() - started,
    });
  } catch (error) {
    deps.log.error('chart link does not open', { requestId: request.requestId, error });
    throw error;
  }
}

/**
 * The report with the links its message carries: the stable link when this Post mints them,
 * else Sign's presigned `link`. Neither (a definition without Sign, a Post without stable links)
 * is an `InvalidEventError`, never a message without a link. The cost line counts Sign when it
 * ran.
 */
async function withChartLinks<S extends Summary>(
  deps: PostDeps,
  state: PostState<S>,
): Promise<PostState<S> & ChartLinks> {
  const { usage } = state.summary;
  const counted = usage
    ? {
        ...state,
        summary: { ...state.summary, usage: { ...usage, signed: state.link !== undefined } },
      }
    : state;
  if (deps.stableLink) {
    const stableLink = await deps.stableLink(state.chart);
    if (deps.probeLink) await checkLink(deps, deps.probeLink, state.request, stableLink.url);
    return { ...counted, stableLink };
  }
  if (counted.link) return { ...counted, link: counted.link };
  throw new InvalidEventError('Post', [
    'link: missing, and this Post makes no stable links (COSTBOT_STABLE_LINKS with COSTBOT_LINKS_URL): a state machine without Sign needs them',
  ]);
}

export function createPostHandler(deps: PostDeps) {
  async function postHandler(state: FailureState): Promise<FailureReportedState>;
  async function postHandler<S extends Summary>(state: PostState<S>): Promise<PostedState<S>>;
  async function postHandler(
    event: PostState<Summary> | FailureState,
  ): Promise<PostedState<Summary> | FailureReportedState> {
    const state = checkedPostInput(event);
    const { request } = state;
    if ('error' in state) {
      const failure = explainFailure(state.error);
      const report = await deps.records.status(request.requestId, 'report');
      if (report.state === 'delivered') {
        // The report reached Slack before the failure (e.g. Post died after Slack answered).
        deps.log.warn('report already delivered: no failure notice', {
          requestId: request.requestId,
          error: failure.name,
        });
        return { ...state, delivery: report.delivery, reportDelivered: true };
      }
      if (report.state === 'posting') {
        throw new DeliveryInProgressError(
          `The report of ${request.requestId} may be reaching Slack right now; the notice waits.`,
        );
      }
      deps.log.error('report failed', { requestId: request.requestId, error: failure.name });
      const message = failureMessage({
        request,
        explanation: failure.text,
        errorName: failure.name,
      });
      const delivery = await deliverOnce(deps, request, 'failure', message);
      return { ...state, delivery, reportDelivered: false };
    }
    const linked = await withChartLinks(deps, state);
    const { summary } = linked;
    const message =
      'metric' in summary
        ? metricMessage({ ...linked, summary })
        : reportMessage({ ...linked, summary });
    return { ...linked, delivery: await deliverOnce(deps, request, 'report', message) };
  }
  return postHandler;
}
