/**
 * The morning digest: an EventBridge Scheduler schedule (cron + IANA time zone, so "09:00"
 * follows daylight saving) that starts the state machine with a digest request and the run's
 * scheduled time (`<aws.scheduler.scheduled-time>`). The state machine names the request after
 * that time (`digest-2026-11-23T090000Z`): the same for every delivery of one scheduled run, so
 * when the scheduler delivers twice (it is at-least-once) both executions share one delivery
 * record and Slack gets one digest (docs/reliability.md, "Delivery").
 */
import { Duration, TimeZone } from 'aws-cdk-lib';
import {
  ContextAttribute,
  type ISchedule,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { StepFunctionsStartExecution } from 'aws-cdk-lib/aws-scheduler-targets';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { ScheduledRunState } from '../../common/contract.ts';

export interface DigestScheduleProps {
  stateMachine: IStateMachine;
  /** Channel id or #name the digest posts to. */
  channel: string;
  /** e.g. `cron(0 9 ? * MON-FRI *)`. */
  cron: string;
  /** IANA name, e.g. `Europe/Paris`. */
  timeZone: string;
}

/**
 * The execution input of a scheduled digest. `requestId` is a placeholder (the scheduler's id of
 * this delivery), replaced by the scheduled time's name before Fetch.
 */
export function digestInput(channel: string): ScheduledRunState {
  return {
    request: {
      kind: 'digest',
      requestId: ContextAttribute.executionId,
      channel,
      period: 'mtd',
    },
    scheduledAt: ContextAttribute.scheduledTime,
  };
}

export class DigestSchedule extends Construct {
  readonly schedule: ISchedule;

  constructor(scope: Construct, id: string, props: DigestScheduleProps) {
    super(scope, id);
    this.schedule = new Schedule(this, 'Schedule', {
      description: `costbot: morning digest to ${props.channel}`,
      schedule: ScheduleExpression.expression(props.cron, TimeZone.of(props.timeZone)),
      target: new StepFunctionsStartExecution(props.stateMachine, {
        input: ScheduleTargetInput.fromObject(digestInput(props.channel)),
        // A digest more than an hour late is noise; a retried start is a second digest.
        maxEventAge: Duration.hours(1),
        retryAttempts: 2,
      }),
    });
  }
}
