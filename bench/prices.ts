/**
 * The benchmark's own assumptions. Prices, Lambda memory and the vCPU rule are the product's
 * (`common/report-cost.ts`), so the bench and every report's cost line price alike.
 */

/** The team the monthly figure is for. */
export const TEAM = { digestsPerDay: 1, commandsPerDay: 20, daysPerMonth: 30 } as const;

/**
 * Assumption: Cost Explorer pages GetCostAndUsage at 1,000 rows (one row per day and group).
 * AWS does not document the page size; the 1-page figure is the floor whatever it is.
 */
export const COST_EXPLORER_ROWS_PER_PAGE = 1000;
