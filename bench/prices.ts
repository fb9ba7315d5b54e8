/**
 * The benchmark's own assumptions. Prices, free tiers, Lambda memory and the vCPU rule are the
 * product's (`common/report-cost.ts`), so the bench and every report's cost line price alike.
 */

/** The team the monthly figure is for. */
export const TEAM = { digestsPerDay: 1, commandsPerDay: 20, daysPerMonth: 30 } as const;

/**
 * Assumption: how often a chart's stable link is opened over the chart's life: Slack's image
 * proxy fetching the image when the message is posted and again when its cache lapses, and
 * people opening "Open chart". Each view is one invocation of the links function, priced cold
 * (its init reads the HMAC key, the first redirect the signer's two parameters): an upper bound.
 */
export const LINK_VIEWS_PER_CHART = 5;

/**
 * Assumption: Cost Explorer pages GetCostAndUsage at 1,000 rows (one row per day and group).
 * AWS does not document the page size; the 1-page figure is the floor whatever it is.
 */
export const COST_EXPLORER_ROWS_PER_PAGE = 1000;
