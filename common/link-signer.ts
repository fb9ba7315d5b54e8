/**
 * Sign: a presigned GET URL for a stored chart that really lives as long as it says.
 *
 * SigV4 links last at most 604,800 s (7 days), and only when signed with a permanent IAM
 * user key: a link signed with session credentials (a Lambda role's) dies when the session
 * does, after hours, whatever X-Amz-Expires says. So the step signs with a dedicated IAM
 * user's key read from the parameter store, and refuses temporary keys by name.
 */
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { s3Config } from './aws-clients.ts';
import type { CostbotConfig } from './config.ts';
import type { SignedLink } from './contract.ts';
import { InvalidSignerKeyError, SessionCredentialsError } from './errors.ts';
import { createLogger, type Logger } from './log.ts';
import type { ParameterReader } from './parameters.ts';

/** SigV4's upper bound on X-Amz-Expires. */
export const MAX_LINK_SECONDS = 604_800;

export interface SignerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present only by mistake: a signer with a session token is refused. */
  sessionToken?: string;
}

/** An IAM user's access key id: `AKIA` and 16 base-32 characters (A-Z, 2-7). */
export const PERMANENT_KEY_ID = /^AKIA[A-Z2-7]{16}$/;

/** What a refused key id looked like, without repeating it. */
function keyKind(id: string): string {
  if (id === '') return 'it is empty';
  if (/^AROA/i.test(id)) return 'a role id (AROA…), not an access key';
  if (/^AIDA/i.test(id)) return 'a user id (AIDA…), not an access key';
  if (id.startsWith('AKIA')) return 'not AKIA followed by 16 characters A-Z or 2-7';
  if (/^akia/i.test(id)) return 'in lower case; access key ids are upper case';
  return 'not an access key id';
}

/**
 * The signer key as it must be to sign a link that lives as long as it says: the access key
 * id, after trimming, an IAM user's (`AKIA` + 16 base-32 characters); a secret without
 * whitespace; no session token. Returns the credentials with the id trimmed.
 *
 * @throws SessionCredentialsError for a session key (`ASIA…` in any case, or a session token):
 *   its link would die with the session, within hours.
 * @throws InvalidSignerKeyError for anything else that is not such a key (a role or user id,
 *   lower case, a wrong length or alphabet, an empty or whitespace-holding secret).
 */
export function assertPermanentKey(
  credentials: SignerCredentials,
  source: string,
): { accessKeyId: string; secretAccessKey: string } {
  const accessKeyId = String(credentials.accessKeyId ?? '').trim();
  const secretAccessKey = String(credentials.secretAccessKey ?? '');
  const setup =
    'Store the access key of the dedicated IAM signer user (AKIA…) there: run `npm run setup`.';
  if (/^ASIA/i.test(accessKeyId) || credentials.sessionToken) {
    throw new SessionCredentialsError(
      `The link-signing key in ${source} is a temporary session credential (ASIA…): a link ` +
        'signed with it stops working when the session expires, within hours, not after 7 ' +
        `days. ${setup}`,
    );
  }
  if (!PERMANENT_KEY_ID.test(accessKeyId)) {
    throw new InvalidSignerKeyError(
      `The link-signing key in ${source} is not an IAM user's access key id (${keyKind(accessKeyId)}): ` +
        `no link signed with it would open. ${setup}`,
    );
  }
  if (secretAccessKey === '' || /\s/.test(secretAccessKey)) {
    throw new InvalidSignerKeyError(
      `The secret access key stored with ${source} is ${secretAccessKey === '' ? 'empty' : 'not one word (it holds whitespace)'}: ` +
        `no link signed with it would open. Store the signer user's secret exactly, or run \`npm run setup\`.`,
    );
  }
  return { accessKeyId, secretAccessKey };
}

export async function signChartLink(options: {
  /** An S3 client whose credentials are `credentials`. */
  client: S3Client;
  credentials: SignerCredentials;
  source: string;
  bucket: string;
  key: string;
  expiresInSeconds: number;
  now: Date;
}): Promise<SignedLink> {
  const credentials = assertPermanentKey(options.credentials, options.source);
  const expiresIn = Math.min(options.expiresInSeconds, MAX_LINK_SECONDS);
  const url = await getSignedUrl(
    options.client,
    new GetObjectCommand({ Bucket: options.bucket, Key: options.key }),
    { expiresIn, signingDate: options.now },
  );
  return {
    url,
    expiresAt: new Date(options.now.getTime() + expiresIn * 1000).toISOString(),
    expiresInSeconds: expiresIn,
    accessKeyId: credentials.accessKeyId,
  };
}

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
  // Rebuilt when the key changes, secret included: a corrected secret under the same key id
  // must sign the next link, not wait for a cold start.
  let cached: { credentials: SignerCredentials; client: S3Client } | undefined;
  return async function signLink(chart: { bucket: string; key: string }): Promise<SignedLink> {
    const values = await deps.parameters.get([deps.names.accessKeyId, deps.names.secretAccessKey]);
    // Checked before a client is built, so the client signs with the trimmed id.
    const credentials = assertPermanentKey(
      {
        accessKeyId: values[deps.names.accessKeyId] as string,
        secretAccessKey: values[deps.names.secretAccessKey] as string,
      },
      deps.names.accessKeyId,
    );
    if (
      cached?.credentials.accessKeyId !== credentials.accessKeyId ||
      cached.credentials.secretAccessKey !== credentials.secretAccessKey
    ) {
      cached = { credentials, client: deps.signingClient(credentials) };
    }
    return signChartLink({
      client: cached.client,
      credentials,
      source: deps.names.accessKeyId,
      bucket: chart.bucket,
      key: chart.key,
      expiresInSeconds: deps.expiresInSeconds,
      now: deps.now?.() ?? new Date(),
    });
  };
}
