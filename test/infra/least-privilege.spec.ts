/**
 * Least privilege, proved: every role and user of the synthesized stacks is evaluated with an
 * IAM policy simulator. Each action its code performs is allowed on its own resource; the
 * neighbours (another parameter, bucket, prefix or state machine, a write instead of a read,
 * IAM itself) are denied.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { SCHEDULE_GROUP } from '../../common/subscription.ts';
import { SCHEDULER_SERVICE } from '../../infra/constructs/subscriptions.ts';
import type { CostbotStack } from '../../infra/stacks/costbot-stack.ts';
import { ReaderStack } from '../../infra/stacks/reader-stack.ts';
import { arnOf, type CfnTemplate, type Pseudo, resolve } from './support/cfn.ts';
import {
  allStatements,
  type Decision,
  decide,
  identityPolicies,
  type PolicyDocument,
  type Request,
  UNSIMULATED_CONDITION_KEY,
} from './support/iam.ts';
import {
  ACCOUNT,
  defaultTestApp,
  EXTERNAL_ID,
  presignedTestApp,
  READER_ROLE_ARN,
  REGION,
} from './support/synth.ts';

const READER_ACCOUNT = READER_ROLE_ARN.split(':')[4] as string;

const P: Pseudo = { account: ACCOUNT, region: REGION };
const ssmArn = (name: string) => `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter${name}`;
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const VIA_SSM = `ssm.${REGION}.amazonaws.com`;
const OTHER_STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:SomethingElse`;
const OTHER_FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:SomethingElse`;
const OTHER_LOG_STREAM = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/other:log-stream:x`;
/** IAM itself: no costbot role may touch it. */
const IAM_ACTIONS: Request[] = [
  { action: 'iam:CreateAccessKey', resource: `arn:aws:iam::${ACCOUNT}:user/anyone` },
  { action: 'iam:PassRole', resource: `arn:aws:iam::${ACCOUNT}:role/anything` },
  { action: 'iam:AttachRolePolicy', resource: `arn:aws:iam::${ACCOUNT}:role/anything` },
  { action: 'iam:PutUserPolicy', resource: `arn:aws:iam::${ACCOUNT}:user/anyone` },
];

/** kms:Decrypt as SSM calls it for a SecureString (the encryption context is checked apart). */
function decryptVia(service: string): Request {
  return { action: 'kms:Decrypt', resource: KEY, context: { 'kms:ViaService': service } };
}

function readParameter(name: string): Request[] {
  return [
    { action: 'ssm:GetParameters', resource: ssmArn(name) },
    { action: 'ssm:GetParameter', resource: ssmArn(name) },
  ];
}

function label(r: Request): string {
  const context = r.context ? ` ${JSON.stringify(r.context)}` : '';
  return `${r.action} on ${r.resource}${context}`;
}

interface Principal {
  /** Logical id in the template. */
  id: string;
  arn: string;
  policies: PolicyDocument[];
}

let template: CfnTemplate;
let readerTemplate: CfnTemplate;
let stack: CostbotStack;
let bucketArn: string;
let stateMachineArn: string;
let schedulerRoleArn: string;
let parameterNames: CostbotStack['parameters']['names'];
/** Trust policy of a reader role in account 222222222222 trusting this template's fetch role. */
let readerTrust: PolicyDocument;

function logicalId(construct: IConstruct, owner: Stack = stack): string {
  return owner.resolve(owner.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
}

function principal(
  construct: IConstruct,
  owner: Stack = stack,
  tpl: CfnTemplate = template,
): Principal {
  const id = logicalId(construct, owner);
  return { id, arn: arnOf(tpl, id, P), policies: identityPolicies(tpl, id, P) };
}

/** Registers one test per request: allowed ones, then denied ones. */
function proves(
  name: string,
  get: () => Principal,
  cases: () => { allowed: Request[]; denied: Request[] },
): void {
  describe(name, () => {
    // Cases are built lazily (they need the synthesized stack), so list them in one test each.
    it('allows every action its code performs, on its own resources', async () => {
      // Prepare
      const who = get();
      const { allowed } = cases();
      // Act
      const decisions = await Promise.all(
        allowed.map((r) => decide(who.policies, who.arn, r, ACCOUNT)),
      );
      // Assess
      const wrong = allowed.filter((_, i) => decisions[i] !== 'Allowed').map(label);
      assert.deepEqual(wrong, [], `${name} must allow these`);
      assert.ok(allowed.length > 0);
    });
    it('denies the neighbours: other resources, writes, deletes, IAM', async () => {
      // Prepare
      const who = get();
      const { denied } = cases();
      // Act
      const decisions: Decision[] = await Promise.all(
        denied.map((r) => decide(who.policies, who.arn, r, ACCOUNT)),
      );
      // Assess
      const wrong = denied.filter((_, i) => decisions[i] === 'Allowed').map(label);
      assert.deepEqual(wrong, [], `${name} must deny these`);
    });
  });
}

describe('Least privilege (IAM policy simulation of the synthesized stacks)', () => {
  before(() => {
    const built = defaultTestApp();
    stack = built.costbot;
    template = Template.fromStack(built.costbot).toJSON() as CfnTemplate;
    assert.ok(built.reader, 'the reader stack is synthesized too');
    readerTemplate = Template.fromStack(built.reader).toJSON() as CfnTemplate;
    bucketArn = arnOf(template, logicalId(stack.charts.bucket), P);
    stateMachineArn = arnOf(template, logicalId(stack.stateMachine), P);
    schedulerRoleArn = arnOf(template, logicalId(stack.subscriptions.role), P);
    parameterNames = stack.parameters.names;
    const fetchRoleArn = arnOf(template, logicalId(stack.report.roles.fetch), P);
    const readerApp = new App();
    const reader = new ReaderStack(readerApp, 'Reader', {
      env: { account: READER_ACCOUNT, region: REGION },
      fetchRoleArn,
      externalId: EXTERNAL_ID,
      roleName: READER_ROLE_ARN.split('/').pop() as string,
    });
    const readerTpl = Template.fromStack(reader).toJSON() as CfnTemplate;
    const roleId = logicalId(reader.role, reader);
    readerTrust = resolve(
      readerTpl,
      readerTpl.Resources[roleId]?.Properties?.AssumeRolePolicyDocument,
      { account: READER_ACCOUNT, region: REGION },
    ) as PolicyDocument;
  });

  const assumeReader = (
    context: Record<string, string> = { 'sts:ExternalId': EXTERNAL_ID },
  ): Request => ({
    action: 'sts:AssumeRole',
    resource: READER_ROLE_ARN,
    context,
    resourcePolicy: readerTrust,
  });

  const chart = (key: string) => `${bucketArn}/${key}`;
  /** A delivery record of the post step (`deliveries/<requestId>/<kind>.json`). */
  const RECORD = 'deliveries/digest-20250101-0900-abc123/report.json';
  /** A reused billing read of the fetch step (`cache/billing/<sha256>.json`). */
  const CACHE_ENTRY = `cache/billing/${'0'.repeat(64)}.json`;
  const ownLogs = (
    fn: 'fetch' | 'summarize' | 'chart' | 'sign' | 'post',
    owner: Stack = stack,
  ): Request => {
    const group = logicalId(
      owner.node
        .findChild('Report')
        .node.findChild(fn[0]?.toUpperCase() + fn.slice(1))
        .node.findChild('Logs'),
      owner,
    );
    return {
      action: 'logs:PutLogEvents',
      resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:log-stream:2025/01/01/abc`,
    };
  };
  /** Reading the link signer's two parameters, and Slack's two. */
  const readSigner = () => [
    ...readParameter(parameterNames.signerAccessKeyId),
    ...readParameter(parameterNames.signerSecretAccessKey),
  ];
  const readSlack = () => [
    ...readParameter(parameterNames.slackBotToken),
    ...readParameter(parameterNames.slackSigningSecret),
  ];
  /** A subscription's schedule in `group` (`<channel>.<id>`), and a group. */
  const schedule = (group: string) =>
    `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule/${group}/C0123ABCD.k3m9x2qa`;
  const scheduleGroup = (group: string) =>
    `arn:aws:scheduler:${REGION}:${ACCOUNT}:schedule-group/${group}`;
  /** CreateSchedule passes the scheduler role (to the scheduler, unless told otherwise). */
  const passSchedulerRole = (service: string = SCHEDULER_SERVICE): Request => ({
    action: 'iam:PassRole',
    resource: schedulerRoleArn,
    context: { 'iam:PassedToService': service },
  });
  /** The principal of a role the stack builds only with some settings (the defaults build it). */
  const synthesized = (what: string, role: IConstruct | undefined): Principal => {
    assert.ok(role, `${what} is synthesized`);
    return principal(role);
  };
  const linksLogs = (): Request => {
    assert.ok(stack.links);
    const group = logicalId(stack.links.node.findChild('Links').node.findChild('Logs'));
    return {
      action: 'logs:PutLogEvents',
      resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:${group}:log-stream:2025/01/01/abc`,
    };
  };
  const common = (): Request[] => [
    ...IAM_ACTIONS,
    { action: 'logs:PutLogEvents', resource: OTHER_LOG_STREAM },
    { action: 'logs:CreateLogGroup', resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:x` },
  ];

  proves(
    'fetch role',
    () => principal(stack.report.roles.fetch),
    () => ({
      allowed: [
        ownLogs('fetch'),
        { action: 'cloudwatch:GetMetricData', resource: '*' },
        { action: 'cloudwatch:ListMetrics', resource: '*' },
        assumeReader(),
        { action: 's3:GetObject', resource: chart(CACHE_ENTRY) },
        { action: 's3:PutObject', resource: chart(CACHE_ENTRY) },
      ],
      denied: [
        ...common(),
        {
          action: 'sts:AssumeRole',
          resource: 'arn:aws:iam::222222222222:role/OrganizationAccountAccessRole',
        },
        {
          action: 'sts:AssumeRole',
          resource: `arn:aws:iam::${ACCOUNT}:role/costbot-cloudwatch-reader`,
        },
        { action: 'cloudwatch:PutMetricData', resource: '*' },
        {
          action: 'cloudwatch:DeleteAlarms',
          resource: `arn:aws:cloudwatch:${REGION}:${ACCOUNT}:alarm:x`,
        },
        { action: 'ce:GetCostAndUsage', resource: '*' },
        { action: 's3:GetObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:PutObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:GetObject', resource: chart(RECORD) },
        { action: 's3:PutObject', resource: chart('cache/other/x.json') },
        { action: 's3:DeleteObject', resource: chart(CACHE_ENTRY) },
        { action: 's3:PutObjectAcl', resource: chart(CACHE_ENTRY) },
        { action: 's3:GetObject', resource: `arn:aws:s3:::another-bucket/${CACHE_ENTRY}` },
        { action: 's3:ListBucket', resource: bucketArn },
        ...readParameter(parameterNames.slackBotToken),
        decryptVia(VIA_SSM),
      ],
    }),
  );

  proves(
    'summarize role',
    () => principal(stack.report.roles.summarize),
    () => ({
      allowed: [ownLogs('summarize')],
      denied: [
        ...common(),
        assumeReader(),
        { action: 'cloudwatch:GetMetricData', resource: '*' },
        { action: 's3:PutObject', resource: chart('charts/2025/01/01/x.png') },
        ...readParameter(parameterNames.slackBotToken),
        decryptVia(VIA_SSM),
      ],
    }),
  );

  proves(
    'chart role',
    () => principal(stack.report.roles.chart),
    () => ({
      allowed: [
        ownLogs('chart'),
        { action: 's3:PutObject', resource: chart('charts/2025/01/01/x.png') },
      ],
      denied: [
        ...common(),
        { action: 's3:PutObject', resource: chart('other/x.png') },
        { action: 's3:PutObject', resource: chart('x.png') },
        { action: 's3:PutObject', resource: chart(RECORD) },
        { action: 's3:PutObject', resource: chart(CACHE_ENTRY) },
        { action: 's3:PutObject', resource: 'arn:aws:s3:::another-bucket/charts/x.png' },
        { action: 's3:DeleteObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:GetObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:PutObjectAcl', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:PutBucketPolicy', resource: bucketArn },
        { action: 's3:ListBucket', resource: bucketArn },
        ...readParameter(parameterNames.signerSecretAccessKey),
        decryptVia(VIA_SSM),
      ],
    }),
  );

  /** The stacks with stable links off: only they have a sign function (the default has none). */
  const presigned = () => {
    const off = presignedTestApp().costbot;
    assert.ok(off.report.roles.sign, 'stableLinks=false has a sign role');
    return {
      stack: off,
      role: off.report.roles.sign,
      template: Template.fromStack(off).toJSON() as CfnTemplate,
    };
  };

  proves(
    'sign role (stableLinks=false)',
    () => {
      const off = presigned();
      return principal(off.role, off.stack, off.template);
    },
    () => ({
      allowed: [ownLogs('sign', presigned().stack), ...readSigner(), decryptVia(VIA_SSM)],
      denied: [
        ...common(),
        ...readSlack(),
        ...readParameter(parameterNames.linkKey),
        { action: 'ssm:GetParameter', resource: ssmArn('/costbot/other') },
        { action: 'ssm:PutParameter', resource: ssmArn(parameterNames.signerSecretAccessKey) },
        { action: 'ssm:DeleteParameter', resource: ssmArn(parameterNames.signerSecretAccessKey) },
        { action: 'ssm:GetParametersByPath', resource: ssmArn('/costbot') },
        // Decrypting directly (not through SSM), or through SSM for another parameter.
        { action: 'kms:Decrypt', resource: KEY },
        decryptVia(`s3.${REGION}.amazonaws.com`),
        decryptVia('ssm.us-east-1.amazonaws.com'),
        { action: 'kms:Encrypt', resource: KEY, context: { 'kms:ViaService': VIA_SSM } },
        { action: 's3:GetObject', resource: chart('charts/2025/01/01/x.png') },
      ],
    }),
  );

  proves(
    'post role',
    () => principal(stack.report.roles.post),
    () => ({
      allowed: [
        ownLogs('post'),
        ...readParameter(parameterNames.slackBotToken),
        // Stable links: it mints each chart's link token with the HMAC key.
        ...readParameter(parameterNames.linkKey),
        decryptVia(VIA_SSM),
        // Its delivery records: read, claimed and written, released.
        { action: 's3:GetObject', resource: chart(RECORD) },
        { action: 's3:PutObject', resource: chart(RECORD) },
        { action: 's3:DeleteObject', resource: chart(RECORD) },
      ],
      denied: [
        ...common(),
        ...readParameter(parameterNames.slackSigningSecret),
        ...readParameter(parameterNames.signerSecretAccessKey),
        { action: 'ssm:PutParameter', resource: ssmArn(parameterNames.slackBotToken) },
        { action: 'kms:Decrypt', resource: KEY },
        { action: 'states:StartExecution', resource: stateMachineArn },
        // Its neighbours in the bucket: the charts, keys outside the prefix, another bucket.
        { action: 's3:GetObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:PutObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:PutObject', resource: chart('deliveries.json') },
        { action: 's3:GetObject', resource: chart(CACHE_ENTRY) },
        { action: 's3:PutObject', resource: `arn:aws:s3:::another-bucket/${RECORD}` },
        { action: 's3:ListBucket', resource: bucketArn },
        { action: 's3:PutObjectAcl', resource: chart(RECORD) },
        { action: 's3:PutBucketPolicy', resource: bucketArn },
      ],
    }),
  );

  proves(
    'bot role',
    () => synthesized('the bot', stack.bot?.role),
    () => ({
      allowed: [
        { action: 'states:StartExecution', resource: stateMachineArn },
        ...readSlack(),
        decryptVia(VIA_SSM),
        // Subscriptions: schedules of the costbot group, run as the scheduler role.
        { action: 'scheduler:CreateSchedule', resource: schedule(SCHEDULE_GROUP) },
        { action: 'scheduler:GetSchedule', resource: schedule(SCHEDULE_GROUP) },
        { action: 'scheduler:DeleteSchedule', resource: schedule(SCHEDULE_GROUP) },
        { action: 'scheduler:ListSchedules', resource: '*' },
        passSchedulerRole(),
      ],
      denied: [
        ...common(),
        // Another group's schedules, or the costbot group's elsewhere.
        { action: 'scheduler:CreateSchedule', resource: schedule('default') },
        { action: 'scheduler:CreateSchedule', resource: schedule('other') },
        { action: 'scheduler:DeleteSchedule', resource: schedule('default') },
        { action: 'scheduler:GetSchedule', resource: schedule('other') },
        {
          action: 'scheduler:CreateSchedule',
          resource: schedule(SCHEDULE_GROUP).replace(REGION, 'us-east-1'),
        },
        // What it never does: change a schedule in place, or touch the group itself.
        { action: 'scheduler:UpdateSchedule', resource: schedule(SCHEDULE_GROUP) },
        { action: 'scheduler:CreateScheduleGroup', resource: scheduleGroup(SCHEDULE_GROUP) },
        { action: 'scheduler:DeleteScheduleGroup', resource: scheduleGroup(SCHEDULE_GROUP) },
        { action: 'scheduler:TagResource', resource: scheduleGroup(SCHEDULE_GROUP) },
        // Passing another role, or the scheduler role to another service (or to none named).
        {
          action: 'iam:PassRole',
          resource: `arn:aws:iam::${ACCOUNT}:role/costbot-admin`,
          context: { 'iam:PassedToService': SCHEDULER_SERVICE },
        },
        passSchedulerRole('lambda.amazonaws.com'),
        passSchedulerRole('states.amazonaws.com'),
        { action: 'iam:PassRole', resource: schedulerRoleArn },
        { action: 'states:StartExecution', resource: OTHER_STATE_MACHINE },
        assumeReader(),
        { action: 'states:StartSyncExecution', resource: stateMachineArn },
        { action: 'states:UpdateStateMachine', resource: stateMachineArn },
        {
          action: 'states:StopExecution',
          resource: `arn:aws:states:${REGION}:${ACCOUNT}:execution:${stateMachineArn.split(':').pop()}:x`,
        },
        ...readParameter(parameterNames.linkKey),
        // Stable links (the default): no "Refresh link" button, so no signer key to read.
        ...readSigner(),
        { action: 'ssm:GetParameter', resource: ssmArn('/costbot/other') },
        { action: 'ssm:PutParameter', resource: ssmArn(parameterNames.slackBotToken) },
        { action: 'kms:Decrypt', resource: KEY },
        { action: 's3:GetObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 'lambda:InvokeFunction', resource: OTHER_FUNCTION },
      ],
    }),
  );

  proves(
    'links role',
    () => synthesized('the links function', stack.links?.role),
    () => ({
      allowed: [
        linksLogs(),
        ...readParameter(parameterNames.linkKey),
        ...readSigner(),
        decryptVia(VIA_SSM),
      ],
      denied: [
        ...common(),
        ...readSlack(),
        { action: 'ssm:GetParameter', resource: ssmArn('/costbot/other') },
        { action: 'ssm:GetParametersByPath', resource: ssmArn('/costbot') },
        { action: 'ssm:PutParameter', resource: ssmArn(parameterNames.linkKey) },
        { action: 'kms:Decrypt', resource: KEY },
        decryptVia(`s3.${REGION}.amazonaws.com`),
        // It presigns with the signer user's key: its own role reads and writes no object.
        { action: 's3:GetObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:PutObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:GetObject', resource: chart(RECORD) },
        { action: 's3:ListBucket', resource: bucketArn },
        { action: 'states:StartExecution', resource: stateMachineArn },
        { action: 'lambda:InvokeFunction', resource: OTHER_FUNCTION },
      ],
    }),
  );

  proves(
    'signer user',
    () => principal(stack.signer.user),
    () => ({
      allowed: [{ action: 's3:GetObject', resource: chart('charts/2025/01/01/x.png') }],
      denied: [
        ...IAM_ACTIONS,
        { action: 's3:GetObject', resource: chart('other/x.png') },
        { action: 's3:GetObject', resource: chart(RECORD) },
        { action: 's3:GetObject', resource: 'arn:aws:s3:::another-bucket/charts/x.png' },
        { action: 's3:PutObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:DeleteObject', resource: chart('charts/2025/01/01/x.png') },
        { action: 's3:ListBucket', resource: bucketArn },
        {
          action: 'iam:CreateAccessKey',
          resource: `arn:aws:iam::${ACCOUNT}:user/${logicalId(stack.signer.user)}`,
        },
        ...readParameter(parameterNames.signerSecretAccessKey),
      ],
    }),
  );

  proves(
    'state machine role',
    () => principal(stack.stateMachine.role),
    () => ({
      allowed: Object.values(stack.report.functions).map((fn) => ({
        action: 'lambda:InvokeFunction',
        resource: arnOf(template, logicalId(fn), P),
      })),
      denied: [
        ...IAM_ACTIONS,
        { action: 'lambda:InvokeFunction', resource: OTHER_FUNCTION },
        {
          action: 'lambda:InvokeFunction',
          resource: arnOf(
            template,
            logicalId(stack.bot?.function ?? stack.report.functions.fetch),
            P,
          ).replace(/Fetch/, 'Bot'),
        },
        {
          action: 'lambda:UpdateFunctionCode',
          resource: arnOf(template, logicalId(stack.report.functions.fetch), P),
        },
        { action: 'states:StartExecution', resource: stateMachineArn },
      ],
    }),
  );

  proves(
    'scheduler role (subscriptions and the digest run as it)',
    () => principal(stack.subscriptions.role),
    () => ({
      allowed: [{ action: 'states:StartExecution', resource: stateMachineArn }],
      denied: [
        ...IAM_ACTIONS,
        { action: 'states:StartExecution', resource: OTHER_STATE_MACHINE },
        { action: 'states:StartSyncExecution', resource: stateMachineArn },
        {
          action: 'lambda:InvokeFunction',
          resource: arnOf(template, logicalId(stack.report.functions.post), P),
        },
        { action: 'scheduler:CreateSchedule', resource: schedule(SCHEDULE_GROUP) },
        { action: 'scheduler:DeleteSchedule', resource: schedule(SCHEDULE_GROUP) },
        passSchedulerRole(),
      ],
    }),
  );

  describe('reader stack', () => {
    it('lets the reader role read metrics and nothing else', async () => {
      // Prepare
      const id = Object.keys(readerTemplate.Resources).find(
        (k) => readerTemplate.Resources[k]?.Type === 'AWS::IAM::Role',
      );
      assert.ok(id);
      const arn = `arn:aws:iam::${ACCOUNT}:role/costbot-cloudwatch-reader`;
      const policies = identityPolicies(readerTemplate, id, P);
      const check = (r: Request) => decide(policies, arn, r, ACCOUNT);
      // Act
      const allowed = await Promise.all(
        ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'].map((action) =>
          check({ action, resource: '*' }),
        ),
      );
      const denied = await Promise.all(
        [
          { action: 'cloudwatch:PutMetricData', resource: '*' },
          { action: 'cloudwatch:GetMetricWidgetImage', resource: '*' },
          { action: 'ce:GetCostAndUsage', resource: '*' },
          {
            action: 'logs:GetLogEvents',
            resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:x:log-stream:y`,
          },
          ...IAM_ACTIONS,
        ].map(check),
      );
      // Assess
      assert.deepEqual(allowed, ['Allowed', 'Allowed']);
      assert.ok(
        denied.every((d) => d !== 'Allowed'),
        JSON.stringify(denied),
      );
    });
  });

  describe('kms:Decrypt through SSM', () => {
    it(`is limited to each role's own parameters by ${UNSIMULATED_CONDITION_KEY}`, () => {
      // Prepare
      assert.ok(stack.bot);
      assert.ok(stack.links);
      assert.equal(stack.report.roles.sign, undefined, 'no sign role with stable links');
      const off = presigned();
      const signer = [parameterNames.signerAccessKeyId, parameterNames.signerSecretAccessKey];
      const expected: [IConstruct, string[], Stack?, CfnTemplate?][] = [
        [off.role, signer, off.stack, off.template],
        [stack.report.roles.post, [parameterNames.slackBotToken, parameterNames.linkKey]],
        [
          stack.links.role,
          [
            parameterNames.linkKey,
            parameterNames.signerAccessKeyId,
            parameterNames.signerSecretAccessKey,
          ],
        ],
        [stack.bot.role, [parameterNames.slackBotToken, parameterNames.slackSigningSecret]],
        [
          // With stableLinks=false the "Refresh link" button re-signs in the bot.
          off.stack.bot?.role ?? assert.fail('stableLinks=false has the bot'),
          [
            parameterNames.slackBotToken,
            parameterNames.slackSigningSecret,
            parameterNames.signerAccessKeyId,
            parameterNames.signerSecretAccessKey,
          ],
          off.stack,
          off.template,
        ],
      ];
      for (const [role, names, owner = stack, tpl = template] of expected) {
        // Act
        const decrypts = identityPolicies(tpl, logicalId(role, owner), P)
          .flatMap((doc) => doc.Statement)
          .filter((st) => [st.Action].flat().includes('kms:Decrypt'));
        // Assess
        assert.equal(decrypts.length, 1, `${role.node.path}: one kms:Decrypt statement`);
        assert.deepEqual(decrypts[0]?.Condition, {
          StringEquals: {
            'kms:ViaService': VIA_SSM,
            [UNSIMULATED_CONDITION_KEY]: names.map(ssmArn),
          },
        });
      }
    });
  });

  describe('every policy', () => {
    it('names its actions: no "*" in any Allow statement\'s Action', () => {
      // Prepare: the bucket policy's Deny of s3:* over plain HTTP (enforceSSL) is a deny on purpose.
      const statements = [...allStatements(template), ...allStatements(readerTemplate)].filter(
        ({ statement }) => statement.Effect === 'Allow',
      );
      // Act
      const wildcards = statements.filter(({ statement }) =>
        [statement.Action ?? []].flat().some((a) => a.includes('*')),
      );
      // Assess
      assert.ok(statements.length > 20, `found ${statements.length} statements`);
      assert.deepEqual(
        wildcards.map((w) => `${w.where}: ${JSON.stringify(w.statement.Action)}`),
        [],
      );
    });

    it('is proved above: every role and user of the template has a case', () => {
      // Prepare
      const tested = new Set([
        ...Object.values(stack.report.roles).map((r) => logicalId(r)),
        logicalId(stack.stateMachine.role),
        logicalId(stack.signer.user),
        logicalId(stack.subscriptions.role),
        ...(stack.bot ? [logicalId(stack.bot.role)] : []),
        ...(stack.links ? [logicalId(stack.links.role)] : []),
      ]);
      // Act
      const untested = Object.entries(template.Resources)
        .filter(([, r]) => r.Type === 'AWS::IAM::Role' || r.Type === 'AWS::IAM::User')
        .map(([id]) => id)
        .filter((id) => !tested.has(id));
      // Assess
      assert.deepEqual(untested, []);
    });

    it('grants Resource "*" only for actions that accept nothing narrower', () => {
      // Prepare
      const allowedOnStar = new Set([
        'cloudwatch:GetMetricData',
        'cloudwatch:ListMetrics',
        // No resource type in the Service Authorization Reference; GroupName scopes the call.
        'scheduler:ListSchedules',
        // Step Functions logging and tracing (CDK's, for the state machine role).
        'logs:CreateLogDelivery',
        'logs:GetLogDelivery',
        'logs:UpdateLogDelivery',
        'logs:DeleteLogDelivery',
        'logs:ListLogDeliveries',
        'logs:PutResourcePolicy',
        'logs:DescribeResourcePolicies',
        'logs:DescribeLogGroups',
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
      ]);
      // Act
      const onStar = [...allStatements(template), ...allStatements(readerTemplate)]
        .filter(
          ({ statement }) =>
            statement.Effect === 'Allow' && [statement.Resource ?? []].flat().includes('*'),
        )
        .flatMap(({ statement }) => [statement.Action ?? []].flat());
      // Assess
      assert.deepEqual(
        onStar.filter((a) => !allowedOnStar.has(a)),
        [],
      );
    });
  });
});
