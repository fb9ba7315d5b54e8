/**
 * FetchAccount: one account's cost, for one iteration of the `FetchAccounts` Map.
 *
 * With a reader role for the account, its own `AWS/Billing EstimatedCharges` `Currency=USD`
 * total is read with the role's credentials: what the account itself publishes, and the only
 * view when the account is not linked to this payer. Without one, the payer account's
 * `LinkedAccount=<id>` series is read with the function's own credentials, as a single Fetch
 * does for a report by account.
 *
 * The dimensions are known, so there is no ListMetrics walk: one GetMetricData call of one
 * metric per account (GetMetricData is billed per metric, so this costs what a batched read
 * costs), read daily and, in the same call, hourly for the time of its newest point. A series
 * that does not exist answers with no points, which is reported as null.
 */

import type { AccountFetched, ReportRequest } from '../../../common/contract.ts';
import { requiredFetchWindow } from '../../../common/dates.ts';
import { InvalidRequestError } from '../../../common/errors.ts';
import { billingQuery, type FetchClients, freshnessQuery, readDailySeries } from './fetch.ts';
import type { ReaderSessions } from './reader-roles.ts';

const ACCOUNT_ID = /^\d{12}$/;

export interface AccountFetchDeps {
  clients: FetchClients;
  /** Reader role sessions; absent: every account is read from the payer view. */
  readers?: ReaderSessions;
}

export async function fetchAccount(
  deps: AccountFetchDeps,
  request: ReportRequest,
  accountId: string,
  asOf: Date,
): Promise<AccountFetched> {
  // The id becomes a dimension value and an STS session's subject: refuse anything else early.
  if (typeof accountId !== 'string' || !ACCOUNT_ID.test(accountId)) {
    throw new InvalidRequestError(`Account ids are 12 digits; got ${JSON.stringify(accountId)}.`);
  }
  if (Number.isNaN(asOf.getTime())) throw new InvalidRequestError('asOf is not a valid date.');
  const window = requiredFetchWindow(request.period, asOf);
  const assumed = await deps.readers?.metrics(accountId, request.requestId);
  const dimensions = new Map([['Currency', 'USD']]);
  if (!assumed) dimensions.set('LinkedAccount', accountId);
  const query = billingQuery(accountId, dimensions);
  const read = await readDailySeries(
    assumed ?? deps.clients.billing,
    [query, freshnessQuery(query)],
    window,
    asOf,
  );
  const series = read.series[0];
  const newest = read.newest[1];
  return {
    accountId,
    series: series && series.dates.length > 0 ? series : null,
    via: assumed ? 'reader-role' : 'payer',
    from: window.from,
    to: window.to,
    asOf: asOf.toISOString(),
    ...(newest ? { newestBillingPoint: newest } : {}),
    apiCalls: { getMetricData: read.calls, listMetrics: 0 },
  };
}
