/**
 * Fetch step handler, behind two states of one Lambda function:
 *
 * - `Fetch`: `{request}` → `{request, fetched}`, every series in one batched read;
 * - `FetchAccount` (inside the `FetchAccounts` Map): `{request, accountId}` → `AccountFetched`,
 *   through the account's reader role when one is configured.
 *
 * One function for both keeps one role holding the CloudWatch and AssumeRole grants. Clients are
 * injected: the Lambda entry (`lambda.ts`) passes CloudWatch and STS, the local runner the demo
 * metric source (no reader roles: the payer view).
 */
import { STSClient } from '@aws-sdk/client-sts';
import { cloudWatchClient, s3Client } from '../../../common/aws-clients.ts';
import { awsEnvironment, type CostbotConfig } from '../../../common/config.ts';
import type {
  AccountFetched,
  FetchAccountState,
  FetchState,
  SummarizeState,
} from '../../../common/contract.ts';
import {
  FetchAccountStateSchema,
  FetchStateSchema,
  parseEvent,
} from '../../../common/contract-schema.ts';
import { createLogger, type Logger } from '../../../common/log.ts';
import { fetchAccount } from './account.ts';
import {
  type BillingCache,
  cachedMetricsApi,
  meteredMetricsApi,
  noReuse,
  type ReusedCalls,
  type SentCalls,
  s3CacheStore,
} from './billing-cache.ts';
import { type FetchClients, fetchCosts } from './fetch.ts';
import { cloudWatchMetricsApi } from './metrics-api.ts';
import { ReaderSessions, stsRoleAssumer } from './reader-roles.ts';

export interface FetchDeps {
  clients: FetchClients;
  log: Logger;
  now?: () => Date;
  /** Reader roles in member accounts; absent: accounts are read from the payer view. */
  readers?: ReaderSessions;
  /** Billing reads reused across reports (`billing-cache.ts`); absent: every report reads. */
  billingCache?: BillingCache;
}

/**
 * CloudWatch in the billing region and in the default region, and STS with the reader roles
 * when any are configured, for the `aws` backend.
 */
export function fetchDepsFromConfig(config: CostbotConfig): FetchDeps {
  const aws = awsEnvironment();
  const region = aws.region ?? aws.defaultRegion;
  const log = createLogger({ step: 'fetch' }, { level: config.logLevel });
  return {
    clients: {
      billing: cloudWatchMetricsApi(
        cloudWatchClient({ region: config.billingRegion, maxAttempts: 1 }),
      ),
      metrics: cloudWatchMetricsApi(cloudWatchClient({ maxAttempts: 1 })),
      ...(region ? { metricsRegion: region } : {}),
    },
    log,
    billingCache: {
      store: s3CacheStore(s3Client(process.env, { maxAttempts: 1 }), config.bucket),
      maxAgeSeconds: config.billingCacheSeconds,
      log,
    },
    ...(config.readerRoles.length > 0 ? { readers: readerSessionsFromConfig(config) } : {}),
  };
}

/** STS in the function's region; reads as a reader role go to CloudWatch in the billing region. */
export function readerSessionsFromConfig(
  config: CostbotConfig,
  sts: Pick<STSClient, 'send'> = new STSClient({ maxAttempts: 1 }),
): ReaderSessions {
  return new ReaderSessions({
    roles: config.readerRoles,
    externalId: config.readerExternalId,
    sts: stsRoleAssumer(sts),
    metricsFor: (credentials) =>
      cloudWatchMetricsApi(
        cloudWatchClient({ region: config.billingRegion, maxAttempts: 1, credentials }),
      ),
  });
}

function isAccountState(state: FetchState | FetchAccountState): state is FetchAccountState {
  return 'accountId' in state;
}

/** The `Fetch` or `FetchAccount` event, checked before use (`InvalidEventError`, not retried). */
function checkedFetchInput(event: unknown): FetchState | FetchAccountState {
  return typeof event === 'object' && event !== null && 'accountId' in event
    ? parseEvent('FetchAccount', FetchAccountStateSchema, event)
    : parseEvent('Fetch', FetchStateSchema, event);
}

/**
 * What was really requested: the calls made, less those the cache answered, and the metrics
 * sent. Calls the meter did not see went through a reader role's client, one metric each.
 */
function billed(
  apiCalls: AccountFetched['apiCalls'],
  reused: ReusedCalls,
  sent: SentCalls,
): AccountFetched['apiCalls'] {
  const getMetricData = apiCalls.getMetricData - reused.getMetricData;
  return {
    getMetricData,
    listMetrics: apiCalls.listMetrics - reused.listMetrics,
    metrics: sent.metrics + Math.max(0, getMetricData - sent.getMetricData),
  };
}

export function createFetchHandler(deps: FetchDeps) {
  /**
   * The deps of one invocation: both clients metered into `sent`, the billing client behind the
   * cache, which counts what it answers into `reused`.
   */
  const invocation = (reused: ReusedCalls, sent: SentCalls): FetchDeps => {
    const metered = meteredMetricsApi(deps.clients.billing, sent);
    const cache = deps.billingCache && { now: deps.now, ...deps.billingCache };
    const billing = cache ? cachedMetricsApi(metered, cache, reused) : metered;
    const metrics = meteredMetricsApi(deps.clients.metrics, sent);
    return { ...deps, clients: { ...deps.clients, billing, metrics } };
  };

  const asOfOf = (state: FetchState) =>
    state.request.asOf ? new Date(state.request.asOf) : (deps.now?.() ?? new Date());

  async function fetchHandler(state: FetchAccountState): Promise<AccountFetched>;
  async function fetchHandler(state: FetchState): Promise<SummarizeState>;
  async function fetchHandler(
    event: FetchState | FetchAccountState,
  ): Promise<SummarizeState | AccountFetched> {
    const state = checkedFetchInput(event);
    const reused = noReuse();
    const sent = { ...noReuse(), metrics: 0 };
    const used = invocation(reused, sent);
    if (isAccountState(state)) {
      const read = await fetchAccount(used, state.request, state.accountId, asOfOf(state));
      const fetched = { ...read, apiCalls: billed(read.apiCalls, reused, sent) };
      deps.log.info('fetched account', {
        requestId: state.request.requestId,
        accountId: fetched.accountId,
        via: fetched.via,
        found: fetched.series !== null,
        apiCalls: fetched.apiCalls,
      });
      return fetched;
    }
    const now = deps.now?.() ?? new Date();
    const read = await fetchCosts(used.clients, state.request, asOfOf(state), now);
    const fetched = { ...read, apiCalls: billed(read.apiCalls, reused, sent) };
    deps.log.info('fetched', {
      requestId: state.request.requestId,
      series: fetched.breakdown.length + (fetched.total ? 1 : 0),
      apiCalls: fetched.apiCalls,
    });
    return { request: state.request, fetched };
  }
  return fetchHandler;
}
