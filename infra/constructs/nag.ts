/**
 * Helpers for cdk-nag acknowledgements. cdk-nag names a wildcard finding after the resolved
 * resource, e.g. `AwsSolutions-IAM5[Resource::<ChartsBucket6892A383.Arn>/charts/*]`; these build
 * that text from the construct, so a rename cannot silently orphan an acknowledgement.
 * Every acknowledgement is listed, with its reason, in docs/least-privilege.md (a test checks).
 */
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { IConstruct } from 'constructs';

/** `<LogicalId.Arn>`: how cdk-nag prints `Fn::GetAtt [LogicalId, Arn]` of the construct's resource. */
export function nagArn(construct: IConstruct): string {
  const stack = Stack.of(construct);
  const element = construct.node.defaultChild as CfnElement | undefined;
  if (!element) throw new Error(`${construct.node.path} has no CloudFormation resource.`);
  return `<${stack.resolve(stack.getLogicalId(element))}.Arn>`;
}

/** Acknowledges one cdk-nag finding on `scope` (and everything below it). */
export function acknowledge(scope: IConstruct, id: string, reason: string): void {
  Validations.of(scope).acknowledge({ id, reason });
}

/**
 * The state machine's role, as `CostReportStateMachine` (infra/state-machine/definition.ts) and CDK make
 * it: `lambda:InvokeFunction` on each step function and its versions/aliases (`<arn>:*`), and
 * the CloudWatch Logs delivery and X-Ray actions, which accept only Resource "*".
 */
export function acknowledgeStateMachineRole(
  stateMachine: StateMachine,
  functions: IFunction[],
): void {
  for (const fn of functions) {
    acknowledge(
      stateMachine.role,
      `AwsSolutions-IAM5[Resource::${nagArn(fn)}:*]`,
      'Step Functions LambdaInvoke grants invoking this one function, including its versions and aliases (<function arn>:*); no other function.',
    );
  }
  acknowledge(
    stateMachine.role,
    'AwsSolutions-IAM5[Resource::*]',
    'Execution logging (logs:CreateLogDelivery, GetLogDelivery, UpdateLogDelivery, DeleteLogDelivery, ListLogDeliveries, PutResourcePolicy, DescribeResourcePolicies, DescribeLogGroups) and X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSamplingRules, GetSamplingTargets) support no resource-level permissions: "*" is the only Resource IAM accepts.',
  );
}
