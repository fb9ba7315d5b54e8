/**
 * Start-up problems of the local commands: every bad setting and bad local file is one line
 * that names the setting or the file and what to do, exit status 2, no stack trace, and a file
 * costbot cannot parse is never rewritten. The functions are driven in-process; the real
 * commands (`npm start`, `npm run digest`) are spawned for the end-to-end evidence.
 */
import assert from 'node:assert/strict';
import { type SpawnSyncOptions, spawnSync } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../common/config.ts';
import {
  ConfigError,
  CostbotError,
  LocalFileError,
  ServiceUnreachableError,
} from '../../common/errors.ts';
import { linkKeyBytes } from '../../common/link-token.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { startLocalBot } from '../../local/bot-server.ts';
import { explainFailure, readAtStartup } from '../../local/cli.ts';
import { ensureLocalDir, ensureParameterFile } from '../../local/parameter-file.ts';
import { startLocalS3 } from '../../local/s3-server.ts';

const NAMES = loadConfig({}).parameterNames;
const NO_LOG = { info: () => {}, warn: () => {} };

/** A port held by a plain TCP server on 127.0.0.1, and a way to free it. */
async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  assert.ok(address && typeof address === 'object');
  return { port: address.port, server };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const { port, server } = await holdPort();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/**
 * Runs a costbot command as the user would; as root it runs as `nobody`, for whom mode 000
 * means what it says.
 */
function runCommand(script: string, env: Record<string, string>, asNobody = false) {
  const options: SpawnSyncOptions = {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      LOG_LEVEL: 'warn',
      PORT: '0',
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      ...env,
    },
    encoding: 'utf8',
    timeout: 60_000,
    ...(asNobody && process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {}),
  };
  const child = spawnSync(process.execPath, ['--import', 'tsx', script], options);
  return { status: child.status, stderr: String(child.stderr), stdout: String(child.stdout) };
}

const NOBODY = 65534;

/** A fresh directory for the suite it is called in, removed after it. */
function suiteDir(prefix: string, mode = 0o700): () => string {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), prefix));
    await chmod(dir, mode);
  });
  after(() => rm(dir, { recursive: true, force: true }));
  return () => dir;
}

function assertOneLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.split('\n').filter((line) => line.trim() !== '');
  assert.equal(lines.length, 1, `one line on stderr, got:\n${stderr}`);
  assert.match(lines[0] ?? '', pattern);
  assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace');
}

describe('the local parameter file', () => {
  const dir = suiteDir('costbot-params-');

  const notObjects: [string, string, RegExp][] = [
    ['a JSON string', '"hello"\n', /holds a string, not a JSON object/],
    ['a JSON array', '["a", "b"]', /holds an array, not a JSON object/],
    ['a JSON number', '42', /holds a number, not a JSON object/],
    ['JSON null', 'null', /holds null, not a JSON object/],
    [
      'truncated JSON',
      '{"/costbot/slack/bot-token": "xoxb-se',
      /is not valid JSON \(it ends early\)/,
    ],
    [
      'broken JSON',
      '{"/costbot/slack/bot-token": xoxb-secret}',
      /is not valid JSON \(syntax error/,
    ],
    [
      'a value that is not a string',
      `{"${NAMES.slackBotToken}": 5}`,
      /key "\/costbot\/slack\/bot-token" holds a number, not a string/,
    ],
  ];
  for (const [what, text, message] of notObjects) {
    it(`refuses ${what}, naming the file, and leaves it as it was`, async () => {
      // Prepare
      const file = join(dir(), `${what.replace(/\W+/g, '-')}.json`);
      await writeFile(file, text, { mode: 0o600 });

      // Act
      const refused = await ensureParameterFile(file, NAMES, NO_LOG).catch((e: unknown) => e);

      // Assess
      assert.ok(refused instanceof LocalFileError, String(refused));
      assert.equal(refused.path, file);
      assert.match(refused.message, message);
      assert.ok(refused.message.startsWith(file));
      assert.doesNotMatch(refused.message, /xoxb-se/, 'the file content is never echoed');
      assert.equal(await readFile(file, 'utf8'), text);
    });
  }

  it('refuses a directory in its place', async () => {
    // Prepare
    const file = join(dir(), 'a-directory.json');
    await mkdir(file);

    // Act
    const refused = await ensureParameterFile(file, NAMES, NO_LOG).catch((e: unknown) => e);

    // Assess
    assert.ok(refused instanceof LocalFileError);
    assert.match(refused.message, /is a directory, not a file: remove it/);
  });

  it('generates only the missing keys, keeps the others and logs which ones', async () => {
    // Prepare
    const file = join(dir(), 'partial.json');
    await writeFile(file, JSON.stringify({ [NAMES.slackBotToken]: 'xoxb-mine', other: 'kept' }));
    const logged: unknown[] = [];

    // Act
    const values = await ensureParameterFile(file, NAMES, {
      info: (message, fields) => logged.push({ message, ...fields }),
      warn: () => {},
    });

    // Assess
    assert.equal(values[NAMES.slackBotToken], 'xoxb-mine');
    assert.equal(values.other, 'kept');
    assert.match(values[NAMES.signerAccessKeyId] ?? '', /^AKIA[A-Z2-7]{16}$/);
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), values);
    assert.deepEqual(logged, [
      {
        message: 'generated local parameters',
        file,
        names: [
          NAMES.signerAccessKeyId,
          NAMES.signerSecretAccessKey,
          NAMES.slackSigningSecret,
          NAMES.linkKey,
        ],
      },
    ]);
    assert.equal(linkKeyBytes(values[NAMES.linkKey] ?? '', 'test').length, 32);
  });
});

describe('the local parameter file holds secrets: mode 0600', () => {
  const dir = suiteDir('costbot-modes-');

  it('is created 0600', async () => {
    // Prepare
    const file = join(dir(), 'new.json');

    // Act
    await ensureParameterFile(file, NAMES, NO_LOG);

    // Assess
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  for (const [what, content] of [
    ['complete', ''],
    ['missing keys', '{}'],
  ] as const) {
    it(`is made 0600 when it existed 0644 (${what}), and a log line says so`, async () => {
      // Prepare
      const file = join(dir(), `loose-${content ? 'partial' : 'complete'}.json`);
      if (content) await writeFile(file, content);
      else await ensureParameterFile(file, NAMES, NO_LOG);
      await chmod(file, 0o644);
      const warned: unknown[] = [];

      // Act
      await ensureParameterFile(file, NAMES, {
        info: () => {},
        warn: (message, fields) => warned.push({ message, ...fields }),
      });

      // Assess
      assert.equal((await stat(file)).mode & 0o777, 0o600);
      assert.deepEqual(warned, [
        {
          message: 'secrets file was readable by others: now owner-only',
          file,
          from: '0644',
          to: '0600',
        },
      ]);
    });
  }
});

describe('COSTBOT_LOCAL_DIR', () => {
  const dir = suiteDir('costbot-localdir-');

  it('refuses a file, naming the setting', async () => {
    // Prepare
    const file = join(dir(), 'a-file');
    await writeFile(file, 'x');

    // Act
    const asDir = await ensureLocalDir(file).catch((e: unknown) => e);
    const below = await ensureLocalDir(join(file, 'below')).catch((e: unknown) => e);

    // Assess
    assert.ok(asDir instanceof ConfigError);
    assert.equal(asDir.setting, 'COSTBOT_LOCAL_DIR');
    assert.match(asDir.message, /is not a directory/);
    assert.ok(below instanceof ConfigError);
    assert.equal(below.setting, 'COSTBOT_LOCAL_DIR');
  });

  it('refuses an S3 data directory that is a file, naming it', async () => {
    // Prepare
    const s3 = join(dir(), 's3-as-file');
    await writeFile(s3, 'x');

    // Act
    const refused = await startLocalS3({ directory: s3, port: 0, bucket: 'b', keys: [] }).catch(
      (e: unknown) => e,
    );

    // Assess
    assert.ok(refused instanceof LocalFileError, String(refused));
    assert.equal(refused.path, s3);
    assert.match(refused.message, /cannot hold the local S3 data/);
  });

  it('creates a missing directory readable by its owner only', async () => {
    // Act
    await ensureLocalDir(join(dir(), 'new', 'nested'));

    // Assess
    const created = await stat(join(dir(), 'new', 'nested'));
    assert.ok(created.isDirectory());
    assert.equal(created.mode & 0o777, 0o700);
  });
});

describe("explainFailure (the commands' one top-level handler)", () => {
  it('gives one line and status 2 for costbot errors, even a multi-line message', () => {
    // Act
    const config = explainFailure(new ConfigError('PORT', 'is bad.'));
    const file = explainFailure(new LocalFileError('/x/parameters.json', 'is bad\n  really.'));

    // Assess
    assert.deepEqual(config, { line: 'Configuration error: PORT: is bad.', status: 2 });
    assert.deepEqual(file, { line: 'costbot: /x/parameters.json is bad really.', status: 2 });
  });

  it('gives a mistyped option one line and status 2', () => {
    // Prepare
    const error = Object.assign(new TypeError("Unknown option '--bogus'"), {
      code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION',
    });

    // Act
    const explained = explainFailure(error);

    // Assess
    assert.equal(explained.status, 2);
    assert.match(explained.line, /^Unknown option '--bogus' \(--help lists the options\)$/);
  });

  it('prints a bug with its stack and status 1', () => {
    // Act
    const explained = explainFailure(new TypeError('x is undefined'));

    // Assess
    assert.equal(explained.status, 1);
    assert.match(explained.line, /TypeError: x is undefined\n\s+at /);
  });

  it('turns an unreachable SSM into one error naming SSM and the endpoint', async () => {
    // Prepare
    const { AwsUnavailableError } = await import('../../common/errors.ts');
    const down = () =>
      Promise.reject(new AwsUnavailableError('SSM GetParameters failed (ECONNREFUSED)'));

    // Act
    const failed = await readAtStartup({ AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:9' }, down).catch(
      (e: unknown) => e,
    );

    // Assess
    assert.ok(failed instanceof ServiceUnreachableError);
    assert.equal(failed.endpoint, 'http://127.0.0.1:9');
    assert.match(
      failed.message,
      /^SSM at http:\/\/127\.0\.0\.1:9 does not answer .*AWS_ENDPOINT_URL_SSM/,
    );
  });
});

describe('startLocalBot with a port in use', () => {
  const dir = suiteDir('costbot-ports-');

  for (const setting of ['PORT', 'COSTBOT_LOCAL_S3_PORT', 'COSTBOT_LOCAL_LINKS_PORT'] as const) {
    it(`names ${setting}, and leaves no port of its own bound`, async () => {
      // Prepare
      const held = await holdPort();
      const env = {
        COSTBOT_LOCAL_DIR: dir(),
        PORT: '0',
        COSTBOT_LOCAL_S3_PORT: '0',
        COSTBOT_LOCAL_LINKS_PORT: '0',
        LOG_LEVEL: 'warn',
        [setting]: String(held.port),
      };

      // Act
      const refused = await startLocalBot(env).catch((e: unknown) => e);
      await new Promise((resolve) => held.server.close(resolve));

      // Assess
      assert.ok(refused instanceof ConfigError, String(refused));
      assert.equal(refused.setting, setting);
      assert.match(refused.message, new RegExp(`127\\.0\\.0\\.1:${held.port} is already in use`));
      assert.ok(refused instanceof CostbotError);
    });
  }
});

describe('startLocalBot with a subscriptions.json it cannot read', () => {
  const dir = suiteDir('costbot-subscriptions-file-');

  it('names the file, leaves it as it was and the S3 port free', async () => {
    // Prepare
    const s3Port = await closedPort();
    const file = join(dir(), 'subscriptions.json');
    await writeFile(file, '{"schedules": "not a list"}\n');
    const env = {
      COSTBOT_LOCAL_DIR: dir(),
      PORT: '0',
      COSTBOT_LOCAL_S3_PORT: String(s3Port),
      COSTBOT_LOCAL_LINKS_PORT: '0',
      LOG_LEVEL: 'warn',
    };

    // Act
    const refused = await startLocalBot(env).catch((e: unknown) => e);

    // Assess
    assert.ok(refused instanceof LocalFileError, String(refused));
    assert.ok(refused.message.includes(file), refused.message);
    assert.equal(await readFile(file, 'utf8'), '{"schedules": "not a list"}\n');
    const again = createServer();
    await new Promise<void>((resolve, reject) => {
      again.once('error', reject);
      again.listen(s3Port, '127.0.0.1', resolve);
    });
    await new Promise((resolve) => again.close(resolve));
  });
});

describe('npm start and npm run digest, spawned', () => {
  // `nobody` must reach its own test directories below this one.
  const dir = suiteDir('costbot-cli-', 0o755);

  it('digest: a parameters.json holding a JSON string is one line, status 2, never rewritten', async () => {
    // Prepare
    const local = join(dir(), 'string');
    await mkdir(local);
    await writeFile(join(local, 'parameters.json'), '"hello"\n');

    // Act
    const run = runCommand('local/digest.ts', { COSTBOT_LOCAL_DIR: local });

    // Assess
    assert.equal(run.status, 2, run.stderr);
    assertOneLine(run.stderr, /parameters\.json holds a string, not a JSON object/);
    assert.equal(await readFile(join(local, 'parameters.json'), 'utf8'), '"hello"\n');
  });

  it('start: PORT in use is one line naming PORT, status 2', async () => {
    // Prepare
    const held = await holdPort();

    // Act
    const run = runCommand('local/start.ts', {
      COSTBOT_LOCAL_DIR: join(dir(), 'port'),
      PORT: String(held.port),
    });
    await new Promise((resolve) => held.server.close(resolve));

    // Assess
    assert.equal(run.status, 2, run.stderr);
    assertOneLine(run.stderr, /^Configuration error: PORT: 127\.0\.0\.1:\d+ is already in use/);
  });

  it('start with COSTBOT_BACKEND=aws: an unreachable SSM is one line naming SSM and the endpoint', async () => {
    // Prepare
    const endpoint = `http://127.0.0.1:${await closedPort()}`;

    // Act
    const run = runCommand('local/start.ts', {
      COSTBOT_BACKEND: 'aws',
      AWS_ENDPOINT_URL_SSM: endpoint,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    });

    // Assess
    assert.equal(run.status, 2, run.stderr);
    assertOneLine(run.stderr, new RegExp(`^costbot: SSM at ${endpoint} does not answer`));
  });

  it('digest: an unreadable (mode 000) parameters.json is one line naming the file', async () => {
    // Prepare
    const local = join(dir(), 'unreadable-file');
    await mkdir(local, { mode: 0o700 });
    await writeFile(join(local, 'parameters.json'), '{}', { mode: 0o000 });
    if (process.getuid?.() === 0) {
      await chown(local, NOBODY, NOBODY);
      await chown(join(local, 'parameters.json'), NOBODY, NOBODY);
    }

    // Act
    const run = runCommand('local/digest.ts', { COSTBOT_LOCAL_DIR: local }, true);

    // Assess
    assert.equal(run.status, 2, run.stderr);
    assertOneLine(run.stderr, /parameters\.json cannot be read \(EACCES\): chmod 600 it/);
  });

  it('digest: an unreadable (mode 000) COSTBOT_LOCAL_DIR is one line naming the setting', async () => {
    // Prepare
    const local = join(dir(), 'unreadable-dir');
    await mkdir(local);
    if (process.getuid?.() === 0) await chown(local, NOBODY, NOBODY);
    await chmod(local, 0o000);

    // Act
    const run = runCommand('local/digest.ts', { COSTBOT_LOCAL_DIR: local }, true);

    // Assess
    assert.equal(run.status, 2, run.stderr);
    assertOneLine(
      run.stderr,
      /^Configuration error: COSTBOT_LOCAL_DIR: ".*" is not readable and writable by you/,
    );
  });
});
