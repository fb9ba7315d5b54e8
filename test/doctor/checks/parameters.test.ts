/**
 * The parameter check: each parameter exists, decrypts, has the right shape and is a SecureString.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { awsCall } from '../../../common/aws-errors.ts';
import { exitCode, runDoctor } from '../../../doctor/run.ts';
import { byId, fakeParameters, healthyDeps, NAMES, sdkError, VALUES } from '../support.ts';

describe('Check: parameters', () => {
  it('passes each parameter that exists and decrypts as a SecureString', async () => {
    // Act
    const results = await runDoctor(healthyDeps());

    // Assess
    const parameters = results.filter((r) => r.id.startsWith('parameter.'));
    assert.deepEqual(
      parameters.map((r) => [r.id, r.status, r.detail]),
      [
        ['parameter.signerAccessKeyId', 'ok', 'Exists and decrypts (SecureString).'],
        ['parameter.signerSecretAccessKey', 'ok', 'Exists and decrypts (SecureString).'],
        ['parameter.slackBotToken', 'ok', 'Exists and decrypts (SecureString).'],
        ['parameter.slackSigningSecret', 'ok', 'Exists and decrypts (SecureString).'],
        ['parameter.linkKey', 'ok', 'Exists and decrypts (SecureString).'],
      ],
    );
    assert.equal(
      byId(results, 'parameter.slackBotToken').title,
      `Parameter ${NAMES.slackBotToken}`,
    );
  });

  it('passes a parameter the store cannot give a type for, saying only that it was read', async () => {
    // Act
    const results = await runDoctor(healthyDeps({ parameterType: undefined }));

    // Assess
    const token = byId(results, 'parameter.slackBotToken');
    assert.equal(token.status, 'ok');
    assert.equal(token.detail, 'Exists and was read.');
  });

  it('fails an empty parameter with the setup command', async () => {
    // Prepare
    const values = { ...VALUES, [NAMES.slackSigningSecret]: '' };

    // Act
    const results = await runDoctor(healthyDeps({ parameters: fakeParameters(values) }));

    // Assess
    const secret = byId(results, 'parameter.slackSigningSecret');
    assert.equal(secret.status, 'fail');
    assert.equal(secret.detail, `${NAMES.slackSigningSecret} is empty.`);
    assert.equal(secret.fix, 'Run `npm run setup` to store the value.');
  });

  it('takes the fix for a missing parameter from the backend when it has its own', async () => {
    // Prepare
    const { [NAMES.slackBotToken]: _gone, ...rest } = VALUES;
    const missingParameterFix = 'Add it to .costbot/parameters.json.';

    // Act
    const results = await runDoctor(
      healthyDeps({ parameters: fakeParameters(rest), missingParameterFix }),
    );

    // Assess
    const token = byId(results, 'parameter.slackBotToken');
    assert.equal(token.status, 'fail');
    assert.equal(token.fix, missingParameterFix);
  });

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
