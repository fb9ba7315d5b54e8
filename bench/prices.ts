/**
 * Prices and assumptions of the cost benchmark. Those from `../shared/FIELD-NOTES.md` are
 * marked so; the rest are us-east-1 list prices stated as assumptions (free tiers ignored:
 * the figures are what the usage is worth, not what a new account pays).
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
 * step measured here on a full core is assumed to take 1,769 / memory times as long there.
 */
export const FULL_VCPU_MB = 1769;

/** Lambda-billed seconds for work that took `localMs` on this machine's full core. */
export function lambdaSeconds(localMs: number, memoryMb: number): number {
  return (localMs * Math.max(1, FULL_VCPU_MB / memoryMb)) / 1000;
}

/** The team the monthly figure is for. */
export const TEAM = { digestsPerDay: 1, commandsPerDay: 20, daysPerMonth: 30 } as const;

/**
 * Assumption: Cost Explorer pages GetCostAndUsage at 1,000 rows (one row per day and group).
 * AWS does not document the page size; the 1-page figure is the floor whatever it is.
 */
export const COST_EXPLORER_ROWS_PER_PAGE = 1000;
