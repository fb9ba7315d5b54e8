/**
 * Each check of the doctor against fakes: healthy, then broken one way at a time, asserting
 * the status and what the person is told.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsCall } from '../../common/aws-errors.ts';
import {
  BUCKET_CHECK_KEY,
  exitCode,
  formatDuration,
  maskKeyId,
  runDoctor,
  trustedPrincipals,
} from '../../doctor/checks.ts';
import { BOT_CHECKS, NotCheckableError } from '../../doctor/types.ts';
import {
  BOT_TOKEN,
  byId,
  CONFIG,
  fakeBilling,
  fakeIdentity,
  fakeParameters,
  fakeS3,
  fakeSlack,
  healthyDeps,
  KEY_ID,
  NAMES,
  NOW,
  SECRET,
  SIGNING_SECRET,
  sdkError,
  VALUES,
} from './support.ts';

const DAY = 86_400_000;
const READER = 'arn:aws:iam::111111111111:role/costbot-cloudwatch-reader';
const DEPLOYER = 'arn:aws:iam::123456789012:user/deployer';

/** What AWS says when STS refuses, wrapped as the SDK adapter wraps it. */
function assumeRoleDenied(): Promise<never> {
  return awsCall({ service: 'STS', operation: 'AssumeRole' }, () =>
    Promise.reject(
      sdkError(
        'AccessDenied',
        `User: ${DEPLOYER} is not authorized to perform: sts:AssumeRole on resource: ${READER}`,
        403,
      ),
    ),
  );
}

function slackError(code: string): Error {
  return Object.assign(new Error(`An API error occurred: ${code}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error: code },
  });
}

describe('Function: runDoctor', () => {
  describe('a healthy setup', () => {
    it('passes every check, in a stable order, and exits 0', async () => {
      // Act
      const results = await runDoctor(healthyDeps());

      // Assess
      assert.deepEqual(
        results.filter((r) => r.status !== 'ok'),
        [],
      );
      assert.deepEqual(
        results.map((r) => r.id),
        [
          'parameter.signerAccessKeyId',
          'parameter.signerSecretAccessKey',
          'parameter.slackBotToken',
          'parameter.slackSigningSecret',
          'signer.key-type',
          'signer.key-active',
          'signer.key-age',
          'signer.link-lifetime',
          'billing.metrics',
          'readers',
          'bucket.put',
          'slack.auth',
          'slack.scopes',
          'slack.channel',
          'schedule.next',
        ],
      );
      assert.equal(exitCode(results), 0);
    });

    it('never shows a secret value, and the key id only masked', async () => {
      // Act
      const text = JSON.stringify(await runDoctor(healthyDeps()));

      // Assess
      for (const secret of [SECRET, BOT_TOKEN, SIGNING_SECRET, KEY_ID]) {
        assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 6)}…`);
      }
      assert.ok(text.includes(maskKeyId(KEY_ID)));
    });
  });

  describe('parameters', () => {
    it('fails a missing parameter with its name and the setup command, and checks the others', async () => {
      // Prepare
      const { [NAMES.signerSecretAccessKey]: _gone, ...rest } = VALUES;

      // Act
      const results = await runDoctor(healthyDeps({ parameters: fakeParameters(rest) }));

      // Assess
      const missing = byId(results, 'parameter.signerSecretAccessKey');
      assert.equal(missing.status, 'fail');
      assert.equal(missing.detail, '/costbot/signer/secret-access-key does not exist.');
      assert.match(missing.fix ?? '', /npm run setup.*COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY/);
      assert.equal(byId(results, 'parameter.signerAccessKeyId').status, 'ok');
      assert.equal(exitCode(results), 1);
    });

    it('explains a KMS refusal to decrypt through the AccessDenied explainer', async () => {
      // Prepare
      const message =
        'User: arn:aws:sts::123456789012:assumed-role/costbot-sign/costbot-sign-fn is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/1234abcd because no identity-based policy allows the kms:Decrypt action';
      const parameters = {
        get: (names: string[]) =>
          names[0] === NAMES.slackSigningSecret
            ? awsCall({ service: 'SSM', operation: 'GetParameters' }, () =>
                Promise.reject(sdkError('AccessDeniedException', message)),
              )
            : fakeParameters().get(names),
      };

      // Act
      const result = byId(
        await runDoctor(healthyDeps({ parameters })),
        'parameter.slackSigningSecret',
      );

      // Assess
      assert.equal(result.status, 'fail');
      assert.match(
        result.detail,
        /^AWS denied kms:Decrypt on arn:aws:kms:us-east-1:123456789012:key\/1234abcd to arn:aws:iam::123456789012:role\/costbot-sign\./,
      );
      assert.deepEqual(result.statement, {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:us-east-1:123456789012:key/1234abcd',
      });
      assert.ok(result.fix);
    });

    it('warns about a secret stored as a plain String', async () => {
      // Act
      const results = await runDoctor(
        healthyDeps({
          parameterType: async (name) => (name === NAMES.slackBotToken ? 'String' : 'SecureString'),
        }),
      );

      // Assess
      const token = byId(results, 'parameter.slackBotToken');
      assert.equal(token.status, 'warn');
      assert.match(token.detail, /plain String/);
      assert.match(token.fix ?? '', /SecureString/);
    });

    it('warns when the bot token is not a bot token', async () => {
      // Act
      const results = await runDoctor(
        healthyDeps({
          parameters: fakeParameters({ ...VALUES, [NAMES.slackBotToken]: 'xoxp-user-token-123' }),
        }),
      );

      // Assess
      const token = byId(results, 'parameter.slackBotToken');
      assert.equal(token.status, 'warn');
      assert.match(token.detail, /is not a Slack bot token \(xoxb-…\)/);
      assert.ok(!token.detail.includes('xoxp-user-token-123'));
    });
  });

  describe('the link-signing key', () => {
    it('fails a session key (ASIA…): links would die within hours', async () => {
      // Prepare
      const values = { ...VALUES, [NAMES.signerAccessKeyId]: 'ASIAIOSFODNN7EXAMPLE' };

      // Act
      const results = await runDoctor(healthyDeps({ parameters: fakeParameters(values) }));

      // Assess
      const type = byId(results, 'signer.key-type');
      assert.equal(type.status, 'fail');
      assert.match(type.detail, /temporary session key \(ASIA…\).*within hours/);
      assert.match(type.fix ?? '', /AKIA…\) there: run `npm run setup`/);
      assert.equal(byId(results, 'signer.link-lifetime').status, 'fail');
      assert.ok(
        !results.some((r) => r.id === 'signer.key-active'),
        'no IAM lookup for a session key',
      );
    });

    it('fails an inactive key', async () => {
      // Prepare
      const identity = fakeIdentity({
        listAccessKeys: async () => [
          { accessKeyId: KEY_ID, status: 'Inactive', created: new Date('2026-10-01') },
        ],
      });

      // Act
      const results = await runDoctor(healthyDeps({ identity }));

      // Assess
      const active = byId(results, 'signer.key-active');
      assert.equal(active.status, 'fail');
      assert.equal(
        active.detail,
        'AKIA…MPLE of IAM user costbot-signer is Inactive: links signed with it do not open.',
      );
      assert.equal(byId(results, 'signer.link-lifetime').status, 'fail');
    });

    it('fails a key IAM does not know', async () => {
      // Prepare
      const identity = fakeIdentity({
        accessKeyOwner: () =>
          awsCall({ service: 'IAM', operation: 'GetAccessKeyLastUsed' }, () =>
            Promise.reject(
              sdkError('NoSuchEntityException', 'The Access Key with id AKIA cannot be found', 404),
            ),
          ),
      });

      // Act
      const active = byId(await runDoctor(healthyDeps({ identity })), 'signer.key-active');

      // Assess
      assert.equal(active.status, 'fail');
      assert.match(active.detail, /does not exist in this account/);
    });

    it('says "cannot tell" (warn), with the statement that would allow it, when IAM refuses', async () => {
      // Prepare
      const identity = fakeIdentity({
        accessKeyOwner: () =>
          awsCall({ service: 'IAM', operation: 'GetAccessKeyLastUsed' }, () =>
            Promise.reject(
              sdkError(
                'AccessDenied',
                `User: ${DEPLOYER} is not authorized to perform: iam:GetAccessKeyLastUsed on resource: arn:aws:iam::123456789012:user/costbot-signer because no identity-based policy allows the iam:GetAccessKeyLastUsed action`,
                403,
              ),
            ),
          ),
      });

      // Act
      const results = await runDoctor(healthyDeps({ identity }));

      // Assess
      const active = byId(results, 'signer.key-active');
      assert.equal(active.status, 'warn');
      assert.match(active.detail, /^Cannot tell: AWS denied iam:GetAccessKeyLastUsed/);
      assert.equal(active.statement?.Action, 'iam:GetAccessKeyLastUsed');
      assert.equal(byId(results, 'signer.key-age').status, 'warn');
      assert.match(
        byId(results, 'signer.link-lifetime').detail,
        /if AKIA…MPLE stays active that long/,
      );
      assert.equal(exitCode(results), 0, 'cannot tell is not a failure');
    });

    it('warns about a key past the rotation policy', async () => {
      // Prepare
      const created = new Date(NOW.getTime() - 120 * DAY);
      const identity = fakeIdentity({
        listAccessKeys: async () => [{ accessKeyId: KEY_ID, status: 'Active', created }],
      });

      // Act
      const results = await runDoctor(healthyDeps({ identity }));

      // Assess
      const age = byId(results, 'signer.key-age');
      assert.equal(age.status, 'warn');
      assert.equal(
        age.detail,
        'Created 2026-07-25: 120 days old, past the 90-day rotation (due 2026-10-23).',
      );
      assert.match(age.fix ?? '', /keep the old one active 7 more days/);
    });

    it('gives the real lifetime of a link when the key is due for rotation within 7 days', async () => {
      // Prepare
      const created = new Date(NOW.getTime() - 87 * DAY);
      const identity = fakeIdentity({
        listAccessKeys: async () => [{ accessKeyId: KEY_ID, status: 'Active', created }],
      });

      // Act
      const lifetime = byId(await runDoctor(healthyDeps({ identity })), 'signer.link-lifetime');

      // Assess
      assert.equal(lifetime.status, 'warn');
      assert.equal(
        lifetime.detail,
        '3 days, not 7 days, if AKIA…MPLE is deactivated on its rotation date (2026-11-25).',
      );
    });

    it('honours a custom rotation policy and a shorter configured link lifetime', async () => {
      // Prepare
      const deps = healthyDeps({
        rotationDays: 30,
        config: { ...CONFIG, linkExpiresSeconds: 86_400 },
        identity: fakeIdentity({
          listAccessKeys: async () => [
            { accessKeyId: KEY_ID, status: 'Active', created: new Date(NOW.getTime() - 10 * DAY) },
          ],
        }),
      });

      // Act
      const results = await runDoctor(deps);

      // Assess
      assert.match(byId(results, 'signer.key-age').title, /rotation every 30 days/);
      assert.equal(
        byId(results, 'signer.link-lifetime').detail,
        '1 day (until 2026-11-23 12:00 UTC).',
      );
    });

    it('warns "cannot tell" without IAM, naming why', async () => {
      // Act
      const results = await runDoctor(
        healthyDeps({ identity: undefined, noIdentityReason: 'no IAM on the moon' }),
      );

      // Assess
      assert.equal(byId(results, 'signer.key-active').detail, 'Cannot tell: no IAM on the moon.');
      assert.equal(byId(results, 'signer.key-age').status, 'warn');
    });
  });

  describe('billing metrics', () => {
    it('asks for AWS/Billing EstimatedCharges and counts what it found', async () => {
      // Prepare
      const billing = fakeBilling();

      // Act
      const result = byId(await runDoctor(healthyDeps({ billing })), 'billing.metrics');

      // Assess
      assert.deepEqual(billing.inputs, [
        { Namespace: 'AWS/Billing', MetricName: 'EstimatedCharges' },
      ]);
      assert.equal(result.detail, '2 EstimatedCharges series (1 by service, 0 by linked account).');
    });

    it('fails with what to check when there are none', async () => {
      // Act
      const result = byId(
        await runDoctor(healthyDeps({ billing: fakeBilling([]) })),
        'billing.metrics',
      );

      // Assess
      assert.equal(result.status, 'fail');
      assert.equal(
        result.detail,
        'No AWS/Billing EstimatedCharges metrics in us-east-1: billing alerts are off (Billing preferences → Receive Billing Alerts) or this is not the payer account.',
      );
      assert.match(result.fix ?? '', /Receive Billing Alerts/);
    });

    it('points at the region when billing metrics are looked for outside us-east-1', async () => {
      // Act
      const result = byId(
        await runDoctor(
          healthyDeps({
            billing: fakeBilling([]),
            config: { ...CONFIG, billingRegion: 'eu-west-1' },
          }),
        ),
        'billing.metrics',
      );

      // Assess
      assert.match(result.detail, /only in us-east-1, and COSTBOT_BILLING_REGION is eu-west-1/);
    });

    it('explains a refusal of ListMetrics with the statement that would allow it', async () => {
      // Prepare
      const billing = {
        listMetrics: () =>
          awsCall({ service: 'CloudWatch', operation: 'ListMetrics' }, () =>
            Promise.reject(
              sdkError(
                'AccessDenied',
                `User: ${DEPLOYER} is not authorized to perform: cloudwatch:ListMetrics because no identity-based policy allows the cloudwatch:ListMetrics action`,
                403,
              ),
            ),
          ),
      };

      // Act
      const result = byId(await runDoctor(healthyDeps({ billing })), 'billing.metrics');

      // Assess
      assert.equal(result.status, 'fail');
      assert.match(
        result.detail,
        /^AWS denied cloudwatch:ListMetrics to arn:aws:iam::123456789012:user\/deployer\. No policy/,
      );
      assert.deepEqual(result.statement, {
        Effect: 'Allow',
        Action: 'cloudwatch:ListMetrics',
        Resource: '*',
      });
    });
  });

  describe('reader roles', () => {
    it('is ok when none are configured', async () => {
      // Act
      const result = byId(await runDoctor(healthyDeps()), 'readers');

      // Assess
      assert.equal(result.status, 'ok');
      assert.match(result.detail, /None configured/);
    });

    it('assumes each role with the ExternalId', async () => {
      // Prepare
      const calls: [string, string | undefined][] = [];
      const identity = fakeIdentity({
        assumeRole: async (arn, externalId) => {
          calls.push([arn, externalId]);
          return {
            arn: 'arn:aws:sts::111111111111:assumed-role/costbot-cloudwatch-reader/costbot-doctor',
          };
        },
      });

      // Act
      const results = await runDoctor(
        healthyDeps({ identity, readerRoles: { arns: [READER], externalId: 'costbot-reader' } }),
      );

      // Assess
      assert.deepEqual(calls, [[READER, 'costbot-reader']]);
      const result = byId(results, `reader.${READER}`);
      assert.equal(result.status, 'ok');
      assert.equal(
        result.title,
        'Reader role costbot-cloudwatch-reader (111111111111) can be assumed',
      );
    });

    it('blames the trust policy when it names another principal', async () => {
      // Prepare
      const identity = fakeIdentity({
        assumeRole: assumeRoleDenied,
        trustPolicy: async () => ({
          Statement: [
            {
              Effect: 'Allow',
              Principal: { AWS: 'arn:aws:iam::123456789012:role/costbot-fetch' },
              Action: 'sts:AssumeRole',
            },
          ],
        }),
      });

      // Act
      const result = byId(
        await runDoctor(healthyDeps({ identity, readerRoles: { arns: [READER] } })),
        `reader.${READER}`,
      );

      // Assess
      assert.equal(result.status, 'fail');
      assert.equal(
        result.detail,
        `The trust policy of ${READER} trusts arn:aws:iam::123456789012:role/costbot-fetch, not ${DEPLOYER}: the role's trust policy refused the call, not the caller's own policy.`,
      );
      assert.match(result.fix ?? '', new RegExp(`Add ${DEPLOYER} as a Principal`));
      assert.equal(result.statement, undefined, 'an Allow in the caller’s policy would not help');
    });

    it("blames the caller's own policy when the trust policy names the caller", async () => {
      // Prepare
      const identity = fakeIdentity({
        assumeRole: assumeRoleDenied,
        trustPolicy: async () => ({
          Statement: {
            Effect: 'Allow',
            Principal: { AWS: '123456789012' },
            Action: ['sts:AssumeRole'],
          },
        }),
      });

      // Act
      const result = byId(
        await runDoctor(
          healthyDeps({ identity, readerRoles: { arns: [READER], externalId: 'xid' } }),
        ),
        `reader.${READER}`,
      );

      // Assess
      assert.equal(result.status, 'fail');
      assert.match(
        result.detail,
        /trusts arn:aws:iam::123456789012:user\/deployer, so the caller's own policy refused/,
      );
      assert.match(result.detail, /ExternalId "xid"/);
      assert.deepEqual(result.statement, {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: READER,
      });
    });

    it('says which side cannot be told when the trust policy cannot be read', async () => {
      // Prepare
      const identity = fakeIdentity({
        assumeRole: assumeRoleDenied,
        trustPolicy: () => Promise.reject(sdkError('AccessDenied', 'nope', 403)),
      });

      // Act
      const result = byId(
        await runDoctor(healthyDeps({ identity, readerRoles: { arns: [READER] } })),
        `reader.${READER}`,
      );

      // Assess
      assert.equal(result.status, 'fail');
      assert.match(
        result.detail,
        /^AWS denied sts:AssumeRole on arn:aws:iam::111111111111:role\/costbot-cloudwatch-reader/,
      );
      assert.match(result.detail, /trust policy of the role could not be read/);
    });

    it('warns "cannot tell" where there is no STS', async () => {
      // Prepare
      const identity = fakeIdentity({
        assumeRole: () => Promise.reject(new NotCheckableError('the local backend has no STS.')),
      });

      // Act
      const result = byId(
        await runDoctor(healthyDeps({ identity, readerRoles: { arns: [READER] } })),
        `reader.${READER}`,
      );

      // Assess
      assert.equal(result.status, 'warn');
      assert.equal(result.detail, 'Cannot tell: the local backend has no STS.');
    });
  });

  describe('the bucket', () => {
    it(`puts <chartPrefix>${BUCKET_CHECK_KEY}, where the chart role may write`, async () => {
      // Prepare
      const s3 = fakeS3();

      // Act
      const result = byId(await runDoctor(healthyDeps({ s3: s3.client })), 'bucket.put');

      // Assess
      assert.equal(result.status, 'ok');
      assert.equal(s3.sent.length, 1);
      assert.equal(s3.sent[0]?.Bucket, 'costbot-charts');
      assert.equal(s3.sent[0]?.Key, 'charts/doctor-check.txt');
    });

    it('fails a missing bucket with what to do', async () => {
      // Prepare
      const s3 = fakeS3(() =>
        Promise.reject(sdkError('NoSuchBucket', 'The specified bucket does not exist', 404)),
      );

      // Act
      const result = byId(await runDoctor(healthyDeps({ s3: s3.client })), 'bucket.put');

      // Assess
      assert.equal(result.status, 'fail');
      assert.equal(
        result.detail,
        'The bucket costbot-charts does not exist (or not in this account and region).',
      );
      assert.match(result.fix ?? '', /npm run deploy.*COSTBOT_BUCKET/);
    });

    it("explains S3's bare Access Denied", async () => {
      // Prepare
      const s3 = fakeS3(() => Promise.reject(sdkError('AccessDenied', 'Access Denied', 403)));

      // Act
      const result = byId(await runDoctor(healthyDeps({ s3: s3.client })), 'bucket.put');

      // Assess
      assert.equal(result.status, 'fail');
      assert.match(result.detail, /^S3 refused the request without saying/);
      assert.match(result.fix ?? '', /s3:PutObject/);
    });
  });

  describe('Slack', () => {
    it('fails an invalid token with the hint', async () => {
      // Prepare
      const slack = () => fakeSlack({ authTest: () => Promise.reject(slackError('invalid_auth')) });

      // Act
      const results = await runDoctor(healthyDeps({ slack }));

      // Assess
      const auth = byId(results, 'slack.auth');
      assert.equal(auth.status, 'fail');
      assert.equal(auth.detail, 'Slack answered "invalid_auth".');
      assert.match(auth.fix ?? '', /bot token is invalid/);
      assert.ok(!results.some((r) => r.id === 'slack.channel'), 'nothing more with a bad token');
    });

    it('fails, naming the URL, when Slack cannot be reached, and warns when it rate-limits the check', async () => {
      // Prepare
      const unreachable = () =>
        fakeSlack({
          authTest: () =>
            Promise.reject(
              Object.assign(new Error('A request error occurred: fetch failed'), {
                code: 'slack_webapi_request_error',
              }),
            ),
        });
      const limited = () =>
        fakeSlack({
          authTest: () =>
            Promise.reject(
              Object.assign(new Error('A rate limit was exceeded'), {
                code: 'slack_webapi_rate_limited_error',
                retryAfter: 30,
              }),
            ),
        });

      // Act
      const a = byId(await runDoctor(healthyDeps({ slack: unreachable })), 'slack.auth');
      const b = byId(await runDoctor(healthyDeps({ slack: limited })), 'slack.auth');

      // Assess
      assert.equal(a.status, 'fail');
      assert.equal(
        a.detail,
        'Could not reach Slack at https://slack.com/api/: A request error occurred: fetch failed',
      );
      assert.match(a.fix ?? '', /SLACK_API_URL/);
      assert.equal(b.status, 'warn');
      assert.equal(b.detail, 'Cannot tell: Slack rate-limited the check.');
    });

    it('builds the client with the stored bot token', async () => {
      // Prepare
      const tokens: string[] = [];

      // Act
      await runDoctor(
        healthyDeps({
          slack: (token) => {
            tokens.push(token);
            return fakeSlack();
          },
        }),
      );

      // Assess
      assert.deepEqual(tokens, [BOT_TOKEN]);
    });

    it('fails missing scopes and warns when Slack does not say', async () => {
      // Prepare
      const missing = () => fakeSlack({ authTest: async () => ({ scopes: ['commands'] }) });
      const silent = () => fakeSlack({ authTest: async () => ({ scopes: null }) });

      // Act
      const a = byId(await runDoctor(healthyDeps({ slack: missing })), 'slack.scopes');
      const b = byId(await runDoctor(healthyDeps({ slack: silent })), 'slack.scopes');

      // Assess
      assert.equal(a.status, 'fail');
      assert.equal(a.detail, 'Missing: chat:write (granted: commands).');
      assert.equal(b.status, 'warn');
      assert.match(b.detail, /no x-oauth-scopes header/);
    });

    it('fails when the bot is not in the digest channel, saying how to invite it', async () => {
      // Prepare
      const slack = () =>
        fakeSlack({
          channelInfo: async (id) => ({ id, name: 'costs', isMember: false, isArchived: false }),
        });

      // Act
      const result = byId(await runDoctor(healthyDeps({ slack })), 'slack.channel');

      // Assess
      assert.equal(result.status, 'fail');
      assert.equal(
        result.detail,
        'The bot is not a member of #costs (C0COSTS01): the digest would fail with not_in_channel.',
      );
      assert.equal(result.fix, 'Invite it: type `/invite @costbot` in #costs.');
    });

    it('warns when channels:read is missing or the channel is given by name', async () => {
      // Prepare
      const noScope = () =>
        fakeSlack({ channelInfo: () => Promise.reject(slackError('missing_scope')) });
      const byName = () =>
        fakeSlack({ channelInfo: () => Promise.reject(slackError('channel_not_found')) });

      // Act
      const a = byId(await runDoctor(healthyDeps({ slack: noScope })), 'slack.channel');
      const b = byId(
        await runDoctor(
          healthyDeps({ slack: byName, config: { ...CONFIG, digestChannel: '#costs' } }),
        ),
        'slack.channel',
      );

      // Assess
      assert.equal(a.status, 'warn');
      assert.match(a.detail, /needs channels:read/);
      assert.equal(b.status, 'warn');
      assert.match(b.fix ?? '', /channel id/);
    });

    it('warns, with the reason, when there is no Slack', async () => {
      // Act
      const results = await runDoctor(
        healthyDeps({ slack: undefined, noSlackReason: 'No Slack here.' }),
      );

      // Assess
      assert.deepEqual(
        results.filter((r) => r.id.startsWith('slack.')),
        [
          {
            id: 'slack.auth',
            title: 'Slack token is valid',
            status: 'warn',
            detail: 'No Slack here.',
          },
        ],
      );
    });
  });

  describe('the schedule', () => {
    it('gives the next run in its time zone and in UTC', async () => {
      // Act
      const result = byId(await runDoctor(healthyDeps()), 'schedule.next');

      // Assess
      assert.equal(result.status, 'ok');
      assert.equal(
        result.detail,
        'Mon, 23 Nov 2026, 09:00 Europe/Berlin (2026-11-23 08:00 UTC), in 20 hours: cron(0 9 ? * MON-FRI *).',
      );
    });

    it('fails a bad expression, naming the field', async () => {
      // Act
      const result = byId(
        await runDoctor(
          healthyDeps({ schedule: { cron: 'cron(0 25 ? * MON-FRI *)', timeZone: 'UTC' } }),
        ),
        'schedule.next',
      );

      // Assess
      assert.equal(result.status, 'fail');
      assert.match(result.detail, /hours: "25" is not a value from 0 to 23/);
    });
  });

  describe('robustness', () => {
    it('from the bot, reports a refusal of its least-privilege role as a warning without a statement', async () => {
      // Prepare
      const billing = {
        listMetrics: () =>
          awsCall({ service: 'CloudWatch', operation: 'ListMetrics' }, () =>
            Promise.reject(
              sdkError(
                'AccessDenied',
                'User: arn:aws:sts::123456789012:assumed-role/costbot-bot/fn is not authorized to perform: cloudwatch:ListMetrics because no identity-based policy allows the cloudwatch:ListMetrics action',
                403,
              ),
            ),
          ),
      };

      // Act
      const results = await runDoctor(healthyDeps({ billing }), {
        only: BOT_CHECKS,
        perspective: 'bot',
      });

      // Assess
      const result = byId(results, 'billing.metrics');
      assert.equal(result.status, 'warn');
      assert.match(result.detail, /^Not checked from the bot: AWS denied cloudwatch:ListMetrics/);
      assert.equal(result.statement, undefined);
      assert.match(result.fix ?? '', /npm run doctor/);
    });

    it('runs only the groups asked for', async () => {
      // Act
      const results = await runDoctor(healthyDeps(), { only: BOT_CHECKS });

      // Assess
      const groups = new Set(results.map((r) => r.id.split('.')[0]));
      assert.deepEqual([...groups], ['parameter', 'slack', 'bucket', 'billing']);
    });

    it('fails a check that does not answer in time, and still reports the others', async () => {
      // Prepare
      const billing = { listMetrics: () => new Promise<never>(() => {}) };

      // Act
      const results = await runDoctor(healthyDeps({ billing, timeoutMs: 50 }));

      // Assess
      const result = byId(results, 'billing.metrics');
      assert.equal(result.status, 'fail');
      assert.equal(result.detail, 'No answer within 0.05 s.');
      assert.equal(byId(results, 'bucket.put').status, 'ok');
    });

    it('never throws, whatever a client throws', async () => {
      // Prepare
      const deps = healthyDeps({
        parameters: { get: () => Promise.reject('a string, not an Error') },
        billing: {
          listMetrics: () => {
            throw new TypeError('synchronous bug');
          },
        },
        identity: fakeIdentity({ accessKeyOwner: () => Promise.reject(null) }),
      });

      // Act
      const results = await runDoctor(deps);

      // Assess
      assert.equal(byId(results, 'parameter.slackBotToken').detail, 'a string, not an Error');
      assert.equal(byId(results, 'billing.metrics').detail, 'synchronous bug');
      assert.equal(exitCode(results), 1);
    });
  });
});

describe('Function: trustedPrincipals', () => {
  it('reads AWS principals of Allow statements for sts:AssumeRole only', () => {
    // Prepare
    const policy = JSON.stringify({
      Statement: [
        {
          Effect: 'Allow',
          Principal: { AWS: ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:root'] },
          Action: 'sts:AssumeRole',
        },
        {
          Effect: 'Deny',
          Principal: { AWS: 'arn:aws:iam::1:role/denied' },
          Action: 'sts:AssumeRole',
        },
        {
          Effect: 'Allow',
          Principal: { Service: 'lambda.amazonaws.com' },
          Action: 'sts:AssumeRole',
        },
        {
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::1:role/tag' },
          Action: 'sts:TagSession',
        },
      ],
    });

    // Act
    const principals = trustedPrincipals(policy);

    // Assess
    assert.deepEqual(principals, ['arn:aws:iam::1:role/a', 'arn:aws:iam::1:root']);
  });
});

describe('Function: formatDuration', () => {
  it('says days and hours, hours, or minutes', () => {
    // Act
    const texts = [7 * 86_400_000, 3 * 86_400_000 + 4 * 3_600_000, 5 * 3_600_000, 60_000, -5].map(
      formatDuration,
    );

    // Assess
    assert.deepEqual(texts, ['7 days', '3 days 4 hours', '5 hours', '1 minute', '0 minutes']);
  });
});
