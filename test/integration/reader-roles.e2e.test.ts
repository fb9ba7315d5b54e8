/**
 * The fetch step's reader roles against moto_server, whose STS evaluates trust policies (with
 * IAM enforcement on): the production handler, STS and CloudWatch clients, as the fetch Lambda
 * builds them, assume the reader role with the ExternalId and read the account's own billing
 * total with the assumed credentials; a caller the trust policy does not name gets
 * AwsAccessDeniedError.
 *
 * moto's limits shape the setup (see ../shared/FIELD-NOTES.md):
 * - The callers are IAM users, not roles: moto compares the caller's ARN literally with the
 *   trust policy's principal, and never equates a role session's ARN with its role's, as AWS
 *   does. The role-to-role case is proved by the IAM simulation (test/infra/least-privilege).
 * - The reader role lives in moto's default account, the callers' account: moto evaluates a
 *   trust policy only when the role is in the caller's account, so a role in another account
 *   would let anyone in. The account id the handler reads is still taken from the role's ARN.
 * - moto names CloudWatch's actions `monitoring:*` (the signing name), so the reader role's
 *   test policy allows those; the deployed role's policy is proved by the IAM simulation.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { STSClient } from '@aws-sdk/client-sts';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadConfig } from '../../common/config.ts';
import type { AccountFetched, ReportRequest } from '../../common/contract.ts';
import { AwsAccessDeniedError } from '../../common/errors.ts';
import { explainThrown } from '../../common/failure-explanation.ts';
import { createLogger } from '../../common/log.ts';
import { ReaderStack } from '../../infra/stacks/reader-stack.ts';
import {
  createFetchHandler,
  fetchDepsFromConfig,
  readerSessionsFromConfig,
} from '../../workflows/steps/fetch/handler.ts';
import { type MotoServer, motoEnv, skipWithoutMoto, startMoto } from '../support/moto.ts';

const ACCOUNT = '123456789012';
const ROLE_NAME = 'costbot-cloudwatch-reader';
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/${ROLE_NAME}`;
const EXTERNAL_ID = 'it-external-id';
const AS_OF = '2026-11-22T09:00:00.000Z';

/** moto enforces IAM after `count` more requests (`0`: from now on). */
async function motoAuth(moto: MotoServer, count: number): Promise<void> {
  const res = await fetch(`${moto.endpoint}/moto-api/reset-auth`, {
    method: 'POST',
    body: String(count),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The trust policy the reader stack synthesizes for `fetchRoleArn` and the ExternalId. */
function readerTrustPolicy(fetchRoleArn: string): unknown {
  const stack = new ReaderStack(new App(), 'Reader', {
    fetchRoleArn,
    externalId: EXTERNAL_ID,
    roleName: ROLE_NAME,
  });
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  const role = Object.values(roles)[0] as { Properties: { AssumeRolePolicyDocument: unknown } };
  return role.Properties.AssumeRolePolicyDocument;
}

/** The account's own cumulative USD total (no ServiceName, no LinkedAccount): 12 a day. */
function ownTotal() {
  return Array.from({ length: 10 }, (_, i) => ({
    MetricName: 'EstimatedCharges',
    Dimensions: [{ Name: 'Currency', Value: 'USD' }],
    Timestamp: new Date(`2026-11-${12 + i}T18:00:00Z`),
    Value: 12 * (12 + i),
    Unit: 'None' as const,
  }));
}

function request(requestId: string): ReportRequest {
  return {
    kind: 'digest',
    requestId,
    channel: 'C0COSTS01',
    period: 'mtd',
    asOf: AS_OF,
    accounts: [ACCOUNT],
  };
}

describe('Integration: reader roles against moto_server', () => {
  let moto: MotoServer | null = null;
  const saved = { ...process.env };
  const callers: Record<'a' | 'b', { accessKeyId: string; secretAccessKey: string }> = {
    a: { accessKeyId: '', secretAccessKey: '' },
    b: { accessKeyId: '', secretAccessKey: '' },
  };

  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    // Endpoint and region from the environment, as in production; credentials are per caller.
    Object.assign(process.env, motoEnv(moto));
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const iam = new IAMClient({});
    const allow = (Action: string[]) =>
      JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action, Resource: '*' }],
      });
    const user = async (name: string) => {
      const arn = (await iam.send(new CreateUserCommand({ UserName: name }))).User?.Arn;
      // Both may call sts:AssumeRole on anything: only the trust policy tells them apart. Neither
      // may read CloudWatch, so a successful read proves the role's credentials signed it.
      await iam.send(
        new PutUserPolicyCommand({
          UserName: name,
          PolicyName: 'fetch',
          PolicyDocument: allow(['sts:AssumeRole']),
        }),
      );
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
      assert.ok(arn && key?.AccessKeyId && key.SecretAccessKey);
      return {
        arn,
        credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey },
      };
    };
    const a = await user('costbot-fetch');
    const b = await user('someone-else');
    callers.a = a.credentials;
    callers.b = b.credentials;
    await iam.send(
      new CreateRoleCommand({
        RoleName: ROLE_NAME,
        AssumeRolePolicyDocument: JSON.stringify(readerTrustPolicy(a.arn)),
      }),
    );
    await iam.send(
      new PutRolePolicyCommand({
        RoleName: ROLE_NAME,
        PolicyName: 'read-metrics',
        PolicyDocument: allow(['monitoring:GetMetricData', 'monitoring:ListMetrics']),
      }),
    );
    await new CloudWatchClient({ disableRequestCompression: true }).send(
      new PutMetricDataCommand({ Namespace: 'AWS/Billing', MetricData: ownTotal() }),
    );
    // From now on moto checks every request's credentials, policies and trust policies.
    await motoAuth(moto, 0);
  });

  after(async () => {
    process.env = saved;
    await moto?.stop();
  });

  /** The production fetch handler with reader roles, its STS client signing as `caller`. */
  function handlerAs(caller: 'a' | 'b') {
    const config = loadConfig({
      COSTBOT_BACKEND: 'aws',
      COSTBOT_READER_ROLE_ARNS: ROLE_ARN,
      COSTBOT_READER_EXTERNAL_ID: EXTERNAL_ID,
    });
    const deps = fetchDepsFromConfig(config);
    return createFetchHandler({
      ...deps,
      log: createLogger({ step: 'fetch' }, { level: 'error' }),
      readers: readerSessionsFromConfig(
        config,
        new STSClient({ maxAttempts: 1, credentials: callers[caller] }),
      ),
    });
  }

  it('lets the trusted caller assume the reader role and read the account’s own total', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const fetchHandler = handlerAs('a');

    // Act
    const out: AccountFetched = await fetchHandler({
      request: request('it-reader-a'),
      accountId: ACCOUNT,
    });

    // Assess
    assert.equal(out.via, 'reader-role');
    assert.equal(out.accountId, ACCOUNT);
    assert.deepEqual(out.series?.dates, [
      '2026-11-12',
      '2026-11-13',
      '2026-11-14',
      '2026-11-15',
      '2026-11-16',
      '2026-11-17',
      '2026-11-18',
      '2026-11-19',
      '2026-11-20',
      '2026-11-21',
    ]);
    assert.equal(out.series?.values.at(-1), 12 * 21);
    assert.deepEqual(out.apiCalls, { getMetricData: 1, listMetrics: 0, metrics: 1 });
  });

  it('refuses a caller the trust policy does not name, with AwsAccessDeniedError', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const fetchHandler = handlerAs('b');

    // Act
    let caught: unknown;
    try {
      await fetchHandler({ request: request('it-reader-b'), accountId: ACCOUNT });
    } catch (error) {
      caught = error;
    }

    // Assess
    assert.ok(caught instanceof AwsAccessDeniedError, `got ${String(caught)}`);
    assert.match(caught.message, /^STS AssumeRole was denied \(AccessDenied\): /);
    assert.ok(caught.message.includes('someone-else'), caught.message);
    assert.ok(caught.message.includes('sts:AssumeRole'), caught.message);
    assert.match(explainThrown(caught).text, /sts:AssumeRole/);
  });
});
