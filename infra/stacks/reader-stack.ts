/**
 * Deployed in each member account whose costs or metrics the fetch step reads: one role allowed
 * to read CloudWatch metrics, trusted by the fetch role's ARN only (not the account root, which
 * would let any principal of that account with sts:AssumeRole in) and only with the ExternalId.
 *
 * IAM stores a role principal by its unique id: if the fetch role is ever replaced, redeploy
 * this stack so the trust policy names the new role.
 */
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import { ArnPrincipal, type IRole, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';
import { acknowledge } from '../constructs/nag.ts';
import { CLOUDWATCH_READ_REASON } from '../constructs/report-functions.ts';

export interface ReaderStackProps extends StackProps {
  /** ARN of the costbot fetch role (output `FetchRoleArn` of the Costbot stack). */
  fetchRoleArn: string;
  externalId: string;
  roleName: string;
}

export class ReaderStack extends Stack {
  readonly role: IRole;

  constructor(scope: Construct, id: string, props: ReaderStackProps) {
    super(scope, id, props);
    const role = new Role(this, 'Reader', {
      roleName: props.roleName,
      description:
        'costbot: read CloudWatch metrics (incl. AWS/Billing) for the costbot fetch step',
      assumedBy: new ArnPrincipal(props.fetchRoleArn),
      externalIds: [props.externalId],
    });
    role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadMetrics',
        actions: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
        // CloudWatch defines no resource type for these two actions: IAM accepts only "*".
        resources: ['*'],
      }),
    );
    acknowledge(role, 'AwsSolutions-IAM5[Resource::*]', CLOUDWATCH_READ_REASON);
    this.role = role;
    new CfnOutput(this, 'ReaderRoleArn', {
      value: role.roleArn,
      description: 'Add to the Costbot stack context readerRoleArns',
    });
  }
}
