/**
 * The benchmark's own assumptions. Prices, Lambda memory and the vCPU rule are the product's
 * (`common/report-cost.ts`), so the bench and every report's cost line price alike.
 */

/** The team the monthly figure is for. */
export const TEAM = { digestsPerDay: 1, commandsPerDay: 20, daysPerMonth: 30 } as const;

/**
 * AWS's always-free tiers a month (never expiring), for the "after free tiers" figure. From
 * FIELD-NOTES: Step Functions' 4,000 transitions, CloudWatch's 1M requests (ListMetrics and
 * GetMetricStatistics, never GetMetricData). Assumed: Lambda's 1M requests and 400,000
 * GB-seconds, KMS's 20,000 requests, CloudWatch Logs' 5 GB of ingestion. S3 has no always-free
 * tier (its free tier ends after 12 months).
 */
export const FREE_TIER = {
  transitions: 4000,
  cloudWatchRequests: 1_000_000,
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  kmsRequests: 20_000,
  logsBytes: 5_000_000_000,
} as const;

/**
 * Assumption: Cost Explorer pages GetCostAndUsage at 1,000 rows (one row per day and group).
 * AWS does not document the page size; the 1-page figure is the floor whatever it is.
 */
export const COST_EXPLORER_ROWS_PER_PAGE = 1000;
