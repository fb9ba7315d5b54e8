/**
 * moto_server for integration tests: a local fake of the AWS APIs (https://docs.getmoto.org).
 *
 *   const moto = await startMoto();
 *   if (!moto) return t.skip('moto_server not installed');
 *   const client = new SSMClient({ endpoint: moto.endpoint, ... });   // or motoEnv(moto)
 *
 * - `MOTO_SERVER_BIN` overrides the binary (default `moto_server` on PATH).
 * - `COSTBOT_MOTO_ENDPOINT` (e.g. `http://127.0.0.1:5000`) uses an already running server
 *   instead of spawning one; stop() then leaves it alone.
 * - A spawned server listens on 127.0.0.1 on a port the OS picks (`-p 0`, read back from its
 *   banner), so parallel test files never race for a port. It is killed by stop(), on process
 *   exit and on SIGINT/SIGTERM/SIGHUP; a small shell watchdog also kills it when this process
 *   dies without running any handler (SIGKILL, crash), because the pipe it reads then closes.
 */

import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export interface MotoServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`, without a trailing slash. */
  endpoint: string;
  port: number;
  /** Kills the server (if this helper spawned it). Idempotent. */
  stop(): Promise<void>;
  /** Forgets every resource in every service (`POST /moto-api/reset`). */
  reset(): Promise<void>;
}

const STARTUP_TIMEOUT_MS = 20_000;
/** Werkzeug's banner on stderr: ` * Running on http://127.0.0.1:41234`. */
const BANNER = /Running on https?:\/\/[^\s:]+:(\d+)/;

/**
 * Starts moto_server on 127.0.0.1 on a free port and waits until it answers; returns null when
 * moto_server is not installed, after printing a LOUD warning to stderr, unless
 * process.env.CI === 'true', in which case it throws (a missing moto_server is a CI failure).
 */
export async function startMoto(): Promise<MotoServer | null> {
  const external = process.env.COSTBOT_MOTO_ENDPOINT;
  if (external) return useExternal(external);

  const configured = process.env.MOTO_SERVER_BIN;
  const bin = resolveBin(configured || 'moto_server');
  if (!bin) {
    if (configured) {
      // An explicit setting that points nowhere is a mistake, never a reason to skip tests.
      throw new Error(`MOTO_SERVER_BIN=${configured} is not an executable file.`);
    }
    const missing = 'moto_server not found on PATH';
    const install = "Install it with `pip install 'moto[server]'` (or set MOTO_SERVER_BIN).";
    if (process.env.CI === 'true') {
      throw new Error(`${missing}, and CI=true: the AWS integration tests must run. ${install}`);
    }
    const bar = '!'.repeat(78);
    process.stderr.write(
      `\n${bar}\n!!! WARNING: ${missing}: AWS integration tests are SKIPPED.\n!!! ${install}\n${bar}\n\n`,
    );
    return null;
  }
  return spawnMoto(bin);
}

/**
 * In a test that needs moto_server: true (and the test skipped) when `startMoto` found none,
 * which happens only outside CI (with CI=true it throws instead).
 */
export function skipWithoutMoto(
  t: { skip(message: string): void },
  moto: MotoServer | null,
): boolean {
  if (moto) return false;
  t.skip('moto_server is not installed');
  return true;
}

/**
 * Environment for COSTBOT_BACKEND=aws pointing every SDK client at moto: AWS_ENDPOINT_URL,
 * AWS_REGION=us-east-1, fake static credentials (no session token).
 */
export function motoEnv(moto: MotoServer): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
  };
}

// ---------------------------------------------------------------------------------------------

async function useExternal(url: string): Promise<MotoServer> {
  const endpoint = url.replace(/\/+$/, '');
  const parsed = new URL(endpoint);
  const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  while (!(await answers(endpoint))) {
    if (Date.now() > deadline) {
      throw new Error(`COSTBOT_MOTO_ENDPOINT=${url} does not answer GET /moto-api/.`);
    }
    await sleep(100);
  }
  return { endpoint, port, stop: async () => {}, reset: () => reset(endpoint) };
}

/**
 * The child is `sh` running moto_server in the background plus a watchdog that reads the
 * child's stdin, a pipe only this process writes to: at EOF (this process closed it or died,
 * however it died) the watchdog kills moto. `sh` puts background jobs' stdin on /dev/null,
 * hence the copy on fd 3. Everything kills the whole process group with SIGKILL (`kill -9 0`):
 * the binary may be a wrapper (a pyenv shim, a script) that forks the real server, and moto
 * keeps no state worth a clean shutdown.
 */
const WRAPPER = `
exec 3<&0
"$@" 3<&- </dev/null &
pid=$!
{ while read -r _ <&3; do :; done; kill -9 0; } &
watchdog=$!
exec 3<&-
trap 'kill -9 0' TERM INT HUP
wait "$pid"
status=$?
kill "$watchdog" 2>/dev/null
exit "$status"
`;

async function spawnMoto(bin: string): Promise<MotoServer> {
  const started = Date.now();
  const child = spawn('sh', ['-c', WRAPPER, 'moto-wrapper', bin, '-H', '127.0.0.1', '-p', '0'], {
    // Own process group, so one kill(-pid) reaches sh, moto and the watchdog.
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONUNBUFFERED: '1' },
  });
  // Unref'd: a test file that forgets stop() still exits (never hangs CI); the exit hook and
  // the watchdog then kill the server.
  child.unref();
  for (const stream of [child.stdin, child.stdout, child.stderr]) {
    (stream as { unref?: () => void } | null)?.unref?.();
  }
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let output = '';
  let exit: string | undefined;
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  child.stdin?.on('error', () => {}); // EPIPE when the wrapper is already gone
  child.once('error', (error) => {
    exit = `could not be spawned: ${error.message}`;
  });
  child.once('exit', (code, signal) => {
    exit = `exited with ${signal ?? `code ${code}`}`;
  });

  const killGroup = (signal: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, signal);
    } catch {
      // already gone
    }
  };
  const onExit = () => killGroup('SIGKILL');
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup('SIGKILL');
    removeHooks();
    // Nobody else handles it: re-raise so the default action (terminate) still happens.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  const removeHooks = () => {
    process.off('exit', onExit);
    for (const signal of signals) process.off(signal, onSignal);
  };
  process.on('exit', onExit);
  for (const signal of signals) process.on(signal, onSignal);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      child.ref(); // else an otherwise idle process exits before 'exit' arrives
      child.stdin?.end();
      killGroup('SIGKILL');
      await exited;
      removeHooks();
    })();
    return stopping;
  };

  const fail = async (why: string): Promise<never> => {
    await stop();
    throw new Error(`moto_server (${bin}) ${why}. Its output:\n${output.trim() || '(nothing)'}`);
  };

  const deadline = started + STARTUP_TIMEOUT_MS;
  let port: number | undefined;
  while (port === undefined || !(await answers(`http://127.0.0.1:${port}`))) {
    if (exit) return fail(exit);
    if (Date.now() > deadline) {
      return fail(`did not answer within ${STARTUP_TIMEOUT_MS / 1000}s`);
    }
    const match = BANNER.exec(output);
    if (match) port = Number(match[1]);
    await sleep(50);
  }
  if (process.env.COSTBOT_MOTO_DEBUG) {
    process.stderr.write(`moto_server ready on port ${port} in ${Date.now() - started} ms\n`);
  }
  const endpoint = `http://127.0.0.1:${port}`;
  return { endpoint, port, stop, reset: () => reset(endpoint) };
}

/** True when `GET /moto-api/` answers 200 (the dashboard; cheap and service-independent). */
async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(2_000) });
    await response.body?.cancel();
    return response.ok;
  } catch {
    return false;
  }
}

async function reset(endpoint: string): Promise<void> {
  const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
  const body = await response.text();
  if (!response.ok) throw new Error(`moto reset failed: ${response.status} ${body}`);
}

/** Absolute path of an executable: a path as given, or a bare name looked up on PATH. */
function resolveBin(bin: string): string | undefined {
  const candidates = bin.includes('/')
    ? [bin]
    : (process.env.PATH ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((dir) => join(dir, bin));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
