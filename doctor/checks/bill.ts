/**
 * The bot's own bill: what the scheduled reports (the subscriptions, or the configured digest
 * schedule) will cost AWS over the next 30 days at list prices (`common/report-cost.ts`), and
 * what one `/aws-cost` adds, fresh or answered from a reused billing read. A scheduled report is
 * priced as a typical payer account's digest: one ListMetrics page and 31 metrics (the total and
 * 30 services). From the bot, the asking channel's subscriptions are read whole and the others
 * counted; without a store or a known schedule one digest a day is assumed, and said.
 */

import { runTimes } from '../../common/cron.ts';
import { CronError } from '../../common/errors.ts';
import { type ReportUsage, reportCost, tinyUsd } from '../../common/report-cost.ts';
import { cronExpression } from '../../common/subscription.ts';
import type { CheckResult, KnownSubscriptions } from '../types.ts';
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

/** How many scheduled reports the next `DAYS` days hold, and those reports in words. */
interface Scheduled {
  runs: number;
  which: string;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** The deployed digest's runs, from its cron; one a day when it is not known or not readable. */
function digestRuns(ctx: CheckContext): Scheduled {
  const schedule = ctx.deps.schedule;
  if (!schedule)
    return { runs: DAYS, which: 'one digest a day assumed (the schedule is not known here)' };
  try {
    const runs = runsWithin(schedule.cron, schedule.timeZone, ctx.now);
    return {
      runs,
      which: `${plural(runs, 'digest')} in the next ${DAYS} days (${schedule.cron} in ${schedule.timeZone})`,
    };
  } catch (error) {
    if (!(error instanceof CronError)) throw error;
    return {
      runs: DAYS,
      which: `one digest a day assumed (the schedule cannot be read: ${error.message})`,
    };
  }
}

/**
 * The subscriptions' runs: each known one by its own schedule, the others as daily (an upper
 * bound: none runs more than once a day). The stack's digest is one of them once deployed.
 */
function subscriptionRuns(ctx: CheckContext, subs: KnownSubscriptions): Scheduled {
  const known = subs.known.reduce(
    (sum, s) => sum + runsWithin(cronExpression(s), s.timeZone, ctx.now),
    0,
  );
  const conditioned = subs.known.filter((s) => s.condition).length;
  const parts = [
    `${plural(subs.known.length, 'subscription')} ${subs.where} (${plural(known, 'run')})`,
  ];
  if (subs.others > 0) parts.push(`${subs.others} elsewhere counted as daily`);
  if (conditioned > 0) {
    parts.push(
      `${conditioned} with a condition priced as if it always posts (a run whose condition does not hold stops before the chart)`,
    );
  }
  return {
    runs: known + subs.others * DAYS,
    which: `the scheduled reports of the next ${DAYS} days: ${parts.join('; ')}`,
  };
}

export async function billResults(ctx: CheckContext): Promise<CheckResult[]> {
  const id = 'bill.month';
  const title = "The bot's own AWS bill";
  let scheduled = digestRuns(ctx);
  if (ctx.deps.subscriptions) {
    try {
      scheduled = subscriptionRuns(ctx, await ctx.call(ctx.deps.subscriptions()));
    } catch (error) {
      return [ctx.cannotTell(id, title, error)];
    }
  }
  const { runs, which } = scheduled;
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
