/**
 * The morning digest: an EventBridge Scheduler schedule (cron + IANA time zone, so "09:00"
 * follows daylight saving) that starts the state machine with a digest request. The request id
 * is the scheduler's execution id (`<aws.scheduler.execution-id>`), unique per invocation, so
 * each digest gets its own chart key.
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
import type { FetchState } from '../../common/contract.ts';

export interface DigestScheduleProps {
  stateMachine: IStateMachine;
  /** Channel id or #name the digest posts to. */
  channel: string;
  /** e.g. `cron(0 9 ? * MON-FRI *)`. */
  cron: string;
  /** IANA name, e.g. `Europe/Paris`. */
  timeZone: string;
}

/** The execution input of a scheduled digest (a `FetchState`). */
export function digestInput(channel: string): FetchState {
  return {
    request: {
      kind: 'digest',
      requestId: ContextAttribute.executionId,
      channel,
      period: 'mtd',
    },
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
