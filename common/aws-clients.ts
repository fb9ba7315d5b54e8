/**
 * SDK clients for the `aws` backend. Each honours the SDK's standard settings (AWS_REGION,
 * AWS_PROFILE, AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>), so the same code runs
 * against AWS or an emulator such as moto_server.
 *
 * Steps build their clients with `maxAttempts: 1`: retries belong to the state machine,
 * where they are visible in the execution history and bounded in one place.
 */
import { CloudWatchClient, type CloudWatchClientConfig } from '@aws-sdk/client-cloudwatch';
import { S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsEnvironment } from './config.ts';

type Env = Record<string, string | undefined>;

export interface ClientOptions {
  region?: string;
  maxAttempts?: number;
}

/** Virtual-host addressing needs DNS for every bucket: emulators on an endpoint URL need path style. */
export function s3UsesPathStyle(env: Env): boolean {
  const aws = awsEnvironment(env);
  return !!(aws.s3EndpointUrl ?? aws.endpointUrl);
}

export function s3Config(env: Env, options: ClientOptions = {}): S3ClientConfig {
  return {
    ...(options.region ? { region: options.region } : {}),
    maxAttempts: options.maxAttempts,
    forcePathStyle: s3UsesPathStyle(env),
    // Checksums only where S3 requires them: emulators store aws-chunked framing otherwise.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  };
}

export function s3Client(env: Env = process.env, options: ClientOptions = {}): S3Client {
  return new S3Client(s3Config(env, options));
}

export interface CloudWatchClientOptions extends ClientOptions {
  /** Sign with these instead of the default chain, e.g. a reader role's assumed credentials. */
  credentials?: CloudWatchClientConfig['credentials'];
}

export function cloudWatchClient(options: CloudWatchClientOptions = {}): CloudWatchClient {
  return new CloudWatchClient({
    ...(options.region ? { region: options.region } : {}),
    ...(options.credentials ? { credentials: options.credentials } : {}),
    maxAttempts: options.maxAttempts,
    // Compression saves nothing on our small reads and moto cannot read gzipped bodies.
    disableRequestCompression: true,
  });
}

export function ssmClient(options: ClientOptions = {}): SSMClient {
  return new SSMClient({
    ...(options.region ? { region: options.region } : {}),
    maxAttempts: options.maxAttempts,
  });
}
