/**
 * Fetch step handler: `{request}` → `{request, fetched}`. Clients are injected: the Lambda
 * entry (`lambda.ts`) passes CloudWatch, the local runner the demo metric source.
 */
import { cloudWatchClient } from '../../../common/aws-clients.ts';
import type { CostbotConfig } from '../../../common/config.ts';
import { createLogger, type Logger } from '../../../common/log.ts';
import type { FetchState, SummarizeState } from '../../contract.ts';
import { type FetchClients, fetchCosts } from './fetch.ts';
import { cloudWatchMetricsApi } from './metrics-api.ts';

export interface FetchDeps {
  clients: FetchClients;
  log: Logger;
  now?: () => Date;
}

/** CloudWatch in the billing region and in the default region, for the `aws` backend. */
export function fetchDepsFromConfig(config: CostbotConfig): FetchDeps {
  return {
    clients: {
      billing: cloudWatchMetricsApi(
        cloudWatchClient({ region: config.billingRegion, maxAttempts: 1 }),
      ),
      metrics: cloudWatchMetricsApi(cloudWatchClient({ maxAttempts: 1 })),
    },
    log: createLogger({ step: 'fetch' }, { level: config.logLevel }),
  };
}

export function createFetchHandler(deps: FetchDeps) {
  return async function fetchHandler(state: FetchState): Promise<SummarizeState> {
    const asOf = state.request.asOf ? new Date(state.request.asOf) : (deps.now?.() ?? new Date());
    const fetched = await fetchCosts(deps.clients, state.request, asOf);
    deps.log.info('fetched', {
      requestId: state.request.requestId,
      series: fetched.breakdown.length + (fetched.total ? 1 : 0),
      apiCalls: fetched.apiCalls,
    });
    return { request: state.request, fetched };
  };
}
