/**
 * Where the fetch step keeps billing reads it may reuse, and what one entry holds.
 *
 * `AWS/Billing EstimatedCharges` changes a few times a day (observed every 4–6 hours), so a
 * read made minutes ago is what CloudWatch would answer again. Entries live in the charts bucket
 * beside the charts and the delivery records (`cache/billing/<sha256 of the query>.json`); only
 * the fetch role may read or write them.
 */

/** Key prefix of the billing cache in the charts bucket. */
export const BILLING_CACHE_PREFIX = 'cache/billing/';

/** What one cache object holds: a CloudWatch answer and when it was read. */
export interface BillingCacheEntry {
  version: 1;
  /** `ListMetrics` or `GetMetricData`: an entry answers only the operation that wrote it. */
  operation: string;
  /** ISO time the answer was read from CloudWatch: the entry's age counts from here. */
  fetchedAt: string;
  /** ISO time of the newest datapoint in the answer; null for ListMetrics or no points. */
  newestPoint: string | null;
  output: unknown;
}

const isIsoTime = (v: unknown): v is string =>
  typeof v === 'string' && !Number.isNaN(new Date(v).getTime());

/** The entry in `body`, or null when it is not one (corrupt, truncated, another version). */
export function parseBillingCacheEntry(body: string): BillingCacheEntry | null {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const e = value as Record<string, unknown>;
  const valid =
    e.version === 1 &&
    typeof e.operation === 'string' &&
    isIsoTime(e.fetchedAt) &&
    (e.newestPoint === null || isIsoTime(e.newestPoint)) &&
    typeof e.output === 'object' &&
    e.output !== null;
  return valid ? (value as BillingCacheEntry) : null;
}

/**
 * True while an entry read at `fetchedAt` may stand in for a new read: younger than
 * `maxAgeSeconds`, and not from the future (a clock that went back).
 */
export function isFresh(fetchedAt: string, now: Date, maxAgeSeconds: number): boolean {
  const age = now.getTime() - new Date(fetchedAt).getTime();
  return age >= 0 && age < maxAgeSeconds * 1000;
}
