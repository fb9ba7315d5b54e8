/**
 * The reader stack deployed in member accounts: its role trusts the fetch role's ARN (not the
 * account root) and only with the ExternalId. Proved twice: on the template, and against
 * moto_server's STS, which evaluates trust policies (with IAM enforcement on).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import {
  CreateAccessKeyCommand,
  CreateRoleCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ReaderStack } from '../../infra/stacks/reader-stack.ts';
import { type MotoServer, startMoto } from '../support/moto.ts';
import { buildTestApp, EXTERNAL_ID, FETCH_ROLE_ARN } from './support/synth.ts';

/** moto enforces IAM after `count` more requests (`0`: from now on). */
async function motoAuth(moto: MotoServer, count: number): Promise<void> {
  const res = await fetch(`${moto.endpoint}/moto-api/reset-auth`, {
    method: 'POST',
    body: String(count),
  });
  assert.equal(res.status, 200, await res.text());
}

function readerTrustPolicy(fetchRoleArn: string, externalId: string): unknown {
  const stack = new ReaderStack(new App(), 'Reader', {
    fetchRoleArn,
    externalId,
    roleName: 'costbot-cloudwatch-reader',
  });
  const roles = Template.fromStack(stack).findResources('AWS::IAM::Role');
  const role = Object.values(roles)[0] as { Properties: { AssumeRolePolicyDocument: unknown } };
  return role.Properties.AssumeRolePolicyDocument;
}

describe('Reader stack', () => {
  describe('template', () => {
    let template: Template;
    before(() => {
      const { reader } = buildTestApp({ withBot: false });
      assert.ok(reader);
      template = Template.fromStack(reader);
    });

    it("trusts the fetch role's ARN, never an account root, and requires the ExternalId", () => {
      // Prepare / Act
      const roles = template.findResources('AWS::IAM::Role');
      // Assess
      assert.equal(Object.keys(roles).length, 1);
      template.hasResourceProperties('AWS::IAM::Role', {
        RoleName: 'costbot-cloudwatch-reader',
        AssumeRolePolicyDocument: {
          Statement: [
            {
              Action: 'sts:AssumeRole',
              Effect: 'Allow',
              Principal: { AWS: FETCH_ROLE_ARN },
              Condition: { StringEquals: { 'sts:ExternalId': EXTERNAL_ID } },
            },
          ],
        },
      });
      assert.doesNotMatch(JSON.stringify(roles), /:root/);
    });

    it('reads CloudWatch metrics only', () => {
      // Prepare / Act / Assess
      template.hasResourceProperties('AWS::IAM::Policy', {
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'],
              Resource: '*',
            }),
          ],
        },
      });
      template.hasOutput('ReaderRoleArn', {});
    });

    it('is synthesized only when fetchRoleArn is given', () => {
      // Prepare / Act
      const { reader } = buildTestApp({ withBot: false, fetchRoleArn: '' });
      // Assess
      assert.equal(reader, undefined);
    });
  });

  describe('moto_server STS (trust policy evaluated)', () => {
    let moto: MotoServer | null;
    const clients = { region: 'us-east-1', endpoint: '' };

    before(async () => {
      moto = await startMoto();
      if (moto) clients.endpoint = moto.endpoint;
    });
    after(async () => {
      await moto?.stop();
    });

    /**
     * Principals A (stands for the fetch role) and B (any other principal of the account), and
     * the reader role with the trust policy the reader stack synthesizes for A; then moto
     * enforces IAM. A and B are IAM users: moto 5.2.1 compares the caller's ARN literally with
     * the trust policy's principal, and a role's caller ARN is its session
     * (`arn:aws:sts::…:assumed-role/A/…`), which moto never equates with `arn:aws:iam::…:role/A`
     * as AWS does. The role-to-role case is proved by the policy simulation
     * (least-privilege.spec.ts), which models role sessions.
     */
    async function arrange(t: TestContext) {
      if (!moto) {
        t.skip('moto_server not installed');
        return undefined;
      }
      // Enforcement off while arranging (a previous test turned it on), then forget everything.
      await motoAuth(moto, 1_000_000);
      await moto.reset();
      const iam = new IAMClient({
        ...clients,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      // Both may call sts:AssumeRole on anything: only the trust policy tells them apart.
      const assumeAnything = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
      });
      const principal = async (name: string) => {
        const arn = (await iam.send(new CreateUserCommand({ UserName: name }))).User?.Arn;
        await iam.send(
          new PutUserPolicyCommand({
            UserName: name,
            PolicyName: 'assume',
            PolicyDocument: assumeAnything,
          }),
        );
        const key = (await iam.send(new CreateAccessKeyCommand({ UserName: name }))).AccessKey;
        assert.ok(arn && key?.AccessKeyId && key.SecretAccessKey);
        const sts = new STSClient({
          ...clients,
          credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey },
        });
        return { arn, sts };
      };
      const a = await principal('costbot-fetch');
      const b = await principal('someone-else');
      const readerArn = (
        await iam.send(
          new CreateRoleCommand({
            RoleName: 'costbot-cloudwatch-reader',
            AssumeRolePolicyDocument: JSON.stringify(readerTrustPolicy(a.arn, EXTERNAL_ID)),
          }),
        )
      ).Role?.Arn;
      assert.ok(readerArn);
      // From now on moto checks every request's credentials, policies and trust policies.
      await motoAuth(moto, 0);
      return { fetchRole: a.sts, otherRole: b.sts, readerArn };
    }

    const assume = (sts: STSClient, roleArn: string, externalId?: string) =>
      sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: 'costbot-fetch',
          ...(externalId ? { ExternalId: externalId } : {}),
        }),
      );

    it('lets the fetch role assume the reader role with the ExternalId', async (t) => {
      // Prepare
      const world = await arrange(t);
      if (!world) return;
      // Act
      const out = await assume(world.fetchRole, world.readerArn, EXTERNAL_ID);
      // Assess
      assert.match(String(out.AssumedRoleUser?.Arn), /assumed-role\/costbot-cloudwatch-reader\//);
    });

    // A call without any ExternalId is not tried here: moto 5.2.1 lets a StringEquals on a
    // missing key pass (AWS denies it). The policy simulation proves that case.
    it('refuses another principal of the account, and the fetch role with a wrong ExternalId', async (t) => {
      // Prepare
      const world = await arrange(t);
      if (!world) return;
      // Act
      const results = await Promise.allSettled([
        assume(world.otherRole, world.readerArn, EXTERNAL_ID),
        assume(world.fetchRole, world.readerArn, 'wrong-id'),
      ]);
      // Assess
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.match(String((r as PromiseRejectedResult).reason?.name), /AccessDenied/);
      }
    });
  });
});
