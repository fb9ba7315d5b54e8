/**
 * The signer check: the link-signing key is a permanent, active key within its rotation, and how
 * long a link signed now lives.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsCall } from '../../../common/aws-errors.ts';
import { exitCode, runDoctor } from '../../../doctor/run.ts';
import {
  byId,
  CONFIG,
  DEPLOYER,
  fakeIdentity,
  fakeParameters,
  healthyDeps,
  KEY_ID,
  NAMES,
  NOW,
  sdkError,
  VALUES,
} from '../support.ts';

const DAY = 86_400_000;

describe('Check: the link-signing key', () => {
  it('passes an active IAM user key within its rotation, and links live their full 7 days', async () => {
    // Act
    const results = await runDoctor(healthyDeps());

    // Assess
    assert.deepEqual(
      results.filter((r) => r.id.startsWith('signer.')).map((r) => [r.id, r.status, r.detail]),
      [
        [
          'signer.key-type',
          'ok',
          'AKIA…MPLE is a long-term IAM user key: links can live the full 7 days.',
        ],
        [
          'signer.key-active',
          'ok',
          'AKIA…MPLE of IAM user costbot-signer is active, last used 2026-11-21.',
        ],
        [
          'signer.key-age',
          'ok',
          'Created 2026-10-01: 52 days old; rotation due 2026-12-30 (in 37 days 12 hours).',
        ],
        ['signer.link-lifetime', 'ok', '7 days (until 2026-11-29 12:00 UTC).'],
      ],
    );
  });

  it('says "never used yet" for a key IAM has no use of', async () => {
    // Prepare
    const identity = fakeIdentity({ accessKeyOwner: async () => ({ userName: 'costbot-signer' }) });

    // Act
    const active = byId(await runDoctor(healthyDeps({ identity })), 'signer.key-active');

    // Assess
    assert.equal(active.status, 'ok');
    assert.match(active.detail, /is active, never used yet\.$/);
  });

  it('warns when the parameter holds no AWS access key id, and looks no further', async () => {
    // Prepare
    const values = { ...VALUES, [NAMES.signerAccessKeyId]: 'not-a-key-id' };

    // Act
    const results = await runDoctor(healthyDeps({ parameters: fakeParameters(values) }));

    // Assess
    const type = byId(results, 'signer.key-type');
    assert.equal(type.status, 'warn');
    assert.equal(
      type.detail,
      `${NAMES.signerAccessKeyId} does not hold an AWS access key id (AKIA…).`,
    );
    assert.deepEqual(
      results.filter((r) => r.id.startsWith('signer.')).map((r) => r.id),
      ['signer.key-type'],
    );
  });

  it('warns "not checked" when the key id could not be read', async () => {
    // Prepare
    const { [NAMES.signerAccessKeyId]: _gone, ...rest } = VALUES;

    // Act
    const results = await runDoctor(healthyDeps({ parameters: fakeParameters(rest) }));

    // Assess
    assert.deepEqual(
      results.filter((r) => r.id.startsWith('signer.')),
      [
        {
          id: 'signer.key',
          title: 'Link-signing key',
          status: 'warn',
          detail: `Not checked: ${NAMES.signerAccessKeyId} could not be read (see the parameter check).`,
        },
      ],
    );
  });

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
