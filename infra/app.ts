/**
 * CDK app entry (`cdk.json`: `npx tsx infra/app.ts`). Synthesizes offline with no credentials, but
 * only for an explicit region (`-c region=...` or `AWS_REGION`): it refuses to let the CLI pick
 * one. Without `-c account=...` the account is the deploying credentials' one.
 *
 * @example
 * npm run synth -- -c region=eu-west-1 -c withBot=false
 * npm run deploy -- -c region=eu-west-1 -c digestChannel=C0123ABCD -c scheduleTimeZone=Europe/Paris
 */
import { App } from 'aws-cdk-lib';
import { ConfigError } from '../common/errors.ts';
import { addCostbotStacks } from './costbot-app.ts';

try {
  const app = new App();
  addCostbotStacks(app, process.env, { requireRegion: true });
  app.synth();
} catch (error) {
  // A bad setting is one line naming it, not a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
