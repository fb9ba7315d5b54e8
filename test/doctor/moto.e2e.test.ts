/**
 * `npm run doctor` with COSTBOT_BACKEND=aws against moto_server (and a fake Slack Web API on
 * 127.0.0.1): a healthy setup passes, then each check is broken on purpose and must say so.
 * Every test starts from a reset moto and the same seed, minus what it breaks.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
  UpdateAccessKeyCommand,
} from '@aws-sdk/client-iam';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { DeleteParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { doctorCli } from '../../doctor/cli.ts';
import type { CheckResult } from '../../doctor/types.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../faults/slack-api.ts';
import { type MotoServer, motoEnv, skipWithoutMoto, startMoto } from '../support/moto.ts';
import { byId } from './support.ts';

const ACCOUNT = '123456789012';
const CHANNEL = 'C0COSTS01';
const BOT_TOKEN = 'xoxb-moto-doctor-token';
const NOW = new Date('2026-11-22T12:00:00Z');

interface Seed {
  bucket?: boolean;
  metrics?: boolean;
  /** Parameter values to store instead of the defaults; null: do not store it. */
  values?: Record<string, string | null>;
  type?: 'SecureString' | 'String';
}

let moto: MotoServer | null = null;
let slack: FakeSlackApi;
const saved = { ...process.env };
let signerKeyId = '';

/** moto's IAM enforcement: on from the next request, or off. */
async function enforceAuth(on: boolean): Promise<void> {
  const res = await fetch(`${moto?.endpoint}/moto-api/reset-auth`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: on ? '0' : 'inf',
  });
  assert.equal(res.status, 200, await res.text());
}

async function seed(options: Seed = {}): Promise<void> {
  await moto?.reset();
  const iam = new IAMClient({});
  await iam.send(new CreateUserCommand({ UserName: 'costbot-signer' }));
  const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'costbot-signer' }));
  signerKeyId = key.AccessKey?.AccessKeyId ?? '';
  const values: Record<string, string | null> = {
    '/costbot/signer/access-key-id': signerKeyId,
    '/costbot/signer/secret-access-key': key.AccessKey?.SecretAccessKey ?? '',
    '/costbot/slack/bot-token': BOT_TOKEN,
    '/costbot/slack/signing-secret': 'moto-doctor-signing-secret-0123456789',
    '/costbot/links/hmac-key': 'moto-doctor-link-key-0123456789abcdef0123456789abcdef',
    ...options.values,
  };
  const ssm = new SSMClient({});
  for (const [Name, Value] of Object.entries(values)) {
    if (Value === null) continue;
    await ssm.send(
      new PutParameterCommand({
        Name,
        Value,
        Type: options.type ?? 'SecureString',
        Overwrite: true,
      }),
    );
  }
  if (options.bucket !== false) {
    await new S3Client({ forcePathStyle: true }).send(
      new CreateBucketCommand({ Bucket: 'costbot-charts' }),
    );
  }
  if (options.metrics !== false) {
    const cloudwatch = new CloudWatchClient({ disableRequestCompression: true });
    for (const service of [null, 'AmazonEC2', 'AmazonS3']) {
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Billing',
          MetricData: [
            {
              MetricName: 'EstimatedCharges',
              Dimensions: [
                { Name: 'Currency', Value: 'USD' },
                ...(service ? [{ Name: 'ServiceName', Value: service }] : []),
              ],
              Timestamp: new Date(),
              Value: 12.5,
            },
          ],
        }),
      );
    }
  }
}

async function doctor(
  argv: string[] = [],
): Promise<{ code: number; results: CheckResult[]; err: string }> {
  let out = '';
  let err = '';
  const code = await doctorCli(
    ['--json', ...argv],
    process.env,
    {
      stdout: (t) => {
        out += t;
      },
      stderr: (t) => {
        err += t;
      },
    },
    { now: () => NOW },
  );
  return { code, results: out ? (JSON.parse(out) as CheckResult[]) : [], err };
}

describe('npm run doctor against moto_server', () => {
  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    slack = await startFakeSlackApi(BOT_TOKEN);
    Object.assign(process.env, motoEnv(moto), {
      COSTBOT_BACKEND: 'aws',
      COSTBOT_DIGEST_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.apiUrl,
    });
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
  });

  after(async () => {
    process.env = saved;
    await slack?.close();
    await moto?.stop();
  });

  beforeEach(() => {
    if (!moto) return;
    slack.reset();
    slack.validToken = BOT_TOKEN;
    slack.memberOf = new Set([CHANNEL]);
  });

  it('passes a healthy setup, checking every parameter, the key, billing, bucket and Slack', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed();

    // Act
    const { code, results } = await doctor();

    // Assess
    assert.equal(
      code,
      0,
      JSON.stringify(
        results.filter((r) => r.status !== 'ok'),
        null,
        2,
      ),
    );
    assert.deepEqual(
      results.filter((r) => r.status !== 'ok'),
      [],
    );
    assert.equal(
      byId(results, 'parameter.signerSecretAccessKey').detail,
      'Exists and decrypts (SecureString).',
    );
    assert.match(byId(results, 'signer.key-active').detail, /of IAM user costbot-signer is active/);
    assert.match(
      byId(results, 'billing.metrics').detail,
      /^3 EstimatedCharges series \(2 by service/,
    );
    assert.match(byId(results, 'slack.auth').detail, /bot user U0COSTBOT in workspace Acme/);
    assert.deepEqual(
      slack.calls.map((c) => c.method),
      ['auth.test', 'conversations.info'],
    );
  });

  it('fails a missing parameter', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed();
    await new SSMClient({}).send(
      new DeleteParameterCommand({ Name: '/costbot/slack/signing-secret' }),
    );

    // Act
    const { code, results } = await doctor();

    // Assess
    assert.equal(code, 1);
    const result = byId(results, 'parameter.slackSigningSecret');
    assert.equal(result.status, 'fail');
    assert.equal(result.detail, '/costbot/slack/signing-secret does not exist.');
    assert.match(result.fix ?? '', /npm run setup/);
  });

  it('warns about secrets stored as plain String parameters', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed({ type: 'String' });

    // Act
    const { results } = await doctor();

    // Assess
    assert.equal(byId(results, 'parameter.slackBotToken').status, 'warn');
    assert.match(byId(results, 'parameter.slackBotToken').detail, /plain String/);
  });

  it('fails a session key (ASIA…) as the signer', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed({ values: { '/costbot/signer/access-key-id': 'ASIAIOSFODNN7EXAMPLE' } });

    // Act
    const { code, results } = await doctor();

    // Assess
    assert.equal(code, 1);
    assert.equal(byId(results, 'signer.key-type').status, 'fail');
    assert.match(byId(results, 'signer.key-type').detail, /temporary session key \(ASIA…\)/);
  });

  it('fails an inactive signer key, and a key IAM does not know', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed();
    await new IAMClient({}).send(
      new UpdateAccessKeyCommand({
        UserName: 'costbot-signer',
        AccessKeyId: signerKeyId,
        Status: 'Inactive',
      }),
    );

    // Act
    const inactive = await doctor();
    await seed({ values: { '/costbot/signer/access-key-id': 'AKIAIOSFODNN7EXAMPLE' } });
    const unknown = await doctor();

    // Assess
    assert.equal(byId(inactive.results, 'signer.key-active').status, 'fail');
    assert.match(
      byId(inactive.results, 'signer.key-active').detail,
      /is Inactive: links signed with it do not open/,
    );
    assert.match(byId(inactive.results, 'signer.link-lifetime').detail, /^None:/);
    assert.equal(byId(unknown.results, 'signer.key-active').status, 'fail');
    assert.match(
      byId(unknown.results, 'signer.key-active').detail,
      /does not exist in this account/,
    );
  });

  it('fails when there are no billing metrics: billing alerts off, or not the payer account', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed({ metrics: false });

    // Act
    const { code, results } = await doctor();

    // Assess
    assert.equal(code, 1);
    const result = byId(results, 'billing.metrics');
    assert.equal(result.status, 'fail');
    assert.match(
      result.detail,
      /billing alerts are off \(Billing preferences → Receive Billing Alerts\) or this is not the payer account/,
    );
  });

  it('fails a missing bucket', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed({ bucket: false });

    // Act
    const { code, results } = await doctor();

    // Assess
    assert.equal(code, 1);
    assert.equal(
      byId(results, 'bucket.put').detail,
      'The bucket costbot-charts does not exist (or not in this account and region).',
    );
  });

  it('fails an invalid Slack token, with the hint', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed();
    slack.validToken = 'xoxb-the-current-token';

    // Act
    const { code, results } = await doctor();

    // Assess
    assert.equal(code, 1);
    const auth = byId(results, 'slack.auth');
    assert.equal(auth.detail, 'Slack answered "invalid_auth".');
    assert.match(auth.fix ?? '', /store the current `xoxb-` token/);
    assert.equal(slack.calls[0]?.token, BOT_TOKEN, 'the stored token was presented');
  });

  it('fails when the bot is not in the digest channel, and when a scope is missing', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    await seed();
    slack.memberOf = new Set();
    slack.scopes = ['commands'];

    // Act
    const { results } = await doctor();
    slack.scopes = ['commands', 'chat:write'];

    // Assess
    assert.equal(byId(results, 'slack.channel').status, 'fail');
    assert.match(byId(results, 'slack.channel').detail, /not a member of #costs \(C0COSTS01\)/);
    assert.equal(byId(results, 'slack.scopes').detail, 'Missing: chat:write (granted: commands).');
  });

  describe('reader roles, with moto enforcing IAM (it honours trust policies)', () => {
    const OTHER = `arn:aws:iam::${ACCOUNT}:role/reader-trusts-another`;
    const TRUSTING = `arn:aws:iam::${ACCOUNT}:role/reader-trusts-deployer`;
    let deployer = { AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' };

    const trust = (principal: string) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { AWS: principal }, Action: 'sts:AssumeRole' }],
      });

    beforeEach(async () => {
      if (!moto) return;
      await seed();
      const iam = new IAMClient({});
      await iam.send(new CreateUserCommand({ UserName: 'deployer' }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'deployer',
          PolicyName: 'everything',
          PolicyDocument: JSON.stringify({
            Version: '2012-10-17',
            Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }],
          }),
        }),
      );
      const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'deployer' }));
      deployer = {
        AWS_ACCESS_KEY_ID: key.AccessKey?.AccessKeyId ?? '',
        AWS_SECRET_ACCESS_KEY: key.AccessKey?.SecretAccessKey ?? '',
      };
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'reader-trusts-another',
          AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:role/costbot-fetch`),
        }),
      );
      await iam.send(
        new CreateRoleCommand({
          RoleName: 'reader-trusts-deployer',
          AssumeRolePolicyDocument: trust(`arn:aws:iam::${ACCOUNT}:user/deployer`),
        }),
      );
    });

    it('passes a role that trusts the caller and blames the trust policy of one that names another principal', async (t) => {
      if (skipWithoutMoto(t, moto)) return;
      // Prepare
      const env = { ...process.env };
      Object.assign(process.env, deployer);
      await enforceAuth(true);

      // Act: one run per role, as a deployment names one reader role per account
      let trusting: Awaited<ReturnType<typeof doctor>>;
      let refusing: Awaited<ReturnType<typeof doctor>>;
      try {
        trusting = await doctor(['-c', `readerRoleArns=${TRUSTING}`]);
        refusing = await doctor(['-c', `readerRoleArns=${OTHER}`]);
      } finally {
        await enforceAuth(false);
        process.env = env;
      }

      // Assess
      assert.equal(refusing.code, 1, refusing.err);
      const ok = byId(trusting.results, `reader.${TRUSTING}`);
      assert.equal(ok.status, 'ok', ok.detail);
      assert.match(
        ok.detail,
        /^Assumed as arn:aws:sts::123456789012:assumed-role\/reader-trusts-deployer\/costbot-doctor/,
      );
      const refused = byId(refusing.results, `reader.${OTHER}`);
      assert.equal(refused.status, 'fail');
      assert.equal(
        refused.detail,
        `The trust policy of ${OTHER} trusts arn:aws:iam::${ACCOUNT}:role/costbot-fetch, not arn:aws:iam::${ACCOUNT}:user/deployer: the role's trust policy refused the call, not the caller's own policy.`,
      );
      assert.match(
        refused.fix ?? '',
        /Add arn:aws:iam::123456789012:user\/deployer as a Principal/,
      );
      const others = [...trusting.results, ...refusing.results].filter(
        (r) => !r.id.startsWith('reader.') && r.status === 'fail',
      );
      assert.deepEqual(
        others,
        [],
        'with IAM enforced, the rest still passes for an allowed deployer',
      );
    });
  });
});
