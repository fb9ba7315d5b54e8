/**
 * Sign step handler: reads the signer user's key from the parameter store (cached) and
 * presigns the stored chart, `{..., chart}` → `+ link`.
 */
import { S3Client } from '@aws-sdk/client-s3';
import { s3Config } from '../../../common/aws-clients.ts';
import type { CostbotConfig } from '../../../common/config.ts';
import type { PostState, SignedLink, SignState } from '../../../common/contract.ts';
import { signChartLink } from '../../../common/link-signer.ts';
import { createLogger, type Logger } from '../../../common/log.ts';
import type { ParameterReader } from '../../../common/parameters.ts';

export interface SignDeps {
  parameters: ParameterReader;
  names: { accessKeyId: string; secretAccessKey: string };
  /** An S3 client signing with these static credentials (same region/endpoint as the bucket). */
  signingClient: (credentials: { accessKeyId: string; secretAccessKey: string }) => S3Client;
  expiresInSeconds: number;
  log: Logger;
  now?: () => Date;
}

export function signDepsFromConfig(
  config: CostbotConfig,
  env: Record<string, string | undefined>,
  parameters: ParameterReader,
): SignDeps {
  return {
    parameters,
    names: {
      accessKeyId: config.parameterNames.signerAccessKeyId,
      secretAccessKey: config.parameterNames.signerSecretAccessKey,
    },
    signingClient: (credentials) => new S3Client({ ...s3Config(env), credentials }),
    expiresInSeconds: config.linkExpiresSeconds,
    log: createLogger({ step: 'sign' }, { level: config.logLevel }),
  };
}

/**
 * Signs a link for a stored chart with the signer key from the parameter store. Shared by
 * the Sign step and the bot's "Refresh link" button, which re-signs without re-rendering.
 */
export function createLinkSigner(deps: SignDeps) {
  const clients = new Map<string, S3Client>();
  return async function signLink(chart: { bucket: string; key: string }): Promise<SignedLink> {
    const values = await deps.parameters.get([deps.names.accessKeyId, deps.names.secretAccessKey]);
    const credentials = {
      accessKeyId: values[deps.names.accessKeyId] as string,
      secretAccessKey: values[deps.names.secretAccessKey] as string,
    };
    let client = clients.get(credentials.accessKeyId);
    if (!client) {
      client = deps.signingClient(credentials);
      clients.set(credentials.accessKeyId, client);
    }
    return signChartLink({
      client,
      credentials,
      source: deps.names.accessKeyId,
      bucket: chart.bucket,
      key: chart.key,
      expiresInSeconds: deps.expiresInSeconds,
      now: deps.now?.() ?? new Date(),
    });
  };
}

export function createSignHandler(deps: SignDeps) {
  const signLink = createLinkSigner(deps);
  return async function signHandler(state: SignState): Promise<PostState> {
    const link = await signLink(state.chart);
    deps.log.info('link signed', {
      requestId: state.request.requestId,
      key: state.chart.key,
      expiresAt: link.expiresAt,
    });
    return { ...state, link };
  };
}
