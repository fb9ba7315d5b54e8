/**
 * Subscriptions for `npm start`: where they are kept and what fires them, by backend.
 * - `local`: the JSON file in COSTBOT_LOCAL_DIR (`subscription-file-store.ts`), fired by the
 *   in-process scheduler (`subscription-scheduler.ts`, EventBridge's cron and time-zone rules),
 *   each run through the local runner, which posts where every local report posts (the console).
 * - `aws`: EventBridge Scheduler at the configured endpoint (AWS, or moto_server), as the
 *   deployed bot has it; the schedules fire there, not here.
 *
 * @example
 * const subscriptions = await startSubscriptions(config, env, backend, log);
 * // ... the bot's deps get subscriptions?.store; on shutdown:
 * await subscriptions?.stop();
 */
import { join } from 'node:path';
import { schedulerStoreFromConfig } from '../bot/subscriptions/scheduler-client.ts';
import type { CostbotConfig } from '../common/config.ts';
import type { Gate } from '../common/contract.ts';
import type { Logger } from '../common/log.ts';
import type { SubscriptionStore } from '../common/subscription.ts';
import type { Backend } from './backend.ts';
import { runInput } from './report.ts';
import type { ExecutionResult } from './runner.ts';
import { SUBSCRIPTION_FILE, SubscriptionFileStore } from './subscription-file-store.ts';
import { type SchedulerClock, SubscriptionScheduler } from './subscription-scheduler.ts';

type Env = Record<string, string | undefined>;

export interface LocalSubscriptions {
  store: SubscriptionStore;
  /** Stops firing subscriptions and waits for the runs already started. */
  stop(): Promise<void>;
}

/** The local backend's subscription file. */
export function subscriptionFileStore(config: CostbotConfig): SubscriptionFileStore {
  return new SubscriptionFileStore(join(config.localDir, SUBSCRIPTION_FILE));
}

/**
 * Why a run that succeeded posted nothing: the reason Summarize left at `$.gate` when the
 * subscription's condition did not hold; null when it posted (or failed).
 */
export function notPostedReason(result: ExecutionResult): string | null {
  if (result.status !== 'SUCCEEDED') return null;
  const gate = (result.output as { gate?: Partial<Gate> } | undefined)?.gate;
  return gate?.post === false && typeof gate.reason === 'string' ? gate.reason : null;
}

/**
 * The store for the bot and, on the local backend, the scheduler that fires it (started here).
 * Undefined on the `aws` backend when no scheduler role or state machine is configured.
 */
export async function startSubscriptions(
  config: CostbotConfig,
  env: Env,
  backend: Backend,
  log: Logger,
  options: { retryIntervalMs?: number; clock?: SchedulerClock } = {},
): Promise<LocalSubscriptions | undefined> {
  if (config.backend === 'aws') {
    const store = schedulerStoreFromConfig(config, env);
    return store && { store, stop: async () => {} };
  }
  const store = subscriptionFileStore(config);
  const runs = new Set<Promise<unknown>>();
  const scheduler = new SubscriptionScheduler({
    store,
    run: (state, subscription) => {
      const run = runInput(backend, state, { retryIntervalMs: options.retryIntervalMs })
        .then((result) => {
          const reason = notPostedReason(result);
          log.info('scheduled run ended', {
            subscription: subscription.id,
            status: result.status,
            ...(reason ? { notPosted: reason } : {}),
          });
        })
        .finally(() => runs.delete(run));
      runs.add(run);
      return run;
    },
    log,
    ...(options.clock ? { clock: options.clock } : {}),
  });
  await scheduler.start();
  return {
    store,
    stop: async () => {
      scheduler.stop();
      await Promise.allSettled([...runs]);
    },
  };
}
