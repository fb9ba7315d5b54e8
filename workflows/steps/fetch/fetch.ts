/**
 * Fetch: the billing metric as daily series, or a requested CloudWatch metric (`metric.ts`).
 *
 * Cost comes from `AWS/Billing EstimatedCharges` (`Currency=USD`), cumulative month-to-date,
 * published only in us-east-1. One ListMetrics walk finds the series, then GetMetricData
 * reads all of them at once: up to 500 series per call, one point per UTC day (Period
 * 86400, Maximum). Never one call per service or per day: each call is billed. The same call
 * reads the total hourly too, for the time of its newest point: how fresh the figures are.
 */
import type { Dimension, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { DailySeries, FetchedData, ReportRequest } from '../../../common/contract.ts';
import { addDays, dayStart, requiredFetchWindow, utcDay } from '../../../common/dates.ts';
import { InvalidRequestError } from '../../../common/errors.ts';
import { fetchMetric } from './metric.ts';
import { MAX_QUERIES_PER_CALL, type MetricsApi } from './metrics-api.ts';

export { MAX_QUERIES_PER_CALL };
export const BILLING_NAMESPACE = 'AWS/Billing';
export const BILLING_METRIC = 'EstimatedCharges';
const DAY_SECONDS = 86_400;
const HOUR_SECONDS = 3600;
/** Region of the metrics client when none is named (the local demo's). */
export const DEFAULT_METRICS_REGION = 'us-east-1';

export interface FetchClients {
  /** CloudWatch in the billing region (us-east-1). */
  billing: MetricsApi;
  /** CloudWatch in the region of the requested metric (the deployment's region). */
  metrics: MetricsApi;
  /** The region `metrics` reads, for the console link; default {@link DEFAULT_METRICS_REGION}. */
  metricsRegion?: string;
}

/** One series to read with GetMetricData; `name` labels the result. */
export interface SeriesQuery {
  name: string;
  namespace: string;
  metricName: string;
  dimensions: Dimension[];
  stat: string;
  /** CloudWatch `Period`; default a day. */
  periodSeconds?: number;
}

function dims(dimensions: Dimension[] | undefined): Map<string, string> {
  return new Map((dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
}

async function listBillingSeries(
  api: MetricsApi,
): Promise<{ existing: Map<string, string>[]; calls: number }> {
  const found: Map<string, string>[] = [];
  const seen = new Set<string>();
  let nextToken: string | undefined;
  let calls = 0;
  do {
    const page = await api.listMetrics({
      Namespace: BILLING_NAMESPACE,
      MetricName: BILLING_METRIC,
      NextToken: nextToken,
    });
    calls += 1;
    for (const metric of page.Metrics ?? []) {
      const d = dims(metric.Dimensions);
      // Emulators (and paging races) can list one series twice; query it once.
      const key = JSON.stringify([...d].sort());
      if (!seen.has(key)) {
        seen.add(key);
        found.push(d);
      }
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { existing: found, calls };
}

/** The billing metric's series with exactly these dimensions, daily maxima. */
export function billingQuery(name: string, d: Map<string, string>): SeriesQuery {
  return {
    name,
    namespace: BILLING_NAMESPACE,
    metricName: BILLING_METRIC,
    dimensions: [...d].map(([Name, Value]) => ({ Name, Value })),
    stat: 'Maximum',
  };
}

/** Picks the total and the breakdown (services, or the requested accounts) from what exists. */
export function selectBillingQueries(
  request: ReportRequest,
  existing: Map<string, string>[],
): { total: SeriesQuery | null; breakdown: SeriesQuery[]; by: 'service' | 'account' } {
  const usd = existing.filter((d) => d.get('Currency') === 'USD');
  const only = (...keys: string[]) =>
    usd.filter((d) => d.size === keys.length + 1 && keys.every((k) => d.has(k)));
  const totalDims = only()[0];
  const total = totalDims ? billingQuery('Total', totalDims) : null;
  if (request.accounts && request.accounts.length > 0) {
    const wanted = new Set(request.accounts);
    const breakdown = only('LinkedAccount')
      .filter((d) => wanted.has(d.get('LinkedAccount') ?? ''))
      .map((d) => billingQuery(d.get('LinkedAccount') ?? '', d));
    return { total, breakdown, by: 'account' };
  }
  const service = request.service?.toLowerCase();
  const breakdown = only('ServiceName')
    .filter((d) => !service || d.get('ServiceName')?.toLowerCase() === service)
    .map((d) => billingQuery(d.get('ServiceName') ?? '', d));
  return { total, breakdown, by: 'service' };
}

function toMetricDataQuery(q: SeriesQuery, id: string): MetricDataQuery {
  return {
    Id: id,
    Label: q.name,
    ReturnData: true,
    MetricStat: {
      Metric: { Namespace: q.namespace, MetricName: q.metricName, Dimensions: q.dimensions },
      Period: q.periodSeconds ?? DAY_SECONDS,
      Stat: q.stat,
    },
  };
}

/** The billing series of `query` again, hourly: its newest point says how fresh the data is. */
export function freshnessQuery(query: SeriesQuery): SeriesQuery {
  return { ...query, name: 'Freshness', periodSeconds: HOUR_SECONDS };
}

/**
 * Reads every query as daily points, 500 queries per GetMetricData call, following NextToken;
 * `newest` is the time of each query's newest point up to `until`, null without one.
 */
export async function readDailySeries(
  api: MetricsApi,
  queries: SeriesQuery[],
  window: { from: string; to: string },
  until?: Date,
): Promise<{ series: DailySeries[]; newest: (string | null)[]; calls: number }> {
  const points = queries.map(() => new Map<string, number>());
  const newest = queries.map((): number | null => null);
  let calls = 0;
  for (let start = 0; start < queries.length; start += MAX_QUERIES_PER_CALL) {
    const batch = queries.slice(start, start + MAX_QUERIES_PER_CALL);
    let nextToken: string | undefined;
    do {
      const out = await api.getMetricData({
        MetricDataQueries: batch.map((q, i) => toMetricDataQuery(q, `m${start + i}`)),
        StartTime: dayStart(window.from),
        EndTime: dayStart(addDays(window.to, 1)),
        ScanBy: 'TimestampAscending',
        NextToken: nextToken,
      });
      calls += 1;
      for (const result of out.MetricDataResults ?? []) {
        const index = Number(result.Id?.slice(1));
        const target = points[index];
        if (!target) continue;
        const timestamps = result.Timestamps ?? [];
        const values = result.Values ?? [];
        timestamps.forEach((t, i) => {
          const time = new Date(t).getTime();
          if (!until || time <= until.getTime()) {
            newest[index] = Math.max(newest[index] ?? time, time);
          }
          const day = utcDay(new Date(t));
          const value = values[i] ?? 0;
          // Daily maximum even if a source returns several points a day.
          target.set(day, Math.max(target.get(day) ?? Number.NEGATIVE_INFINITY, value));
        });
      }
      nextToken = out.NextToken;
    } while (nextToken);
  }
  const series = queries.map((q, i) => {
    const days = [...(points[i] ?? new Map<string, number>())].sort(([a], [b]) =>
      a.localeCompare(b),
    );
    return { name: q.name, dates: days.map(([d]) => d), values: days.map(([, v]) => v) };
  });
  return {
    series,
    newest: newest.map((t) => (t === null ? null : new Date(t).toISOString())),
    calls,
  };
}

/**
 * Reads the request's figures as of `asOf`: a metric chart's lines (no billing series), or the
 * billing series. `now` is the real time, which decides what CloudWatch still keeps.
 */
export async function fetchCosts(
  clients: FetchClients,
  request: ReportRequest,
  asOf: Date,
  now: Date = asOf,
): Promise<FetchedData> {
  if (Number.isNaN(asOf.getTime())) throw new InvalidRequestError('asOf is not a valid date.');
  if (request.metric) {
    const read = await fetchMetric(clients.metrics, request.metric, {
      asOf,
      now,
      region: clients.metricsRegion ?? DEFAULT_METRICS_REGION,
    });
    const window = { from: utcDay(new Date(read.metric.start)), to: utcDay(asOf) };
    return {
      ...window,
      asOf: asOf.toISOString(),
      total: null,
      breakdown: [],
      breakdownBy: 'service',
      metric: read.metric,
      apiCalls: read.calls,
    };
  }
  const window = requiredFetchWindow(request.period, asOf);
  const listed = await listBillingSeries(clients.billing);
  const selected = selectBillingQueries(request, listed.existing);
  // The total again, hourly, in the same call: its newest point says how fresh the data is.
  const freshness = selected.total ? [freshnessQuery(selected.total)] : [];
  const queries = [...(selected.total ? [selected.total] : []), ...selected.breakdown];
  const billing = await readDailySeries(clients.billing, [...queries, ...freshness], window, asOf);
  const total = selected.total ? (billing.series[0] ?? null) : null;
  const breakdown = billing.series.slice(selected.total ? 1 : 0, queries.length);
  const newestBillingPoint = freshness.length > 0 ? billing.newest[queries.length] : null;

  return {
    from: window.from,
    to: window.to,
    asOf: asOf.toISOString(),
    total,
    breakdown,
    breakdownBy: selected.by,
    ...(newestBillingPoint ? { newestBillingPoint } : {}),
    apiCalls: { getMetricData: billing.calls, listMetrics: listed.calls },
  };
}
