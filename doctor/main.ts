/**
 * `npm run doctor`: checks costbot's setup and prints what to fix (see
 * `doctor/cli.ts` for what is checked on each backend). Exit status: 0 when nothing
 * failed (warnings allowed), 1 when a check failed, 2 for bad options or settings.
 *
 *   npm run doctor
 *   COSTBOT_BACKEND=aws AWS_PROFILE=billing npm run doctor
 *   npm run doctor -- --json -c scheduleTimeZone=Europe/Berlin
 */
import { runCli } from '../local/cli.ts';
import { doctorCli } from './cli.ts';

runCli(() =>
  doctorCli(process.argv.slice(2), process.env, {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    ...(process.stdout.columns ? { columns: process.stdout.columns } : {}),
  }),
);
