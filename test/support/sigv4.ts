/**
 * Checks a presigned S3 URL's SigV4 signature independently of the code that made it, with
 * the secret it should have been signed with. s3rver and moto never check signatures, so
 * this is the only proof that a link would open on real S3.
 */
import { Hash } from '@smithy/hash-node';
import { SignatureV4 } from '@smithy/signature-v4';

const SIGNING_PARAMS = new Set([
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Content-Sha256',
]);

/** `20261122T062012Z` → Date */
function amzDate(value: string): Date {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
  if (!m) throw new Error(`Bad X-Amz-Date: ${value}`);
  return new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}Z`);
}

/** Recomputes the signature of `url` with `secretAccessKey` and compares it. */
export async function verifyPresignedUrl(url: string, secretAccessKey: string): Promise<boolean> {
  const u = new URL(url);
  const q = u.searchParams;
  const [accessKeyId, , region, service] = (q.get('X-Amz-Credential') ?? '').split('/');
  if (!accessKeyId || !region || !service) return false;
  const signer = new SignatureV4({
    credentials: { accessKeyId, secretAccessKey },
    region,
    service,
    sha256: Hash.bind(null, 'sha256'),
    // S3 signs the path as sent, without double encoding.
    uriEscapePath: false,
  });
  const query: Record<string, string> = {};
  for (const [key, value] of q) if (!SIGNING_PARAMS.has(key)) query[key] = value;
  const signed = await signer.presign(
    {
      method: 'GET',
      protocol: u.protocol,
      hostname: u.hostname,
      port: u.port ? Number(u.port) : undefined,
      path: decodeURIComponent(u.pathname),
      query,
      headers: {
        host: u.host,
        'X-Amz-Content-Sha256': q.get('X-Amz-Content-Sha256') ?? 'UNSIGNED-PAYLOAD',
      },
    },
    {
      signingDate: amzDate(q.get('X-Amz-Date') ?? ''),
      expiresIn: Number(q.get('X-Amz-Expires')),
    },
  );
  return signed.query?.['X-Amz-Signature'] === q.get('X-Amz-Signature');
}
