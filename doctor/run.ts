/**
 * Runs the checks behind `npm run doctor` and `/aws-cost doctor`: what usually breaks a cost bot
 * (a missing or undecryptable parameter, a session key signing links that die in hours, billing
 * alerts off, a reader role nobody can assume, a bucket that refuses the chart, a revoked Slack
 * token, a bot outside its channel) is found before the first report fails, each with its fix.
 * Each group of checks is one file in `checks/`, a function of the injected clients.
 *
 * `runDoctor` never throws: a check that throws, or takes longer than `timeoutMs`, is reported
 * as failed. Values of secrets never appear in a result; access key ids only as `AKIA…WXYZ`.
 *
 * @example
 * const results = await runDoctor(deps, { only: BOT_CHECKS });
 * console.log(formatTable(results));
 */
import { billResults } from './checks/bill.ts';
import { billingResults } from './checks/billing.ts';
import { bucketResults } from './checks/bucket.ts';
import { type Check, CheckContext } from './checks/context.ts';
import { parameterResults, readParameters } from './checks/parameters.ts';
import { readerResults } from './checks/readers.ts';
import { scheduleResults } from './checks/schedule.ts';
import { signerResults } from './checks/signer.ts';
import { slackResults } from './checks/slack.ts';
import {
  ALL_CHECKS,
  type CheckGroup,
  type CheckResult,
  type DoctorDeps,
  type RunOptions,
} from './types.ts';

/** The check behind each group. */
export const CHECKS: Record<CheckGroup, Check> = {
  parameters: parameterResults,
  signer: signerResults,
  billing: billingResults,
  readers: readerResults,
  bucket: bucketResults,
  slack: slackResults,
  schedule: scheduleResults,
  bill: billResults,
};

/** The groups that use the parameters' values: they are read once, before any check runs. */
const NEEDS_PARAMETERS: readonly CheckGroup[] = ['parameters', 'signer', 'slack'];

/** Runs the checks (all, or `options.only`) and returns their results in a stable order. */
export async function runDoctor(
  deps: DoctorDeps,
  options: RunOptions = {},
): Promise<CheckResult[]> {
  const ctx = new CheckContext(deps, options);
  const groups = new Set(options.only ?? ALL_CHECKS);
  if (NEEDS_PARAMETERS.some((g) => groups.has(g))) ctx.parameters = await readParameters(ctx);

  const run = async (group: CheckGroup): Promise<CheckResult[]> => {
    try {
      return await CHECKS[group](ctx);
    } catch (error) {
      // A bug or an unexpected answer in one check must not hide the others.
      return [ctx.failed(group, `Check "${group}"`, error)];
    }
  };
  const ordered = (options.only ?? ALL_CHECKS).filter((g, i, all) => all.indexOf(g) === i);
  const results = await Promise.all(ordered.map(run));
  return results.flat();
}

/** The exit status a CLI should use: 1 when anything failed. */
export function exitCode(results: CheckResult[]): number {
  return results.some((r) => r.status === 'fail') ? 1 : 0;
}
