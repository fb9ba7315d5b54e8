/**
 * Builds the step handlers for a backend: `aws` (SDK clients honouring the standard AWS
 * settings, as the Lambda entries build them) or `local` (the embedded defaults: demo
 * metrics, an S3 server on loopback, a parameter file, the terminal or a local Slack).
 */
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { withSlackSecretOverrides } from '../bot/secrets.ts';
import { s3Config } from '../common/aws-clients.ts';
import { type CostbotConfig, readSetting, type SlackSecretsFromEnv } from '../common/config.ts';
import { ConfigError } from '../common/errors.ts';
import { createLinkSigner, signDepsFromConfig } from '../common/link-signer.ts';
import { createLogger } from '../common/log.ts';
import {
  awsParameterReader,
  FileParameterReader,
  type ParameterReader,
} from '../common/parameters.ts';
import { createLinksHandler, linksDepsFromConfig } from '../workflows/links/handler.ts';
import type { ChartDeps } from '../workflows/steps/chart/handler.ts';
import type { FetchClients } from '../workflows/steps/fetch/fetch.ts';
import { createFetchHandler, fetchDepsFromConfig } from '../workflows/steps/fetch/handler.ts';
import type { SlackDelivery } from '../workflows/steps/post/delivery.ts';
import {
  type DeliveryRecords,
  deliveryRecords,
  s3RecordStore,
  singleProcessRecordStore,
} from '../workflows/steps/post/delivery-record.ts';
import {
  createPostHandler,
  type PostDeps,
  postDepsFromConfig,
  s3DeliveryRecords,
} from '../workflows/steps/post/handler.ts';
import { createSignHandler } from '../workflows/steps/sign/handler.ts';
import { createSummarizeHandler } from '../workflows/steps/summarize/handler.ts';
import { listenError } from './cli.ts';
import { DemoMetrics } from './demo-metrics.ts';
import { type LocalLinks, startLocalLinks } from './links-server.ts';
import { ensureParameterFile } from './parameter-file.ts';
import type { StepHandlers } from './runner.ts';
import { type LocalS3, startLocalS3 } from './s3-server.ts';

type Env = Record<string, string | undefined>;

export interface Backend {
  handlers: StepHandlers;
  /**
   * The Post step mints stable links: the definition without Sign runs (`loadDefinition`).
   * False: Sign presigns each chart's link.
   */
  stableLinks: boolean;
  parameters: ParameterReader;
  /** Local backend only: the embedded S3 server. */
  s3?: LocalS3;
  /** Local backend with stable links on: the links endpoint the Post step links charts below. */
  links?: LocalLinks;
  /** Local backend only: an S3 client for the embedded server with the given signer key. */
  signingClient?: (credentials: { accessKeyId: string; secretAccessKey: string }) => S3Client;
  stop(): Promise<void>;
}

export interface BackendOptions {
  /**
   * Slack secrets given in the environment (`slackSecretsFromEnv`): they win over the parameter
   * store for every step, as Bolt apps expect of a local run.
   */
  slackSecrets?: SlackSecretsFromEnv;
  /** Where reports go instead of Slack's Web API (the terminal, a test recorder). */
  delivery?: SlackDelivery;
  /** Local backend: the demo data's clock. */
  now?: () => Date;
  /** Local backend: linked accounts in the demo data. */
  demoAccounts?: number;
  /** Timeout of each Slack call (default `SLACK_TIMEOUT_MS`); fault tests shorten it. */
  slackTimeoutMs?: number;
  /** Timeout of each call of Post's link check (default `LINK_PROBE_TIMEOUT_MS`). */
  linkProbeTimeoutMs?: number;
  /**
   * Local backend: what stands in front of the links server (the URL the Post step links charts
   * below) and of the S3 server (the endpoint links are signed for), given each one's own URL.
   * Fault tests put proxies there; default nothing.
   */
  fronts?: { links?: (url: string) => Promise<string>; s3?: (endpoint: string) => Promise<string> };
}

function postDeps(
  config: CostbotConfig,
  parameters: ParameterReader,
  options: BackendOptions,
  records: DeliveryRecords,
) {
  const deps: PostDeps = postDepsFromConfig(config, parameters, records, {
    slackTimeoutMs: options.slackTimeoutMs,
    linkProbeTimeoutMs: options.linkProbeTimeoutMs,
  });
  const delivery = options.delivery;
  return delivery ? { ...deps, delivery: async () => delivery } : deps;
}

type ChartModule = typeof import('../workflows/steps/chart/handler.ts');
type ChartHandler = ReturnType<ChartModule['createChartHandler']>;

/**
 * The chart step, loaded on its first report: ECharts and resvg take most of a second to
 * import, which `npm start` would otherwise pay before serving its first page.
 */
function chartOnFirstUse(deps: (chart: ChartModule) => ChartDeps): ChartHandler {
  let handler: Promise<ChartHandler> | undefined;
  return async (state) => {
    handler ??= import('../workflows/steps/chart/handler.ts').then((chart) =>
      chart.createChartHandler(deps(chart)),
    );
    return (await handler)(state);
  };
}

export function awsBackend(config: CostbotConfig, env: Env, options: BackendOptions = {}): Backend {
  const parameters = withSlackSecretOverrides(
    awsParameterReader(config, env),
    config.parameterNames,
    options.slackSecrets ?? {},
  );
  const post = postDeps(config, parameters, options, s3DeliveryRecords(config, env));
  return {
    parameters,
    stableLinks: post.stableLink !== undefined,
    handlers: {
      fetch: createFetchHandler(fetchDepsFromConfig(config)),
      summarize: createSummarizeHandler({ topN: config.topN }),
      chart: chartOnFirstUse((chart) => chart.chartDepsFromConfig(config, env)),
      sign: createSignHandler(signDepsFromConfig(config, env, parameters)),
      post: createPostHandler(post),
    },
    stop: async () => {},
  };
}

export async function localBackend(
  config: CostbotConfig,
  options: BackendOptions = {},
): Promise<Backend> {
  const names = config.parameterNames;
  const parameterFile = join(config.localDir, 'parameters.json');
  const values = await ensureParameterFile(
    parameterFile,
    names,
    createLogger({ component: 'local' }, { level: config.logLevel }),
  );
  const signer = {
    accessKeyId: values[names.signerAccessKeyId] as string,
    secretAccessKey: values[names.signerSecretAccessKey] as string,
  };
  const s3 = await startLocalS3({
    directory: join(config.localDir, 's3'),
    port: config.localS3Port,
    bucket: config.bucket,
    keys: [signer],
  }).catch((error: unknown) => {
    throw listenError('COSTBOT_LOCAL_S3_PORT', config.localS3Port, error);
  });
  // The local S3 client's region and endpoint, as AWS_ENDPOINT_URL_S3 would give them.
  const s3Env = { AWS_ENDPOINT_URL_S3: s3.endpoint };
  const clientAt =
    (endpoint: string) => (credentials: { accessKeyId: string; secretAccessKey: string }) =>
      new S3Client({ ...s3Config(s3Env), region: 'us-east-1', endpoint, credentials });
  const s3ClientFor = clientAt(s3.endpoint);
  const parameters = withSlackSecretOverrides(
    new FileParameterReader(parameterFile, { maxAgeSeconds: config.parameterCacheTtlSeconds }),
    names,
    options.slackSecrets ?? {},
  );
  const signDeps = {
    ...signDepsFromConfig(config, s3Env, parameters),
    signingClient: clientAt((await options.fronts?.s3?.(s3.endpoint)) ?? s3.endpoint),
    ...(options.now ? { now: options.now } : {}),
  };
  const links = config.stableLinks
    ? await serveLinks(config, s3Env, parameters, createLinkSigner(signDeps)).catch(
        async (error: unknown) => {
          await s3.stop();
          throw error;
        },
      )
    : undefined;
  const linksUrl = links && ((await options.fronts?.links?.(links.url)) ?? links.url);
  const demo = new DemoMetrics({ now: options.now, accounts: options.demoAccounts });
  const clients: FetchClients = { billing: demo, metrics: demo };
  return {
    parameters,
    stableLinks: links !== undefined,
    s3,
    ...(links ? { links } : {}),
    signingClient: s3ClientFor,
    handlers: {
      fetch: createFetchHandler({
        clients,
        log: createLogger({ step: 'fetch' }, { level: config.logLevel }),
        now: options.now,
      }),
      summarize: createSummarizeHandler({ topN: config.topN }),
      // The "role" that stores charts is s3rver's own account; only the signer key signs links.
      chart: chartOnFirstUse(() => ({
        s3: s3ClientFor({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }),
        bucket: config.bucket,
        prefix: config.chartPrefix,
        log: createLogger({ step: 'chart' }, { level: config.logLevel }),
      })),
      sign: createSignHandler(signDeps),
      // s3rver ignores If-None-Match: the records' conditional put is guarded in-process.
      post: createPostHandler(
        postDeps(
          linksUrl ? { ...config, linksUrl } : config,
          parameters,
          options,
          deliveryRecords(
            singleProcessRecordStore(
              s3RecordStore(
                s3ClientFor({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' }),
                config.bucket,
              ),
            ),
          ),
        ),
      ),
    },
    stop: async () => {
      await links?.stop();
      await s3.stop();
    },
  };
}

/** The links endpoint on COSTBOT_LOCAL_LINKS_PORT, signing for the embedded S3 server. */
async function serveLinks(
  config: CostbotConfig,
  s3Env: Env,
  parameters: ParameterReader,
  signLink: ReturnType<typeof createLinkSigner>,
): Promise<LocalLinks> {
  const deps = await linksDepsFromConfig(config, s3Env, parameters, { signLink });
  return startLocalLinks({
    port: config.localLinksPort,
    handler: createLinksHandler(deps),
    log: deps.log,
  });
}

/**
 * COSTBOT_ASSETS_DIR, when set, must be a directory: charts are drawn with the font and
 * WebAssembly it holds, and the first report is too late to learn that it is not there.
 */
async function checkAssetsDir(env: Env): Promise<void> {
  const dir = readSetting(env, 'COSTBOT_ASSETS_DIR');
  if (
    !dir ||
    (await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  )
    return;
  throw new ConfigError(
    'COSTBOT_ASSETS_DIR',
    `"${dir}" is not a directory: point it at the one holding the chart font and WebAssembly, or unset it (they are then read from node_modules).`,
  );
}

export async function createBackend(
  config: CostbotConfig,
  env: Env,
  options: BackendOptions = {},
): Promise<Backend> {
  await checkAssetsDir(env);
  return config.backend === 'aws'
    ? awsBackend(config, env, options)
    : localBackend(config, options);
}
