/**
 * Bolt's convention for local runs: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET from the
 * environment win over the parameter store, for every part of a local process (the Bolt
 * receiver, the console's Web API, the Post step's reader), while unset ones are still read.
 */
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { withSlackSecretOverrides } from '../../bot/secrets.ts';
import { loadConfig } from '../../common/config.ts';
import { createLogger } from '../../common/log.ts';
import type { ParameterReader } from '../../common/parameters.ts';
import { type LocalBot, startLocalBot } from '../../local/bot-server.ts';

const NAMES = loadConfig({}).parameterNames;
const BOT_TOKEN = 'xoxb-from-the-environment';
const SIGNING_SECRET = 'a'.repeat(32);

/** A parameter store holding every name, recording what it was asked for. */
function store(): { reader: ParameterReader; asked: string[][] } {
  const asked: string[][] = [];
  return {
    asked,
    reader: {
      get: async (names) => {
        asked.push(names);
        return Object.fromEntries(names.map((name) => [name, `stored:${name}`]));
      },
    },
  };
}

describe('Function: withSlackSecretOverrides', () => {
  it('answers both Slack parameters from the environment without asking the store', async () => {
    // Prepare
    const { reader, asked } = store();
    const parameters = withSlackSecretOverrides(reader, NAMES, {
      botToken: BOT_TOKEN,
      signingSecret: SIGNING_SECRET,
    });

    // Act
    const values = await parameters.get([NAMES.slackBotToken, NAMES.slackSigningSecret]);

    // Assess
    assert.deepEqual(values, {
      [NAMES.slackBotToken]: BOT_TOKEN,
      [NAMES.slackSigningSecret]: SIGNING_SECRET,
    });
    assert.deepEqual(asked, []);
  });

  it('reads from the store what the environment does not give', async () => {
    // Prepare
    const { reader, asked } = store();
    const parameters = withSlackSecretOverrides(reader, NAMES, { botToken: BOT_TOKEN });

    // Act
    const values = await parameters.get([
      NAMES.slackBotToken,
      NAMES.slackSigningSecret,
      NAMES.signerAccessKeyId,
    ]);

    // Assess
    assert.deepEqual(values, {
      [NAMES.slackBotToken]: BOT_TOKEN,
      [NAMES.slackSigningSecret]: `stored:${NAMES.slackSigningSecret}`,
      [NAMES.signerAccessKeyId]: `stored:${NAMES.signerAccessKeyId}`,
    });
    assert.deepEqual(asked, [[NAMES.slackSigningSecret, NAMES.signerAccessKeyId]]);
  });

  it('returns the store itself when the environment gives no Slack secret', () => {
    // Prepare
    const { reader } = store();

    // Act
    const parameters = withSlackSecretOverrides(reader, NAMES, {});

    // Assess
    assert.equal(parameters, reader);
  });

  it('keeps the secrets it gives out of the logs', () => {
    // Prepare
    const lines: string[] = [];
    const log = createLogger({ test: 'secrets' }, { write: (line) => lines.push(line) });
    withSlackSecretOverrides(store().reader, NAMES, { botToken: 'xoxb-never-logged-token' });

    // Act
    log.info('token is xoxb-never-logged-token');

    // Assess
    assert.equal(lines.length, 1);
    assert.ok(!lines[0]?.includes('xoxb-never-logged-token'), lines[0]);
  });
});

/** A Slack request signed with `secret`, as Slack signs them (v0, HMAC-SHA256). */
function signed(secret: string, body: string): RequestInit {
  const timestamp = Math.floor(Date.now() / 1000).toString();
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-slack-request-timestamp': timestamp,
      'x-slack-signature': `v0=${signature}`,
    },
    body,
  };
}

describe('Local run: SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET win over the parameter file', () => {
  let dir: string;
  let bot: LocalBot;
  let fileValues: Record<string, string>;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-secrets-'));
    bot = await startLocalBot({
      COSTBOT_LOCAL_DIR: dir,
      PORT: '0',
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      LOG_LEVEL: 'error',
      SLACK_BOT_TOKEN: BOT_TOKEN,
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
    });
    fileValues = JSON.parse(await readFile(join(dir, 'parameters.json'), 'utf8'));
  });

  after(async () => {
    await bot.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it("Bolt's receiver verifies with the environment's signing secret, not the file's", async () => {
    // Prepare
    const body = JSON.stringify({ type: 'url_verification', challenge: 'c-123' });
    const fileSecret = fileValues[NAMES.slackSigningSecret] as string;
    assert.notEqual(fileSecret, SIGNING_SECRET);

    // Act
    const withEnv = await fetch(`${bot.url}/slack/events`, signed(SIGNING_SECRET, body));
    const withFile = await fetch(`${bot.url}/slack/events`, signed(fileSecret, body));

    // Assess
    assert.equal(withEnv.status, 200);
    assert.match(await withEnv.text(), /c-123/);
    assert.equal(withFile.status, 401);
  });

  it("the console's Web API and the Post step's reader take the environment's bot token", async () => {
    // Prepare
    const call = (token: string) =>
      fetch(`${bot.url}/api/auth.test`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: '{}',
      }).then((res) => res.json() as Promise<{ ok: boolean; error?: string }>);

    // Act
    const withEnv = await call(BOT_TOKEN);
    const withFile = await call(fileValues[NAMES.slackBotToken] as string);
    const read = await bot.backend.parameters.get([NAMES.slackBotToken]);

    // Assess
    assert.equal(withEnv.ok, true);
    assert.deepEqual(withFile, { ok: false, error: 'invalid_auth' });
    assert.equal(read[NAMES.slackBotToken], BOT_TOKEN);
  });
});
