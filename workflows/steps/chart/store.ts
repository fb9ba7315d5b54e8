/**
 * Store: the chart PNG into the private charts bucket under a dated key, so lifecycle rules
 * can expire old charts and the signer's read permission can be limited to the prefix.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../../../common/aws-errors.ts';
import { InvalidRequestError } from '../../../common/errors.ts';

/** `charts/YYYY/MM/DD/<id>.png`, dated by the report's as-of day (UTC). */
export function chartKey(prefix: string, asOf: Date, id: string): string {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(id)) {
    throw new InvalidRequestError(`Chart id must match [A-Za-z0-9_-]{1,64}; got "${id}".`);
  }
  const day = asOf.toISOString().slice(0, 10).replaceAll('-', '/');
  return `${prefix}${day}/${id}.png`;
}

export async function storeChart(
  s3: Pick<S3Client, 'send'>,
  object: { bucket: string; key: string; png: Uint8Array },
): Promise<void> {
  await awsCall({ service: 'S3', operation: 'PutObject' }, () =>
    s3.send(
      new PutObjectCommand({
        Bucket: object.bucket,
        Key: object.key,
        Body: object.png,
        ContentType: 'image/png',
        // Charts never change once written; a browser may keep them.
        CacheControl: 'private, max-age=604800, immutable',
      }),
    ),
  );
}
