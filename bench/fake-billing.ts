/**
 * The fake billing data of the cost benchmark: a payer account with N linked accounts and S
 * services, as CloudWatch publishes it. AWS/Billing EstimatedCharges (Currency=USD) exists per
 * total, per ServiceName, per LinkedAccount and per LinkedAccount × ServiceName, so a ListMetrics
 * walk sees 1 + S + N + N·S series. Values are cumulative month to date, one point per UTC day.
 *
 * The three designs compared (GetMetricData, GetMetricStatistics per service and day, Cost
 * Explorer) all read this same data: only how many requests they need differs.
 */
import type { Dimension } from '@aws-sdk/client-cloudwatch';
import { addDays, dayStart, daysBetween, monthStart, utcDay } from '../common/dates.ts';

const DAY_MS = 86_400_000;
const PAGE = 500;

/** A stable pseudo-random number in [0, 1) per (series, day): the classic sine hash. */
function noise(series: number, day: number): number {
  const x = Math.sin((series + 1) * 12.9898 + day * 78.233) * 43758.5453;
  return x - Math.floor(x);
}

export interface MetricQuery {
  Id?: string;
  Label?: string;
  MetricStat?: { Metric?: { Dimensions?: Dimension[] } };
}

export class FakeBilling {
  readonly accounts: string[];
  readonly services: string[];
  private readonly shares: number[];
  private readonly daily = new Map<string, number[]>();

  constructor(readonly options: { accounts: number; services: number; now: Date }) {
    this.accounts = Array.from({ length: options.accounts }, (_, i) =>
      String(200000000000 + i * 7_777_777),
    );
    this.services = Array.from(
      { length: options.services },
      (_, i) => `Service${String(i + 1).padStart(2, '0')}`,
    );
    const weights = this.accounts.map((_, i) => 1 / (i + 1) ** 1.2);
    const sum = weights.reduce((a, b) => a + b, 0);
    this.shares = weights.map((w) => w / sum);
  }

  /** Spend per service on one full day: a long tail, weekday pattern, ±10 % noise. */
  private serviceSpend(day: string): number[] {
    let spend = this.daily.get(day);
    if (!spend) {
      const weekday = dayStart(day).getUTCDay();
      const weekend = weekday === 0 || weekday === 6 ? 0.75 : 1;
      const dayNumber = dayStart(day).getTime() / DAY_MS;
      spend = this.services.map(
        (_, i) => (60 / (i + 1) ** 1.3) * weekend * (0.9 + 0.2 * noise(i, dayNumber)),
      );
      this.daily.set(day, spend);
    }
    return spend;
  }

  /** Spend of the series named by `dims` on `day` (accounts split each service by share). */
  daySpend(dims: Map<string, string>, day: string): number {
    const spend = this.serviceSpend(day);
    const service = dims.get('ServiceName');
    const base = service
      ? (spend[this.services.indexOf(service)] ?? 0)
      : spend.reduce((a, b) => a + b, 0);
    const account = dims.get('LinkedAccount');
    return account ? base * (this.shares[this.accounts.indexOf(account)] ?? 0) : base;
  }

  /** The metric's value at the end of `day` (or now, today): cumulative in its month. */
  private cumulative(dims: Map<string, string>, day: string): number {
    let sum = 0;
    for (let d = monthStart(day); d < day; d = addDays(d, 1)) sum += this.daySpend(dims, d);
    const now = this.options.now.getTime();
    const fraction = Math.min(1, Math.max(0, (now - dayStart(day).getTime()) / DAY_MS));
    return sum + this.daySpend(dims, day) * fraction;
  }

  /** Every EstimatedCharges series of the payer account, in ListMetrics order. */
  allSeries(): Dimension[][] {
    const usd = { Name: 'Currency', Value: 'USD' };
    const svc = (s: string) => ({ Name: 'ServiceName', Value: s });
    const acct = (a: string) => ({ Name: 'LinkedAccount', Value: a });
    return [
      [usd],
      ...this.services.map((s) => [usd, svc(s)]),
      ...this.accounts.map((a) => [usd, acct(a)]),
      ...this.accounts.flatMap((a) => this.services.map((s) => [usd, acct(a), svc(s)])),
    ];
  }

  listMetrics(nextToken: string | undefined) {
    const all = this.allSeries();
    const start = Number(nextToken ?? 0);
    const next = start + PAGE < all.length ? String(start + PAGE) : undefined;
    return {
      Metrics: all.slice(start, start + PAGE).map((Dimensions) => ({
        Namespace: 'AWS/Billing',
        MetricName: 'EstimatedCharges',
        Dimensions,
      })),
      ...(next ? { NextToken: next } : {}),
    };
  }

  /** Daily points (maximum = value at the day's end) from `start` up to `end` or now. */
  private points(dimensions: Dimension[] | undefined, start: Date, end: Date) {
    const dims = new Map((dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
    const until = Math.min(end.getTime(), this.options.now.getTime());
    const out: { day: string; value: number }[] = [];
    for (let day = utcDay(start); dayStart(day).getTime() < until; day = addDays(day, 1)) {
      const value = Math.round(this.cumulative(dims, day) * 100) / 100;
      if (value > 0) out.push({ day, value });
    }
    return out;
  }

  getMetricData(queries: MetricQuery[], start: Date, end: Date) {
    return {
      MetricDataResults: queries.map((q) => {
        const points = this.points(q.MetricStat?.Metric?.Dimensions, start, end);
        return {
          Id: q.Id,
          Label: q.Label,
          Timestamps: points.map((p) => dayStart(p.day)),
          Values: points.map((p) => p.value),
          StatusCode: 'Complete',
        };
      }),
    };
  }

  getMetricStatistics(dimensions: Dimension[] | undefined, start: Date, end: Date) {
    return {
      Label: 'EstimatedCharges',
      Datapoints: this.points(dimensions, start, end).map((p) => ({
        Timestamp: dayStart(p.day),
        Maximum: p.value,
        Unit: 'None',
      })),
    };
  }

  /**
   * Rows Cost Explorer's GetCostAndUsage (DAILY) returns for the window: one per day and group
   * with a cost, grouped by SERVICE or by LINKED_ACCOUNT.
   */
  costExplorerRows(window: { from: string; to: string }, groupBy: 'SERVICE' | 'LINKED_ACCOUNT') {
    const groups: Map<string, string>[] =
      groupBy === 'SERVICE'
        ? this.services.map((s) => new Map([['ServiceName', s]]))
        : this.accounts.map((a) => new Map([['LinkedAccount', a]]));
    let rows = 0;
    for (const day of daysBetween(window.from, window.to)) {
      for (const g of groups) if (this.daySpend(g, day) > 0) rows += 1;
    }
    return rows;
  }
}
