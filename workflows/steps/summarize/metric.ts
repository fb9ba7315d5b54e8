/**
 * Summarize for a metric chart: the figures of each line and the chart to draw. Pure: no I/O,
 * no clock.
 *
 * - Per line, over the points that exist (nulls left out): latest (the newest point's value),
 *   min, max, average (mean of the points), and for the `Sum` statistic the sum; all null for
 *   a line without points. Values stay as CloudWatch gave them; the message rounds.
 * - newest: the time of the newest point of any line.
 * - Chart: one line per series at the fetched resolution, values cut to 6 significant digits
 *   (what a chart can show, and a bounded payload); the title names the metric, its
 *   dimensions, the statistic once and the period; the axis the unit, per period for sums.
 */
import type {
  FetchedMetric,
  MetricRequest,
  MetricSeriesFigures,
  MetricSummary,
} from '../../../common/contract.ts';
import { periodLabel } from '../../../common/metric-period.ts';
import { metricDescription } from '../../../common/slack-message.ts';

/** `per minute`, `per 5 minutes`, `per hour`, `per 3 hours`, `per day`. */
export function perPeriod(seconds: number): string {
  const [size, unit] =
    seconds % 86_400 === 0
      ? [seconds / 86_400, 'day']
      : seconds % 3600 === 0
        ? [seconds / 3600, 'hour']
        : [seconds / 60, 'minute'];
  return size === 1 ? `per ${unit}` : `per ${size} ${unit}s`;
}

/** The figures of one line; see the module comment. */
export function lineFigures(
  name: string,
  values: (number | null)[],
  stat: string,
): MetricSeriesFigures {
  const known = values.filter((v): v is number => v !== null && Number.isFinite(v));
  const sum = known.reduce((a, b) => a + b, 0);
  const any = known.length > 0;
  return {
    name,
    latest: known.at(-1) ?? null,
    min: any ? Math.min(...known) : null,
    max: any ? Math.max(...known) : null,
    average: any ? sum / known.length : null,
    ...(stat === 'Sum' ? { sum: any ? sum : null } : {}),
  };
}

function significant(value: number | null): number | null {
  return value === null ? null : Number(value.toPrecision(6));
}

export function summarizeMetric(
  metric: MetricRequest,
  fetched: FetchedMetric,
  asOf: string,
): MetricSummary {
  const start = Date.parse(fetched.start);
  const step = fetched.periodSeconds * 1000;
  const length = Math.max(0, ...fetched.series.map((s) => s.values.length));
  const dates = Array.from({ length }, (_, i) => new Date(start + i * step).toISOString());
  const lastIndex = Math.max(
    -1,
    ...fetched.series.map((s) => s.values.findLastIndex((v) => v !== null)),
  );
  const label = periodLabel(metric.period);
  const sums = metric.stat === 'Sum' || metric.stat === 'SampleCount';
  const unit = fetched.unit === 'None' ? 'Value' : fetched.unit;
  return {
    asOf,
    metric: {
      ...metric,
      periodLabel: label,
      resolutionSeconds: fetched.periodSeconds,
      unit: fetched.unit,
      region: fetched.region,
      newest: lastIndex < 0 ? null : (dates[lastIndex] ?? null),
      from: fetched.start,
      to: fetched.end,
      ...(fetched.found === undefined ? {} : { found: fetched.found }),
      series: fetched.series.map((s) => lineFigures(s.name, s.values, metric.stat)),
    },
    chart: {
      title: `${metricDescription(metric)} (${metric.stat}), ${label}`,
      unit: sums ? `${unit} ${perPeriod(fetched.periodSeconds)}` : unit,
      dates,
      resolutionSeconds: fetched.periodSeconds,
      series: fetched.series.map((s) => ({ name: s.name, values: s.values.map(significant) })),
      style: 'line',
    },
  };
}
