/**
 * Start-up as a stranger meets it: bad local files, an unusable COSTBOT_LOCAL_DIR, ports in
 * use, an unreachable SSM. `npm start`'s bot is started in-process and its failure explained
 * as the CLI explains it; the real commands are spawned where the process itself is the
 * evidence (exit status, stderr, a file left as it was, a digest that ends). As root, the
 * commands that meet a mode-000 path run as `nobody`, for whom mode 000 means what it says.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmod, chown, mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../../infra/paths.ts';
import { startLocalBot } from '../../local/bot-server.ts';
import { explainFailure } from '../../local/cli.ts';
import { DIGEST_FLAG_CASES, DOTENV_CASES, PARAMETER_FILE_CASES } from './cases.ts';
import { commandBody, headersFor } from './slack-requests.ts';

const NOBODY = 65534;

async function holdPort(): Promise<{ port: number; server: Server }> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { port: (server.address() as { port: number }).port, server };
}

const release = (server: Server) => new Promise((resolve) => server.close(resolve));

interface Exit {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs `script` as the user would (`node --import tsx`), killed after `timeoutMs`. */
function run(
  script: string,
  env: Record<string, string>,
  options: {
    args?: string[];
    asNobody?: boolean;
    timeoutMs?: number;
    /** Another working directory (where a `.env` is read from). */
    cwd?: string;
    /** Called with stdout as it grows; `kill` ends the command (a server). */
    watch?: (stdout: string, kill: () => void) => void;
  } = {},
): Promise<Exit> {
  const started = performance.now();
  const tsx = import.meta.resolve('tsx');
  const child = spawn(
    process.execPath,
    ['--import', tsx, join(REPO_ROOT, script), ...(options.args ?? [])],
    {
      cwd: options.cwd ?? REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: tmpdir(),
        PORT: '0',
        COSTBOT_LOCAL_S3_PORT: '0',
        COSTBOT_LOCAL_LINKS_PORT: '0',
        LOG_LEVEL: 'warn',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
        ...env,
      },
      ...(options.asNobody && process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {}),
    },
  );
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    options.watch?.(stdout, () => child.kill('SIGTERM'));
  });
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  return new Promise((resolve) => {
    child.once('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: performance.now() - started });
    });
  });
}

/** The CLI's rule for a start-up problem: exit 2, one line on stderr, no stack trace. */
function assertOneLine(exit: Exit, names: RegExp): void {
  const lines = exit.stderr.trim().split('\n');
  assert.equal(exit.status, 2, exit.stderr);
  assert.equal(lines.length, 1, exit.stderr);
  assert.match(exit.stderr, names);
  assert.doesNotMatch(exit.stderr, /\n\s+at /);
}

/** `startLocalBot`'s failure as `npm start` prints it. */
async function startFailure(
  env: Record<string, string>,
): Promise<{ line: string; status: number }> {
  const bot = await startLocalBot({
    PORT: '0',
    COSTBOT_LOCAL_S3_PORT: '0',
    COSTBOT_LOCAL_LINKS_PORT: '0',
    LOG_LEVEL: 'error',
    ...env,
  }).then(
    (b) => b,
    (error: unknown) => error,
  );
  if (bot && typeof bot === 'object' && 'stop' in bot) {
    await (bot as { stop(): Promise<void> }).stop();
    assert.fail('npm start started');
  }
  return explainFailure(bot);
}

describe('Attacks: start-up', () => {
  let root = '';
  let n = 0;
  const fresh = async () => {
    n += 1;
    const dir = join(root, `d${n}`);
    await mkdir(dir, { mode: 0o700 });
    return dir;
  };

  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'costbot-startup-attack-'));
    await chmod(root, 0o755);
  });

  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  for (const c of PARAMETER_FILE_CASES) {
    it(`parameters.json is ${c.label}: one line naming the file, exit 2, not rewritten`, async () => {
      // Prepare
      const dir = await fresh();
      const file = join(dir, 'parameters.json');
      if (c.content === undefined) await mkdir(file);
      else await writeFile(file, c.content, { mode: c.mode ?? 0o600 });
      if (c.mode !== undefined)
        await chown(dir, NOBODY, NOBODY).then(() => chown(file, NOBODY, NOBODY));
      if (c.mode !== undefined) await chmod(file, c.mode);

      // Act
      const exit =
        c.mode === undefined
          ? await startFailure({ COSTBOT_LOCAL_DIR: dir }).then((f) => ({
              status: f.status,
              stdout: '',
              stderr: `${f.line}\n`,
              ms: 0,
            }))
          : await run(
              'local/start.ts',
              { COSTBOT_LOCAL_DIR: dir },
              { asNobody: true, timeoutMs: 30_000 },
            );

      // Assess
      assertOneLine(exit, /parameters\.json/);
      if (c.content !== undefined) {
        await chmod(file, 0o600);
        assert.equal(await readFile(file, 'utf8'), c.content, 'not rewritten');
      }
    });
  }

  it('parameters.json is a JSON string, through npm start: exit 2, one line, not rewritten', async () => {
    // Prepare
    const dir = await fresh();
    const file = join(dir, 'parameters.json');
    await writeFile(file, '"hello"');

    // Act
    const exit = await run('local/start.ts', { COSTBOT_LOCAL_DIR: dir }, { timeoutMs: 30_000 });

    // Assess
    assertOneLine(exit, /parameters\.json/);
    assert.equal(await readFile(file, 'utf8'), '"hello"');
  });

  it('COSTBOT_LOCAL_DIR is a file: one line naming it, exit 2', async () => {
    // Prepare
    const file = join(await fresh(), 'not-a-dir');
    await writeFile(file, 'x');

    // Act
    const failure = await startFailure({ COSTBOT_LOCAL_DIR: file });

    // Assess
    assert.equal(failure.status, 2);
    assert.match(failure.line, /COSTBOT_LOCAL_DIR/);
    assert.doesNotMatch(failure.line, /\n/);
  });

  it('COSTBOT_LOCAL_DIR unreadable (mode 000), through npm start: exit 2, one line naming it', async () => {
    // Prepare
    const dir = await fresh();
    await chown(dir, NOBODY, NOBODY);
    await chmod(dir, 0o000);

    // Act
    const exit = await run(
      'local/start.ts',
      { COSTBOT_LOCAL_DIR: dir },
      { asNobody: true, timeoutMs: 30_000 },
    );

    // Assess
    await chmod(dir, 0o700);
    assertOneLine(exit, /COSTBOT_LOCAL_DIR/);
  });

  it('PORT already in use, through npm start: exit 2, one line naming PORT', async () => {
    // Prepare
    const held = await holdPort();

    // Act
    const exit = await run(
      'local/start.ts',
      { COSTBOT_LOCAL_DIR: await fresh(), PORT: String(held.port) },
      { timeoutMs: 30_000 },
    ).finally(() => release(held.server));

    // Assess
    assertOneLine(exit, /\bPORT\b/);
  });

  it('COSTBOT_ASSETS_DIR names a directory that does not exist, through npm start: exit 2, one line naming it', async () => {
    // Act: a bot that starts anyway is stopped, and fails the rule below.
    const exit = await run(
      'local/start.ts',
      { COSTBOT_LOCAL_DIR: await fresh(), COSTBOT_ASSETS_DIR: join(root, 'no-such-assets') },
      { timeoutMs: 30_000, watch: (stdout, kill) => /costbot is running/.test(stdout) && kill() },
    );

    // Assess
    assertOneLine(exit, /COSTBOT_ASSETS_DIR/);
  });

  it('COSTBOT_LOCAL_S3_PORT already in use: one line naming it, exit 2', async () => {
    // Prepare
    const held = await holdPort();

    // Act
    const failure = await startFailure({
      COSTBOT_LOCAL_DIR: await fresh(),
      COSTBOT_LOCAL_S3_PORT: String(held.port),
    }).finally(() => release(held.server));

    // Assess
    assert.equal(failure.status, 2);
    assert.match(failure.line, /COSTBOT_LOCAL_S3_PORT/);
  });

  it('COSTBOT_BACKEND=aws with SSM unreachable, through npm start: one line naming SSM and its endpoint, exit 2', async () => {
    // Prepare
    const held = await holdPort();
    const { port } = held;
    await release(held.server);
    const endpoint = `http://127.0.0.1:${port}`;

    // Act
    const exit = await run(
      'local/start.ts',
      {
        COSTBOT_LOCAL_DIR: await fresh(),
        COSTBOT_BACKEND: 'aws',
        AWS_ENDPOINT_URL: endpoint,
        AWS_REGION: 'us-east-1',
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
      },
      { timeoutMs: 30_000 },
    );

    // Assess
    assertOneLine(exit, /SSM/);
    assert.ok(exit.stderr.includes(endpoint), exit.stderr);
    assert.ok(exit.ms < 20_000, `fails fast (${Math.round(exit.ms)} ms)`);
  });

  it('COSTBOT_CHART_PREFIX=../../x/ through npm start: exit 2, one line, nothing written', async () => {
    // Prepare
    const dir = await fresh();

    // Act
    const exit = await run(
      'local/start.ts',
      { COSTBOT_LOCAL_DIR: dir, COSTBOT_CHART_PREFIX: '../../x/' },
      { timeoutMs: 30_000 },
    );

    // Assess
    assertOneLine(exit, /COSTBOT_CHART_PREFIX/);
    await assert.rejects(stat(join(dir, 'parameters.json')), 'nothing written');
  });

  it('parameters.json existing with mode 0644, missing a name: completed and left at mode 0600', async () => {
    // Prepare
    const dir = await fresh();
    const file = join(dir, 'parameters.json');
    await writeFile(file, '{"/costbot/slack/signing-secret": "kept-secret"}', { mode: 0o644 });
    await chmod(file, 0o644);

    // Act
    const bot = await startLocalBot({
      PORT: '0',
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      LOG_LEVEL: 'error',
      COSTBOT_LOCAL_DIR: dir,
    });
    await bot.stop();

    // Assess
    const written = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    assert.equal(written['/costbot/slack/signing-secret'], 'kept-secret');
    assert.ok(written['/costbot/slack/bot-token'], 'the missing names generated');
    assert.equal((await stat(file)).mode & 0o777, 0o600);
  });

  it('npm run digest without flags: one digest printed, exits 0', async () => {
    // Act
    const exit = await run(
      'local/digest.ts',
      { COSTBOT_LOCAL_DIR: await fresh() },
      { timeoutMs: 90_000 },
    );

    // Assess
    assert.equal(exit.status, 0, exit.stderr);
    assert.match(exit.stdout, /Chart \(stable link\): http:\/\/127\.0\.0\.1:\d+\//);
  });

  const [secretInDotEnv, badLine, badSetting] = DOTENV_CASES;

  it(`.env with ${secretInDotEnv?.label}: ${secretInDotEnv?.expected}`, async () => {
    // Prepare
    const dir = await fresh();
    await writeFile(join(dir, '.env'), secretInDotEnv?.content ?? '');
    const secret = /=(.*)/.exec(secretInDotEnv?.content ?? '')?.[1] ?? '';
    const answers: number[] = [];

    // Act
    const exit = await run(
      'local/start.ts',
      { COSTBOT_LOCAL_DIR: join(dir, 'local') },
      {
        cwd: dir,
        timeoutMs: 45_000,
        watch: (stdout, kill) => {
          const url = /Bot endpoint:\s+(\S+)/.exec(stdout)?.[1];
          if (!url || answers.length > 0) return;
          answers.push(0);
          void (async () => {
            const file = JSON.parse(
              await readFile(join(dir, 'local', 'parameters.json'), 'utf8'),
            ) as Record<string, string>;
            for (const key of [secret, file['/costbot/slack/signing-secret'] ?? '']) {
              const body = commandBody({ responseUrl: 'http://127.0.0.1:9/r' });
              const response = await fetch(url, {
                method: 'POST',
                headers: headersFor(key, body),
                body,
              });
              answers.push(response.status);
            }
            kill();
          })();
        },
      },
    );

    // Assess
    assert.deepEqual(answers.slice(1), [200, 401], exit.stderr);
  });

  for (const c of [badLine, badSetting]) {
    it(`.env with ${c?.label}: ${c?.expected}`, async () => {
      // Prepare
      const dir = await fresh();
      await writeFile(join(dir, '.env'), c?.content ?? '');

      // Act
      const exit = await run(
        'local/start.ts',
        { COSTBOT_LOCAL_DIR: join(dir, 'local') },
        { cwd: dir, timeoutMs: 30_000 },
      );

      // Assess
      assertOneLine(exit, c === badLine ? /\.env/ : /COSTBOT_CHART_PREFIX/);
    });
  }

  for (const c of DIGEST_FLAG_CASES) {
    it(`npm run digest ${c.args.join(' ')}: exit 2 naming ${c.names}, nothing run`, async () => {
      // Act
      const exit = await run(
        'local/digest.ts',
        { COSTBOT_LOCAL_DIR: await fresh() },
        {
          args: c.args,
          timeoutMs: 60_000,
        },
      );

      // Assess
      assert.equal(exit.status, 2, exit.stderr);
      assert.ok(exit.stderr.includes(c.names), exit.stderr);
      assert.doesNotMatch(exit.stderr, /\n\s+at /);
      assert.doesNotMatch(exit.stdout, /Chart:/, 'nothing run');
    });
  }

  it('npm run setup without --region or AWS_REGION: one line naming the region, exit 2', async () => {
    // Act
    const exit = await run(
      'setup/main.ts',
      { AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' },
      { timeoutMs: 30_000 },
    );

    // Assess
    assertOneLine(exit, /region/);
  });
});
