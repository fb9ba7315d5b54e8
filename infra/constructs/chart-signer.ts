/**
 * The IAM user whose access key signs chart links. A link signed with a Lambda role's session
 * credentials dies when the session does (hours), whatever `X-Amz-Expires` says; only a
 * long-term user key reaches SigV4's 7 days. The user may read chart objects and nothing else,
 * so a leaked key (or link) exposes charts only. The key itself is created by `npm run setup`,
 * never by CloudFormation: no secret ever appears in a template or an output.
 */
import { type IUser, PolicyStatement, User } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { acknowledge, nagArn } from './nag.ts';

export interface ChartSignerProps {
  bucket: IBucket;
  /** Key prefix of charts, ending in `/`. */
  chartPrefix: string;
}

export class ChartSigner extends Construct {
  readonly user: IUser;

  constructor(scope: Construct, id: string, props: ChartSignerProps) {
    super(scope, id);
    const user = new User(this, 'User');
    user.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadCharts',
        actions: ['s3:GetObject'],
        resources: [props.bucket.arnForObjects(`${props.chartPrefix}*`)],
      }),
    );
    acknowledge(
      user,
      `AwsSolutions-IAM5[Resource::${nagArn(props.bucket)}/${props.chartPrefix}*]`,
      'The signer user signs links to any chart, each under its own generated key: read access is limited to objects below the chart prefix, with s3:GetObject only.',
    );
    this.user = user;
  }
}
