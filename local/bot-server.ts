/**
 * The bot on this machine, on embedded defaults: Bolt's Express receiver and the local
 * Slack console on one port of 127.0.0.1. The console speaks Slack's protocol to the bot
 * (signed slash commands and interactions, a Web API, response_urls), so every request
 * takes the production code path; reports run in-process through the synthesized state
 * machine on the configured backend. Subscriptions live in COSTBOT_LOCAL_DIR and fire
 * in-process (`subscriptions.ts`), or in EventBridge Scheduler with COSTBOT_BACKEND=aws.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { createBotApp } from '../bot/app.ts';
import { guardedExpressReceiver } from '../bot/express-receiver.ts';
import { loadSlackSecrets } from '../bot/secrets.ts';
import { type CostbotConfig, loadConfig, slackSecretsFromEnv } from '../common/config.ts';
import type { ChartData } from '../common/contract.ts';
import { createLinkSigner, signDepsFromConfig } from '../common/link-signer.ts';
import { createLogger } from '../common/log.ts';
import { awsDoctorDeps, botDoctorDeps } from '../doctor/deps.ts';
import type { SlackApi } from '../doctor/types.ts';
import { type Backend, createBackend } from './backend.ts';
import { listenError, readAtStartup } from './cli.ts';
import { type ConsoleMessage, createConsoleRouter } from './console/server.ts';
import { localDoctorDeps } from './doctor-deps.ts';
import { LocalStarter } from './local-starter.ts';
import { definitionFor, runReport } from './report.ts';
import { machineFor } from './runner.ts';
import { startSubscriptions } from './subscriptions.ts';

type Env = Record<string, string | undefined>;

/** A chart like a report's, drawn once at start-up and thrown away. */
const WARM_UP_CHART: ChartData = {
  title: 'warm-up',
  unit: 'USD per day',
  dates: ['2026-11-01', '2026-11-02', '2026-11-03'],
  series: [
    { name: 'Amazon EC2', values: [10, 12, 11] },
    { name: 'Other', values: [2, null, 3] },
  ],
  style: 'stacked',
};

export interface LocalBot {
  /** `http://127.0.0.1:<port>`: the console page; the bot is at `/slack/events`. */
  url: string;
  config: CostbotConfig;
  backend: Backend;
  starter: LocalStarter;
  messages(): ConsoleMessage[];
  /**
   * Resolves once the chart renderer and the bot's request path are warm. Started after the
   * console serves, so the first page does not wait for it (bench section 7); a burst of
   * commands sent before it resolves is acked all the same, only more slowly.
   */
  warm: Promise<void>;
  stop(): Promise<void>;
}

/**
 * The first chart loads ECharts, resvg's WebAssembly and the fonts: seconds on a busy machine
 * against 0.2-0.4 s for the next ones (bench/ack-console.ts). Drawn once, thrown away, so a
 * report right after start-up does not block the in-process console past Slack's 3 s.
 */
async function warmRenderer(): Promise<void> {
  const { renderChart } = await import('../workflows/steps/chart/render.ts');
  await renderChart(WARM_UP_CHART);
}

function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(listenError('PORT', port, error)));
    server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

/** What both local modes share: backend, secrets, an in-process starter and a link signer. */
async function botRuntime(config: CostbotConfig, env: Env, retryIntervalMs?: number) {
  const backend = await createBackend(config, env, { slackSecrets: slackSecretsFromEnv(env) });
  const secrets = await readAtStartup(env, () =>
    loadSlackSecrets(config, backend.parameters),
  ).catch(async (error: unknown) => {
    await backend.stop();
    throw error;
  });
  // Validate the definition now (it blocks the event loop for a few hundred ms), not on the
  // first report: that would run right after the first command's ack and block the
  // in-process console too, which then reports Slack's 3 s operation_timeout.
  machineFor(definitionFor(backend));
  const log = createLogger({ component: 'bot' }, { level: config.logLevel });
  const starter = new LocalStarter(
    (request) =>
      runReport(backend, request, retryIntervalMs === undefined ? {} : { retryIntervalMs }),
    log,
  );
  const signLink = createLinkSigner({
    ...signDepsFromConfig(config, env, backend.parameters),
    // The local backend signs for its embedded S3 server.
    ...(backend.signingClient ? { signingClient: backend.signingClient } : {}),
  });
  const doctorClients =
    config.backend === 'aws'
      ? awsDoctorDeps(config, env)
      : localDoctorDeps(config, backend.s3 ? { s3Endpoint: backend.s3.endpoint } : {});
  const doctor = (slack: SlackApi) => botDoctorDeps(doctorClients, slack);
  // Started with the bot, stopped with it (`idle`): its timers fire the local runner.
  const subscriptions = await startSubscriptions(config, env, backend, log, {
    ...(retryIntervalMs === undefined ? {} : { retryIntervalMs }),
  }).catch(async (error: unknown) => {
    // An unreadable subscription file: one line at start-up, the S3 port free again.
    await backend.stop();
    throw error;
  });
  const deps = {
    config,
    starter,
    signLink,
    log,
    doctor,
    ...(subscriptions ? { subscriptions: subscriptions.store } : {}),
  };
  /** No new runs, and every run started has ended (they post through the bot's server). */
  const idle = async () => {
    await subscriptions?.stop();
    await starter.idle();
  };
  return { backend, secrets, deps, starter, idle };
}

/**
 * Against a real workspace, for development: Socket Mode (no public URL needed) when
 * `SLACK_APP_TOKEN` (xapp-…) is set. The bot token and signing secret come from
 * `SLACK_BOT_TOKEN` and `SLACK_SIGNING_SECRET` when set (environment or `.env`), else from the
 * parameter store of the backend: `.costbot/parameters.json` locally, SSM with COSTBOT_BACKEND=aws.
 */
export async function startSocketModeBot(env: Env, appToken: string): Promise<LocalBot> {
  const config = loadConfig(env);
  const { backend, secrets, deps, starter, idle } = await botRuntime(config, env);
  const app = createBotApp(deps, secrets, {
    socketMode: true,
    appToken,
  });
  await app.start();
  const warm = warmRenderer().catch((error: unknown) => deps.log.warn('warm-up failed', { error }));
  return {
    url: 'socket-mode',
    config,
    backend,
    starter,
    messages: () => [],
    warm,
    stop: async () => {
      await warm;
      await idle();
      await app.stop();
      await backend.stop();
    },
  };
}

export async function startLocalBot(
  env: Env = process.env,
  options: { retryIntervalMs?: number } = {},
): Promise<LocalBot> {
  const requested = loadConfig(env);
  const web = express();
  const server = createServer(web);
  // Listen first: with PORT=0 the console's URLs must name the port actually bound.
  const port = await listen(server, requested.port);
  const url = `http://127.0.0.1:${port}`;
  const config: CostbotConfig = { ...requested, port, slackApiUrl: `${url}/api/` };
  const { backend, secrets, deps, starter, idle } = await botRuntime(
    config,
    env,
    options.retryIntervalMs ?? 1000,
  ).catch(async (error: unknown) => {
    // A bad parameter file or S3 port: the bot's port is free again for the next try.
    await new Promise((resolve) => server.close(resolve));
    throw error;
  });
  // Verified as on Lambda (bot/request-guard.ts): timestamps both ways, then the body's shape.
  const receiver = guardedExpressReceiver({
    signingSecret: secrets.signingSecret,
    app: web,
    // Locally the ack can go out before the listener finishes; on Lambda it cannot.
    processBeforeResponse: false,
  });
  createBotApp(deps, secrets, { receiver });
  const console = createConsoleRouter({
    botEventsUrl: `${url}/slack/events`,
    publicUrl: url,
    signingSecret: secrets.signingSecret,
    botToken: secrets.botToken,
    defaultChannel: config.digestChannel.startsWith('#') ? undefined : config.digestChannel,
  });
  web.use(console.router);
  const warm = warmRenderer()
    .then(() => console.warmUp())
    .catch((error: unknown) => deps.log.warn('warm-up failed', { error }));
  return {
    url,
    config,
    backend,
    starter,
    messages: console.messages,
    warm,
    stop: async () => {
      await warm;
      await idle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await backend.stop();
    },
  };
}
