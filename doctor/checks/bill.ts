/**
 * The bot's own bill: what the digests of the configured schedule will cost AWS over the next
 * 30 days at list prices (`common/report-cost.ts`), and what one `/aws-cost` adds, fresh or
 * answered from a reused billing read. A digest is priced as a typical payer account's: one
 * ListMetrics page and 31 metrics (the total and 30 services). Without a known schedule (the
 * bot does not see it) one digest a day is assumed, and said.
 */

import { runTimes } from '../../common/cron.ts';
import { CronError } from '../../common/errors.ts';
import { type ReportUsage, reportCost, tinyUsd } from '../../common/report-cost.ts';
import type { CheckResult } from '../types.ts';
import type { CheckContext } from './context.ts';

/**
 * A typical digest, as the scheduler starts it: one ListMetrics page, one GetMetricData of the
 * total and 30 services.
 */
export const TYPICAL_DIGEST: ReportUsage = {
  listMetrics: 1,
  getMetricData: 1,
  metrics: 31,
  scheduled: true,
};
/** A report answered from a reused billing read: no CloudWatch request. */
const REUSED: ReportUsage = { listMetrics: 0, getMetricData: 0, metrics: 0 };
const DAYS = 30;
/** Enough for a digest every 10 minutes; more is not a digest schedule. */
const MAX_RUNS = 5000;

/** Runs of `cron` in the `DAYS` days after `from`, at most `MAX_RUNS`. */
export function runsWithin(cron: string, timeZone: string, from: Date): number {
  const end = from.getTime() + DAYS * 86_400_000;
  let runs = 0;
  // One walk through the calendar, not a fresh search from each run.
  for (const t of runTimes(cron, timeZone, from)) {
    if (t.getTime() > end) break;
    runs += 1;
    if (runs >= MAX_RUNS) break;
  }
  return runs;
}

export function billResults(ctx: CheckContext): CheckResult[] {
  const id = 'bill.month';
  const title = "The bot's own AWS bill";
  const schedule = ctx.deps.schedule;
  let runs = DAYS;
  let which = 'one digest a day assumed (the schedule is not known here)';
  if (schedule) {
    try {
      runs = runsWithin(schedule.cron, schedule.timeZone, ctx.now);
      which = `${runs} digest${runs === 1 ? '' : 's'} in the next ${DAYS} days (${schedule.cron} in ${schedule.timeZone})`;
    } catch (error) {
      if (!(error instanceof CronError)) throw error;
      which = `one digest a day assumed (the schedule cannot be read: ${error.message})`;
    }
  }
  const digest = reportCost(TYPICAL_DIGEST).dollars.total;
  // A command reads the same, but is not named as a scheduled run.
  const command = reportCost({ ...TYPICAL_DIGEST, scheduled: false }).dollars.total;
  const reused = reportCost(REUSED).dollars.total;
  return [
    {
      id,
      title,
      status: 'ok',
      detail: `About ${tinyUsd(runs * digest)} a month at list prices for ${which}, ${tinyUsd(digest)} each (${TYPICAL_DIGEST.metrics} metrics, Step Functions, Lambda, X-Ray, logs). Each /aws-cost adds about ${tinyUsd(command)}, or ${tinyUsd(reused)} when it reuses a billing read (COSTBOT_BILLING_CACHE_SECONDS).`,
    },
  ];
}
