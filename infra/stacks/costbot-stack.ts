/**
 * costbot in one account and region: the charts bucket, the step functions (four; five with
 * presigned links) and the state machine that runs them, the Slack bot behind a Function URL, the `costbot` schedule group of
 * subscriptions (the morning digest is one) and
 * the IAM user that signs chart links, the links function behind its own Function URL that
 * keeps chart images working (stable links), and the alarm that tells an operator (SNS, e-mail) when
 * reports fail. The stack only assembles; each construct owns one concern.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { LogLevel, type StateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { SETTINGS } from '../../common/config.ts';
import type { InfraConfig } from '../config.ts';
import { SlackBot } from '../constructs/bot.ts';
import { ChartSigner } from '../constructs/chart-signer.ts';
import { ChartsBucket } from '../constructs/charts-bucket.ts';
import { DigestSchedule } from '../constructs/digest-schedule.ts';
import { FailureAlarm } from '../constructs/failure-alarm.ts';
import { ChartLinks } from '../constructs/links.ts';
import { acknowledgeStateMachineRole } from '../constructs/nag.ts';
import { CostbotParameters } from '../constructs/parameters.ts';
import { ReportFunctions } from '../constructs/report-functions.ts';
import { Subscriptions } from '../constructs/subscriptions.ts';
import { CostReportStateMachine } from '../state-machine/definition.ts';

export interface CostbotStackProps extends StackProps {
  config: InfraConfig;
}

/** Where Step Functions' vended logs belong (CloudWatch Logs' resource-policy size limit). */
export const STATE_MACHINE_LOG_GROUP_PREFIX = '/aws/vendedlogs/states/';

/** Output names, read by `npm run setup` and the deploy guide. */
export const OUTPUTS = {
  botUrl: 'BotUrl',
  bucket: 'ChartsBucketName',
  stateMachine: 'StateMachineArn',
  signerUser: 'SignerUserName',
  fetchRole: 'FetchRoleArn',
  alarmTopic: 'AlarmTopicArn',
  alarm: 'FailureAlarmName',
  signerAccessKeyIdParameter: 'SignerAccessKeyIdParameter',
  signerSecretAccessKeyParameter: 'SignerSecretAccessKeyParameter',
  slackBotTokenParameter: 'SlackBotTokenParameter',
  slackSigningSecretParameter: 'SlackSigningSecretParameter',
  linkKeyParameter: 'LinkKeyParameter',
  linksUrl: 'LinksUrl',
} as const;

export class CostbotStack extends Stack {
  readonly charts: ChartsBucket;
  readonly parameters: CostbotParameters;
  readonly report: ReportFunctions;
  readonly stateMachine: StateMachine;
  readonly signer: ChartSigner;
  readonly subscriptions: Subscriptions;
  readonly digest: DigestSchedule;
  readonly failures: FailureAlarm;
  readonly bot?: SlackBot;
  readonly links?: ChartLinks;

  constructor(scope: Construct, id: string, props: CostbotStackProps) {
    super(scope, id, props);
    const { config } = props;
    const chartPrefix = SETTINGS.COSTBOT_CHART_PREFIX.default;
    const architecture =
      config.architecture === 'arm64' ? Architecture.ARM_64 : Architecture.X86_64;

    this.charts = new ChartsBucket(this, 'Charts', {
      prefix: chartPrefix,
      retentionDays: config.chartRetentionDays,
    });
    this.parameters = new CostbotParameters(this, 'Parameters', { prefix: config.parameterPrefix });
    const environment: Record<string, string> = {
      COSTBOT_BACKEND: 'aws',
      COSTBOT_BUCKET: this.charts.bucket.bucketName,
      COSTBOT_CHART_PREFIX: chartPrefix,
      COSTBOT_DIGEST_CHANNEL: config.digestChannel,
      COSTBOT_CHART_RETENTION_DAYS: String(config.chartRetentionDays),
      ...this.parameters.environment(),
    } satisfies Partial<Record<keyof typeof SETTINGS, string>>;
    const functionDefaults = {
      environment,
      logRetention: config.logRetentionDays,
      architecture,
      parametersExtension: config.parametersExtension,
    };

    if (config.stableLinks) {
      this.links = new ChartLinks(this, 'Links', {
        ...functionDefaults,
        reservedConcurrency: config.linksReservedConcurrency,
        parameters: this.parameters,
      });
      new CfnOutput(this, OUTPUTS.linksUrl, {
        value: this.links.url.url,
        description: 'Stable chart links endpoint (each chart message links below it)',
      });
    }
    this.report = new ReportFunctions(this, 'Report', {
      ...functionDefaults,
      ...(this.links ? { linksUrl: this.links.url.url } : {}),
      bucket: this.charts.bucket,
      chartPrefix,
      parameters: this.parameters,
      readerRoleArns: config.readerRoleArns,
      readerExternalId: config.readerExternalId,
    });
    this.stateMachine = new CostReportStateMachine(this, 'CostReport', {
      functions: this.report.functions,
      // With stable links the message carries the links function's link: nothing to presign.
      sign: !config.stableLinks,
      tracingEnabled: true,
      logs: {
        destination: new LogGroup(this, 'StateMachineLogs', {
          // Under /aws/vendedlogs/: CloudWatch Logs then covers the delivery with one wildcard
          // entry of its resource policy, whose size is limited, not one entry per log group.
          logGroupName: `${STATE_MACHINE_LOG_GROUP_PREFIX}${this.stackName}-CostReport`,
          retention: config.logRetentionDays,
          // A fixed name: a retained group would make the next create of this stack fail
          // ("already exists"), e.g. after a first deploy rolled back. Each execution's history
          // stays in Step Functions for 90 days.
          removalPolicy: RemovalPolicy.DESTROY,
        }),
        level: LogLevel.ALL,
        // Payloads carry response_url and chart links (capabilities): kept out of the logs,
        // still visible in the execution history.
        includeExecutionData: false,
      },
    }).stateMachine;
    acknowledgeStateMachineRole(this.stateMachine, Object.values(this.report.functions));
    this.signer = new ChartSigner(this, 'Signer', {
      bucket: this.charts.bucket,
      chartPrefix,
    });
    this.failures = new FailureAlarm(this, 'Failures', {
      stateMachine: this.stateMachine,
      ...(config.alarmEmail ? { email: config.alarmEmail } : {}),
      encrypt: config.alarmTopicKey,
    });
    this.subscriptions = new Subscriptions(this, 'Subscriptions', {
      stateMachine: this.stateMachine,
    });
    this.digest = new DigestSchedule(this, 'Digest', {
      stateMachine: this.stateMachine,
      subscriptions: this.subscriptions,
      channel: config.digestChannel,
      cron: config.scheduleCron,
      timeZone: config.scheduleTimeZone,
    });
    if (config.withBot) {
      this.bot = new SlackBot(this, 'Slack', {
        ...functionDefaults,
        entry: config.botEntry,
        reservedConcurrency: config.botReservedConcurrency,
        allowedChannels: config.allowedChannels,
        allowedUsers: config.allowedUsers,
        adminUsers: config.adminUsers,
        maxSubscriptionsPerChannel: config.maxSubscriptionsPerChannel,
        maxSubscriptions: config.maxSubscriptions,
        stateMachine: this.stateMachine,
        parameters: this.parameters,
        subscriptions: this.subscriptions,
        timeZone: config.scheduleTimeZone,
        stableLinks: config.stableLinks,
      });
      new CfnOutput(this, OUTPUTS.botUrl, {
        value: this.bot.url.url,
        description: 'Slack request URL (slash command and interactivity)',
      });
    }

    const names = this.parameters.names;
    const outputs: [string, string, string][] = [
      [OUTPUTS.bucket, this.charts.bucket.bucketName, 'Private bucket of chart PNGs'],
      [OUTPUTS.stateMachine, this.stateMachine.stateMachineArn, 'Cost report state machine'],
      [OUTPUTS.signerUser, this.signer.user.userName, 'IAM user whose key signs chart links'],
      [OUTPUTS.fetchRole, this.report.roles.fetch.roleArn, 'Role that reader roles must trust'],
      [OUTPUTS.alarmTopic, this.failures.topic.topicArn, 'SNS topic told of failed reports'],
      [OUTPUTS.alarm, this.failures.alarm.alarmName, 'Alarm on failed report executions'],
      [OUTPUTS.signerAccessKeyIdParameter, names.signerAccessKeyId, 'SSM SecureString'],
      [OUTPUTS.signerSecretAccessKeyParameter, names.signerSecretAccessKey, 'SSM SecureString'],
      [OUTPUTS.slackBotTokenParameter, names.slackBotToken, 'SSM SecureString'],
      [OUTPUTS.slackSigningSecretParameter, names.slackSigningSecret, 'SSM SecureString'],
      [OUTPUTS.linkKeyParameter, names.linkKey, 'SSM SecureString'],
    ];
    for (const [id, value, description] of outputs) new CfnOutput(this, id, { value, description });
  }
}
