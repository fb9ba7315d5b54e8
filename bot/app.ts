/**
 * The Bolt app, whatever receives its requests: `AwsLambdaReceiver` in production, Express
 * with the local Slack console, or Socket Mode against a real workspace. Listeners get their
 * clients from `BotDeps`, built once per process (or cold start).
 */
import { App, type AppOptions, LogLevel } from '@slack/bolt';
import type { CostbotConfig } from '../common/config.ts';
import type { SignedLink } from '../common/contract.ts';
import type { Logger } from '../common/log.ts';
import { BOT_SLACK_TIMEOUT_MS, fetchWithTimeout } from '../common/slack-http.ts';
import type { SubscriptionStore } from '../common/subscription.ts';
import { runDoctor } from '../doctor/run.ts';
import { BOT_CHECKS, type DoctorDeps, type SlackApi } from '../doctor/types.ts';
import { accessGuard } from './access.ts';
import * as actions from './listeners/actions/index.ts';
import { buttonValueGuard, buttonValues } from './listeners/actions/values.ts';
import { BOT_CHECK_TIMEOUT_MS, type DoctorCommandDeps } from './listeners/commands/doctor.ts';
import * as commands from './listeners/commands/index.ts';
import type { SubscriptionDeps } from './listeners/commands/subscriptions.ts';
import type { ReportStarter } from './starter.ts';

export interface BotDeps {
  config: CostbotConfig;
  starter: ReportStarter;
  signLink: (chart: { bucket: string; key: string }) => Promise<SignedLink>;
  log: Logger;
  /**
   * The clients `/aws-cost doctor` checks with, given the bot's Slack client (`botDoctorDeps`),
   * built when the command arrives; without it the command says the doctor is not available.
   */
  doctor?: (slack: SlackApi) => DoctorDeps;
  /**
   * Where subscriptions live (EventBridge Scheduler deployed, a file locally); without it the
   * subscription commands say they are not available. A subscription that names no time zone
   * gets `config.timeZone`.
   */
  subscriptions?: SubscriptionStore;
}

export interface SlackSecrets {
  botToken: string;
  signingSecret: string;
}

/** The bot's doctor: its checks only, each call cut short so the ack stays within 3 s on Lambda. */
function doctorDeps(deps: BotDeps): DoctorCommandDeps | undefined {
  const build = deps.doctor;
  if (!build) return undefined;
  return {
    run: (slack, channel) => {
      const clients = build(slack);
      const store = deps.subscriptions;
      return runDoctor(
        {
          ...clients,
          timeoutMs: clients.timeoutMs ?? BOT_CHECK_TIMEOUT_MS,
          // This channel's subscriptions whole (one list), the others by count: names only.
          ...(store
            ? {
                subscriptions: async () => {
                  const [known, total] = await Promise.all([store.list(channel), store.count()]);
                  return {
                    known,
                    where: 'in this channel',
                    others: Math.max(0, total - known.length),
                  };
                },
              }
            : {}),
        },
        { only: BOT_CHECKS, perspective: 'bot' },
      );
    },
    log: deps.log,
  };
}

/** The subscription commands' and buttons' needs, when a store is configured. */
function subscriptionDeps(deps: BotDeps): SubscriptionDeps | undefined {
  if (!deps.subscriptions) return undefined;
  const { config } = deps;
  return {
    store: deps.subscriptions,
    timeZone: config.timeZone,
    adminUsers: config.adminUsers,
    limits: { perChannel: config.maxSubscriptionsPerChannel, total: config.maxSubscriptions },
    log: deps.log,
  };
}

/**
 * Registers every listener on an app; split from construction so tests can pass any app. The
 * guards are global middleware: they run before every listener, including any added later.
 */
export function registerListeners(app: App, deps: BotDeps): void {
  app.use(
    accessGuard({
      allowedChannels: deps.config.allowedChannels,
      allowedUsers: deps.config.allowedUsers,
    }),
  );
  const values = buttonValues(deps.config.chartPrefix);
  app.use(buttonValueGuard(values));
  const doctor = doctorDeps(deps);
  const subscriptions = subscriptionDeps(deps);
  commands.register(app, {
    starter: deps.starter,
    digestChannel: deps.config.digestChannel,
    log: deps.log,
    ...(doctor ? { doctor } : {}),
    ...(subscriptions ? { subscriptions } : {}),
  });
  actions.register(app, {
    starter: deps.starter,
    values,
    bucket: deps.config.bucket,
    signLink: deps.signLink,
    log: deps.log,
    ...(subscriptions ? { subscriptions } : {}),
  });
}

export function createBotApp(
  deps: BotDeps,
  secrets: SlackSecrets,
  options: Partial<AppOptions> = {},
): App {
  const { botToken } = secrets;
  const app = new App({
    // No auth.test, at start-up or later: a request must not wait on Slack before it can ack.
    // Given `token`, Bolt looks up the bot's ids with auth.test before every request's
    // listeners run (tokenVerificationEnabled: false only defers that from start-up to each
    // request). The listeners need no bot ids, so `authorize` hands over the token alone.
    authorize: async () => ({ botToken }),
    signingSecret: secrets.signingSecret,
    logLevel: deps.config.logLevel === 'debug' ? LogLevel.DEBUG : LogLevel.WARN,
    // Every Slack call (Web API and respond()) is bounded and not retried in-process: the
    // function has 10 s, and a hung Slack must fail the call, not the whole request.
    clientOptions: {
      slackApiUrl: deps.config.slackApiUrl,
      timeout: BOT_SLACK_TIMEOUT_MS,
      fetch: fetchWithTimeout(BOT_SLACK_TIMEOUT_MS),
      retryConfig: { retries: 0 },
    },
    ...options,
  });
  registerListeners(app, deps);
  return app;
}
