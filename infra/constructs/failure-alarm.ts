/**
 * Tells an operator that reports fail without going through Slack (which may be the very thing
 * failing): a CloudWatch alarm on the state machine's failed, timed-out and aborted executions,
 * notifying an SNS topic, with an e-mail subscription when an address is configured. Every
 * failed report ends an execution as failed (the failure path's last state is a Fail), whether
 * or not its notice reached Slack.
 *
 * The topic's policy lets CloudWatch publish for this alarm only, and refuses anything but TLS.
 * It is not encrypted at rest by default: a customer managed key costs $1 a month, six times
 * what the reports themselves cost (docs/performance.md), to protect a notice that says "a
 * report failed" and names the stack. `encrypt: true` (CDK context `alarmTopicKey=true`) adds
 * one, for accounts whose rules require SSE on every topic; the AWS managed `aws/sns` key is no
 * option, since its policy cannot let CloudWatch publish.
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
import { acknowledge } from './nag.ts';

export interface FailureAlarmProps {
  stateMachine: StateMachine;
  /** Address to e-mail; unset: the topic has no subscription (subscribe to it yourself). */
  email?: string;
  /** Encrypt the topic with a customer managed key ($1 a month). Default false. */
  encrypt?: boolean;
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
    const topic = new Topic(this, 'Topic', {
      displayName: 'costbot report failures',
      enforceSSL: true,
      ...(props.encrypt ? { masterKey: this.topicKey(cloudwatch) } : {}),
    });
    if (!props.encrypt) {
      acknowledge(
        topic,
        'AwsSolutions-SNS2',
        'The topic carries only "a costbot report failed" notices (no cost figures, no secrets) and refuses requests without TLS; a customer managed key would add $1 a month to a bill of cents. CDK context alarmTopicKey=true adds one.',
      );
    }

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

  /** A rotated key whose policy lets CloudWatch encrypt the alarm's notifications. */
  private topicKey(cloudwatch: ServicePrincipal): Key {
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
    return key;
  }
}
