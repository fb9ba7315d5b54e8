/**
 * The doctor's clients for a backend, built from configuration like the steps build theirs:
 * `aws` (SDK clients honouring AWS_REGION, AWS_PROFILE, AWS_ENDPOINT_URL[_<SERVICE>]) or
 * `local` (the parameter file, the embedded S3 server, the demo metrics).
 *
 * `botDoctorDeps` is what `/aws-cost doctor` uses; `npm run doctor` adds IAM/STS, the reader
 * roles and the schedule on top (see `doctor/main.ts`). Nothing here makes a call: clients
 * are built, and the checks call them.
 */
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { cloudWatchClient, s3Client, s3Config, ssmClient } from '../common/aws-clients.ts';
import type { CostbotConfig } from '../common/config.ts';
import { FileParameterReader, selectParameterReader } from '../common/parameters.ts';
import { DemoMetrics } from '../local/demo-metrics.ts';
import { cloudWatchMetricsApi } from '../workflows/steps/fetch/metrics-api.ts';
import type { DoctorDeps, SlackApi } from './types.ts';

type Env = Record<string, string | undefined>;

/** The local parameter file, as the local backend names it. */
export function localParameterFile(config: Pick<CostbotConfig, 'localDir'>): string {
  return join(config.localDir, 'parameters.json');
}

/** The parameter's type without decrypting its value (`SecureString`, `String`). */
export function ssmParameterType(ssm: Pick<SSMClient, 'send'>) {
  return async (name: string): Promise<string | undefined> => {
    const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: false }));
    return out.Parameter?.Type;
  };
}

/** An S3 client for the local S3 server, with its own account (as the chart step uses). */
export function localS3Client(endpoint: string): S3Client {
  return new S3Client({
    ...s3Config({ AWS_ENDPOINT_URL_S3: endpoint }),
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
}

/** The clients of the `aws` backend, one attempt per call, parameters uncached. */
export function awsDoctorDeps(config: CostbotConfig, env: Env): DoctorDeps {
  const ssm = ssmClient({ maxAttempts: 1 });
  return {
    config,
    // Uncached: a parameter fixed a minute ago must show as fixed.
    parameters: selectParameterReader(env, ssm),
    parameterType: ssmParameterType(ssm),
    billing: cloudWatchMetricsApi(
      cloudWatchClient({ region: config.billingRegion, maxAttempts: 1 }),
    ),
    s3: s3Client(env, { maxAttempts: 1 }),
  };
}

/** The clients of the `local` backend; `s3Endpoint` is the embedded S3 server, when running. */
export function localDoctorDeps(
  config: CostbotConfig,
  options: { s3Endpoint?: string; now?: () => Date } = {},
): DoctorDeps {
  const file = localParameterFile(config);
  const endpoint =
    options.s3Endpoint ??
    (config.localS3Port > 0 ? `http://127.0.0.1:${config.localS3Port}` : undefined);
  return {
    config,
    parameters: new FileParameterReader(file),
    billing: new DemoMetrics(options.now ? { now: options.now } : {}),
    ...(endpoint ? { s3: localS3Client(endpoint) } : {}),
    missingParameterFix: `Add it to ${file}, or delete that file: the next local run writes a new one with every parameter.`,
    ...(options.now ? { now: options.now } : {}),
  };
}

/**
 * What `/aws-cost doctor` runs with: the backend's clients and the bot's own Slack client.
 * Built when the command arrives, after the ack; building makes no call.
 */
export function botDoctorDeps(
  config: CostbotConfig,
  env: Env,
  slack: SlackApi,
  options: { s3Endpoint?: string } = {},
): DoctorDeps {
  const base =
    config.backend === 'aws' ? awsDoctorDeps(config, env) : localDoctorDeps(config, options);
  // The bot reads parameter values only; asking SSM for types is the deployer's business.
  const { parameterType: _types, ...rest } = base;
  return { ...rest, slack: () => slack };
}
