/**
 * The private bucket holding chart PNGs. Nothing in it is public: Slack fetches a chart through
 * a presigned link, so Block Public Access stays fully on, ACLs are off (the bucket owner owns
 * every object) and plain HTTP is refused. Charts expire by lifecycle after `retentionDays`,
 * which must outlive the 7-day presigned links and is the lifetime of a chart's stable link
 * (COSTBOT_CHART_RETENTION_DAYS: the one setting for both).
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type IBucket,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BILLING_CACHE_PREFIX } from '../../common/billing-cache.ts';
import { DELIVERY_RECORD_PREFIX } from '../../common/contract.ts';
import { acknowledge } from './nag.ts';

export interface ChartsBucketProps {
  /** Key prefix of charts, ending in `/` (the only prefix the signer user may read). */
  prefix: string;
  /** Days a chart is kept, and its stable link works. */
  retentionDays: number;
}

export class ChartsBucket extends Construct {
  readonly bucket: IBucket;
  readonly prefix: string;

  constructor(scope: Construct, id: string, props: ChartsBucketProps) {
    super(scope, id);
    this.prefix = props.prefix;
    this.bucket = new Bucket(this, 'Bucket', {
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      // SSE-S3: the signer user decrypts transparently; a KMS key would need kms:Decrypt on
      // every presigned GET and cost a request per view.
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      lifecycleRules: [
        {
          id: 'expire-charts',
          prefix: props.prefix,
          expiration: Duration.days(props.retentionDays),
        },
        // The Post step's records outlive every retry and duplicate by days; then they go too.
        {
          id: 'expire-delivery-records',
          prefix: DELIVERY_RECORD_PREFIX,
          expiration: Duration.days(props.retentionDays),
        },
        // A billing read is reused for at most a day (COSTBOT_BILLING_CACHE_SECONDS <= 86400).
        { id: 'expire-billing-cache', prefix: BILLING_CACHE_PREFIX, expiration: Duration.days(2) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter: Duration.days(1) },
      ],
      // Deleting the stack keeps the charts (and their links) until someone empties the bucket.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    acknowledge(
      this.bucket,
      'AwsSolutions-S1',
      'Server access logs would need a second bucket for short-lived, private charts read only through presigned links; CloudTrail S3 data events are the audit trail if one is required.',
    );
  }

  /** Pattern of every chart object, for IAM resources: `arn:…:bucket/charts/*`. */
  chartObjectsArn(): string {
    return this.bucket.arnForObjects(`${this.prefix}*`);
  }
}
