/**
 * Child process of the report benchmarks (3, 3b and 6): a fresh process runs reports on the
 * local backend (demo metrics, s3rver on 127.0.0.1, the parameter file, the synthesized state
 * machine in aws-local-stepfunctions, the links endpoint) with a recording Slack delivery, and
 * prints one JSON line: the time to load the modules and to synthesize the definition, each
 * run's wall time and total and per-step times from the execution's event log, what validating
 * the definition costs (once per process since the runner keeps the machine), and the peak
 * memory. Given a command's text, each run is that `/aws-cost` as the bot builds it, and the
 * reply's image is then loaded through its stable link (redirect, then the presigned S3 URL).
 *
 *   node --import tsx bench/report-child.ts '{"runs":6,"accounts":3,"byAccount":false}'
 *   node --import tsx bench/report-child.ts '{"runs":6,"accounts":3,"byAccount":false,"command":"chart cost"}'
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
const { parseCommand } = await import('../bot/command/parse.ts');
const { commandRequest } = await import('../bot/listeners/commands/aws-cost.ts');
const { AS_OF, stepTimings } = await import('./support.ts');
const loadMs = performance.now() - loadStart;

interface Options {
  runs: number;
  accounts: number;
  /** Break the report down by every linked account instead of by service. */
  byAccount: boolean;
  /** The text of an `/aws-cost` to run instead of the default report. */
  command?: string;
}

const options = JSON.parse(process.argv[2] ?? '{}') as Options;
// Bounded whatever happens: a report that hangs ends the process.
setTimeout(() => process.exit(4), 240_000).unref();

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
}, 5);

const dir = mkdtempSync(join(tmpdir(), 'costbot-bench-report-'));
// A command's reply links its chart through the links endpoint, whose presigned URL s3rver
// checks against the real clock: such runs use the real time, frozen.
const now = options.command ? new Date(Math.floor(Date.now() / 60_000) * 60_000) : AS_OF;
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
  now: () => now,
  demoAccounts: options.accounts,
});
const backendMs = performance.now() - backendStart;
// As `npm start` does at start-up: the generated definition, read and validated once.
const synthStart = performance.now();
const definition = loadDefinition({ stableLinks: backend.stableLinks });
machineFor(definition);
const synthMs = performance.now() - synthStart;
/** Before any report: modules, the synthesized definition, the S3 server. */
const baseRssMb = process.memoryUsage().rss / 1_000_000;

/** The request of run `i`: the default report, or the command's text as the bot builds it. */
function request(i: number) {
  const slack = {
    channel_id: 'C0BENCH01',
    response_url: 'http://127.0.0.1:9/response',
    user_id: 'U0BENCH01',
  };
  if (options.command === undefined) {
    return {
      kind: 'command' as const,
      requestId: `bench-report-${i}`,
      channel: slack.channel_id,
      responseUrl: slack.response_url,
      userId: slack.user_id,
      period: 'mtd' as const,
      ...(options.byAccount ? { accounts: demoAccountIds(options.accounts) } : {}),
    };
  }
  const parsed = parseCommand(options.command);
  if (!parsed.ok || (parsed.command.kind !== 'chart' && parsed.command.kind !== 'report')) {
    throw new Error(`not a report or chart command: ${options.command}`);
  }
  const command = { ...slack, team_id: 'T0BENCH01', trigger_id: `1.2.${i}` };
  return commandRequest(
    parsed.command,
    command as Parameters<typeof commandRequest>[1],
    config.digestChannel,
  );
}

/** The reply's image loaded as Slack loads it: the stable link, its redirect, the PNG. */
async function loadImage(message: unknown): Promise<{ imageMs: number; imageBytes: number }> {
  const url = /"image_url":"([^"]+)"/.exec(JSON.stringify(message))?.[1];
  if (!url) throw new Error('the reply has no image');
  const t0 = performance.now();
  const response = await fetch(url);
  const png = Buffer.from(await response.arrayBuffer());
  const imageMs = performance.now() - t0;
  if (!response.ok || !response.redirected || png.subarray(1, 4).toString() !== 'PNG') {
    throw new Error(`image ${url}: ${response.status}, redirected ${response.redirected}`);
  }
  return { imageMs, imageBytes: png.byteLength };
}

const runs = [];
try {
  for (let i = 0; i < options.runs; i++) {
    const t0 = performance.now();
    const result = await runReport(backend, request(i));
    const wallMs = performance.now() - t0;
    if (result.status !== 'SUCCEEDED' || delivery.messages.length !== i + 1) {
      throw new Error(`report ${i}: ${result.status} ${result.error ?? ''} ${result.cause ?? ''}`);
    }
    const image = options.command ? await loadImage(delivery.messages[i]?.message) : {};
    runs.push({ wallMs, ...image, ...stepTimings(result.events) });
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
