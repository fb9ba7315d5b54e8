/**
 * What a report costs AWS to make, at us-east-1 list prices: the requests the steps counted
 * (CloudWatch requests and metrics), the state transitions and Lambda invocations of the
 * definition's path, and Lambda time at the benchmark's measured figure. Free tiers are
 * ignored: the figures are what the usage is worth, not what a new account pays.
 *
 *   reportCostLine({ listMetrics: 1, getMetricData: 1, metrics: 31 })
 *   // 'this report: 2 CloudWatch requests, 31 metrics, 6 state transitions, about $0.00049'
 *
 * Prices marked FIELD-NOTES come from `../shared/FIELD-NOTES.md`; the rest are assumptions.
 */

export const PRICES = {
  /** FIELD-NOTES: GetMetricData, per metric requested. */
  getMetricDataPerMetric: 0.01 / 1000,
  /** FIELD-NOTES: GetMetricStatistics and ListMetrics, per request. */
  cloudWatchRequest: 0.01 / 1000,
  /** FIELD-NOTES: Step Functions Standard, per state transition. */
  transition: 0.025 / 1000,
  /** FIELD-NOTES: Cost Explorer, per request (each page counts). */
  costExplorerRequest: 0.01,
  /** Assumption: Lambda requests. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Assumption: Lambda duration on arm64 (the stack's default architecture), per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** Assumption: S3 Standard PUT requests. */
  s3Put: 0.005 / 1000,
  /** Assumption: SSM Parameter Store standard throughput API calls are free. */
  ssmRequest: 0,
  /** Assumption: one KMS Decrypt per SecureString value read (aws/ssm key), per request. */
  kmsDecrypt: 0.03 / 10_000,
  /** Assumption: CloudWatch Logs ingestion, per byte ($0.50 per GB). */
  logsIngestedByte: 0.5 / 1_000_000_000,
} as const;

/** FIELD-NOTES: CloudWatch's free tier covers GetMetricStatistics and ListMetrics, not GetMetricData. */
export const CLOUDWATCH_FREE_REQUESTS_PER_MONTH = 1_000_000;

/** Lambda memory per function, as the stack sets it (infra/constructs: bot 512, chart 1024, 256 else). */
export const LAMBDA_MEMORY_MB = {
  bot: 512,
  fetch: 256,
  summarize: 256,
  chart: 1024,
  sign: 256,
  post: 256,
} as const;

export type FunctionName = keyof typeof LAMBDA_MEMORY_MB;

/**
 * Lambda gives a function one full vCPU at 1,769 MB and a proportional share below. A CPU-bound
 * step measured on a full core is assumed to take 1,769 / memory times as long there.
 */
export const FULL_VCPU_MB = 1769;

/** Lambda-billed seconds for work that took `localMs` on a full core. */
export function lambdaSeconds(localMs: number, memoryMb: number): number {
  return (localMs * Math.max(1, FULL_VCPU_MB / memoryMb)) / 1000;
}

/**
 * Lambda GB-seconds of one report's five step invocations, every function cold: measured by
 * `npm run bench` (docs/performance.md, section 5: 1.58–1.70). Lambda does not tell a step
 * how long the others ran, so the report line uses this figure, not a count.
 */
export const REPORT_LAMBDA_GB_SECONDS = 1.7;

/**
 * State transitions of a report through the single Fetch: the definition's path (Route?, Fetch,
 * Summarize, RenderAndStore, Sign, Post), checked by the bench's count.
 */
export const REPORT_TRANSITIONS = 6;

/** What the steps of one report requested, carried from Fetch to the message. */
export interface ReportUsage {
  /** Requests that reached CloudWatch (a reused read: 0); ListMetrics is billed per request. */
  listMetrics: number;
  getMetricData: number;
  /** Metrics requested with GetMetricData (billed per metric, not per request). */
  metrics: number;
  /** A report by account: how many accounts the `FetchAccounts` Map read. */
  accounts?: number;
}

/** CloudWatch's charge for these requests: ListMetrics per request, GetMetricData per metric. */
export function cloudWatchDollars(usage: Pick<ReportUsage, 'listMetrics' | 'metrics'>): number {
  return (
    usage.metrics * PRICES.getMetricDataPerMetric + usage.listMetrics * PRICES.cloudWatchRequest
  );
}

export interface ReportCost {
  transitions: number;
  lambdaInvocations: number;
  dollars: { cloudwatch: number; stepFunctions: number; lambda: number; total: number };
}

/**
 * The report's cost: CloudWatch from the counts (ListMetrics is priced as a request, every
 * metric as GetMetricData), Step Functions and Lambda from the path (by account: the Map state
 * and one FetchAccount invocation, two transitions, per account).
 */
export function reportCost(usage: ReportUsage): ReportCost {
  const accounts = usage.accounts ?? 0;
  const transitions = REPORT_TRANSITIONS + 2 * accounts;
  const lambdaInvocations = 5 + accounts;
  const cloudwatch = cloudWatchDollars(usage);
  const stepFunctions = transitions * PRICES.transition;
  const lambda =
    lambdaInvocations * PRICES.lambdaRequest +
    (REPORT_LAMBDA_GB_SECONDS + accounts * (LAMBDA_MEMORY_MB.fetch / 1024)) * PRICES.lambdaGbSecond;
  return {
    transitions,
    lambdaInvocations,
    dollars: { cloudwatch, stepFunctions, lambda, total: cloudwatch + stepFunctions + lambda },
  };
}

/** `$0.0005`: two significant digits, since a report costs fractions of a cent. */
export function tinyUsd(amount: number): string {
  if (amount <= 0) return '$0';
  return `$${amount
    .toPrecision(2)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '')}`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The message's context line: `this report: 2 CloudWatch requests, 31 metrics, …, about $0.0005`. */
export function reportCostLine(usage: ReportUsage): string {
  const cost = reportCost(usage);
  const requests = usage.listMetrics + usage.getMetricData;
  return `this report: ${plural(requests, 'CloudWatch request')}, ${plural(usage.metrics, 'metric')}, ${plural(cost.transitions, 'state transition')}, about ${tinyUsd(cost.dollars.total)}`;
}
