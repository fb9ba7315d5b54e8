/**
 * The Costbot stack as synthesized (bundling off): the resources a team deploys, asserted with
 * `Template`, and the state machine definition compared with the one the local runner runs.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CfnElement } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { loadConfig } from '../../common/config.ts';
import { DIGEST_SUBSCRIPTION_ID } from '../../common/contract.ts';
import {
  SCHEDULE_GROUP,
  subscriptionFromSchedule,
  subscriptionInput,
} from '../../common/subscription.ts';
import { INFRA_DEFAULTS } from '../../infra/config.ts';
import { STATE_MACHINE_ARN_ENV } from '../../infra/constructs/bot.ts';
import { FAILURE_EXPRESSION } from '../../infra/constructs/failure-alarm.ts';
import type { CostbotStack } from '../../infra/stacks/costbot-stack.ts';
import { OUTPUTS, STATE_MACHINE_LOG_GROUP_PREFIX } from '../../infra/stacks/costbot-stack.ts';
import type { AslDefinition } from '../../infra/state-machine/asl.ts';
import { definitionFromTemplate, synthesizeDefinition } from '../../infra/state-machine/synth.ts';
import {
  buildTestApp,
  defaultTestApp,
  EXTERNAL_ID,
  presignedTestApp,
  READER_ROLE_ARN,
} from './support/synth.ts';

let template: Template;
let stack: CostbotStack;

function logicalId(construct: IConstruct): string {
  return stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
}

function lambdaProps(construct: IConstruct): Record<string, unknown> {
  const props = template.toJSON().Resources[logicalId(construct)]?.Properties;
  assert.ok(props, `${construct.node.path} is in the template`);
  return props as Record<string, unknown>;
}

/** Every Task's `Resource` replaced by its state name, in nested state sets (Map) too. */
function normalizeTasks(definition: AslDefinition): AslDefinition {
  const copy = structuredClone(definition);
  const visit = (states: Record<string, Record<string, unknown>>) => {
    for (const [name, state] of Object.entries(states)) {
      if (state.Type === 'Task') state.Resource = name;
      for (const nested of ['ItemProcessor', 'Iterator'] as const) {
        const inner = state[nested] as
          | { States?: Record<string, Record<string, unknown>> }
          | undefined;
        if (inner?.States) visit(inner.States);
      }
      for (const branch of (state.Branches ?? []) as AslDefinition[]) visit(branch.States);
    }
  };
  visit(copy.States);
  return copy;
}

describe('Costbot stack', () => {
  before(() => {
    const built = defaultTestApp();
    stack = built.costbot;
    template = Template.fromStack(stack);
  });

  describe('charts bucket', () => {
    it('is private, encrypted, TLS-only, without ACLs, and expires charts', () => {
      // Prepare / Act: synthesized once in before()
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [
            { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
          ],
        },
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Prefix: 'charts/',
              ExpirationInDays: INFRA_DEFAULTS.chartRetentionDays,
              Status: 'Enabled',
            }),
          ]),
        },
      });
      template.hasResourceProperties('AWS::S3::BucketPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
          ]),
        },
      });
      template.hasResource('AWS::S3::Bucket', { DeletionPolicy: 'Retain' });
    });

    it('expires the delivery records (deliveries/) with the charts', () => {
      // Prepare / Act: synthesized once in before()
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Id: 'expire-delivery-records',
              Prefix: 'deliveries/',
              ExpirationInDays: INFRA_DEFAULTS.chartRetentionDays,
              Status: 'Enabled',
            }),
          ]),
        },
      });
    });

    it('expires cached billing reads (cache/billing/) after two days, beyond their longest reuse', () => {
      // Prepare / Act: synthesized once in before()
      // Assess
      template.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([
            Match.objectLike({
              Id: 'expire-billing-cache',
              Prefix: 'cache/billing/',
              ExpirationInDays: 2,
              Status: 'Enabled',
            }),
          ]),
        },
      });
    });

    it('takes its retention from context', () => {
      // Prepare
      const { costbot } = buildTestApp({ chartRetentionDays: '14', withBot: false });
      // Act
      const other = Template.fromStack(costbot);
      // Assess
      other.hasResourceProperties('AWS::S3::Bucket', {
        LifecycleConfiguration: {
          Rules: Match.arrayWith([Match.objectLike({ Prefix: 'charts/', ExpirationInDays: 14 })]),
        },
      });
    });
  });

  describe('step functions', () => {
    it('are four (no sign function with stable links) plus the bot and the links function, each on nodejs22.x with its own role and log group', () => {
      // Prepare
      const fns = [
        ...Object.values(stack.report.functions),
        stack.bot?.function,
        stack.links?.function,
      ];
      // Act
      const props = fns.map((fn) => {
        assert.ok(fn);
        return lambdaProps(fn);
      });
      // Assess
      assert.equal(fns.length, 6);
      template.resourceCountIs('AWS::Lambda::Function', 6);
      for (const p of props) {
        assert.equal(p.Runtime, 'nodejs22.x');
        assert.deepEqual(p.Architectures, ['arm64']);
        assert.equal(p.Handler, 'index.handler');
        assert.ok((p.LoggingConfig as { LogGroup?: unknown }).LogGroup, 'own log group');
      }
      const roles = new Set(props.map((p) => JSON.stringify(p.Role)));
      assert.equal(roles.size, 6, 'one role per function');
      template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 7);
      template.resourcePropertiesCountIs(
        'AWS::IAM::Role',
        { ManagedPolicyArns: Match.anyValue() },
        0,
      );
    });

    it('tell each function the settings of common/config.ts', () => {
      // Prepare
      const bucket = { Ref: logicalId(stack.charts.bucket) };
      // Act
      const envs = Object.values(stack.report.functions).map(
        (fn) => (lambdaProps(fn).Environment as { Variables: Record<string, unknown> }).Variables,
      );
      // Assess
      for (const env of envs) {
        assert.equal(env.COSTBOT_BACKEND, 'aws');
        assert.deepEqual(env.COSTBOT_BUCKET, bucket);
        assert.equal(env.COSTBOT_CHART_PREFIX, 'charts/');
        assert.equal(env.COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID, '/costbot/signer/access-key-id');
        assert.equal(
          env.COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY,
          '/costbot/signer/secret-access-key',
        );
        assert.equal(env.COSTBOT_PARAM_SLACK_BOT_TOKEN, '/costbot/slack/bot-token');
        assert.equal(env.COSTBOT_PARAM_SLACK_SIGNING_SECRET, '/costbot/slack/signing-secret');
        assert.equal(env.COSTBOT_DIGEST_CHANNEL, '#costs');
      }
    });

    it('point the chart step at its copied font and wasm, and post at the parameters extension; no sign step', () => {
      // Prepare
      const { chart, sign, post, fetch } = stack.report.functions;
      // Act
      const env = (fn: IConstruct) =>
        (lambdaProps(fn).Environment as { Variables: Record<string, unknown> }).Variables;
      // Assess
      assert.equal(env(chart).COSTBOT_ASSETS_DIR, '/var/task');
      assert.equal(lambdaProps(chart).MemorySize, 1024);
      assert.equal(sign, undefined, 'stable links (the default): the links function presigns');
      assert.equal(env(post).PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, '2773');
      assert.equal((lambdaProps(post).Layers as unknown[]).length, 1);

      assert.equal(env(fetch).PARAMETERS_SECRETS_EXTENSION_HTTP_PORT, undefined);
      assert.equal(lambdaProps(fetch).Layers, undefined);
    });
    it('tell only the fetch step the reader roles and their ExternalId, as loadConfig reads them', () => {
      // Prepare
      const env = (fn: IConstruct) =>
        (lambdaProps(fn).Environment as { Variables: Record<string, string> }).Variables;
      const { fetch, ...others } = stack.report.functions;
      // Act
      const fetchEnv = env(fetch);
      const config = loadConfig({
        COSTBOT_READER_ROLE_ARNS: fetchEnv.COSTBOT_READER_ROLE_ARNS,
        COSTBOT_READER_EXTERNAL_ID: fetchEnv.COSTBOT_READER_EXTERNAL_ID,
      });
      // Assess
      assert.deepEqual(config.readerRoles, [
        { accountId: '222222222222', roleArn: READER_ROLE_ARN },
      ]);
      assert.equal(config.readerExternalId, EXTERNAL_ID);
      for (const fn of Object.values(others)) {
        assert.equal(env(fn).COSTBOT_READER_ROLE_ARNS, undefined, fn.node.path);
        assert.equal(env(fn).COSTBOT_READER_EXTERNAL_ID, undefined, fn.node.path);
      }
    });

    it('tell the fetch step nothing about readers when none are configured', () => {
      // Prepare
      const { costbot } = buildTestApp({ withBot: false, readerRoleArns: [] });
      const other = Template.fromStack(costbot).toJSON();
      // Act
      const fetchId = costbot.resolve(
        costbot.getLogicalId(costbot.report.functions.fetch.node.defaultChild as CfnElement),
      ) as string;
      const vars = other.Resources[fetchId]?.Properties?.Environment?.Variables ?? {};
      // Assess
      assert.equal(vars.COSTBOT_BACKEND, 'aws', 'the fetch function was found');
      assert.equal(vars.COSTBOT_READER_ROLE_ARNS, undefined);
      assert.equal(vars.COSTBOT_READER_EXTERNAL_ID, undefined);
    });
  });

  describe('state machine', () => {
    it('is Standard, traced, and logs every event without execution data', () => {
      // Prepare / Act: synthesized once
      // Assess
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineType: 'STANDARD',
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    });

    it('logs to its own group under /aws/vendedlogs/states/, deleted with the stack', () => {
      // Prepare
      const group = logicalId(stack.node.findChild('StateMachineLogs'));
      // Act
      const logGroups = template.findResources('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/vendedlogs/states/') },
      });
      // Assess
      assert.deepEqual(Object.keys(logGroups), [group]);
      template.hasResource('AWS::Logs::LogGroup', {
        Properties: {
          LogGroupName: `${STATE_MACHINE_LOG_GROUP_PREFIX}${stack.stackName}-CostReport`,
        },
        DeletionPolicy: 'Delete',
      });
      template.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        LoggingConfiguration: {
          Destinations: [
            { CloudWatchLogsLogGroup: { LogGroupArn: { 'Fn::GetAtt': [group, 'Arn'] } } },
          ],
        },
      });
    });

    it('deploys exactly the definition the local runner runs', () => {
      // Prepare
      const deployed = definitionFromTemplate(
        template.toJSON() as Parameters<typeof definitionFromTemplate>[0],
      );
      // Act
      const local = synthesizeDefinition({ stableLinks: true });
      // Assess
      assert.deepEqual(normalizeTasks(deployed), normalizeTasks(local));
      assert.notDeepEqual(deployed, local, 'only the function ARNs differ');
    });

    it('with stableLinks=false deploys the presigned-links definition (with Sign) the local runner runs', () => {
      // Prepare
      const off = Template.fromStack(presignedTestApp().costbot);
      // Act
      const deployed = definitionFromTemplate(
        off.toJSON() as Parameters<typeof definitionFromTemplate>[0],
      );
      // Assess
      assert.deepEqual(
        normalizeTasks(deployed),
        normalizeTasks(synthesizeDefinition({ stableLinks: false })),
      );
      assert.ok(deployed.States.Sign);
    });
  });

  describe('subscriptions: the costbot schedule group and the scheduler role', () => {
    it('creates the group named costbot, deleted with the stack', () => {
      // Act
      const groups = template.findResources('AWS::Scheduler::ScheduleGroup');
      // Assess
      assert.deepEqual(
        Object.values(groups).map((g) => [g.Properties.Name, g.DeletionPolicy]),
        [[SCHEDULE_GROUP, 'Delete']],
      );
    });

    it('runs schedules as a role only the scheduler, for this account and group, may assume', () => {
      // Act
      const trust =
        template.toJSON().Resources[logicalId(stack.subscriptions.role)]?.Properties
          .AssumeRolePolicyDocument;
      // Assess
      assert.deepEqual(trust.Statement, [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'scheduler.amazonaws.com' },
          Condition: {
            StringEquals: {
              'aws:SourceAccount': { Ref: 'AWS::AccountId' },
              'aws:SourceArn': {
                'Fn::Join': [
                  '',
                  [
                    'arn:',
                    { Ref: 'AWS::Partition' },
                    ':scheduler:',
                    { Ref: 'AWS::Region' },
                    ':',
                    { Ref: 'AWS::AccountId' },
                    `:schedule-group/${SCHEDULE_GROUP}`,
                  ],
                ],
              },
            },
          },
        },
      ]);
    });

    it("gives the bot the scheduler role's ARN and the digest's time zone", () => {
      // Prepare
      assert.ok(stack.bot);
      // Act
      const env = (
        lambdaProps(stack.bot.function).Environment as { Variables: Record<string, unknown> }
      ).Variables;
      // Assess
      assert.deepEqual(env.COSTBOT_SCHEDULER_ROLE_ARN, {
        'Fn::GetAtt': [logicalId(stack.subscriptions.role), 'Arn'],
      });
      assert.equal(env.COSTBOT_TIME_ZONE, INFRA_DEFAULTS.scheduleTimeZone);
    });

    it('gives the bot the subscription admins and limits (none, 10 a channel, 200 in all)', () => {
      // Prepare
      assert.ok(stack.bot);
      // Act
      const env = (
        lambdaProps(stack.bot.function).Environment as { Variables: Record<string, unknown> }
      ).Variables;
      // Assess
      assert.deepEqual(
        [
          env.COSTBOT_ADMIN_USERS,
          env.COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL,
          env.COSTBOT_MAX_SUBSCRIPTIONS,
        ],
        ['', '10', '200'],
      );
    });
  });

  describe('digest schedule', () => {
    it("is a schedule of the costbot group, with a subscription's input, run as the scheduler role", () => {
      // Prepare: what the bot would give a subscription `digest` of #costs.
      const input = subscriptionInput({
        id: DIGEST_SUBSCRIPTION_ID,
        channel: '#costs',
        report: { period: 'mtd' },
      });
      // Act
      const schedules = template.findResources('AWS::Scheduler::Schedule');
      // Assess
      assert.equal(Object.keys(schedules).length, 1);
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        // `#costs` cannot be in a schedule name: `digest` (no dot) collides with no subscription.
        Name: 'digest',
        GroupName: SCHEDULE_GROUP,
        ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
        ScheduleExpressionTimezone: 'UTC',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: { Ref: logicalId(stack.stateMachine) },
          RoleArn: { 'Fn::GetAtt': [logicalId(stack.subscriptions.role), 'Arn'] },
          Input: JSON.stringify(input),
          RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 2 },
        },
      });
      assert.deepEqual(input.request.subscription, { id: 'digest' });
      const [schedule] = Object.values(schedules);
      assert.ok(schedule?.DependsOn?.includes(logicalId(stack.subscriptions.group)));
    });

    it('in a channel given by id, is the subscription <channel>.digest that channel lists', () => {
      // Prepare
      const { costbot } = buildTestApp({
        withBot: false,
        digestChannel: 'C0123ABCD',
        scheduleCron: 'cron(30 8 ? * MON *)',
        scheduleTimeZone: 'Europe/Paris',
      });
      // Act
      const [schedule] = Object.values(
        Template.fromStack(costbot).findResources('AWS::Scheduler::Schedule'),
      );
      const props = schedule?.Properties;
      const listed = subscriptionFromSchedule({
        name: props.Name,
        expression: props.ScheduleExpression,
        timeZone: props.ScheduleExpressionTimezone,
        input: props.Target.Input,
      });
      // Assess: read back as the SchedulerStore reads every schedule of the group.
      assert.deepEqual(listed, {
        id: DIGEST_SUBSCRIPTION_ID,
        channel: 'C0123ABCD',
        cadence: { every: 'week', day: 'mon' },
        time: '08:30',
        timeZone: 'Europe/Paris',
        report: { period: 'mtd' },
      });
    });
  });

  describe('failure alarm', () => {
    it('alarms on failed, timed-out and aborted executions, to a TLS-only topic without a paid key', () => {
      // Prepare
      const machine = { Ref: logicalId(stack.stateMachine) };
      const topic = logicalId(stack.failures.topic);
      const alarm = logicalId(stack.failures.alarm);
      const stat = (id: string, name: string) =>
        Match.objectLike({
          Id: id,
          ReturnData: false,
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'AWS/States',
              MetricName: name,
              Dimensions: [{ Name: 'StateMachineArn', Value: machine }],
            },
            Stat: 'Sum',
          }),
        });
      // Act
      const encrypted = template.findResources('AWS::SNS::Topic', {
        Properties: { KmsMasterKeyId: Match.anyValue() },
      });
      // Assess
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Metrics: Match.arrayWith([
          Match.objectLike({ Expression: FAILURE_EXPRESSION, ReturnData: true }),
          stat('failed', 'ExecutionsFailed'),
          stat('timedOut', 'ExecutionsTimedOut'),
          stat('aborted', 'ExecutionsAborted'),
        ]),
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: topic }],
      });
      assert.deepEqual(Object.keys(encrypted), [], 'no customer managed key by default');
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topic }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: Match.objectLike({
                ArnEquals: { 'aws:SourceArn': { 'Fn::GetAtt': [alarm, 'Arn'] } },
              }),
            }),
          ]),
        },
      });
      template.resourceCountIs('AWS::SNS::Subscription', 0);
      template.hasOutput(OUTPUTS.alarmTopic, { Value: { Ref: topic } });
      template.hasOutput(OUTPUTS.alarm, { Value: { Ref: alarm } });
    });

    it('encrypts the topic with a rotated key CloudWatch may use when alarmTopicKey is set', () => {
      // Prepare
      const { costbot } = buildTestApp({ alarmTopicKey: 'true', withBot: false });
      // Act
      const other = Template.fromStack(costbot);
      const keys = other.findResources('AWS::KMS::Key', {
        Properties: { EnableKeyRotation: true },
      });
      // Assess
      const [key, ...more] = Object.keys(keys);
      assert.ok(key, 'a customer managed key with rotation');
      assert.deepEqual(more, []);
      other.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
      });
      other.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
            }),
          ]),
        },
      });
    });

    it('e-mails the alarmEmail address', () => {
      // Prepare
      const { costbot } = buildTestApp({ alarmEmail: 'ops@example.com', withBot: false });
      // Act
      const other = Template.fromStack(costbot);
      // Assess
      other.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'ops@example.com',
        TopicArn: { Ref: logicalId(stack.failures.topic) },
      });
    });
  });

  describe('bot', () => {
    it('sits behind a Function URL with auth NONE (Slack signs requests; the bot verifies)', () => {
      // Prepare
      assert.ok(stack.bot);
      // Act
      const env = (
        lambdaProps(stack.bot.function).Environment as { Variables: Record<string, unknown> }
      ).Variables;
      // Assess
      template.hasResourceProperties('AWS::Lambda::Url', { AuthType: 'NONE' });
      assert.deepEqual(env[STATE_MACHINE_ARN_ENV], { Ref: logicalId(stack.stateMachine) });
      template.hasOutput(OUTPUTS.botUrl, {});
    });

    it('is left out with withBot=false', () => {
      // Prepare
      const { costbot } = buildTestApp({ withBot: false, botEntry: 'does/not/exist.ts' });
      // Act
      const other = Template.fromStack(costbot);
      // Assess
      assert.equal(costbot.bot, undefined);
      other.resourceCountIs('AWS::Lambda::Function', 5);
      other.resourceCountIs('AWS::Lambda::Url', 1);
    });

    it('refuses to synthesize with a missing entry, naming withBot', () => {
      // Prepare / Act / Assess
      assert.throws(
        () => buildTestApp({ withBot: true, botEntry: 'does/not/exist.ts' }),
        /botEntry.*withBot=false/,
      );
    });

    it('has reserved concurrency (botReservedConcurrency, default 10); the report functions none', () => {
      // Prepare
      assert.ok(stack.bot);
      // Act
      const reserved = Object.values(template.findResources('AWS::Lambda::Function')).map(
        (fn) =>
          (fn.Properties as { ReservedConcurrentExecutions?: number }).ReservedConcurrentExecutions,
      );
      // Assess
      assert.equal(INFRA_DEFAULTS.botReservedConcurrency, 10);
      assert.equal(lambdaProps(stack.bot.function).ReservedConcurrentExecutions, 10);
      assert.deepEqual(
        reserved.filter((r) => r !== undefined).sort((a, b) => (a ?? 0) - (b ?? 0)),
        [5, 10],
        'only the public functions: the bot and the links function',
      );
    });

    it('takes its reserved concurrency from context, and refuses 0', () => {
      // Prepare
      const { costbot } = buildTestApp({ botReservedConcurrency: '25' });
      // Act
      const other = Template.fromStack(costbot);
      // Assess
      assert.ok(costbot.bot);
      other.hasResourceProperties('AWS::Lambda::Function', {
        Description: 'costbot: Slack bot (slash command, interactions)',
        ReservedConcurrentExecutions: 25,
      });
      assert.throws(() => buildTestApp({ botReservedConcurrency: '0' }), /botReservedConcurrency/);
    });
  });

  describe('signer user', () => {
    it('exists without any access key: setup creates it, no secret is in the template', () => {
      // Prepare
      const json = JSON.stringify(template.toJSON());
      // Act / Assess
      template.resourceCountIs('AWS::IAM::User', 1);
      template.resourceCountIs('AWS::IAM::AccessKey', 0);
      template.resourceCountIs('AWS::SSM::Parameter', 0);
      template.resourceCountIs('AWS::SecretsManager::Secret', 0);
      assert.doesNotMatch(json, /AKIA[0-9A-Z]{16}|xoxb-|SecretAccessKey"\s*:/);
    });

    it('is named in the outputs setup reads, with the four parameter names', () => {
      // Prepare / Act
      const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
      // Assess
      assert.deepEqual(outputs[OUTPUTS.signerUser]?.Value, { Ref: logicalId(stack.signer.user) });
      assert.equal(
        outputs[OUTPUTS.signerAccessKeyIdParameter]?.Value,
        '/costbot/signer/access-key-id',
      );
      assert.equal(
        outputs[OUTPUTS.slackSigningSecretParameter]?.Value,
        '/costbot/slack/signing-secret',
      );
    });
  });

  describe('parameter prefix', () => {
    it('moves the four names (env, grants and outputs) under another prefix', () => {
      // Prepare
      const { costbot } = buildTestApp({ withBot: false, parameterPrefix: '/team-a/costbot' });
      // Act
      const json = JSON.stringify(Template.fromStack(costbot).toJSON());
      // Assess
      assert.equal(costbot.parameters.names.slackBotToken, '/team-a/costbot/slack/bot-token');
      assert.match(json, /parameter\/team-a\/costbot\/signer\/secret-access-key/);
      assert.doesNotMatch(json, /"\/costbot\//);
    });
  });
});
