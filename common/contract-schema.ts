/**
 * The payloads of `contract.ts` as valibot schemas, so every step handler and the bot check
 * what they are handed before they use it, and so every request is bounded where it enters.
 *
 * @example
 * const state = parseEvent('Fetch', FetchStateSchema, event); // throws InvalidEventError
 *
 * Decisions:
 * - Each schema is typed as `GenericSchema<unknown, T>` with `T` from `contract.ts`: a field
 *   added there and not here (or the other way round) fails `tsc`.
 * - Bounds keep every state far below Step Functions' 256 KB payload limit (measured by
 *   `test/common/contract-schema.test.ts` for the largest request these schemas allow):
 *   {@link MAX_ACCOUNTS} accounts, {@link MAX_DIMENSIONS} dimensions, names as CloudWatch and
 *   AWS/Billing allow them, and a whole request of at most {@link MAX_REQUEST_CHARS} characters
 *   as JSON (EventBridge Scheduler's 8 KB target input; a slash command is at most 500).
 * - Objects drop keys they do not know (valibot `object`): a handler passes on only what the
 *   contract names.
 */
import * as v from 'valibot';
import type {
  AccountFetched,
  Anomaly,
  ChartState,
  CostSummary,
  DailySeries,
  FetchAccountState,
  FetchedData,
  FetchedMetric,
  FetchState,
  Gate,
  MetricRequest,
  MetricSummary,
  PostState,
  ReportRequest,
  SignedLink,
  SignState,
  StoredChart,
  SubscriptionRef,
  SummarizeAccountsState,
  SummarizeState,
  Summary,
  WatchCondition,
} from './contract.ts';
import { InvalidEventError } from './errors.ts';
import { MAX_POINTS, METRIC_PERIOD_NAMES } from './metric-period.ts';

/**
 * Most linked accounts one request may name (the command, the "Last 30 days" button, a
 * schedule). With 50, the `FetchAccounts` Map's collected output stays under half of 256 KB.
 */
export const MAX_ACCOUNTS = 50;
/** CloudWatch's limit of dimensions per metric. */
export const MAX_DIMENSIONS = 30;
/** Longest request as JSON, in UTF-16 code units. */
export const MAX_REQUEST_CHARS = 8192;
/** Daily points in one series: a fetch window is at most two calendar months (62 days). */
export const MAX_SERIES_POINTS = 70;
/** Series in one breakdown: AWS/Billing publishes one `ServiceName` per service in use. */
export const MAX_BREAKDOWN_SERIES = 300;
/** Items ranked in a summary and series in its chart: `COSTBOT_TOP_N` (max 20) plus `Other`. */
export const MAX_RANKED = 21;
/** Lines of one metric chart: values listed for a dimension, or the largest found for `*`. */
export const MAX_SPLIT_VALUES = 10;
/** Points of one metric line (`common/metric-period.ts`). */
export const MAX_METRIC_POINTS = MAX_POINTS;

/** AWS/Billing `ServiceName`, one word. */
export const SERVICE_NAME = /^[A-Za-z0-9._-]{1,64}$/;
export const ACCOUNT_ID = /^\d{12}$/;
/** A CloudWatch namespace, not starting with `:` (AWS/Lambda, MyApp/Orders). */
export const NAMESPACE = /^[A-Za-z0-9._/#-][A-Za-z0-9._/#:-]{0,254}$/;
export const METRIC_NAME = /^[A-Za-z0-9._-]{1,255}$/;
export const DIMENSION_NAME = /^[A-Za-z0-9._:/-]{1,255}$/;
/** 0x21-0x7E minus `" & ' < = >` and backquote: safe in mrkdwn and in a `Name=Value` word. */
export const DIMENSION_VALUE = /^[!#-%(-;?-_a-~]{1,1024}$/;
/** Percentile statistics p0 .. p99.9, no leading zero. */
export const PERCENTILE = /^p(?:[1-9]?\d)(?:\.\d)?$/;
export const STATISTICS = ['Sum', 'Average', 'Maximum', 'Minimum', 'SampleCount'] as const;
export const PERIODS = ['mtd', '7d', '30d', 'last-month'] as const;

/** Execution names: at most 80 characters of these. */
const REQUEST_ID = /^[A-Za-z0-9_-]{1,80}$/;
/** A Slack channel id, or a `#name` (digest, local console). */
const CHANNEL = /^#?[A-Za-z0-9._-]{1,80}$/;
const SLACK_USER = /^[A-Za-z0-9._-]{1,64}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

const text = (max: number) => v.pipe(v.string(), v.minLength(1), v.maxLength(max));
const matching = (pattern: RegExp) => v.pipe(v.string(), v.regex(pattern));
const day = matching(DAY);
const isoTime = v.pipe(
  v.string(),
  v.maxLength(40),
  v.check((s) => !Number.isNaN(Date.parse(s)), 'Invalid timestamp: expected an ISO date and time'),
);
const amount = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));
const unique = <T>(key: (item: T) => unknown, what: string) =>
  v.check<T[], string>(
    (items) => new Set(items.map(key)).size === items.length,
    `Invalid items: ${what} must not repeat`,
  );

export const AccountIdSchema = matching(ACCOUNT_ID);
export const ServiceNameSchema = matching(SERVICE_NAME);

export const AccountIdsSchema: v.GenericSchema<unknown, string[]> = v.pipe(
  // Empty is the whole bill, by service, as the contract reads it.
  v.array(AccountIdSchema),
  v.maxLength(MAX_ACCOUNTS, `Invalid length: at most ${MAX_ACCOUNTS} accounts`),
  unique((id: string) => id, 'account ids'),
);

/** A subscription's `if yesterday > N`: dollars above 0, at most this. */
export const MAX_THRESHOLD_DOLLARS = 1_000_000;
/** A subscription's `if change > N%`: from 1 to this many percent. */
export const MIN_CHANGE_PERCENT = 1;
export const MAX_CHANGE_PERCENT = 1000;
/** A subscription id: 8 characters derived from the Slack request, or `digest`. */
export const SUBSCRIPTION_ID = /^[a-z0-9]{1,16}$/;

export const WatchConditionSchema: v.GenericSchema<unknown, WatchCondition> = v.variant('kind', [
  v.object({
    kind: v.literal('yesterday-above'),
    dollars: v.pipe(amount, v.gtValue(0), v.maxValue(MAX_THRESHOLD_DOLLARS)),
  }),
  v.object({
    kind: v.literal('change-above'),
    percent: v.pipe(amount, v.minValue(MIN_CHANGE_PERCENT), v.maxValue(MAX_CHANGE_PERCENT)),
  }),
  v.object({ kind: v.literal('anomaly') }),
]);

/** `request.subscription` of a scheduled run (`common/subscription.ts`). */
export const SubscriptionRefSchema: v.GenericSchema<unknown, SubscriptionRef> = v.object({
  id: matching(SUBSCRIPTION_ID),
  condition: v.optional(WatchConditionSchema),
  createdBy: v.optional(matching(SLACK_USER)),
});

/** The values of a split dimension: 1..10 distinct values, none of them `*`, or `*` alone. */
const SplitValuesSchema = v.union([
  v.literal('*'),
  v.pipe(
    v.array(
      v.pipe(
        matching(DIMENSION_VALUE),
        v.check((value) => value !== '*'),
      ),
    ),
    v.minLength(1),
    v.maxLength(MAX_SPLIT_VALUES),
    unique((value: string) => value, 'split values'),
  ),
]);

const metricRequestEntries = {
  namespace: matching(NAMESPACE),
  metricName: matching(METRIC_NAME),
  dimensions: v.pipe(
    v.array(v.object({ name: matching(DIMENSION_NAME), value: matching(DIMENSION_VALUE) })),
    v.maxLength(MAX_DIMENSIONS),
    unique((d: MetricRequest['dimensions'][number]) => d.name, 'dimension names'),
  ),
  split: v.optional(v.object({ name: matching(DIMENSION_NAME), values: SplitValuesSchema })),
  stat: v.union([v.picklist(STATISTICS), matching(PERCENTILE)]),
  period: v.picklist(METRIC_PERIOD_NAMES),
};

/** The split's dimension is not also a one-value dimension, and all fit CloudWatch's limit. */
const splitFits = <T extends MetricRequest>() =>
  v.check<T, string>(
    (m) =>
      !m.dimensions.some((d) => d.name === m.split?.name) &&
      m.dimensions.length + (m.split ? 1 : 0) <= MAX_DIMENSIONS,
    `Invalid split: a dimension of its own, at most ${MAX_DIMENSIONS} dimensions in all`,
  );

export const MetricRequestSchema: v.GenericSchema<unknown, MetricRequest> = v.pipe(
  v.object(metricRequestEntries),
  splitFits(),
);

/** What a report is delivered by: enough to post a failure notice, whatever else is wrong. */
const deliveryFields = {
  kind: v.picklist(['command', 'digest']),
  requestId: matching(REQUEST_ID),
  channel: matching(CHANNEL),
  responseUrl: v.optional(v.pipe(v.string(), v.maxLength(2048), v.regex(/^https?:\/\/\S+$/))),
  userId: v.optional(matching(SLACK_USER)),
};

export type DeliveryTarget = Pick<
  ReportRequest,
  'kind' | 'requestId' | 'channel' | 'responseUrl' | 'userId'
>;

export const DeliveryTargetSchema: v.GenericSchema<unknown, DeliveryTarget> =
  v.object(deliveryFields);

export const ReportRequestSchema: v.GenericSchema<unknown, ReportRequest> = v.pipe(
  v.object({
    ...deliveryFields,
    period: v.picklist(PERIODS),
    asOf: v.optional(isoTime),
    accounts: v.optional(AccountIdsSchema),
    service: v.optional(ServiceNameSchema),
    metric: v.optional(MetricRequestSchema),
    subscription: v.optional(SubscriptionRefSchema),
    scheduledAt: v.optional(isoTime),
  }),
  v.check(
    (request) => JSON.stringify(request).length <= MAX_REQUEST_CHARS,
    `Invalid size: a request is at most ${MAX_REQUEST_CHARS} characters as JSON`,
  ),
);

const seriesFields = {
  name: text(256),
  dates: v.pipe(v.array(day), v.maxLength(MAX_SERIES_POINTS)),
  values: v.pipe(v.array(amount), v.maxLength(MAX_SERIES_POINTS)),
};
const sameLength = <T extends DailySeries>() =>
  v.check<T, string>(
    (s) => s.dates.length === s.values.length,
    'Invalid series: dates and values differ in length',
  );

export const DailySeriesSchema: v.GenericSchema<unknown, DailySeries> = v.pipe(
  v.object(seriesFields),
  sameLength(),
);

const apiCalls = v.object({
  getMetricData: count,
  listMetrics: count,
  metrics: v.optional(count),
});
const usage = v.optional(
  v.object({
    listMetrics: count,
    getMetricData: count,
    metrics: count,
    accounts: v.optional(count),
  }),
);

/** Metric lines: at most {@link MAX_SPLIT_VALUES}, each of at most {@link MAX_METRIC_POINTS}. */
const metricLines = <T extends v.GenericSchema<unknown, unknown>>(item: T) =>
  v.pipe(v.array(item), v.maxLength(MAX_SPLIT_VALUES));
const metricValues = v.pipe(v.array(v.nullable(amount)), v.maxLength(MAX_METRIC_POINTS));
const periodSeconds = v.pipe(count, v.minValue(1));
const REGION = /^[a-z]{2}(-[a-z]+)+-\d$/;

export const FetchedMetricSchema: v.GenericSchema<unknown, FetchedMetric> = v.object({
  periodSeconds,
  start: isoTime,
  end: isoTime,
  unit: text(64),
  region: matching(REGION),
  series: metricLines(v.object({ name: text(1024), values: metricValues })),
  found: v.optional(count),
});

export const FetchedDataSchema: v.GenericSchema<unknown, FetchedData> = v.object({
  from: day,
  to: day,
  asOf: isoTime,
  total: v.nullable(DailySeriesSchema),
  breakdown: v.pipe(v.array(DailySeriesSchema), v.maxLength(MAX_BREAKDOWN_SERIES)),
  breakdownBy: v.picklist(['service', 'account']),
  metric: v.optional(FetchedMetricSchema),
  newestBillingPoint: v.optional(isoTime),
  apiCalls,
});

export const AccountFetchedSchema: v.GenericSchema<unknown, AccountFetched> = v.object({
  accountId: AccountIdSchema,
  series: v.nullable(DailySeriesSchema),
  via: v.picklist(['reader-role', 'payer']),
  from: day,
  to: day,
  asOf: isoTime,
  newestBillingPoint: v.optional(isoTime),
  apiCalls,
});

const change = v.nullable(v.object({ amount, percent: v.nullable(amount) }));

/** A line of `CostSummary.anomalies` (`common/anomaly.ts`). */
const AnomalySchema: v.GenericSchema<unknown, Anomaly> = v.object({
  name: text(256),
  kind: v.picklist(['spike', 'new']),
  yesterday: amount,
  median: amount,
  mad: amount,
  excess: amount,
  baselineDays: count,
});

/** Summarize's verdict on the request's condition, at `$.gate`. */
const GateSchema: v.GenericSchema<unknown, Gate> = v.object({
  post: v.boolean(),
  reason: text(1000),
});

export const CostSummarySchema: v.GenericSchema<unknown, CostSummary> = v.object({
  currency: v.literal('USD'),
  asOf: isoTime,
  period: v.object({ preset: v.picklist(PERIODS), label: text(100), from: day, to: day }),
  monthToDate: amount,
  yesterday: v.nullable(v.object({ date: day, amount })),
  changeVsDayBefore: change,
  sevenDayAverage: v.nullable(amount),
  changeVsSevenDayAverage: change,
  periodTotal: amount,
  top: v.pipe(
    v.array(v.object({ name: text(256), amount, share: amount })),
    v.maxLength(MAX_RANKED),
  ),
  topBy: v.picklist(['service', 'account']),
  usage,
  forecast: v.nullable(v.object({ monthEnd: amount, dailyRate: amount, daysLeft: amount })),
  anomalies: v.pipe(v.array(AnomalySchema), v.maxLength(MAX_BREAKDOWN_SERIES)),
  chart: v.object({
    title: text(2000),
    unit: text(600),
    dates: v.pipe(v.array(day), v.maxLength(MAX_SERIES_POINTS)),
    series: v.pipe(
      v.array(
        v.object({
          name: text(256),
          values: v.pipe(v.array(v.nullable(amount)), v.maxLength(MAX_SERIES_POINTS)),
        }),
      ),
      v.maxLength(MAX_RANKED),
    ),
    style: v.picklist(['stacked', 'line']),
  }),
});

const figure = v.nullable(amount);

export const MetricSummarySchema: v.GenericSchema<unknown, MetricSummary> = v.object({
  asOf: isoTime,
  usage,
  metric: v.pipe(
    v.object({
      ...metricRequestEntries,
      periodLabel: text(100),
      resolutionSeconds: periodSeconds,
      unit: text(64),
      region: matching(REGION),
      newest: v.nullable(isoTime),
      from: isoTime,
      to: isoTime,
      found: v.optional(count),
      series: metricLines(
        v.object({
          name: text(1024),
          latest: figure,
          min: figure,
          max: figure,
          average: figure,
          sum: v.optional(figure),
        }),
      ),
    }),
    splitFits(),
  ),
  chart: v.object({
    title: text(2000),
    unit: text(600),
    dates: v.pipe(v.array(isoTime), v.maxLength(MAX_METRIC_POINTS)),
    resolutionSeconds: periodSeconds,
    series: metricLines(v.object({ name: text(1024), values: metricValues })),
    style: v.literal('line'),
  }),
});

const SummarySchema: v.GenericSchema<unknown, Summary> = v.union([
  MetricSummarySchema,
  CostSummarySchema,
]);

export const StoredChartSchema: v.GenericSchema<unknown, StoredChart> = v.object({
  bucket: text(63),
  key: text(1024),
  bytes: count,
  width: count,
  height: count,
});

export const SignedLinkSchema: v.GenericSchema<unknown, SignedLink> = v.object({
  url: v.pipe(v.string(), v.maxLength(8192), v.regex(/^https?:\/\/\S+$/)),
  expiresAt: isoTime,
  expiresInSeconds: count,
  accessKeyId: text(128),
});

export const FetchStateSchema: v.GenericSchema<unknown, FetchState> = v.object({
  request: ReportRequestSchema,
});

/** One `FetchAccounts` iteration: the account must be one the request names. */
export const FetchAccountStateSchema: v.GenericSchema<unknown, FetchAccountState> = v.pipe(
  v.object({ request: ReportRequestSchema, accountId: AccountIdSchema }),
  v.check(
    (state) => state.request.accounts?.includes(state.accountId) === true,
    'Invalid accountId: not one of request.accounts',
  ),
);

export const SummarizeStateSchema: v.GenericSchema<unknown, SummarizeState> = v.object({
  request: ReportRequestSchema,
  fetched: FetchedDataSchema,
});

export const SummarizeAccountsStateSchema: v.GenericSchema<unknown, SummarizeAccountsState> =
  v.object({
    request: ReportRequestSchema,
    perAccount: v.pipe(v.array(AccountFetchedSchema), v.minLength(1), v.maxLength(MAX_ACCOUNTS)),
  });

export const ChartStateSchema: v.GenericSchema<unknown, ChartState<Summary>> = v.object({
  request: ReportRequestSchema,
  summary: SummarySchema,
  gate: v.optional(GateSchema),
});

export const SignStateSchema: v.GenericSchema<unknown, SignState<Summary>> = v.object({
  request: ReportRequestSchema,
  summary: SummarySchema,
  gate: v.optional(GateSchema),
  chart: StoredChartSchema,
});

/** Post's input: `link` only after a Sign state (stable links off); Post then requires it. */
export const PostStateSchema: v.GenericSchema<unknown, PostState<Summary>> = v.object({
  request: ReportRequestSchema,
  summary: SummarySchema,
  gate: v.optional(GateSchema),
  chart: StoredChartSchema,
  link: v.optional(SignedLinkSchema),
});

/**
 * The failure path's input: where to deliver, and `$.error` as anything at all (it is read
 * defensively by `explainFailure`), so a notice goes out even when the request was the fault.
 */
export const FailureInputSchema: v.GenericSchema<
  unknown,
  { request: DeliveryTarget; error: unknown }
> = v.object({ request: DeliveryTargetSchema, error: v.unknown() });

/** Problems quoted in an error, and characters of each. */
const MAX_PROBLEMS = 3;
const MAX_PROBLEM_CHARS = 200;

/** `path: message` for the first few issues, each cut short: safe to put in a message. */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string[] {
  return issues.slice(0, MAX_PROBLEMS).map((issue) => {
    const path = v.getDotPath(issue) ?? 'value';
    const problem = issue.input === undefined ? 'missing' : issue.message;
    return `${path}: ${problem}`.slice(0, MAX_PROBLEM_CHARS);
  });
}

/** The output of `schema` for `value`, or `null` when it does not match. Never throws. */
export function check<T>(schema: v.GenericSchema<unknown, T>, value: unknown): T | null {
  const result = v.safeParse(schema, value);
  return result.success ? result.output : null;
}

/** A step's input, checked: the typed event, or `InvalidEventError` naming the step. */
export function parseEvent<T>(
  step: string,
  schema: v.GenericSchema<unknown, T>,
  event: unknown,
): T {
  const result = v.safeParse(schema, event);
  if (!result.success) throw new InvalidEventError(step, describeIssues(result.issues));
  // The event itself, now known to be a `T`: valibot's copy would add `undefined` for every
  // absent optional key and lose the identity of what the step hands on.
  return event as T;
}
