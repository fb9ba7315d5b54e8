/**
 * `npm run digest` runs once and exits; `--serve` keeps the local S3 server up so the printed
 * link opens, until Ctrl-C. The real command is spawned on the local backend.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REPO_ROOT } from '../../infra/paths.ts';

interface Run {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Spawns the digest; `onOutput` sees stdout as it grows and may return a promise the run waits
 * for (with the child passed in, to signal it). Killed after 90 s whatever happens.
 */
function digest(
  dir: string,
  args: string[],
  onOutput?: (stdout: string, child: ReturnType<typeof spawn>) => Promise<void> | undefined,
): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/digest.ts', ...args], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      COSTBOT_BACKEND: 'local',
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      LOG_LEVEL: 'warn',
    },
  });
  const run: Run = { status: null, signal: null, stdout: '', stderr: '' };
  let pending: Promise<void> | undefined;
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    run.stdout += chunk;
    pending ??= onOutput?.(run.stdout, child);
  });
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
    run.stderr += chunk;
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 90_000);
  return new Promise((resolve) => {
    child.on('close', async (status, signal) => {
      clearTimeout(killer);
      await pending;
      resolve({ ...run, status, signal });
    });
  });
}

function chartUrl(stdout: string): string | undefined {
  return /^Chart: (\S+)$/m.exec(stdout)?.[1];
}

describe('npm run digest', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-digest-'));
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('runs once and exits 0 on its own, having printed the chart link', async () => {
    // Act
    const run = await digest(dir, []);

    // Assess
    assert.equal(run.signal, null, 'it ended by itself, not killed');
    assert.equal(run.status, 0, run.stderr);
    const url = chartUrl(run.stdout);
    assert.ok(url, run.stdout);
    assert.doesNotMatch(run.stdout, /Serving charts/);
    await assert.rejects(fetch(url), 'its S3 server stopped with it');
  });

  it('--serve keeps the link open until Ctrl-C, then exits 0', async () => {
    // Prepare
    let served: Response | undefined;

    // Act
    const run = await digest(dir, ['--serve'], (stdout, child) => {
      const url = chartUrl(stdout);
      if (!url || !/Serving charts from/.test(stdout)) return undefined;
      return (async () => {
        served = await fetch(url);
        child.kill('SIGINT');
      })();
    });

    // Assess
    assert.equal(run.status, 0, run.stderr);
    assert.equal(served?.status, 200);
    assert.equal(served?.headers.get('content-type'), 'image/png');
  });

  it('refuses a bad --period in one line with status 2', async () => {
    // Act
    const run = await digest(dir, ['--period', 'fortnight']);

    // Assess
    assert.equal(run.status, 2);
    assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    assert.match(run.stderr, /^--period must be one of mtd, 7d, 30d, last-month; got "fortnight"/);
  });
});
