/**
 * Where subscriptions live: the `costbot` EventBridge Scheduler group, and the role its
 * schedules run as, which may start the report state machine and nothing else. Whoever
 * manages subscriptions (the bot) gets {@link Subscriptions.grantManage}: create, read and
 * delete schedules in this group only, list (IAM has no narrower resource for it), and pass
 * the scheduler's role to the scheduler only.
 */
import { Aws, RemovalPolicy } from 'aws-cdk-lib';
import { type IRole, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { ScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { SCHEDULE_GROUP } from '../../common/subscription.ts';
import { acknowledge } from './nag.ts';

export interface SubscriptionsProps {
  stateMachine: IStateMachine;
}

/** The service principal schedules run as; also what `iam:PassedToService` must name. */
export const SCHEDULER_SERVICE = 'scheduler.amazonaws.com';

export class Subscriptions extends Construct {
  readonly group: ScheduleGroup;
  /** The scheduler's execution role: `states:StartExecution` on the state machine only. */
  readonly role: IRole;
  /** `arn:aws:scheduler:<region>:<account>:schedule/costbot/*`: the group's schedules. */
  readonly schedulesArn: string;

  constructor(scope: Construct, id: string, props: SubscriptionsProps) {
    super(scope, id);
    this.group = new ScheduleGroup(this, 'Group', {
      scheduleGroupName: SCHEDULE_GROUP,
      // With the stack goes the state machine its schedules start: they would only fail.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const arn = `arn:${Aws.PARTITION}:scheduler:${Aws.REGION}:${Aws.ACCOUNT_ID}`;
    this.schedulesArn = `${arn}:schedule/${SCHEDULE_GROUP}/*`;
    const role = new Role(this, 'SchedulerRole', {
      description: 'costbot: EventBridge Scheduler runs subscriptions as this role',
      // Only schedules of this account's group may use it: the confused-deputy guard of the
      // Scheduler User Guide ("Confused deputy prevention"), scoped to one schedule group.
      assumedBy: new ServicePrincipal(SCHEDULER_SERVICE, {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': Aws.ACCOUNT_ID,
            'aws:SourceArn': `${arn}:schedule-group/${SCHEDULE_GROUP}`,
          },
        },
      }),
    });
    props.stateMachine.grantStartExecution(role);
    this.role = role;
  }

  /**
   * Lets `grantee` manage subscriptions: CreateSchedule, GetSchedule and DeleteSchedule on the
   * group's schedules; ListSchedules, which the Service Authorization Reference lists with no
   * resource type (Resource "*"; the request's GroupName keeps costbot to its own group); and
   * PassRole of the scheduler's role, to the scheduler only.
   */
  grantManage(role: IRole): void {
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:GetSchedule', 'scheduler:DeleteSchedule'],
        resources: [this.schedulesArn],
      }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({ actions: ['scheduler:ListSchedules'], resources: ['*'] }),
    );
    role.addToPrincipalPolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': SCHEDULER_SERVICE } },
      }),
    );
    acknowledge(
      role,
      `AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${SCHEDULE_GROUP}/*]`,
      'Subscription schedules are named per channel and subscription (<channel>.<id>) when a user subscribes: creating, reading and deleting is allowed for any schedule of the costbot group and no other group.',
    );
    acknowledge(
      role,
      'AwsSolutions-IAM5[Resource::*]',
      'scheduler:ListSchedules has no resource type in the Service Authorization Reference: "*" is the only Resource IAM accepts; the bot names the costbot group in every call. The one action is named explicitly.',
    );
  }
}
