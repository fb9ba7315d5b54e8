/**
 * Small JSON objects in the charts bucket (delivery records, reused billing reads): read one as
 * text, write one. Errors are thrown as the SDK threw them; each caller decides what they mean.
 */
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';

/** True when S3 answered `status` (404, 409, 412…). */
export function isS3Status(error: unknown, status: number): boolean {
  return (
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === status
  );
}

/** The object's text; undefined when there is none. */
export async function readObjectText(
  s3: Pick<S3Client, 'send'>,
  bucket: string,
  key: string,
): Promise<string | undefined> {
  try {
    const res = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    return await res.Body?.transformToString('utf8');
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchKey' || isS3Status(error, 404)) {
      return undefined;
    }
    throw error;
  }
}

/** Writes `body` as JSON; with `ifNoneMatch`, only if there is no object yet (S3 answers 412). */
export async function putJsonObject(
  s3: Pick<S3Client, 'send'>,
  bucket: string,
  key: string,
  body: string,
  options: { ifNoneMatch?: boolean } = {},
): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: body,
      ContentType: 'application/json',
      ...(options.ifNoneMatch ? { IfNoneMatch: '*' } : {}),
    }),
  );
}
