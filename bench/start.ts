/**
 * `npm start` to its first page: spawns the same command a newcomer runs (tsx on
 * local/start.ts, embedded defaults, a fresh local directory, free ports), and times from the
 * spawn to the first `200` on `GET /` of the console. Each run is bounded in time and killed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './support.ts';

export interface StartRun {
  /** Spawn to the first 200 on the console page, ms. */
  firstPageMs: number;
}

const TIMEOUT_MS = 60_000;

function consoleUrl(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /Slack console: (http:\/\/127\.0\.0\.1:\d+)\//.exec(out)?.[1];
      if (url) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`npm start exited (${code}) before serving`)));
  });
}

async function firstPage(url: string, deadline: number): Promise<void> {
  while (performance.now() < deadline) {
    const res = await fetch(`${url}/`).catch(() => undefined);
    if (res?.status === 200) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`no page at ${url} within ${TIMEOUT_MS} ms`);
}

/** One cold `npm start` (as `tsx local/start.ts`, without npm's own start-up), timed. */
export async function timeStart(): Promise<StartRun> {
  const dir = mkdtempSync(join(tmpdir(), 'costbot-bench-start-'));
  const started = performance.now();
  const child = spawn(
    join(REPO_ROOT, 'node_modules/.bin/tsx'),
    [join(REPO_ROOT, 'local/start.ts')],
    {
      cwd: REPO_ROOT,
      env: {
        ...process.env,
        PORT: '0',
        COSTBOT_LOCAL_S3_PORT: '0',
        COSTBOT_LOCAL_LINKS_PORT: '0',
        COSTBOT_LOCAL_DIR: dir,
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  try {
    const url = await Promise.race([
      consoleUrl(child),
      new Promise<never>((_, reject) =>
        setTimeout(() => reject(new Error('npm start: no console URL')), TIMEOUT_MS),
      ),
    ]);
    await firstPage(url, started + TIMEOUT_MS);
    return { firstPageMs: performance.now() - started };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** `runs` cold starts one after the other. */
export async function benchStart(runs: number): Promise<StartRun[]> {
  const out: StartRun[] = [];
  for (let i = 0; i < runs; i++) out.push(await timeStart());
  return out;
}
