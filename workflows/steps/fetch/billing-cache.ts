/**
 * Reuse of billing reads: a {@link MetricsApi} that answers a ListMetrics or GetMetricData
 * query from an earlier answer while that answer is younger than the configured age
 * (`COSTBOT_BILLING_CACHE_SECONDS`), and asks CloudWatch otherwise.
 *
 *   const billing = cachedMetricsApi(deps.clients.billing, cache, reused);
 *   await fetchCosts({ ...deps.clients, billing }, request, asOf);
 *
 * The billing metric changes a few times a day, so a burst of reports makes one read. The key
 * is the whole query (namespace, metric, dimensions, period, window, paging) and the account
 * view, hashed; a different query misses. Paged answers are never stored: a page token is not a
 * stable key. The cache can only save requests, never fail a report: an unreadable, corrupt or
 * unwritable entry is logged and CloudWatch is asked.
 */
import { createHash } from 'node:crypto';
import type { S3Client } from '@aws-sdk/client-s3';
import {
  BILLING_CACHE_PREFIX,
  type BillingCacheEntry,
  isFresh,
  parseBillingCacheEntry,
} from '../../../common/billing-cache.ts';
import type { Logger } from '../../../common/log.ts';
import { putJsonObject, readObjectText } from '../../../common/s3-objects.ts';
import type { GetMetricDataOutput, MetricsApi } from './metrics-api.ts';

/** Where entries are kept: the charts bucket on AWS and on the local S3 server. */
export interface CacheStore {
  /** The object's text; undefined when there is none. */
  get(key: string): Promise<string | undefined>;
  put(key: string, body: string): Promise<void>;
}

export function s3CacheStore(s3: Pick<S3Client, 'send'>, bucket: string): CacheStore {
  return {
    get: (key) => readObjectText(s3, bucket, key),
    put: (key, body) => putJsonObject(s3, bucket, key, body),
  };
}

export interface BillingCache {
  store: CacheStore;
  /** How long an answer is reused, in seconds; 0 turns reuse off. */
  maxAgeSeconds: number;
  log: Logger;
  now?: () => Date;
  /** Whose view of the metrics the client reads (its credentials): part of the key. */
  view?: string;
}

/** Requests answered from the cache, per operation: what was not billed. */
export interface ReusedCalls {
  listMetrics: number;
  getMetricData: number;
}

export const noReuse = (): ReusedCalls => ({ listMetrics: 0, getMetricData: 0 });

/** Requests that reached CloudWatch, and the metrics GetMetricData asked for (billed per metric). */
export interface SentCalls extends ReusedCalls {
  metrics: number;
}

/** `api`, counting into `sent` every request it passes on. */
export function meteredMetricsApi(api: MetricsApi, sent: SentCalls): MetricsApi {
  return {
    listMetrics: (input) => {
      sent.listMetrics += 1;
      return api.listMetrics(input);
    },
    getMetricData: (input) => {
      sent.getMetricData += 1;
      sent.metrics += input.MetricDataQueries?.length ?? 0;
      return api.getMetricData(input);
    },
  };
}

type Operation = keyof ReusedCalls;

/** `cache/billing/<sha256>.json` of the view, operation and input. */
export function billingCacheKey(view: string, operation: Operation, input: unknown): string {
  const hash = createHash('sha256')
    .update(JSON.stringify({ view, operation, input }))
    .digest('hex');
  return `${BILLING_CACHE_PREFIX}${hash}.json`;
}

function newestPoint(output: GetMetricDataOutput): string | null {
  const times = (output.MetricDataResults ?? []).flatMap((r) =>
    (r.Timestamps ?? []).map((t) => new Date(t).getTime()),
  );
  return times.length > 0 ? new Date(Math.max(...times)).toISOString() : null;
}

/** JSON turned the SDK's Dates into strings: give them back. */
function revived(operation: Operation, output: unknown): unknown {
  if (operation !== 'getMetricData') return output;
  const out = output as GetMetricDataOutput;
  return {
    ...out,
    MetricDataResults: (out.MetricDataResults ?? []).map((r) => ({
      ...r,
      Timestamps: (r.Timestamps ?? []).map((t) => new Date(t)),
    })),
  };
}

/**
 * `api` behind the cache; each answer given from it is counted in `reused`. Build one per
 * invocation so the count is that report's.
 */
export function cachedMetricsApi(
  api: MetricsApi,
  cache: BillingCache,
  reused: ReusedCalls = noReuse(),
): MetricsApi {
  const now = () => cache.now?.() ?? new Date();
  const view = cache.view ?? 'payer';

  async function lookup(key: string, operation: Operation): Promise<unknown> {
    let body: string | undefined;
    try {
      body = await cache.store.get(key);
    } catch (error) {
      cache.log.warn('billing cache unreadable: reading CloudWatch', { key, error: String(error) });
      return undefined;
    }
    if (body === undefined) return undefined;
    const entry = parseBillingCacheEntry(body);
    if (!entry || entry.operation !== operation) {
      cache.log.warn('billing cache entry is corrupt: reading CloudWatch', { key });
      return undefined;
    }
    return isFresh(entry.fetchedAt, now(), cache.maxAgeSeconds)
      ? revived(operation, entry.output)
      : undefined;
  }

  async function store(key: string, entry: BillingCacheEntry): Promise<void> {
    try {
      await cache.store.put(key, JSON.stringify(entry));
    } catch (error) {
      cache.log.warn('billing cache not written', { key, error: String(error) });
    }
  }

  function through<I extends { NextToken?: string }, O extends { NextToken?: string }>(
    operation: Operation,
    read: (input: I) => Promise<O>,
    newest: (output: O) => string | null,
  ): (input: I) => Promise<O> {
    return async (input) => {
      if (cache.maxAgeSeconds <= 0 || input.NextToken) return read(input);
      const key = billingCacheKey(view, operation, input);
      const hit = await lookup(key, operation);
      if (hit !== undefined) {
        reused[operation] += 1;
        return hit as O;
      }
      const fetchedAt = now().toISOString();
      const output = await read(input);
      if (!output.NextToken) {
        await store(key, {
          version: 1,
          operation,
          fetchedAt,
          newestPoint: newest(output),
          output,
        });
      }
      return output;
    };
  }

  return {
    listMetrics: through(
      'listMetrics',
      (input) => api.listMetrics(input),
      () => null,
    ),
    getMetricData: through('getMetricData', (input) => api.getMetricData(input), newestPoint),
  };
}
