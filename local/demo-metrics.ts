/**
 * Demo metric source for the local backend: answers ListMetrics and GetMetricData like
 * CloudWatch would for a realistic small company, so `npm start` needs no AWS account.
 *
 * Deterministic for a given clock: per-service daily spend with a weekday pattern and
 * ±10 % noise from a hash of (series, day), a spike in EC2 three days before the clock's day
 * (2.3 times its usual spend: the anomaly the report as of the day after flags; steady days
 * flag nothing; `npm run digest -- --as-of <day>` reproduces either), a service that first
 * appears on the 10th of each month, and the billing metric's shape (cumulative month to date,
 * reset on the 1st, updated every 6 hours: a day's last reading misses its last 6 hours, so a
 * quarter of the spike lands on the next day's spend, as with the real metric, and the report
 * after may flag that too).
 *
 * `AWS/Lambda` `Invocations`, `Errors` and `Duration` of two functions (`FunctionName` `api`
 * and `worker`) exist at 1-minute resolution for the last 15 days, up to the last complete
 * minute, aggregated to the query's period and statistic (`lambda-demo.ts`). Other metrics
 * have no data, as in CloudWatch.
 */
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import { addDays, dayStart, monthStart, utcDay } from '../common/dates.ts';
import type {
  GetMetricDataInput,
  GetMetricDataOutput,
  ListMetricsInput,
  ListMetricsOutput,
  MetricsApi,
} from '../workflows/steps/fetch/metrics-api.ts';
import { unit } from './demo-noise.ts';
import { LAMBDA_NAMESPACE, lambdaMetrics, lambdaPoints } from './lambda-demo.ts';

/** Daily spend in USD on a weekday, by AWS/Billing ServiceName. */
const SERVICES: Record<string, number> = {
  AmazonEC2: 41.2,
  AmazonRDS: 22.6,
  AWSDataTransfer: 7.9,
  AmazonS3: 6.4,
  AmazonEKS: 4.8,
  AmazonDynamoDB: 4.1,
  AWSLambda: 3.3,
  AWSELB: 2.9,
  AmazonCloudWatch: 2.2,
  AmazonVPC: 1.6,
  AWSSecretsManager: 0.4,
};

/** Appears from this day of each month on: a new service mid-month. */
const LATE_SERVICE = { name: 'AmazonBedrock', perDay: 9.5, fromDayOfMonth: 10 };

const DAY_MS = 86_400_000;
const UPDATE_HOURS = 6;

export interface DemoOptions {
  now?: () => Date;
  /** Linked accounts to simulate (payer account view). */
  accounts?: number;
}

export function demoAccountIds(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(100000000000 + i * 111111111).slice(0, 12));
}

export class DemoMetrics implements MetricsApi {
  private readonly now: () => Date;
  private readonly accounts: string[];

  constructor(readonly options: DemoOptions = {}) {
    this.now = options.now ?? (() => new Date());
    this.accounts = demoAccountIds(options.accounts ?? 3);
  }

  /** Spend of one service on one full day. */
  serviceSpend(service: string, day: string): number {
    const dom = Number(day.slice(8, 10));
    const base =
      service === LATE_SERVICE.name
        ? dom >= LATE_SERVICE.fromDayOfMonth
          ? LATE_SERVICE.perDay
          : 0
        : (SERVICES[service] ?? 0);
    const weekday = dayStart(day).getUTCDay();
    const weekend = weekday === 0 || weekday === 6 ? 0.72 : 1;
    const spike = service === 'AmazonEC2' && day === addDays(utcDay(this.now()), -3) ? 2.3 : 1;
    const noise = 0.9 + 0.2 * unit(`${service}|${day}`);
    return base * weekend * spike * noise;
  }

  private serviceNames(): string[] {
    return [...Object.keys(SERVICES), LATE_SERVICE.name];
  }

  /** Share of the whole bill for an account: a few big accounts, a long tail. */
  private accountShare(account: string): number {
    const index = this.accounts.indexOf(account);
    if (index < 0) return 0;
    const weights = this.accounts.map((_, i) => 1 / (i + 1) ** 1.2);
    const sum = weights.reduce((a, b) => a + b, 0);
    return (weights[index] ?? 0) / sum;
  }

  private daySpend(dims: Map<string, string>, day: string): number {
    const services = dims.has('ServiceName')
      ? [dims.get('ServiceName') as string]
      : this.serviceNames();
    const total = services.reduce((sum, s) => sum + this.serviceSpend(s, day), 0);
    return dims.has('LinkedAccount')
      ? total * this.accountShare(dims.get('LinkedAccount') as string)
      : total;
  }

  /** The billing metric's value at the last update on or before `at`: cumulative in its month. */
  private cumulative(dims: Map<string, string>, at: Date): number {
    const updated = new Date(
      Math.floor(at.getTime() / (UPDATE_HOURS * 3_600_000)) * UPDATE_HOURS * 3_600_000,
    );
    const day = utcDay(updated);
    let sum = 0;
    for (let d = monthStart(day); d < day; d = addDays(d, 1)) sum += this.daySpend(dims, d);
    const fraction = (updated.getTime() - dayStart(day).getTime()) / DAY_MS;
    return sum + this.daySpend(dims, day) * fraction;
  }

  async listMetrics(input: ListMetricsInput): Promise<ListMetricsOutput> {
    if (input.Namespace === LAMBDA_NAMESPACE) return { Metrics: lambdaMetrics(input) };
    if (input.Namespace !== 'AWS/Billing' || input.MetricName !== 'EstimatedCharges') {
      return { Metrics: [] };
    }
    // Like CloudWatch, only series with data in the last two weeks are listed.
    const today = utcDay(this.now());
    const recent = this.serviceNames().filter((s) =>
      [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13].some(
        (n) => this.serviceSpend(s, addDays(today, -n)) > 0,
      ),
    );
    const metric = (extra: Dimension[]) => ({
      Namespace: 'AWS/Billing',
      MetricName: 'EstimatedCharges',
      Dimensions: [{ Name: 'Currency', Value: 'USD' }, ...extra],
    });
    const all = [
      metric([]),
      ...recent.map((s) => metric([{ Name: 'ServiceName', Value: s }])),
      ...this.accounts.map((a) => metric([{ Name: 'LinkedAccount', Value: a }])),
    ];
    const start = Number(input.NextToken ?? 0);
    const page = all.slice(start, start + 500);
    const next = start + 500 < all.length ? String(start + 500) : undefined;
    return { Metrics: page, ...(next ? { NextToken: next } : {}) };
  }

  async getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput> {
    const now = this.now();
    const end = new Date(Math.min((input.EndTime as Date).getTime(), now.getTime()));
    const firstDay = utcDay(input.StartTime as Date);
    const results = (input.MetricDataQueries ?? []).map((q) => {
      const stat = q.MetricStat;
      const metric = stat?.Metric;
      const dims = new Map((metric?.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
      const timestamps: Date[] = [];
      const values: number[] = [];
      if (metric?.Namespace === LAMBDA_NAMESPACE && stat) {
        const points = lambdaPoints(stat, input.StartTime as Date, end, now);
        timestamps.push(...points.map((p) => p.time));
        values.push(...points.map((p) => p.value));
      }
      const billing = metric?.Namespace === 'AWS/Billing';
      const period = (stat?.Period ?? DAY_MS / 1000) * 1000;
      if (billing && period < DAY_MS) {
        // Finer than a day: a point in each period that holds one of the 6-hourly updates.
        const every = UPDATE_HOURS * 3_600_000;
        const first = Math.ceil((input.StartTime as Date).getTime() / every) * every;
        for (let t = first; t < end.getTime(); t += every) {
          const value = this.cumulative(dims, new Date(t));
          if (value === 0) continue;
          timestamps.push(new Date(Math.floor(t / period) * period));
          values.push(Math.round(value * 100) / 100);
        }
      }
      for (
        let day = firstDay;
        billing && period >= DAY_MS && dayStart(day) < end;
        day = addDays(day, 1)
      ) {
        const endOfDay = new Date(Math.min(dayStart(day).getTime() + DAY_MS - 1, end.getTime()));
        const value = this.cumulative(dims, endOfDay);
        // CloudWatch has no point for a series before its first data.
        if (value === 0) continue;
        timestamps.push(dayStart(day));
        values.push(Math.round(value * 100) / 100);
      }
      if (input.ScanBy !== 'TimestampAscending') {
        timestamps.reverse();
        values.reverse();
      }
      return {
        Id: q.Id,
        Label: q.Label,
        Timestamps: timestamps,
        Values: values,
        StatusCode: 'Complete' as const,
      };
    });
    return { MetricDataResults: results };
  }
}
