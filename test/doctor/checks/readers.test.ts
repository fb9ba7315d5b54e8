/**
 * The reader-role check: each role can be assumed, and when not, which side refused.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsCall } from '../../../common/aws-errors.ts';
import { NotCheckableError } from '../../../common/errors.ts';
import { trustedPrincipals } from '../../../doctor/checks/readers.ts';
import { runDoctor } from '../../../doctor/run.ts';
import { byId, DEPLOYER, fakeIdentity, healthyDeps, sdkError } from '../support.ts';

const READER = 'arn:aws:iam::111111111111:role/costbot-cloudwatch-reader';

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

describe('Check: reader roles', () => {
  it('warns "cannot tell" for each role without IAM, naming why', async () => {
    // Prepare
    const other = 'arn:aws:iam::222222222222:role/costbot-cloudwatch-reader';

    // Act
    const results = await runDoctor(
      healthyDeps({
        identity: undefined,
        noIdentityReason: 'no STS on the moon',
        readerRoles: { arns: [READER, other] },
      }),
    );

    // Assess
    const readers = results.filter((r) => r.id.startsWith('reader.'));
    assert.deepEqual(
      readers.map((r) => [r.id, r.status, r.detail]),
      [
        [`reader.${READER}`, 'warn', 'Cannot tell: no STS on the moon.'],
        [`reader.${other}`, 'warn', 'Cannot tell: no STS on the moon.'],
      ],
    );
  });

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
