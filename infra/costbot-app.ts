/**
 * Adds costbot's stacks to a CDK app from its context (see `config.ts` for every key and its
 * default). Shared by `app.ts` (the CLI entry) and the tests, which build their own `App`.
 *
 * - `Costbot` (or `-c stackName=...`): everything, in the account that holds the bot.
 * - `CostbotReader`: only when `-c fetchRoleArn=...` is given; deploy it in member accounts.
 *
 * With `requireRegion` (the CLI entry) a region must be given explicitly; tests synthesize
 * environment-agnostic stacks without one.
 */
import { type App, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { contextError, type InfraConfig, loadInfraConfig } from './config.ts';
import { supportedRegions } from './regions.ts';
import { CostbotStack } from './stacks/costbot-stack.ts';
import { ReaderStack } from './stacks/reader-stack.ts';

export interface CostbotApp {
  config: InfraConfig;
  costbot: CostbotStack;
  reader?: ReaderStack;
}

export function addCostbotStacks(
  app: App,
  env: Record<string, string | undefined> = process.env,
  options: { requireRegion?: boolean } = {},
): CostbotApp {
  const config = loadInfraConfig(app.node, env);
  if (options.requireRegion && !config.region) {
    // The CDK CLI would deploy an environment-agnostic stack to its default region, us-east-1
    // when nothing is configured: never guess where a deploy goes.
    throw contextError(
      'region',
      `is required: pass -c region=<region> or set AWS_REGION. Supported regions (${config.architecture}): ${supportedRegions(config.architecture).join(', ')}.`,
    );
  }
  // One synthesizer per stack (a synthesizer binds to the stack it is given to).
  const common = () => ({
    ...(config.account || config.region
      ? { env: { account: config.account, region: config.region } }
      : {}),
    synthesizer: new DefaultStackSynthesizer({ qualifier: config.bootstrapQualifier }),
  });
  const costbot = new CostbotStack(app, config.stackName, {
    ...common(),
    description: 'costbot: AWS cost reports in Slack',
    config,
  });
  const reader = config.fetchRoleArn
    ? new ReaderStack(app, `${config.stackName}Reader`, {
        ...common(),
        description: 'costbot: CloudWatch reader role for the costbot fetch step',
        fetchRoleArn: config.fetchRoleArn,
        externalId: config.readerExternalId,
        roleName: config.readerRoleName,
      })
    : undefined;
  return { config, costbot, ...(reader ? { reader } : {}) };
}
