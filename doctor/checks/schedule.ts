/**
 * The schedule: when the next morning digest runs, in its time zone and in UTC, or why the
 * deployed cron expression never runs.
 */

import { formatInZone, nextRun } from '../../common/cron.ts';
import { CronError, CronUnsupportedError } from '../../common/errors.ts';
import type { CheckResult } from '../types.ts';
import type { CheckContext } from './context.ts';
import { formatDuration, utc } from './text.ts';

function isUtc(timeZone: string): boolean {
  return /^(?:Etc\/)?(?:UTC|GMT|Zulu|UCT)$/i.test(timeZone);
}

export function scheduleResults(ctx: CheckContext): CheckResult[] {
  const id = 'schedule.next';
  const title = 'Next morning digest';
  const schedule = ctx.deps.schedule;
  if (!schedule) return [{ id, title, status: 'warn', detail: 'No schedule configured.' }];
  const { cron, timeZone } = schedule;
  try {
    const next = nextRun(cron, timeZone, ctx.now);
    if (!next) {
      return [
        {
          id,
          title,
          status: 'warn',
          detail: `${cron} in ${timeZone} never runs again.`,
          fix: 'Fix scheduleCron (cdk.json or -c scheduleCron=…) and deploy.',
        },
      ];
    }
    const inZone = formatInZone(next, timeZone);
    return [
      {
        id,
        title,
        status: 'ok',
        // The schedule is the deployment's (CDK context): npm start fires only its subscriptions.
        detail: `${inZone} ${timeZone}${isUtc(timeZone) ? '' : ` (${utc(next)})`}, in ${formatDuration(next.getTime() - ctx.now.getTime())}: ${cron}, as deployed (CDK context scheduleCron).`,
      },
    ];
  } catch (error) {
    if (error instanceof CronUnsupportedError) {
      return [{ id, title, status: 'warn', detail: `Cannot compute: ${error.message}` }];
    }
    if (error instanceof CronError) {
      return [
        {
          id,
          title,
          status: 'fail',
          detail: `${cron} in ${timeZone}: ${error.message}`,
          fix: 'Fix scheduleCron / scheduleTimeZone (cdk.json or -c key=value) and deploy.',
        },
      ];
    }
    throw error;
  }
}
