/**
 * Tells an operator that reports fail without going through Slack (which may be the very thing
 * failing): a CloudWatch alarm on the state machine's failed, timed-out and aborted executions,
 * notifying an SNS topic, with an e-mail subscription when an address is configured. Every
 * failed report ends an execution as failed (the failure path's last state is a Fail), whether
 * or not its notice reached Slack.
 *
 * The topic is encrypted with a customer managed key: the AWS managed `aws/sns` key's policy
 * cannot be changed, so CloudWatch could not use it to publish. Its policy lets CloudWatch
 * publish for this alarm only, and refuses anything but TLS.
 */
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  MathExpression,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { type ITopic, Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface FailureAlarmProps {
  stateMachine: StateMachine;
  /** Address to e-mail; unset: the topic has no subscription (subscribe to it yourself). */
  email?: string;
}

/**
 * The executions that count as a failed report, summed per 5 minutes. FILL: a metric with no
 * data point at a time would otherwise make the whole sum missing there.
 */
export const FAILURE_EXPRESSION = 'FILL(failed, 0) + FILL(timedOut, 0) + FILL(aborted, 0)';

export class FailureAlarm extends Construct {
  readonly topic: ITopic;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: FailureAlarmProps) {
    super(scope, id);
    const cloudwatch = new ServicePrincipal('cloudwatch.amazonaws.com');
    const key = new Key(this, 'Key', {
      description: 'costbot: encrypts the report failure alarm topic',
      enableKeyRotation: true,
      // Only notifications in flight are encrypted with it: nothing to keep once the stack goes.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
    key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmsEncryptNotifications',
        principals: [cloudwatch],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    const topic = new Topic(this, 'Topic', {
      displayName: 'costbot report failures',
      masterKey: key,
      enforceSSL: true,
    });

    const { stateMachine } = props;
    this.alarm = new Alarm(this, 'Alarm', {
      alarmDescription: `A costbot report failed, timed out or was aborted. See the executions of ${Stack.of(this).stackName}'s state machine (Step Functions console: execution history, 90 days).`,
      metric: new MathExpression({
        expression: FAILURE_EXPRESSION,
        usingMetrics: {
          failed: stateMachine.metricFailed(),
          timedOut: stateMachine.metricTimedOut(),
          aborted: stateMachine.metricAborted(),
        },
        period: Duration.minutes(5),
        label: 'Failed, timed-out and aborted executions',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      // No execution, no data point: that is not a failure.
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    this.alarm.addAlarmAction(new SnsAction(topic));
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'CloudWatchAlarmPublishes',
        principals: [cloudwatch],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnEquals: { 'aws:SourceArn': this.alarm.alarmArn },
          StringEquals: { 'aws:SourceAccount': Stack.of(this).account },
        },
      }),
    );
    if (props.email) topic.addSubscription(new EmailSubscription(props.email));
    this.topic = topic;
  }
}
