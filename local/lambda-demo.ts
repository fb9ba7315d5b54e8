/**
 * Demo `AWS/Lambda` metrics for the local backend: `Invocations`, `Errors` and `Duration` of
 * two functions, `api` and `worker`, one value a minute for the last 15 days (what CloudWatch
 * keeps at 1-minute resolution), up to the last complete minute. Deterministic for a clock.
 *
 * Shapes: `api` follows the day (busiest at 15:00 UTC, quietest at 03:00, weekends lighter);
 * `worker` runs a batch in the first 5 minutes of every hour. Errors are rare, except in two
 * bursts of `api` (timeouts: errors and long durations): 25 minutes starting 2 h 40 min before
 * the current hour, and 15 minutes at 09:40 UTC two days ago.
 */
import type { Metric, MetricStat } from '@aws-sdk/client-cloudwatch';
import type { ListMetricsInput } from '../workflows/steps/fetch/metrics-api.ts';
import { unit } from './demo-noise.ts';

export const LAMBDA_NAMESPACE = 'AWS/Lambda';
export const DEMO_FUNCTIONS = ['api', 'worker'] as const;
const METRICS = ['Invocations', 'Errors', 'Duration'] as const;

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const KEPT_MS = 15 * DAY_MS;

interface Minute {
  invocations: number;
  errors: number;
  /** Mean duration of the minute's invocations, ms. */
  duration: number;
}

/** The error bursts of `api` as of `now`: [start, end) in ms. */
function bursts(now: Date): { start: number; end: number; rate: number }[] {
  const hour = Math.floor(now.getTime() / HOUR_MS) * HOUR_MS;
  const recent = hour - 3 * HOUR_MS + 20 * MINUTE_MS;
  const twoDaysAgo =
    Math.floor(now.getTime() / DAY_MS) * DAY_MS - 2 * DAY_MS + 9 * HOUR_MS + 40 * MINUTE_MS;
  return [
    { start: recent, end: recent + 25 * MINUTE_MS, rate: 0.12 },
    { start: twoDaysAgo, end: twoDaysAgo + 15 * MINUTE_MS, rate: 0.05 },
  ];
}

/** One minute of one function. */
export function demoMinute(fn: string, t: number, now: Date): Minute {
  const hourOfDay = (t % DAY_MS) / HOUR_MS;
  const daily = 0.6 + 0.4 * Math.cos((2 * Math.PI * (hourOfDay - 15)) / 24);
  const weekday = new Date(t).getUTCDay();
  const weekend = weekday === 0 || weekday === 6 ? 0.6 : 1;
  const [a, b, c] = [unit(`${fn}|${t}|a`), unit(`${fn}|${t}|b`), unit(`${fn}|${t}|c`)];
  if (fn === 'worker') {
    const batch = (t % HOUR_MS) / MINUTE_MS < 5;
    const invocations = Math.round(25 * (0.8 + 0.2 * daily) * (batch ? 6 : 1) * (0.85 + 0.3 * a));
    const errors = batch && b < 0.3 ? 1 + Math.floor(3 * c) : 0;
    return { invocations, errors, duration: (1300 + 500 * c) * (batch ? 1.5 : 1) };
  }
  const invocations = Math.round(180 * daily * weekend * (0.9 + 0.2 * a));
  const burst = bursts(now).find((x) => t >= x.start && t < x.end);
  if (burst) {
    return {
      invocations,
      errors: Math.round(invocations * burst.rate * (0.8 + 0.4 * b)),
      duration: 1800 + 400 * c,
    };
  }
  return { invocations, errors: b < 0.15 ? 1 : 0, duration: 70 + 50 * daily + 20 * c };
}

/** Every demo Lambda metric matching a ListMetrics filter (metric name, dimensions). */
export function lambdaMetrics(input: ListMetricsInput): Metric[] {
  const all = METRICS.flatMap((name) =>
    DEMO_FUNCTIONS.map((fn) => ({
      Namespace: LAMBDA_NAMESPACE,
      MetricName: name,
      Dimensions: [{ Name: 'FunctionName', Value: fn }],
    })),
  );
  return all.filter(
    (m) =>
      (input.MetricName === undefined || m.MetricName === input.MetricName) &&
      (input.Dimensions ?? []).every((f) =>
        m.Dimensions.some(
          (d) => d.Name === f.Name && (f.Value === undefined || d.Value === f.Value),
        ),
      ),
  );
}

/** `p99.9` -> 0.999. */
function quantileOf(stat: string): number | undefined {
  const match = /^p(\d+(?:\.\d+)?)$/.exec(stat);
  return match ? Number(match[1]) / 100 : undefined;
}

/** The `q` quantile of weighted samples. */
function weightedQuantile(samples: { value: number; weight: number }[], q: number): number {
  const sorted = [...samples].sort((x, y) => x.value - y.value);
  const total = sorted.reduce((sum, s) => sum + s.weight, 0);
  let seen = 0;
  for (const s of sorted) {
    seen += s.weight;
    if (seen >= q * total) return s.value;
  }
  return sorted.at(-1)?.value ?? 0;
}

/**
 * The statistic of one period's minutes. Counts take each minute's count as a sample;
 * durations weigh each minute's mean by its invocations, a minute's maximum being about
 * twice its mean and its minimum a third.
 */
function aggregate(metricName: string, minutes: Minute[], stat: string): number | undefined {
  const q = quantileOf(stat);
  if (metricName === 'Duration') {
    const samples = minutes
      .filter((m) => m.invocations > 0)
      .map((m) => ({ value: m.duration, weight: m.invocations }));
    const count = samples.reduce((sum, s) => sum + s.weight, 0);
    if (count === 0) return undefined;
    const sum = samples.reduce((total, s) => total + s.value * s.weight, 0);
    if (stat === 'Sum') return sum;
    if (stat === 'SampleCount') return count;
    if (stat === 'Maximum') return Math.max(...samples.map((s) => s.value * 2.2));
    if (stat === 'Minimum') return Math.min(...samples.map((s) => s.value * 0.3));
    if (q !== undefined) return weightedQuantile(samples, q) * (0.7 + 1.3 * q ** 3);
    return sum / count;
  }
  const values = minutes.map((m) => (metricName === 'Errors' ? m.errors : m.invocations));
  if (values.length === 0) return undefined;
  const sum = values.reduce((a, b) => a + b, 0);
  if (stat === 'Sum') return sum;
  if (stat === 'SampleCount') return values.length;
  if (stat === 'Maximum') return Math.max(...values);
  if (stat === 'Minimum') return Math.min(...values);
  if (q !== undefined)
    return weightedQuantile(
      values.map((value) => ({ value, weight: 1 })),
      q,
    );
  return sum / values.length;
}

/** The points of one GetMetricData query between `start` and `end`, as of `now`. */
export function lambdaPoints(
  stat: MetricStat,
  start: Date,
  end: Date,
  now: Date,
): { time: Date; value: number }[] {
  const fn = stat.Metric?.Dimensions?.find((d) => d.Name === 'FunctionName')?.Value;
  const metricName = stat.Metric?.MetricName ?? '';
  const dimensions = stat.Metric?.Dimensions ?? [];
  if (
    !fn ||
    dimensions.length !== 1 ||
    !(DEMO_FUNCTIONS as readonly string[]).includes(fn) ||
    !(METRICS as readonly string[]).includes(metricName)
  ) {
    return [];
  }
  const period = Math.max(60, stat.Period ?? 60) * 1000;
  const lastMinute = Math.floor(now.getTime() / MINUTE_MS) * MINUTE_MS - MINUTE_MS;
  const firstMinute = Math.ceil((now.getTime() - KEPT_MS) / MINUTE_MS) * MINUTE_MS;
  const points: { time: Date; value: number }[] = [];
  for (
    let bucket = Math.floor(start.getTime() / period) * period;
    bucket < end.getTime();
    bucket += period
  ) {
    const minutes: Minute[] = [];
    const from = Math.max(bucket, firstMinute);
    const to = Math.min(bucket + period, end.getTime(), lastMinute + MINUTE_MS);
    for (let t = from; t < to; t += MINUTE_MS) minutes.push(demoMinute(fn, t, now));
    const value = aggregate(metricName, minutes, stat.Stat ?? 'Sum');
    if (value !== undefined)
      points.push({ time: new Date(bucket), value: Math.round(value * 1000) / 1000 });
  }
  return points;
}
