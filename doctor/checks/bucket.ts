/**
 * The bucket: the charts bucket exists and takes an object where the chart step writes.
 */
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { awsCall } from '../../common/aws-errors.ts';
import { errorCode } from '../describe.ts';
import type { CheckResult } from '../types.ts';
import type { CheckContext } from './context.ts';

/** Written by the bucket check: below the chart prefix, where the chart step may write. */
export const BUCKET_CHECK_KEY = 'doctor-check.txt';

/**
 * Puts a tiny object at `<chartPrefix>doctor-check.txt`: below the prefix, because the chart
 * step's role may write only there, and always the same key, so checks never pile up (the
 * bucket's lifecycle rule for charts expires it). It is not deleted: no costbot role may delete.
 */
export async function bucketResults(ctx: CheckContext): Promise<CheckResult[]> {
  const { bucket, chartPrefix } = ctx.deps.config;
  const key = `${chartPrefix}${BUCKET_CHECK_KEY}`;
  const id = 'bucket.put';
  const title = `Bucket ${bucket} accepts a chart`;
  const s3 = ctx.deps.s3;
  if (!s3) return [{ id, title, status: 'warn', detail: 'Not checked: no S3 client.' }];
  try {
    await ctx.call(
      awsCall({ service: 'S3', operation: 'PutObject' }, () =>
        s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: `costbot doctor check, ${ctx.now.toISOString()}\n`,
            ContentType: 'text/plain; charset=utf-8',
          }),
        ),
      ),
    );
    return [{ id, title, status: 'ok', detail: `PutObject ${key} succeeded.` }];
  } catch (error) {
    if (errorCode(error) === 'NoSuchBucket') {
      return [
        {
          id,
          title,
          status: 'fail',
          detail: `The bucket ${bucket} does not exist (or not in this account and region).`,
          fix: 'Deploy the stack (`npm run deploy`), or set COSTBOT_BUCKET to the bucket it created.',
        },
      ];
    }
    return [ctx.failed(id, title, error)];
  }
}
