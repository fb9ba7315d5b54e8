/**
 * The payloads that travel through the cost report state machine, shared by every step,
 * the bot that starts executions and the infrastructure that wires them.
 *
 * Flow (each Task's output is the next Task's input; the `request` rides along):
 *
 *   ReportRequest -> ByAccount? -> Fetch ----------------------------> Summarize -> Chart (render + store) -> Sign -> Post
 *                        \-------> FetchAccounts (Map: FetchAccount) -/
 *                      \________ any failure (Catch, ResultPath $.error) ________> ReportFailure -> Fail
 *
 * A request naming accounts is fetched once per account (`FetchAccountState` → `AccountFetched`,
 * collected at `$.perAccount`); Summarize merges those into one `FetchedData`.
 */

/** Where the report goes: a channel post (digest) or the reply to a slash command. */
export type ReportKind = 'command' | 'digest';

/** The window a report covers. Day boundaries are UTC, like the billing metric. */
export type PeriodPreset = 'mtd' | '7d' | '30d' | 'last-month';

/** A CloudWatch metric a request asks to chart, e.g. `AWS/Lambda Errors FunctionName=api`. */
export interface MetricRequest {
  namespace: string;
  metricName: string;
  dimensions: { name: string; value: string }[];
  /** CloudWatch statistic; defaults to `Sum` for counts, the caller decides. */
  stat: string;
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
  period: PeriodPreset;
  /** ISO timestamp the report is "as of". Absent: the time the step runs. */
  asOf?: string;
  /** Restrict to these linked accounts (AWS/Billing `LinkedAccount`); report by account. */
  accounts?: string[];
  /** Restrict the figures to one service (AWS/Billing `ServiceName`). */
  service?: string;
  /** Chart this metric instead of cost. */
  metric?: MetricRequest;
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
  /** The requested CloudWatch metric, if any. */
  metric?: DailySeries & { stat: string; unit: string };
  /** How many GetMetricData / ListMetrics calls this fetch made (each is billed). */
  apiCalls: { getMetricData: number; listMetrics: number };
}

export interface FetchState {
  request: ReportRequest;
}

/**
 * Input of a scheduled digest's execution: the scheduler fills `scheduledAt` with the run's
 * scheduled time (`2026-11-23T09:00:00Z`), the same for every delivery of that run, and the
 * state machine names the request after it (`digest-2026-11-23T090000Z`) before Fetch.
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
  /** Daily spend per top item over the period: what the chart draws. */
  chart: ChartData;
}

export interface ChartData {
  title: string;
  /** Axis label with its unit, e.g. `USD per day`. */
  unit: string;
  dates: string[];
  series: { name: string; values: (number | null)[] }[];
  /** `stacked` bars for spend; `line` for a CloudWatch metric. */
  style: 'stacked' | 'line';
}

export interface ChartState extends FetchState {
  summary: CostSummary;
}

export interface StoredChart {
  bucket: string;
  key: string;
  bytes: number;
  width: number;
  height: number;
}

export interface SignState extends ChartState {
  chart: StoredChart;
}

export interface SignedLink {
  url: string;
  /** ISO timestamp the link stops working. */
  expiresAt: string;
  expiresInSeconds: number;
  accessKeyId: string;
}

export interface PostState extends SignState {
  link: SignedLink;
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

export interface PostedState extends PostState {
  delivery: Delivery;
  /** The link the message carried, when stable links are on (`COSTBOT_LINKS_URL`). */
  stableLink?: StableLink;
}

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
