/**
 * CDK app entry (`cdk.json`: `npx tsx infra/app.ts`). Synthesizes offline with no credentials:
 * without `-c account=... -c region=...` (or a profile) the stacks are environment-agnostic.
 *
 * @example
 * npm run synth -- -c withBot=false
 * npm run deploy -- -c digestChannel=C0123ABCD -c scheduleTimeZone=Europe/Paris
 */
import { App } from 'aws-cdk-lib';
import { addCostbotStacks } from './costbot-app.ts';

const app = new App();
addCostbotStacks(app);
app.synth();
