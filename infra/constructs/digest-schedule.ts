/**
 * The morning digest: the subscription `digest` of the digest channel, created by the stack.
 * Like every subscription it is one EventBridge Scheduler schedule in the `costbot` group (cron
 * + IANA time zone, so "09:00" follows daylight saving), run as the scheduler's role, whose
 * input is what `subscriptionInput()` gives any subscription (`common/subscription.ts`, the one
 * source of truth): the state machine names the run after the scheduled time
 * (`digest-2026-11-23T090000Z`), the same for every delivery of one scheduled run, so when the
 * scheduler delivers twice (it is at-least-once) Slack gets one digest (docs/reliability.md,
 * "Delivery").
 *
 * Named `<channel>.digest` when the channel is an id, the channel lists it and can remove it
 * like its own. A `#name` cannot be part of a schedule name: the schedule is then named
 * `digest` (no `.`, so it never collides with a subscription's name) and no channel lists it.
 */
import { CfnSchedule } from 'aws-cdk-lib/aws-scheduler';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DIGEST_SUBSCRIPTION_ID, type ScheduledRunState } from '../../common/contract.ts';
import { parseScheduleName, SCHEDULE_RETRY, subscriptionInput } from '../../common/subscription.ts';
import type { Subscriptions } from './subscriptions.ts';

export interface DigestScheduleProps {
  stateMachine: IStateMachine;
  /** The group and the role the schedule runs as. */
  subscriptions: Subscriptions;
  /** Channel id or #name the digest posts to. */
  channel: string;
  /** e.g. `cron(0 9 ? * MON-FRI *)`. */
  cron: string;
  /** IANA name, e.g. `Europe/Paris`. */
  timeZone: string;
}

/** The digest's schedule input: the subscription `digest`'s, a month-to-date report. */
export function digestInput(channel: string): ScheduledRunState {
  return subscriptionInput({ id: DIGEST_SUBSCRIPTION_ID, channel, report: { period: 'mtd' } });
}

/** `C0123ABCD.digest` for a channel id; `digest` for a `#name`, which no name may hold. */
export function digestScheduleName(channel: string): string {
  const name = `${channel}.${DIGEST_SUBSCRIPTION_ID}`;
  return parseScheduleName(name) ? name : DIGEST_SUBSCRIPTION_ID;
}

export class DigestSchedule extends Construct {
  readonly schedule: CfnSchedule;
  /** The schedule's name in the `costbot` group. */
  readonly name: string;

  constructor(scope: Construct, id: string, props: DigestScheduleProps) {
    super(scope, id);
    const { group, role } = props.subscriptions;
    this.name = digestScheduleName(props.channel);
    this.schedule = new CfnSchedule(this, 'Schedule', {
      name: this.name,
      groupName: group.scheduleGroupName,
      description: `costbot: morning digest to ${props.channel}`,
      scheduleExpression: props.cron,
      scheduleExpressionTimezone: props.timeZone,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: props.stateMachine.stateMachineArn,
        roleArn: role.roleArn,
        input: JSON.stringify(digestInput(props.channel)),
        retryPolicy: {
          maximumEventAgeInSeconds: SCHEDULE_RETRY.maxEventAgeSeconds,
          maximumRetryAttempts: SCHEDULE_RETRY.retryAttempts,
        },
      },
    });
    // The group is named, not referenced: CloudFormation must still create it first.
    this.schedule.node.addDependency(group);
  }
}
