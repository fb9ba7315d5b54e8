/**
 * Merges the `FetchAccounts` Map's results (one `AccountFetched` per account) into the
 * `FetchedData` a single Fetch would have returned for a report by account, so `summarize`
 * has one input shape whichever path fetched the data. Pure: no I/O, no clock.
 *
 * - breakdown: each account's series, in the request's order, named by account id; accounts
 *   without a series are left out (as a single Fetch leaves out accounts it does not find), and
 *   an account named twice counts once (else its spend would be added twice).
 * - total: null; a report by account is restricted, so its figures are the breakdown's sum.
 * - asOf: the latest of the iterations' (each took its own clock when the request has no
 *   `asOf`; they differ by the Map's run time). Window: from the earliest `from` to the
 *   latest `to`, so every fetched point lies inside it.
 * - apiCalls: summed.
 * - newestBillingPoint: the earliest of the accounts' (the figures are as fresh as their least
 *   fresh account); absent when no account has one.
 */

import type { AccountFetched, DailySeries, FetchedData } from '../../../common/contract.ts';
import { InvalidRequestError } from '../../../common/errors.ts';

export function mergeAccounts(perAccount: AccountFetched[]): FetchedData {
  const first = perAccount[0];
  if (first === undefined) {
    // The state machine enters the Map only for a request naming at least one account.
    throw new InvalidRequestError('Summarize: no per-account results to merge.');
  }
  const seen = new Set<string>();
  const breakdown: DailySeries[] = [];
  let { from, to, asOf } = first;
  const apiCalls = { getMetricData: 0, listMetrics: 0 };
  let newestBillingPoint: string | undefined;
  for (const item of perAccount) {
    const point = item.newestBillingPoint;
    if (point && (!newestBillingPoint || Date.parse(point) < Date.parse(newestBillingPoint))) {
      newestBillingPoint = point;
    }
    if (item.from < from) from = item.from;
    if (item.to > to) to = item.to;
    if (Date.parse(item.asOf) > Date.parse(asOf)) asOf = item.asOf;
    apiCalls.getMetricData += item.apiCalls.getMetricData;
    apiCalls.listMetrics += item.apiCalls.listMetrics;
    if (seen.has(item.accountId)) continue;
    seen.add(item.accountId);
    if (item.series) breakdown.push({ ...item.series, name: item.accountId });
  }
  return {
    from,
    to,
    asOf,
    total: null,
    breakdown,
    breakdownBy: 'account',
    ...(newestBillingPoint ? { newestBillingPoint } : {}),
    apiCalls,
  };
}
