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
  PutRolePolicyCommand,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ReaderStack } from '../../infra/stacks/reader-stack.ts';
import { type MotoServer, startMoto } from '../support/moto.ts';
import { buildTestApp, EXTERNAL_ID, FETCH_ROLE_ARN } from './support/synth.ts';

const MOTO_ACCOUNT = '123456789012';

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

    /** Roles A (the fetch role) and B (any other), a reader trusting A; then IAM is enforced. */
    async function arrange(t: TestContext) {
      if (!moto) {
        t.skip('moto_server not installed');
        return undefined;
      }
      await moto.reset();
      const root = { accessKeyId: 'testing', secretAccessKey: 'testing' };
      const iam = new IAMClient({ ...clients, credentials: root });
      const trustUser = JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { AWS: `arn:aws:iam::${MOTO_ACCOUNT}:root` },
            Action: 'sts:AssumeRole',
          },
        ],
      });
      const roleArn = async (name: string, trust: string) =>
        (await iam.send(new CreateRoleCommand({ RoleName: name, AssumeRolePolicyDocument: trust })))
          .Role?.Arn as string;
      const fetchArn = await roleArn('costbot-fetch', trustUser);
      const otherArn = await roleArn('costbot-other', trustUser);
      const readerArn = await roleArn(
        'costbot-cloudwatch-reader',
        JSON.stringify(readerTrustPolicy(fetchArn, EXTERNAL_ID)),
      );
      // Both A and B may call sts:AssumeRole on anything: only the trust policy tells them apart.
      const assumeAnything = JSON.stringify({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Resource: '*' }],
      });
      for (const name of ['costbot-fetch', 'costbot-other']) {
        await iam.send(
          new PutRolePolicyCommand({
            RoleName: name,
            PolicyName: 'assume',
            PolicyDocument: assumeAnything,
          }),
        );
      }
      await iam.send(new CreateUserCommand({ UserName: 'tester' }));
      await iam.send(
        new PutUserPolicyCommand({
          UserName: 'tester',
          PolicyName: 'assume',
          PolicyDocument: assumeAnything,
        }),
      );
      const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'tester' }))).AccessKey;
      assert.ok(key?.AccessKeyId && key.SecretAccessKey);
      // From now on moto checks every request's credentials and policies.
      const res = await fetch(`${moto.endpoint}/moto-api/reset-auth`, {
        method: 'POST',
        body: '0',
      });
      assert.equal(res.status, 200);

      const tester = new STSClient({
        ...clients,
        credentials: { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey },
      });
      const as = async (arn: string) => {
        const c = (
          await tester.send(new AssumeRoleCommand({ RoleArn: arn, RoleSessionName: 'test' }))
        ).Credentials;
        assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken);
        return new STSClient({
          ...clients,
          credentials: {
            accessKeyId: c.AccessKeyId,
            secretAccessKey: c.SecretAccessKey,
            sessionToken: c.SessionToken,
          },
        });
      };
      return { fetchRole: await as(fetchArn), otherRole: await as(otherArn), readerArn };
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

    it('refuses another role of the same account, and the fetch role without the ExternalId', async (t) => {
      // Prepare
      const world = await arrange(t);
      if (!world) return;
      // Act
      const results = await Promise.allSettled([
        assume(world.otherRole, world.readerArn, EXTERNAL_ID),
        assume(world.fetchRole, world.readerArn),
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
