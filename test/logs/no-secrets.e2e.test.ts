/**
 * No secret reaches the logs, at any level: the bot on the local defaults (Bolt at debug,
 * costbot's logger at debug, the WebClient's own logger, the console) runs a report, the
 * doctor, a digest that fails, and `npm run doctor`, with unique values planted in the
 * parameter file; every byte written to stdout and stderr is searched for them.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { doctorCli } from '../../doctor/cli.ts';
import { startLocalBot } from '../../local/bot-server.ts';
import { generateAccessKeyId } from '../../local/parameter-file.ts';

/** Unique values no other code path could produce by chance. */
const PLANTED = {
  signerSecret: `PlantedSignerSecret${randomBytes(11).toString('hex')}`.slice(0, 40),
  botToken: `xoxb-planted-${randomBytes(12).toString('hex')}`,
  signingSecret: `planted-signing-secret-${randomBytes(12).toString('hex')}`,
};

/** Everything written to stdout and stderr while `act` runs (stdout still passes through). */
async function captureOutput(act: () => Promise<void>): Promise<string> {
  const chunks: string[] = [];
  const text = (chunk: string | Uint8Array) =>
    typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  const stdout = process.stdout.write.bind(process.stdout);
  const stderr = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    chunks.push(text(chunk));
    // The test runner reports through stdout: keep it flowing.
    return (stdout as (c: string | Uint8Array, ...r: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => {
    chunks.push(text(chunk));
    return true;
  }) as typeof process.stderr.write;
  try {
    await act();
  } finally {
    process.stdout.write = stdout;
    process.stderr.write = stderr;
  }
  return chunks.join('');
}

async function until(check: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  assert.fail(`${what} never happened`);
}

describe('Logs hold no secrets', () => {
  let dir: string;
  const saved = process.env.LOG_LEVEL;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-no-secrets-'));
    await mkdir(dir, { recursive: true });
    await writeFile(
      join(dir, 'parameters.json'),
      JSON.stringify({
        '/costbot/signer/access-key-id': generateAccessKeyId(),
        '/costbot/signer/secret-access-key': PLANTED.signerSecret,
        '/costbot/slack/bot-token': PLANTED.botToken,
        '/costbot/slack/signing-secret': PLANTED.signingSecret,
      }),
    );
    // Loggers without an explicit level read it from here.
    process.env.LOG_LEVEL = 'debug';
  });

  after(async () => {
    if (saved === undefined) delete process.env.LOG_LEVEL;
    else process.env.LOG_LEVEL = saved;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('a report, the doctor and a failing digest through the local bot at debug level', async () => {
    // Prepare
    const env = {
      PORT: '0',
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      LOG_LEVEL: 'debug',
      // A channel the local console does not know: the digest fails, and so does its notice.
      COSTBOT_DIGEST_CHANNEL: 'C0MISSING',
    };
    let reply = '';
    let failed = false;

    // Act
    const output = await captureOutput(async () => {
      const bot = await startLocalBot(env, { retryIntervalMs: 0 });
      try {
        const command = (text: string) =>
          fetch(`${bot.url}/local/command`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ text }),
          }).then((r) => r.text());
        await command('/aws-cost 7d');
        await until(() => bot.messages().some((m) => /^AWS cost · /.test(m.text)), 'the report');
        await command('/aws-cost doctor');
        await until(
          () => bot.messages().some((m) => m.text.startsWith('*costbot doctor*')),
          'the doctor',
        );
        reply = bot.messages().find((m) => m.text.startsWith('*costbot doctor*'))?.text ?? '';
        await command('/aws-cost digest');
        await bot.starter.idle();
        failed = true;
      } finally {
        await bot.stop();
      }
    });

    // Assess
    assert.ok(failed, 'all three ran');
    assert.match(reply, /Parameter \/costbot\/slack\/bot-token\*: Exists and was read\./);
    assert.match(output, /\[DEBUG\]/, "Slack's libraries logged at debug");
    assert.match(output, /"level":"info","message":"posted"/, "costbot's steps logged");
    assert.match(output, /report failed|execution ended/, 'the failing digest was logged');
    assert.ok(output.length > 1000, `${output.length} characters captured`);
    for (const [name, value] of Object.entries(PLANTED)) {
      assert.ok(!output.includes(value), `${name} appears in the logs`);
    }
  });

  it('npm run doctor on the same parameters', async () => {
    // Prepare
    let code = -1;

    // Act
    const output = await captureOutput(async () => {
      code = await doctorCli(
        [],
        {
          COSTBOT_LOCAL_DIR: dir,
          COSTBOT_LOCAL_S3_PORT: '0',
          COSTBOT_LOCAL_LINKS_PORT: '0',
          LOG_LEVEL: 'debug',
        },
        {
          stdout: (t) => process.stdout.write(t),
          stderr: (t) => process.stderr.write(t),
        },
      );
    });

    // Assess
    assert.equal(code, 0);
    assert.match(output, /Link-signing key is a permanent IAM user key/);
    for (const [name, value] of Object.entries(PLANTED)) {
      assert.ok(!output.includes(value), `${name} appears in the doctor's output`);
    }
  });
});
