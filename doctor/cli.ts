/**
 * `npm run doctor`: every check, for the deployer, against the configured backend; prints a
 * table (or JSON) and exits 1 when a check failed, 2 when the configuration itself is bad.
 *
 * Settings come from the environment (`common/config.ts`, as every costbot process reads
 * them); the reader roles and the digest schedule from the CDK context the deploy uses
 * (`cdk.json`, overridden with `-c key=value` exactly as for `cdk deploy`).
 *
 * - `aws`: SDK clients honouring AWS_REGION, AWS_PROFILE and AWS_ENDPOINT_URL[_<SERVICE>],
 *   plus IAM/STS for the signer key and the reader roles, and Slack's Web API with the stored
 *   bot token.
 * - `local`: the parameter file (created as a local run would, when absent), the embedded S3
 *   server started for the run (or the one `npm start` already runs on that port), the demo
 *   metrics. There is no Slack: the console stands in for it only while `npm start` runs.
 */
import { readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type CostbotConfig, loadConfig } from '../common/config.ts';
import { ConfigError, NotCheckableError } from '../common/errors.ts';
import { contextError, loadInfraConfig } from '../infra/config.ts';
import { REPO_ROOT } from '../infra/paths.ts';
import { localDoctorDeps, localParameterFile } from '../local/doctor-deps.ts';
import { ensureLocalDir, ensureParameterFile } from '../local/parameter-file.ts';
import { startLocalS3 } from '../local/s3-server.ts';
import { SUBSCRIPTION_FILE } from '../local/subscription-file-store.ts';
import { subscriptionFileStore } from '../local/subscriptions.ts';
import { sdkIdentityApi, sdkIdentityClients } from './aws.ts';
import { awsDoctorDeps } from './deps.ts';
import { formatTable } from './format.ts';
import { exitCode, runDoctor } from './run.ts';
import { doctorWebClient, webClientSlackApi } from './slack.ts';
import type { DoctorDeps, IdentityApi } from './types.ts';

type Env = Record<string, string | undefined>;

export const USAGE = `Usage: npm run doctor [-- [--json] [--rotation-days 90] [-c key=value ...]]

Checks costbot's setup on the configured backend (COSTBOT_BACKEND, default local) and prints
what is wrong and how to fix it: parameters, the link-signing key (permanent, active, age,
real link lifetime), billing metrics, reader roles, the charts bucket, the Slack token, its
scopes and channel, and the next digest. Exits 1 when a check fails.

  --json               print the results as JSON instead of a table
  --rotation-days N    rotation policy of the signer key, in days (default 90)
  -c, --context k=v    CDK context, as for \`cdk deploy\` (readerRoleArns, readerExternalId,
                       scheduleCron, scheduleTimeZone); defaults from cdk.json
  -h, --help           this help

Settings: README.md, "Settings". Against AWS: COSTBOT_BACKEND=aws with your usual AWS_PROFILE
or credentials (IAM read access shows the key's age; without it those checks say so).`;

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Terminal width for the table. */
  columns?: number;
}

/** `cdk.json`'s context with `-c key=value` on top, as the CDK CLI merges them. */
function cdkContext(overrides: string[]): Record<string, unknown> {
  let context: Record<string, unknown> = {};
  try {
    const cdk = JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
      context?: Record<string, unknown>;
    };
    context = { ...(cdk.context ?? {}) };
  } catch {
    // No cdk.json: the infra defaults apply.
  }
  for (const pair of overrides) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw contextError(pair, 'must be given as -c key=value.');
    context[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return context;
}

/** The local backend's stand-in for IAM: the signer key lives in the parameter file. */
function localIdentity(file: string, signerKeyId: string | undefined): IdentityApi {
  const noSts = () =>
    new NotCheckableError('the local backend has no STS; run with COSTBOT_BACKEND=aws.');
  return {
    callerArn: async () => {
      throw noSts();
    },
    accessKeyOwner: async (id) => {
      if (id !== signerKeyId) throw new NotCheckableError(`${file} holds another key.`);
      return { userName: 'costbot-signer (local)' };
    },
    listAccessKeys: async () => {
      const created = (await stat(file)).mtime;
      return signerKeyId ? [{ accessKeyId: signerKeyId, status: 'Active', created }] : [];
    },
    assumeRole: async () => {
      throw noSts();
    },
    trustPolicy: async () => {
      throw noSts();
    },
  };
}

/** Deps for the local backend, and how to stop the S3 server started for them. */
async function localDeps(
  config: CostbotConfig,
): Promise<{ deps: DoctorDeps; stop(): Promise<void> }> {
  // A COSTBOT_LOCAL_DIR that cannot hold the file is a setting to fix (ConfigError), not a check.
  await ensureLocalDir(config.localDir);
  const file = localParameterFile(config);
  let values: Record<string, string> = {};
  try {
    values = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  } catch (error) {
    // A first run creates the file, as `npm start` would; a broken file is reported by the checks.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      values = await ensureParameterFile(file, config.parameterNames);
    }
  }
  const signer = {
    accessKeyId: values[config.parameterNames.signerAccessKeyId] ?? '',
    secretAccessKey: values[config.parameterNames.signerSecretAccessKey] ?? '',
  };
  let stop = async () => {};
  let s3Endpoint: string | undefined;
  try {
    const s3 = await startLocalS3({
      directory: join(config.localDir, 's3'),
      port: config.localS3Port,
      bucket: config.bucket,
      keys: signer.accessKeyId && signer.secretAccessKey ? [signer] : [],
    });
    s3Endpoint = s3.endpoint;
    stop = () => s3.stop();
  } catch (error) {
    // `npm start` is running and holds the port: check its server instead.
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
    s3Endpoint = `http://127.0.0.1:${config.localS3Port}`;
  }
  const subscriptions = subscriptionFileStore(config);
  const deps: DoctorDeps = {
    ...localDoctorDeps(config, { s3Endpoint }),
    // npm start's subscriptions, all of them: the local digest is not scheduled.
    subscriptions: async () => ({
      known: await subscriptions.all(),
      where: `in ${SUBSCRIPTION_FILE}`,
      others: 0,
    }),
    identity: localIdentity(file, signer.accessKeyId || undefined),
    noSlackReason:
      'No Slack configured (local): the local console stands in for Slack while `npm start` runs; `/aws-cost doctor` there checks it.',
  };
  return { deps, stop };
}

function awsDeps(config: CostbotConfig, env: Env): DoctorDeps {
  return {
    ...awsDoctorDeps(config, env),
    identity: sdkIdentityApi(sdkIdentityClients()),
    slack: (token) => webClientSlackApi(doctorWebClient(token, config.slackApiUrl)),
  };
}

/** Runs the doctor as the CLI does; returns the exit code. */
export async function doctorCli(
  argv: string[],
  env: Env,
  io: CliIo,
  options: { now?: () => Date } = {},
): Promise<number> {
  let values: { help?: boolean; json?: boolean; 'rotation-days'?: string; context?: string[] };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        help: { type: 'boolean', short: 'h' },
        json: { type: 'boolean' },
        'rotation-days': { type: 'string' },
        context: { type: 'string', short: 'c', multiple: true },
      },
    }));
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const rotation = values['rotation-days'];
  if (rotation !== undefined && !/^[1-9]\d{0,4}$/.test(rotation)) {
    io.stderr(`--rotation-days must be a whole number of days; got "${rotation}".\n`);
    return 2;
  }
  let config: CostbotConfig;
  let infra: ReturnType<typeof loadInfraConfig>;
  try {
    config = loadConfig(env);
    const context = cdkContext(values.context ?? []);
    infra = loadInfraConfig({ tryGetContext: (key: string) => context[key] }, env);
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`Configuration error: ${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const local = config.backend === 'local' ? await localDeps(config) : undefined;
  try {
    const deps: DoctorDeps = {
      ...(local ? local.deps : awsDeps(config, env)),
      readerRoles: { arns: infra.readerRoleArns, externalId: infra.readerExternalId },
      schedule: { cron: infra.scheduleCron, timeZone: infra.scheduleTimeZone },
      ...(rotation ? { rotationDays: Number(rotation) } : {}),
      ...(options.now ? { now: options.now } : {}),
    };
    const results = await runDoctor(deps);
    if (values.json) io.stdout(`${JSON.stringify(results, null, 2)}\n`);
    else {
      io.stdout(`costbot doctor (${config.backend} backend)\n\n`);
      io.stdout(`${formatTable(results, io.columns ? { width: io.columns } : {})}\n`);
    }
    return exitCode(results);
  } finally {
    await local?.stop();
  }
}
