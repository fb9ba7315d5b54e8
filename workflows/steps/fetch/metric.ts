/**
 * Fetch for a metric chart: every line of the chart in one GetMetricData call, at the resolution
 * `chooseResolution` picks for the window (`common/metric-period.ts`).
 *
 * - The window ends at the last period boundary at or before `asOf` (a partial bucket would
 *   draw a false dip) and is `metric.period` long.
 * - Lines: one without a split; one per listed value; for `*`, every value ListMetrics finds for
 *   a metric with exactly these dimension names, read together, the
 *   {@link MAX_SPLIT_VALUES} largest by the statistic kept (ties by name). More than
 *   {@link MAX_QUERIES_PER_CALL} values: the first that many ListMetrics returns are read.
 * - Values land on a fixed grid of `(end - start) / period` points, null where CloudWatch has
 *   none, so every line has the same length.
 */
import type { Dimension, MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import type { FetchedMetric, MetricPeriod, MetricRequest } from '../../../common/contract.ts';
import { MAX_SPLIT_VALUES } from '../../../common/contract-schema.ts';
import { chooseResolution, periodSeconds } from '../../../common/metric-period.ts';
import { MAX_QUERIES_PER_CALL, type MetricsApi } from './metrics-api.ts';
import { metricUnit } from './units.ts';

export interface MetricWindow {
  start: Date;
  end: Date;
  periodSeconds: number;
}

/** The window and resolution of a chart of `period` as of `asOf`, read at `now`. */
export function metricWindow(period: MetricPeriod, asOf: Date, now: Date): MetricWindow {
  const duration = periodSeconds(period);
  const startAge = (now.getTime() - asOf.getTime()) / 1000 + duration;
  const resolution = chooseResolution(duration, startAge);
  const step = resolution * 1000;
  const end = Math.floor(asOf.getTime() / step) * step;
  return { start: new Date(end - duration * 1000), end: new Date(end), periodSeconds: resolution };
}

interface Line {
  name: string;
  dimensions: Dimension[];
}

const asDimension = (d: { name: string; value: string }): Dimension => ({
  Name: d.name,
  Value: d.value,
});

/** Every value of `split` that ListMetrics lists with exactly the request's dimension names. */
async function listSplitValues(
  api: MetricsApi,
  metric: MetricRequest,
  splitName: string,
): Promise<{ values: string[]; calls: number }> {
  const names = new Set([...metric.dimensions.map((d) => d.name), splitName]);
  const values = new Set<string>();
  let nextToken: string | undefined;
  let calls = 0;
  do {
    const page = await api.listMetrics({
      Namespace: metric.namespace,
      MetricName: metric.metricName,
      Dimensions: [...metric.dimensions.map(asDimension), { Name: splitName }],
      NextToken: nextToken,
    });
    calls += 1;
    for (const found of page.Metrics ?? []) {
      const dims = found.Dimensions ?? [];
      const exact = dims.length === names.size && dims.every((d) => names.has(d.Name ?? ''));
      const value = dims.find((d) => d.Name === splitName)?.Value;
      if (exact && value !== undefined) values.add(value);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  return { values: [...values], calls };
}

/** The size of a line by the statistic: what `*` ranks lines by. */
export function lineSize(values: (number | null)[], stat: string): number {
  const known = values.filter((v): v is number => v !== null);
  if (known.length === 0) return Number.NEGATIVE_INFINITY;
  if (stat === 'Sum' || stat === 'SampleCount') return known.reduce((a, b) => a + b, 0);
  if (stat === 'Maximum') return Math.max(...known);
  if (stat === 'Minimum') return Math.min(...known);
  return known.reduce((a, b) => a + b, 0) / known.length;
}

function query(metric: MetricRequest, line: Line, id: string, period: number): MetricDataQuery {
  return {
    Id: id,
    Label: line.name,
    ReturnData: true,
    MetricStat: {
      Metric: {
        Namespace: metric.namespace,
        MetricName: metric.metricName,
        Dimensions: line.dimensions,
      },
      Period: period,
      Stat: metric.stat,
    },
  };
}

/** The lines and their points of `metric`, as of `asOf`; `now` decides what CloudWatch keeps. */
export async function fetchMetric(
  api: MetricsApi,
  metric: MetricRequest,
  options: { asOf: Date; now: Date; region: string },
): Promise<{ metric: FetchedMetric; calls: { getMetricData: number; listMetrics: number } }> {
  const window = metricWindow(metric.period, options.asOf, options.now);
  const fixed = metric.dimensions.map(asDimension);
  const split = metric.split;
  let listMetrics = 0;
  let lines: Line[];
  let found: number | undefined;
  if (!split) {
    const name = metric.dimensions.map((d) => `${d.name}=${d.value}`).join(' ');
    lines = [{ name: name || metric.metricName, dimensions: fixed }];
  } else {
    let values: string[];
    if (split.values === '*') {
      const listed = await listSplitValues(api, metric, split.name);
      listMetrics = listed.calls;
      found = listed.values.length;
      values = listed.values.slice(0, MAX_QUERIES_PER_CALL);
    } else {
      values = split.values;
    }
    lines = values.map((value) => ({
      name: value,
      dimensions: [...fixed, { Name: split.name, Value: value }],
    }));
  }

  const step = window.periodSeconds * 1000;
  const count = Math.round((window.end.getTime() - window.start.getTime()) / step);
  const points = lines.map(() => new Array<number | null>(count).fill(null));
  let getMetricData = 0;
  let nextToken: string | undefined;
  while (lines.length > 0) {
    const out = await api.getMetricData({
      MetricDataQueries: lines.map((line, i) => query(metric, line, `m${i}`, window.periodSeconds)),
      StartTime: window.start,
      EndTime: window.end,
      ScanBy: 'TimestampAscending',
      NextToken: nextToken,
    });
    getMetricData += 1;
    for (const result of out.MetricDataResults ?? []) {
      const target = points[Number(result.Id?.slice(1))];
      if (!target) continue;
      const values = result.Values ?? [];
      (result.Timestamps ?? []).forEach((t, i) => {
        const index = Math.round((new Date(t).getTime() - window.start.getTime()) / step);
        const value = values[i];
        if (index >= 0 && index < count && value !== undefined && Number.isFinite(value)) {
          target[index] = value;
        }
      });
    }
    nextToken = out.NextToken;
    if (!nextToken) break;
  }

  let series = lines.map((line, i) => ({ name: line.name, values: points[i] ?? [] }));
  if (split?.values === '*') {
    series = series
      .map((s) => ({ s, size: lineSize(s.values, metric.stat) }))
      .sort((a, b) => b.size - a.size || (a.s.name < b.s.name ? -1 : a.s.name > b.s.name ? 1 : 0))
      .slice(0, MAX_SPLIT_VALUES)
      .map(({ s }) => s);
  }
  return {
    metric: {
      periodSeconds: window.periodSeconds,
      start: window.start.toISOString(),
      end: window.end.toISOString(),
      unit: metricUnit(metric.namespace, metric.metricName, metric.stat),
      region: options.region,
      series,
      ...(found === undefined ? {} : { found }),
    },
    calls: { getMetricData, listMetrics },
  };
}
