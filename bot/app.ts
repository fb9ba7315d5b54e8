/**
 * The Bolt app, whatever receives its requests: `AwsLambdaReceiver` in production, Express
 * with the local Slack console, or Socket Mode against a real workspace. Listeners get their
 * clients from `BotDeps`, built once per process (or cold start).
 */
import { App, type AppOptions, LogLevel } from '@slack/bolt';
import type { CostbotConfig } from '../common/config.ts';
import type { Logger } from '../common/log.ts';
import type { SignedLink } from '../workflows/contract.ts';
import * as actions from './listeners/actions/index.ts';
import * as commands from './listeners/commands/index.ts';
import type { ReportStarter } from './starter.ts';

export interface BotDeps {
  config: CostbotConfig;
  starter: ReportStarter;
  signLink: (chart: { bucket: string; key: string }) => Promise<SignedLink>;
  log: Logger;
}

export interface SlackSecrets {
  botToken: string;
  signingSecret: string;
}

/** Registers every listener on an app; split from construction so tests can pass any app. */
export function registerListeners(app: App, deps: BotDeps): void {
  const access = {
    allowedChannels: deps.config.allowedChannels,
    allowedUsers: deps.config.allowedUsers,
  };
  commands.register(app, {
    starter: deps.starter,
    access,
    digestChannel: deps.config.digestChannel,
    log: deps.log,
  });
  actions.register(app, {
    starter: deps.starter,
    access,
    bucket: deps.config.bucket,
    chartPrefix: deps.config.chartPrefix,
    signLink: deps.signLink,
    log: deps.log,
  });
}

export function createBotApp(
  deps: BotDeps,
  secrets: SlackSecrets,
  options: Partial<AppOptions> = {},
): App {
  const app = new App({
    token: secrets.botToken,
    signingSecret: secrets.signingSecret,
    logLevel: deps.config.logLevel === 'debug' ? LogLevel.DEBUG : LogLevel.WARN,
    clientOptions: { slackApiUrl: deps.config.slackApiUrl },
    // No auth.test at start-up: a cold start must not wait on Slack before it can ack.
    tokenVerificationEnabled: false,
    ...options,
  });
  registerListeners(app, deps);
  return app;
}
