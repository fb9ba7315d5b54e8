/**
 * The payloads that travel through the cost report state machine, shared by every step,
 * the bot that starts executions and the infrastructure that wires them.
 *
 * Flow (each Task's output is the next Task's input; the `request` rides along):
 *
 *   ReportRequest -> ByAccount? -> Fetch ----------------------------> Summarize -> ConditionMet? -> Chart (render + store) -> [Sign ->] Post
 *                        \-------> FetchAccounts (Map: FetchAccount) -/                \-> ConditionNotMet (gate.post false)
 *                      \________ any failure (Catch, ResultPath $.error) ________> ReportFailure -> Fail
 *
 * Sign runs only with stable links off: it hands Post a presigned `link`. With stable links on
 * (the default) Post gets the stored chart alone and links it through the links endpoint.
 *
 * A request naming accounts is fetched once per account (`FetchAccountState` → `AccountFetched`,
 * collected at `$.perAccount`); Summarize merges those into one `FetchedData`. Summarize also
 * judges a subscription's condition (`$.gate`): when it does not hold, the run ends in
 * `ConditionNotMet` before any chart is rendered or anything posted.
 */

import type { ReportUsage } from './report-cost.ts';

/** Where the report goes: a channel post (digest) or the reply to a slash command. */
export type ReportKind = 'command' | 'digest';

/** The window a report covers. Day boundaries are UTC, like the billing metric. */
export type PeriodPreset = 'mtd' | '7d' | '30d' | 'last-month';

/** The window of a metric chart, ending at the request's time (`common/metric-period.ts`). */
export type MetricPeriod = '1h' | '3h' | '6h' | '12h' | '24h' | '3d' | '7d' | '14d' | '30d';

/**
 * A CloudWatch metric a request asks to chart, e.g. `AWS/Lambda Errors FunctionName=api,worker`:
 * one line per value of the `split` dimension, or one line without it.
 */
export interface MetricRequest {
  namespace: string;
  metricName: string;
  /** Dimensions with one value each, the same for every line. */
  dimensions: { name: string; value: string }[];
  /**
   * One line per value of this dimension: the values listed (at most 10), or `*`, every value
   * ListMetrics finds, the 10 largest by the statistic.
   */
  split?: { name: string; values: string[] | '*' };
  /** CloudWatch statistic; defaults to `Sum` for counts, the caller decides. */
  stat: string;
  period: MetricPeriod;
}

/** Input of an execution, written by the bot (`/aws-cost`) or the schedule (digest). */
export interface ReportRequest {
  kind: ReportKind;
  /** Unique per report; names the execution and the chart object. `[A-Za-z0-9_-]{1,64}` */
  requestId: string;
  /** Slack channel id (or name for a local console) the report is posted to. */
  channel: string;
  /** For commands: Slack's `response_url`, used for the reply when present. */
  responseUrl?: string;
  /** Slack user who asked, for the message's context line. */
  userId?: string;
  /** The cost period. A metric chart's window is `metric.period`; it is not read then. */
  period: PeriodPreset;
  /** ISO timestamp the report is "as of". Absent: the time the step runs. */
  asOf?: string;
  /** Restrict to these linked accounts (AWS/Billing `LinkedAccount`); report by account. */
  accounts?: string[];
  /** Restrict the figures to one service (AWS/Billing `ServiceName`). */
  service?: string;
  /** Chart this metric instead of cost. */
  metric?: MetricRequest;
  /** Set on a subscription's scheduled run: which one, and when it posts (`common/subscription.ts`). */
  subscription?: SubscriptionRef;
  /**
   * Set by the state machine on a scheduled run (`NameScheduledRun`): the time the scheduler
   * fired it. Its report's cost line then counts the naming states too.
   */
  scheduledAt?: string;
}

/* What a subscription's scheduled run carries, and Summarize's verdict on it (`common/subscription.ts`). */

/**
 * When a subscription posts; without one it always posts.
 * - `yesterday-above`: yesterday's spend (of the report's scope) above `dollars`.
 * - `change-above`: yesterday against the average of the 7 days before it, up more than
 *   `percent` percent.
 * - `anomaly`: at least one line of the report is anomalous (`common/anomaly.ts`).
 */
export type WatchCondition =
  | { kind: 'yesterday-above'; dollars: number }
  | { kind: 'change-above'; percent: number }
  | { kind: 'anomaly' };

/** Id of the subscription the stack creates for the morning digest. */
export const DIGEST_SUBSCRIPTION_ID = 'digest';

/**
 * What rides in a scheduled run's request (`ReportRequest.subscription`): which subscription
 * it is (it names the run, `<id>-<scheduled time>`) and the condition Summarize evaluates.
 */
export interface SubscriptionRef {
  id: string;
  condition?: WatchCondition;
  /** Slack user who subscribed, kept so the schedule stays the whole record. */
  createdBy?: string;
}

/**
 * Summarize's verdict on a request's condition, at `$.gate`; the `ConditionMet?` Choice ends the
 * execution in `ConditionNotMet` when `post` is false, before any chart is rendered.
 */
export interface Gate {
  post: boolean;
  /** Why, in words: `yesterday $41.20 is not above $250`, or `no condition`. */
  reason: string;
}

/** A line whose spend yesterday was anomalous, with the baseline it was judged against. */
export interface Anomaly {
  /** The service or account. */
  name: string;
  /** `spike`: far above its own history; `new`: no spend in its history. */
  kind: 'spike' | 'new';
  /** Yesterday's spend, USD. */
  yesterday: number;
  /** Median daily spend of the baseline days (0 for a new line). */
  median: number;
  /** Scaled median absolute deviation of the baseline days (0 for a new line). */
  mad: number;
  /** yesterday − median. */
  excess: number;
  /** Known days the baseline was made of. */
  baselineDays: number;
}

/** One time series as fetched: daily points, oldest first. */
export interface DailySeries {
  /** `Total`, a service name, an account id, or a metric label. */
  name: string;
  /** `YYYY-MM-DD` (UTC) of each point. */
  dates: string[];
  values: number[];
}

export interface FetchedData {
  /** Window actually fetched, `YYYY-MM-DD` inclusive (UTC). */
  from: string;
  to: string;
  asOf: string;
  /** Daily maxima of the cumulative `EstimatedCharges`, `Currency=USD` only. Null when absent. */
  total: DailySeries | null;
  /** Same, one per `ServiceName` (or per `LinkedAccount` when the request names accounts). */
  breakdown: DailySeries[];
  breakdownBy: 'service' | 'account';
  /** The requested CloudWatch metric, if any (then no billing series are read). */
  metric?: FetchedMetric;
  /** ISO time of the newest `EstimatedCharges` point of the total (hour precision); absent: none. */
  newestBillingPoint?: string;
  /**
   * How many GetMetricData / ListMetrics calls this fetch sent to CloudWatch (a reused read is
   * not counted), and the metrics GetMetricData requested (billed per metric; absent: one a call).
   */
  apiCalls: { getMetricData: number; listMetrics: number; metrics?: number };
}

/**
 * A metric as fetched: one value per `periodSeconds` from `start` (inclusive) to `end`
 * (exclusive), null where CloudWatch has no point, one array per line.
 */
export interface FetchedMetric {
  /** CloudWatch's `Period` of every point: the chart's resolution. */
  periodSeconds: number;
  /** ISO times; `start` is the first point's time. */
  start: string;
  end: string;
  /** The unit CloudWatch documents for the metric (`Count`, `Milliseconds`); `None` when unknown. */
  unit: string;
  /** Region of the metric, for the CloudWatch console link. */
  region: string;
  /** One per line: the split dimension's value, or the metric name without a split. */
  series: { name: string; values: (number | null)[] }[];
  /** With `*`: how many values ListMetrics found before the 10 largest were kept. */
  found?: number;
}

export interface FetchState {
  request: ReportRequest;
}

/**
 * Input of a subscription's scheduled run (the digest is one): the scheduler fills
 * `scheduledAt` with the run's scheduled time (`2026-11-23T09:00:00Z`), the same for every
 * delivery of that run, and the state machine names the request after the subscription and
 * that time (`request.subscription.id` `digest` → `digest-2026-11-23T090000Z`) before Fetch.
 */
export interface ScheduledRunState extends FetchState {
  scheduledAt: string;
}

export interface SummarizeState extends FetchState {
  fetched: FetchedData;
}

/** One iteration of the `FetchAccounts` Map: the request and one of its `accounts`. */
export interface FetchAccountState extends FetchState {
  /** 12-digit account id, an item of `request.accounts`. */
  accountId: string;
}

/**
 * How an account's figures were read: through the reader role in that account (its own
 * `AWS/Billing` total), or from the payer account's `LinkedAccount` series.
 */
export type AccountSource = 'reader-role' | 'payer';

/** What one `FetchAccount` iteration returns. */
export interface AccountFetched {
  accountId: string;
  /** Daily maxima of the account's cumulative `EstimatedCharges` (USD), named by the account id. Null when there is no such series. */
  series: DailySeries | null;
  via: AccountSource;
  /** Window fetched, `YYYY-MM-DD` inclusive (UTC), and the time it was fetched as of. */
  from: string;
  to: string;
  asOf: string;
  /** ISO time of the newest point of the account's series (hour precision); absent: none. */
  newestBillingPoint?: string;
  apiCalls: FetchedData['apiCalls'];
}

/** Summarize's input after the `FetchAccounts` Map: one result per account, in request order. */
export interface SummarizeAccountsState extends FetchState {
  perAccount: AccountFetched[];
}

export interface AmountChange {
  amount: number;
  /** Null when the base is zero. */
  percent: number | null;
}

export interface RankedItem {
  name: string;
  amount: number;
  /** Share of the period's total, 0..1. */
  share: number;
}

/** What a person reads: all amounts in USD, rounded to cents. */
export interface CostSummary {
  currency: 'USD';
  asOf: string;
  period: { preset: PeriodPreset; label: string; from: string; to: string };
  /** Month-to-date charges of the month `asOf` falls in. */
  monthToDate: number;
  /** Spend of the last complete UTC day. Null without data. */
  yesterday: { date: string; amount: number } | null;
  changeVsDayBefore: AmountChange | null;
  sevenDayAverage: number | null;
  changeVsSevenDayAverage: AmountChange | null;
  /** Spend over the requested period. */
  periodTotal: number;
  /** Top items (services, or accounts) over the period, then `Other`. */
  top: RankedItem[];
  topBy: 'service' | 'account';
  /** Month-end estimate: month-to-date plus the 7-day average rate for the days left. */
  forecast: { monthEnd: number; dailyRate: number; daysLeft: number } | null;
  /**
   * The breakdown's lines (services, or accounts) whose spend yesterday was anomalous against
   * their previous 28 days (`common/anomaly.ts`), largest excess first, amounts in cents.
   */
  anomalies: Anomaly[];
  /** ISO time of the newest `EstimatedCharges` point: how fresh the figures are. */
  dataAsOf?: string;
  /** What fetching the figures requested, for the message's cost line. */
  usage?: ReportUsage;
  /** Daily spend per top item over the period: what the chart draws. */
  chart: ChartData;
}

/** One line of a metric chart, in the metric's unit; null figures when the line has no point. */
export interface MetricSeriesFigures {
  name: string;
  latest: number | null;
  min: number | null;
  max: number | null;
  average: number | null;
  /** Only for the `Sum` statistic: the total over the period. */
  sum?: number | null;
}

/** What a person reads about a metric chart (`summarizeMetric`). */
export interface MetricSummary {
  asOf: string;
  metric: MetricRequest & {
    /** `Last 24 hours` */
    periodLabel: string;
    resolutionSeconds: number;
    unit: string;
    region: string;
    /** ISO time of the newest point of any line; null without data. */
    newest: string | null;
    /** ISO window of the chart: `from` inclusive, `to` exclusive. */
    from: string;
    to: string;
    /** With `*`: how many values ListMetrics found. */
    found?: number;
    series: MetricSeriesFigures[];
  };
  /** What fetching the figures requested, for the message's cost line. */
  usage?: ReportUsage;
  chart: ChartData;
}

export interface ChartData {
  title: string;
  /** Axis label with its unit, e.g. `USD per day`. */
  unit: string;
  /** `YYYY-MM-DD` per point; with `resolutionSeconds`, ISO times that many seconds apart. */
  dates: string[];
  /** Set for a metric chart: seconds between points. */
  resolutionSeconds?: number;
  series: { name: string; values: (number | null)[] }[];
  /** `stacked` bars for spend; `line` for a CloudWatch metric. */
  style: 'stacked' | 'line';
}

/** What Summarize hands on: a cost report's figures, or a metric chart's. */
export type Summary = CostSummary | MetricSummary;

/** `S` narrows the summary where only one kind can occur (a report by account is cost). */
export interface ChartState<S extends Summary = CostSummary> extends FetchState {
  summary: S;
  /**
   * Summarize's verdict on `request.subscription.condition` (`no condition`: post); carried to
   * Post, whose message says why a conditioned report posted.
   */
  gate?: Gate;
}

export interface StoredChart {
  bucket: string;
  key: string;
  bytes: number;
  width: number;
  height: number;
}

export interface SignState<S extends Summary = CostSummary> extends ChartState<S> {
  chart: StoredChart;
}

export interface SignedLink {
  url: string;
  /** ISO timestamp the link stops working. */
  expiresAt: string;
  expiresInSeconds: number;
  accessKeyId: string;
}

/** Post's input: the stored chart, with the presigned link when a Sign state ran. */
export interface PostState<S extends Summary = CostSummary> extends SignState<S> {
  /** Sign's presigned link: stable links off only; with them on, Post links the chart itself. */
  link?: SignedLink;
}

/**
 * A chart's stable link (`<links endpoint>/<token>`, `common/link-token.ts`): it redirects to
 * a freshly presigned URL on each view and works until `expiresAt`, when the chart expires.
 */
export interface StableLink {
  url: string;
  /** ISO timestamp the link stops working. */
  expiresAt: string;
}

export interface Delivery {
  via: 'postMessage' | 'response_url' | 'terminal';
  channel: string;
  ts?: string;
}

/**
 * The links a chart message carries: Sign's presigned link, or the stable link Post minted
 * (`COSTBOT_LINKS_URL`), which wins when both are there. Never neither: a message always links
 * its chart.
 */
export type ChartLinks =
  | { link: SignedLink; stableLink?: undefined }
  | { link?: SignedLink; stableLink: StableLink };

export type PostedState<S extends Summary = CostSummary> = PostState<S> &
  ChartLinks & {
    delivery: Delivery;
  };

/** What Step Functions puts at `$.error` when a Catch fires. */
export interface CaughtError {
  Error: string;
  /** For Lambda tasks a JSON string `{errorType, errorMessage, ...}`; locally the message. */
  Cause?: string;
}

export interface FailureState extends FetchState {
  error: CaughtError;
}

export interface FailureReportedState extends FailureState {
  delivery: Delivery;
  /**
   * True when the report itself had reached Slack before the failure: `delivery` is the
   * report's, no failure notice was posted, and the execution ends as delivered.
   */
  reportDelivered: boolean;
}

/**
 * Key prefix of the delivery records in the charts bucket, beside (not below) the chart
 * prefix, so the link signer cannot read them and the chart step cannot write them:
 * `deliveries/<requestId>/report.json` and `deliveries/<requestId>/failure.json`.
 */
export const DELIVERY_RECORD_PREFIX = 'deliveries/';
