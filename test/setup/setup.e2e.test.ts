/**
 * `npm run setup` against moto_server's IAM and SSM: the signer key is created once and written
 * as SecureString, rotation keeps the previous key active and says when to deactivate it, a
 * third key is refused, and no secret is ever printed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, type TestContext } from 'node:test';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
} from '@aws-sdk/client-iam';
import { GetParameterCommand, GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SetupError } from '../../common/errors.ts';
import { linkKeyBytes } from '../../common/link-token.ts';
import {
  LINK_LIFETIME_SECONDS,
  PARAMETER_CACHE_SECONDS,
  runSetup,
  type SetupClients,
  type SetupTarget,
  targetFromOutputs,
} from '../../setup/setup.ts';
import { type MotoServer, startMoto } from '../support/moto.ts';

const TOKEN = 'xoxb-1111-2222-abcdefABCDEF';
const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
const NOW = new Date('2025-03-01T12:00:00Z');

const target: SetupTarget = targetFromOutputs({
  SignerUserName: 'Costbot-SignerUser-TEST',
  SignerAccessKeyIdParameter: '/costbot/signer/access-key-id',
  SignerSecretAccessKeyParameter: '/costbot/signer/secret-access-key',
  SlackBotTokenParameter: '/costbot/slack/bot-token',
  SlackSigningSecretParameter: '/costbot/slack/signing-secret',
  LinkKeyParameter: '/costbot/links/hmac-key',
});

let moto: MotoServer | null;
let clients: SetupClients & { iam: IAMClient; ssm: SSMClient };

async function arrange(t: TestContext): Promise<boolean> {
  if (!moto) {
    t.skip('moto_server not installed');
    return false;
  }
  await moto.reset();
  await clients.iam.send(new CreateUserCommand({ UserName: target.signerUserName }));
  return true;
}

/** Runs setup and keeps what it printed. */
async function setup(options: Parameters<typeof runSetup>[2]) {
  const lines: string[] = [];
  const result = await runSetup(clients, target, { now: () => NOW, ...options }, (l) =>
    lines.push(l),
  );
  return { result, out: lines.join('\n') };
}

async function parameter(name: string) {
  return (await clients.ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true })))
    .Parameter;
}

async function keys() {
  return (
    (await clients.iam.send(new ListAccessKeysCommand({ UserName: target.signerUserName })))
      .AccessKeyMetadata ?? []
  );
}

describe('npm run setup (setup/setup.ts) against moto_server', () => {
  before(async () => {
    moto = await startMoto();
    const config = {
      region: 'us-east-1',
      endpoint: moto?.endpoint ?? 'http://127.0.0.1:9',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    };
    clients = { iam: new IAMClient(config), ssm: new SSMClient(config) };
  });
  after(async () => {
    await moto?.stop();
  });

  it('creates the signer key and writes all five SecureString parameters, printing no secret', async (t) => {
    // Prepare
    if (!(await arrange(t))) return;
    // Act
    const { result, out } = await setup({
      rotate: false,
      slackBotToken: TOKEN,
      slackSigningSecret: SIGNING_SECRET,
    });
    // Assess
    const id = await parameter(target.parameters.signerAccessKeyId);
    const secret = await parameter(target.parameters.signerSecretAccessKey);
    assert.equal(result.created, true);
    assert.equal(id?.Type, 'SecureString');
    assert.equal(secret?.Type, 'SecureString');
    assert.equal(id?.Value, result.accessKeyId);
    assert.deepEqual(
      (await keys()).map((k) => k.AccessKeyId),
      [result.accessKeyId],
    );
    assert.equal((await parameter(target.parameters.slackBotToken))?.Value, TOKEN);
    assert.equal((await parameter(target.parameters.slackSigningSecret))?.Type, 'SecureString');
    assert.ok(secret?.Value && secret.Value.length >= 20);
    const linkKey = await parameter(target.parameters.linkKey);
    assert.equal(linkKey?.Type, 'SecureString');
    assert.equal(linkKeyBytes(linkKey?.Value ?? '', 'test').length, 32);
    for (const value of [secret.Value, TOKEN, SIGNING_SECRET, linkKey?.Value ?? '']) {
      assert.ok(!out.includes(value));
    }
    assert.match(out, new RegExp(result.accessKeyId));
  });

  it('is idempotent: a second run keeps the key and the Slack values', async (t) => {
    // Prepare
    if (!(await arrange(t))) return;
    const first = await setup({
      rotate: false,
      slackBotToken: TOKEN,
      slackSigningSecret: SIGNING_SECRET,
    });
    const linkKey = (await parameter(target.parameters.linkKey))?.Value;
    // Act
    const second = await setup({ rotate: false });
    // Assess
    assert.equal(second.result.created, false);
    // A new link key would break every stable link already posted.
    assert.equal((await parameter(target.parameters.linkKey))?.Value, linkKey);
    assert.deepEqual(second.result.slackWritten, []);
    assert.equal(second.result.accessKeyId, first.result.accessKeyId);
    assert.equal((await keys()).length, 1);
    assert.match(second.out, /already in .*kept \(--rotate replaces it\)/);
    assert.equal((await parameter(target.parameters.slackBotToken))?.Value, TOKEN);
  });

  it('--rotate writes a new key and keeps the previous one ACTIVE until its links expired', async (t) => {
    // Prepare
    if (!(await arrange(t))) return;
    const first = await setup({
      rotate: false,
      slackBotToken: TOKEN,
      slackSigningSecret: SIGNING_SECRET,
    });
    // Act
    const rotated = await setup({ rotate: true });
    // Assess
    const all = await keys();
    assert.equal(rotated.result.created, true);
    assert.notEqual(rotated.result.accessKeyId, first.result.accessKeyId);
    assert.equal(
      (await parameter(target.parameters.signerAccessKeyId))?.Value,
      rotated.result.accessKeyId,
    );
    assert.deepEqual(
      all.map((k) => [k.AccessKeyId, k.Status]).sort(),
      [
        [first.result.accessKeyId, 'Active'],
        [rotated.result.accessKeyId, 'Active'],
      ].sort(),
    );
    const after = new Date(
      NOW.getTime() + (LINK_LIFETIME_SECONDS + PARAMETER_CACHE_SECONDS) * 1000,
    );
    assert.deepEqual(rotated.result.previous, {
      accessKeyId: first.result.accessKeyId,
      deactivateAfter: after,
    });
    assert.match(rotated.out, new RegExp(`${first.result.accessKeyId} stays ACTIVE`));
    assert.match(rotated.out, new RegExp(`Deactivate it after ${after.toISOString()}`));
    assert.match(rotated.out, /update-access-key .* --status Inactive/);
  });

  it('refuses to rotate while the user has two keys, changing nothing', async (t) => {
    // Prepare
    if (!(await arrange(t))) return;
    await setup({ rotate: false, slackBotToken: TOKEN, slackSigningSecret: SIGNING_SECRET });
    await setup({ rotate: true });
    const before = await clients.ssm.send(
      new GetParametersCommand({
        Names: [target.parameters.signerAccessKeyId, target.parameters.signerSecretAccessKey],
        WithDecryption: true,
      }),
    );
    // Act
    const error = await setup({ rotate: true }).then(
      () => assert.fail('should refuse'),
      (e: unknown) => e as Error,
    );
    // Assess
    assert.ok(error instanceof SetupError);
    assert.match(error.message, /already has two access keys/);
    assert.match(error.message, /delete-access-key/);
    assert.equal((await keys()).length, 2);
    const afterwards = await clients.ssm.send(
      new GetParametersCommand({
        Names: [target.parameters.signerAccessKeyId, target.parameters.signerSecretAccessKey],
        WithDecryption: true,
      }),
    );
    assert.deepEqual(
      afterwards.Parameters?.map((p) => p.Value),
      before.Parameters?.map((p) => p.Value),
    );
  });

  it('replaces a key the parameters do not hold (e.g. made by hand) only while IAM allows one more', async (t) => {
    // Prepare
    if (!(await arrange(t))) return;
    await clients.iam.send(new CreateAccessKeyCommand({ UserName: target.signerUserName }));
    // Act
    const { result } = await setup({
      rotate: false,
      slackBotToken: TOKEN,
      slackSigningSecret: SIGNING_SECRET,
    });
    // Assess
    assert.equal(result.created, true);
    assert.equal((await keys()).length, 2);
  });

  it('asks for the Slack values before changing anything when none is stored', async (t) => {
    // Prepare
    if (!(await arrange(t))) return;
    // Act
    const error = await setup({ rotate: false }).then(
      () => assert.fail('should refuse'),
      (e: unknown) => e as Error,
    );
    // Assess
    assert.ok(error instanceof SetupError);
    assert.match(error.message, /--slack-bot-token or SLACK_BOT_TOKEN/);
    assert.match(error.message, /--slack-signing-secret or SLACK_SIGNING_SECRET/);
    assert.equal((await keys()).length, 0);
  });
});

describe('setup inputs', () => {
  it('rejects a token that is not a bot token, and names missing stack outputs', async () => {
    // Prepare
    const offline = { iam: { send: async () => ({}) }, ssm: { send: async () => ({}) } } as never;
    // Act
    const bad = runSetup(
      offline,
      target,
      { rotate: false, slackBotToken: 'xoxp-user-token' },
      () => {},
    );
    // Assess
    await assert.rejects(bad, /must start with "xoxb-"/);
    assert.throws(() => targetFromOutputs({}), /no output SignerUserName: deploy it first/);
  });
});
