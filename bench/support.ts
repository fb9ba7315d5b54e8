/**
 * Pieces the benchmarks share: a logger that counts what it would write, the fixed clock of
 * the reports, event-log timings, and running a child process with a time limit.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger } from '../common/log.ts';
import type { EventLog } from '../local/runner.ts';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');

/**
 * The reports' clock: the morning digest of 23 November 2026. A month-to-date window is then
 * 23 days, the mean over a 30-day month (22.5 days: the first week of a month also reads the
 * previous month), so per-day designs are priced at their monthly average.
 */
export const AS_OF = new Date('2026-11-23T06:00:00.000Z');

/** The report's Task states, in order (names as in `infra/state-machine/definition.ts`). */
export const STEP_STATES = ['Fetch', 'Summarize', 'RenderAndStore', 'Sign', 'Post'] as const;
export type StepState = (typeof STEP_STATES)[number];

/** An info-level logger whose lines go nowhere but are counted (bytes, as CloudWatch bills). */
export function countingLogger(fields: Record<string, unknown>, counter: { bytes: number }) {
  return createLogger(fields, {
    level: 'info',
    write: (line) => {
      counter.bytes += Buffer.byteLength(line) + 1;
    },
  });
}

export interface StepTimings {
  /** ExecutionStarted to ExecutionSucceeded/Failed, ms. */
  total: number;
  /** StateEntered to StateExited of each Task state, ms. */
  steps: Record<StepState, number>;
  /** StateEntered events: Step Functions bills one transition per state entered. */
  transitions: number;
}

/** Timings of one execution from its event log (the library stamps events in ms). */
export function stepTimings(events: EventLog[]): StepTimings {
  const at = (type: string, state?: string) =>
    events.find(
      (e) => e.type === type && (state === undefined || ('state' in e && e.state.name === state)),
    )?.timestamp ?? Number.NaN;
  const ended =
    events.find((e) => e.type === 'ExecutionSucceeded' || e.type === 'ExecutionFailed')
      ?.timestamp ?? Number.NaN;
  const steps = Object.fromEntries(
    STEP_STATES.map((s) => [s, at('StateExited', s) - at('StateEntered', s)]),
  ) as Record<StepState, number>;
  return {
    total: ended - at('ExecutionStarted'),
    steps,
    transitions: events.filter((e) => e.type === 'StateEntered').length,
  };
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  wallMs: number;
}

/**
 * Runs `node <args>` with a hard time limit (the child is killed after `timeoutMs`), and
 * resolves with what it printed. Never rejects: the caller decides what a failure means.
 */
export function runChild(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs: number },
): Promise<ChildResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    const child = spawn(process.execPath, args, {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      // Keep the tail only: a chatty child must not grow this without bound.
      stderr = (stderr + d.toString()).slice(-20_000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, wallMs: performance.now() - started });
    });
  });
}

/** The last line of a child's stdout parsed as JSON, or an error naming what went wrong. */
export function lastJsonLine<T>(result: ChildResult, what: string): T {
  const line = result.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as T;
  } catch {
    throw new Error(
      `${what} failed (exit ${result.code}, ${Math.round(result.wallMs)} ms):\n${result.stderr.slice(-4000)}`,
    );
  }
}
