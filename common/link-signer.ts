/**
 * Sign: a presigned GET URL for a stored chart that really lives as long as it says.
 *
 * SigV4 links last at most 604,800 s (7 days), and only when signed with a permanent IAM
 * user key: a link signed with session credentials (a Lambda role's) dies when the session
 * does, after hours, whatever X-Amz-Expires says. So the step signs with a dedicated IAM
 * user's key read from the parameter store, and refuses temporary keys by name.
 */
import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { SignedLink } from './contract.ts';
import { SessionCredentialsError } from './errors.ts';

/** SigV4's upper bound on X-Amz-Expires. */
export const MAX_LINK_SECONDS = 604_800;

export interface SignerCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** Present only by mistake: a signer with a session token is refused. */
  sessionToken?: string;
}

/**
 * Long-term IAM user keys start with AKIA; STS session keys start with ASIA and need a
 * session token. Either sign of a session is refused, naming where the key came from.
 */
export function assertPermanentKey(credentials: SignerCredentials, source: string): void {
  const temporary = credentials.accessKeyId.startsWith('ASIA') || !!credentials.sessionToken;
  if (!temporary) return;
  throw new SessionCredentialsError(
    `The link-signing key in ${source} is a temporary session credential ` +
      `(${credentials.accessKeyId.slice(0, 4)}…): a link signed with it stops working when the ` +
      'session expires, within hours, not after 7 days. Store the access key of the dedicated ' +
      'IAM signer user (AKIA…) there: run `npm run setup`.',
  );
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
  assertPermanentKey(options.credentials, options.source);
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
    accessKeyId: options.credentials.accessKeyId,
  };
}
