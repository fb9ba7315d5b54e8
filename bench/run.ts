/**
 * `npm run bench`: measures the ack path, the Lambda bundles' cold starts, the report end to
 * end, chart rendering, what a report costs in AWS and the digest at scale; prints a summary
 * and writes docs/performance.md from this run's numbers.
 *
 *   npm run bench               # full run, writes docs/performance.md (about 3 minutes)
 *   npm run bench -- --quick    # fewer iterations, prints only
 *
 * Everything runs on 127.0.0.1; every load loop is bounded in count and in time.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { MAX_ACCOUNTS } from '../common/contract-schema.ts';
import { ackInProcess, ackOverHttp } from './ack.ts';
import { ackUnderConsoleLoad, formatConsoleLoad } from './ack-console.ts';
import { benchBundles } from './bundles.ts';
import { benchCharts } from './chart.ts';
import { type ColdStarts, costScenario, stackCostSettings } from './cost.ts';
import { renderDocument, summaryRows } from './doc.ts';
import type { BenchRun, ReportChildResult } from './results.ts';
import { benchStart } from './start.ts';
import { median } from './stats.ts';
import { lastJsonLine, REPO_ROOT, runChild } from './support.ts';

const args = new Set(process.argv.slice(2));
if (args.has('--help')) {
  process.stdout.write('usage: npm run bench [-- --quick]\n');
  process.exit(0);
}
const quick = args.has('--quick');
const SETTINGS = quick
  ? {
      inProcessCalls: 1000,
      httpSeconds: 3,
      singleSeconds: 1,
      coldRuns: 2,
      reportRuns: 3,
      renders: 3,
      startRuns: 1,
    }
  : {
      inProcessCalls: 5000,
      httpSeconds: 10,
      singleSeconds: 3,
      coldRuns: 5,
      reportRuns: 7,
      renders: 10,
      startRuns: 5,
    };
const SCALE_ACCOUNTS = 100;
/** Issue 11's metric chart, and the cost chart, as typed in Slack. */
const CHART_COMMANDS = ['chart AWS/Lambda Errors FunctionName=api,worker 24h', 'chart cost'];
const COST_ACCOUNTS = [1, 10, 100];
const COST_SERVICES = 30;

// This machine's Node may be older than Lambda's; the SDK would warn about it on every client.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

const startedAt = new Date();
const t0 = performance.now();
const load: Record<string, number> = {};
function section(name: string): void {
  load[name] = os.loadavg()[0] ?? 0;
  process.stdout.write(
    `[${((performance.now() - t0) / 1000).toFixed(0).padStart(3)} s] ${name} (load ${load[name].toFixed(1)})\n`,
  );
}

async function reportChild(options: {
  runs: number;
  accounts: number;
  byAccount: boolean;
  command?: string;
}): Promise<ReportChildResult> {
  const result = await runChild(
    ['--import', 'tsx', 'bench/report-child.ts', JSON.stringify(options)],
    {
      env: { ...process.env, LOG_LEVEL: 'error', NODE_OPTIONS: '' },
      timeoutMs: 240_000,
    },
  );
  return lastJsonLine<ReportChildResult>(result, `report child ${JSON.stringify(options)}`);
}

section('1a ack in-process');
const inProcess = await ackInProcess({
  calls: SETTINGS.inProcessCalls,
  warmup: 500,
  maxSeconds: 30,
});

section('1b ack over HTTP');
const http = await ackOverHttp({
  connections: 50,
  seconds: SETTINGS.httpSeconds,
  singleSeconds: SETTINGS.singleSeconds,
  warmupSeconds: 2,
});

section('1c ack under a burst of 50 commands through the console');
process.stdout.write(
  `  ${formatConsoleLoad(await ackUnderConsoleLoad({ commands: 50, whileRendering: 5 }))}\n`,
);

section('2 Lambda bundles');
const bundles = await benchBundles({ runs: SETTINGS.coldRuns });

section('4 chart rendering');
const chart = await benchCharts({ renders: SETTINGS.renders, maxSeconds: 60 });

section('5 cost of a report');
const importMs = (label: string) =>
  median(bundles.bundles.find((b) => b.label === label)?.importMs ?? []);
const botLabel = bundles.stackUsesBotAliases
  ? 'bot + infra/bot-bundle.ts aliases'
  : 'bot (stack options)';
const botBundle = bundles.bundles.find((b) => b.label === botLabel);
const cold: ColdStarts = {
  bot: importMs(botLabel),
  botFirstRequest: median(botBundle?.firstRequestMs ?? []),
  fetch: importMs('fetch'),
  summarize: importMs('summarize'),
  // A cold chart function also pays the first render's extra time (section 4).
  chart: importMs('chart') + Math.max(0, chart.firstMs - (chart.charts[0]?.medianMs ?? 0)),
  sign: importMs('sign'),
  post: importMs('post'),
  // A view's cold links function: init (reads the HMAC key), then its first redirect.
  links:
    importMs('links') +
    median(bundles.bundles.find((b) => b.label === 'links')?.firstRequestMs ?? []),
};
const costInputs = {
  cold,
  chartBytes: chart.charts[0]?.pngBytes ?? 0,
  stack: await stackCostSettings(),
};
// The first scenario once more before measuring: the SDK's first requests in a process are slower.
await costScenario(1, COST_SERVICES, costInputs);
const cost = [];
for (const accounts of COST_ACCOUNTS) {
  cost.push(await costScenario(accounts, COST_SERVICES, costInputs));
}

section('3 report end to end');
const report = await reportChild({ runs: SETTINGS.reportRuns, accounts: 3, byAccount: false });

section('3b chart replies end to end');
const chartReplies = [];
for (const text of CHART_COMMANDS) {
  const result = await reportChild({
    runs: SETTINGS.reportRuns,
    accounts: 3,
    byAccount: false,
    command: text,
  });
  chartReplies.push({ text, result });
}

section(`6 digest for ${SCALE_ACCOUNTS} accounts`);
const scaleDigest = await reportChild({ runs: 2, accounts: SCALE_ACCOUNTS, byAccount: false });
// A request names at most MAX_ACCOUNTS accounts (its output must stay far under 256 KB).
const scaleByAccount = await reportChild({ runs: 2, accounts: MAX_ACCOUNTS, byAccount: true });
section('7 npm start to its first page');
const start = await benchStart(SETTINGS.startRuns);
section('done');

const cpus = os.cpus();
const run: BenchRun = {
  startedAt,
  seconds: (performance.now() - t0) / 1000,
  quick,
  machine: {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    os: `${os.platform()} ${os.release()} ${os.arch()}`,
  },
  load,
  ackInProcess: inProcess,
  ackHttp: http,
  bundles,
  chart,
  cost,
  report,
  chartReplies,
  scaleDigest,
  scaleByAccount,
  scaleAccounts: SCALE_ACCOUNTS,
  scaleByAccountAccounts: MAX_ACCOUNTS,
  start,
};

const rows = summaryRows(run);
const widths = [4, 60, 0];
process.stdout.write('\n');
for (const r of rows) {
  const verdict = r.verdict ? `  [${r.verdict}; target ${r.target}]` : '';
  process.stdout.write(
    `${r.item.padEnd(widths[0] ?? 4)}${r.what.padEnd(widths[1] ?? 60)} ${r.result}${verdict}\n`,
  );
}
process.stdout.write(`\n${Math.round(run.seconds)} s in all.\n`);
// Rendered in every run, so a quick run also proves the document can be written from it.
const document = renderDocument(run);
if (quick) {
  process.stdout.write('--quick: docs/performance.md left as it was.\n');
} else {
  const path = join(REPO_ROOT, 'docs/performance.md');
  writeFileSync(path, document);
  process.stdout.write(`Wrote ${path}.\n`);
}
