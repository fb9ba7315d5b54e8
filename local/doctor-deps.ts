/**
 * The doctor's clients for the `local` backend: the parameter file, the embedded S3 server and
 * the demo metrics (the `aws` backend's are in `doctor/deps.ts`).
 */
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { s3Config } from '../common/aws-clients.ts';
import type { CostbotConfig } from '../common/config.ts';
import { FileParameterReader } from '../common/parameters.ts';
import type { DoctorDeps } from '../doctor/types.ts';
import { DemoMetrics } from './demo-metrics.ts';

/** The local parameter file, as the local backend names it. */
export function localParameterFile(config: Pick<CostbotConfig, 'localDir'>): string {
  return join(config.localDir, 'parameters.json');
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
