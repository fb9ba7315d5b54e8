/**
 * Child process of the report benchmarks (3 and 6): a fresh process runs reports on the local
 * backend (demo metrics, s3rver on 127.0.0.1, the parameter file, the synthesized state
 * machine in aws-local-stepfunctions) with a recording Slack delivery, and prints one JSON line:
 * the time to load the modules and to synthesize the definition, each run's wall time and
 * total and per-step times from the execution's event log, what validating the definition
 * costs (once per process since the runner keeps the machine), and the peak memory.
 *
 *   node --import tsx bench/report-child.ts '{"runs":6,"accounts":3,"byAccount":false}'
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const loadStart = performance.now();
const { loadConfig } = await import('../common/config.ts');
const { localBackend } = await import('../local/backend.ts');
const { demoAccountIds } = await import('../local/demo-metrics.ts');
const { runReport } = await import('../local/report.ts');
const { loadDefinition } = await import('../infra/state-machine/asl.ts');
const { machineFor } = await import('../local/runner.ts');
const { StateMachine } = await import('aws-local-stepfunctions');
const { RecordingSlack } = await import('../local/recording-slack.ts');
const { AS_OF, stepTimings } = await import('./support.ts');
const loadMs = performance.now() - loadStart;

interface Options {
  runs: number;
  accounts: number;
  /** Break the report down by every linked account instead of by service. */
  byAccount: boolean;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
// Bounded whatever happens: a report that hangs ends the process.
setTimeout(() => process.exit(4), 240_000).unref();

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);

const dir = mkdtempSync(join(tmpdir(), 'costbot-bench-report-'));
const config = loadConfig({
  COSTBOT_LOCAL_DIR: dir,
  COSTBOT_LOCAL_S3_PORT: '0',
  COSTBOT_LOCAL_LINKS_PORT: '0',
  LOG_LEVEL: 'error',
});
const delivery = new RecordingSlack();
const backendStart = performance.now();
const backend = await localBackend(config, {
  delivery,
  now: () => AS_OF,
  demoAccounts: options.accounts,
});
const backendMs = performance.now() - backendStart;
// As `npm start` does at start-up: the generated definition, read and validated once.
const synthStart = performance.now();
const definition = loadDefinition();
machineFor(definition);
const synthMs = performance.now() - synthStart;
/** Before any report: modules, the synthesized definition, the S3 server. */
const baseRssMb = process.memoryUsage().rss / 1_000_000;

const runs = [];
try {
  for (let i = 0; i < options.runs; i++) {
    const request = {
      kind: 'command' as const,
      requestId: `bench-report-${i}`,
      channel: 'C0BENCH01',
      responseUrl: 'http://127.0.0.1:9/response',
      userId: 'U0BENCH01',
      period: 'mtd' as const,
      ...(options.byAccount ? { accounts: demoAccountIds(options.accounts) } : {}),
    };
    const t0 = performance.now();
    const result = await runReport(backend, request);
    const wallMs = performance.now() - t0;
    if (result.status !== 'SUCCEEDED' || delivery.messages.length !== i + 1) {
      throw new Error(`report ${i}: ${result.status} ${result.error ?? ''} ${result.cause ?? ''}`);
    }
    runs.push({ wallMs, ...stepTimings(result.events) });
  }
} finally {
  clearInterval(sampler);
  await backend.stop();
  rmSync(dir, { recursive: true, force: true });
}

// What each report paid before the runner kept its validated machine.
const validateStart = performance.now();
new StateMachine(definition as unknown as ConstructorParameters<typeof StateMachine>[0]);
const validateMs = performance.now() - validateStart;

process.stdout.write(
  `${JSON.stringify({
    loadMs,
    backendMs,
    synthMs,
    validateMs,
    runs,
    baseRssMb,
    peakRssMb: peakRss / 1_000_000,
    maxRssMb: (process.resourceUsage().maxRSS * 1024) / 1_000_000,
  })}\n`,
);
process.exit(0);
