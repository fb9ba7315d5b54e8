/**
 * Adds costbot's stacks to a CDK app from its context (see `config.ts` for every key and its
 * default). Shared by `app.ts` (the CLI entry) and the tests, which build their own `App`.
 *
 * - `Costbot` (or `-c stackName=...`): everything, in the account that holds the bot.
 * - `CostbotReader`: only when `-c fetchRoleArn=...` is given; deploy it in member accounts.
 */
import { type App, DefaultStackSynthesizer } from 'aws-cdk-lib';
import { type InfraConfig, loadInfraConfig } from './config.ts';
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
): CostbotApp {
  const config = loadInfraConfig(app.node, env);
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
