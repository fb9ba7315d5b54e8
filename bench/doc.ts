/**
 * Writes docs/performance.md from one run's numbers, and the summary the runner prints. Every
 * figure in the document comes from the run; the prose around them says what they mean.
 */

import {
  FREE_TIER,
  FULL_VCPU_MB,
  LAMBDA_MEMORY_MB,
  PRICES,
  reportTransitions,
  SCHEDULED_RUN_EXTRA_TRANSITIONS,
  STATE_MACHINE_LOG_EVENT_BYTES,
} from '../common/report-cost.ts';
import type { BundleResult } from './bundles.ts';
import type { CostScenario, DayOfReads, ReportCount } from './cost.ts';
import { COST_EXPLORER_ROWS_PER_PAGE, LINK_VIEWS_PER_CHART, TEAM } from './prices.ts';
import type { BenchRun, ReportChildResult } from './results.ts';
import { bytes, integer, median, ms, usd } from './stats.ts';
import { AS_OF, STEP_STATES } from './support.ts';

export interface SummaryRow {
  item: string;
  what: string;
  result: string;
  target: string;
  verdict: string;
}

function table(head: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(head), line(head.map(() => '---')), ...rows.map(line)].join('\n');
}

function bundle(run: BenchRun, label: string): BundleResult {
  const found = run.bundles.bundles.find((b) => b.label === label);
  if (!found) throw new Error(`no bundle ${label}`);
  return found;
}

const BOT_STACK = 'bot (stack options)';
const BOT_ALIASED = 'bot + infra/bot-bundle.ts aliases';

function warm(result: ReportChildResult) {
  const runs = result.runs.slice(1);
  return {
    wall: median(runs.map((r) => r.wallMs)),
    total: median(runs.map((r) => r.total)),
    steps: Object.fromEntries(
      STEP_STATES.map((s) => [s, median(runs.map((r) => r.steps[s]))]),
    ) as Record<(typeof STEP_STATES)[number], number>,
  };
}

function verdict(ok: boolean, near = false): string {
  return ok ? 'met' : near ? 'near' : 'missed';
}

/** A chart reply's cold run and warm median: the report, then its image through the link. */
function chartReply(result: ReportChildResult) {
  const [first, ...rest] = result.runs;
  return {
    coldMs: first?.wallMs ?? Number.NaN,
    coldImageMs: first?.imageMs ?? Number.NaN,
    warmMs: median(rest.map((r) => r.wallMs)),
    warmImageMs: median(rest.map((r) => r.imageMs ?? Number.NaN)),
    imageBytes: first?.imageBytes ?? 0,
  };
}

/** The links function's bundle: init, and init plus its first redirect (a cold view). */
function linksColdStart(run: BenchRun) {
  const links = bundle(run, 'links');
  const importMs = median(links.importMs);
  return { links, importMs, viewMs: importMs + median(links.firstRequestMs ?? []) };
}

/** The issue's targets for the reports' month, at list prices and after free tiers. */
const TARGET = { list: 0.17, freeTiers: 0.07 } as const;

/** Each target met, or missed by how much. */
function targetVerdicts(m: CostScenario['monthly']): string[] {
  const one = (what: string, value: number, target: number) =>
    value < target ? `${what} met` : `${what} missed by ${usd(value - target)}`;
  return [
    one('list prices', m.oursTotalReused, TARGET.list),
    one('after free tiers', m.oursTotalReusedFreeTiers, TARGET.freeTiers),
  ];
}

export function summaryRows(run: BenchRun): SummaryRow[] {
  const http = run.ackHttp;
  const stack = bundle(run, BOT_STACK);
  const aliased = bundle(run, BOT_ALIASED);
  const p99 = http.concurrent.latency.p99;
  const cost100 = run.cost.at(-1) as CostScenario;
  const cost1 = run.cost[0] as CostScenario;
  const report = warm(run.report);
  const chart30 = run.chart.charts[0];
  const chart90 = run.chart.charts[1];
  const applied = run.bundles.stackUsesBotAliases
    ? 'the stack passes them'
    : 'once the stack passes them';
  const cold = linksColdStart(run);
  const m = cost1.monthly;
  const reportsMet =
    m.oursTotalReused < TARGET.list && m.oursTotalReusedFreeTiers < TARGET.freeTiers;
  return [
    {
      item: '1a',
      what: '/aws-cost ack in-process, p50 / p95 / p99',
      result: `${ms(run.ackInProcess.ack.p50)} / ${ms(run.ackInProcess.ack.p95)} / ${ms(run.ackInProcess.ack.p99)}`,
      target: 'p99 well under 100 ms',
      verdict: verdict(run.ackInProcess.ack.p99 < 50),
    },
    {
      item: '1b',
      what: 'ack over HTTP, 1 client, p50 / p99',
      result: `${ms(http.single.latency.p50)} / ${ms(http.single.latency.p99)}`,
      target: 'p99 well under 100 ms',
      verdict: verdict(http.single.latency.p99 < 50, http.single.latency.p99 < 100),
    },
    {
      item: '1b',
      what: `ack over HTTP, ${http.concurrent.connections} clients, p50 / p95 / p99`,
      result: `${ms(http.concurrent.latency.p50)} / ${ms(http.concurrent.latency.p95)} / ${ms(p99)} at ${integer(http.concurrent.throughput)} req/s`,
      target: 'p99 well under 100 ms',
      verdict: verdict(p99 < 50, p99 < 100),
    },
    {
      item: '2',
      what: 'bot bundle: stack options → with infra/bot-bundle.ts aliases',
      result: `${bytes(stack.bytes)} → ${bytes(aliased.bytes)}`,
      target: '< 1 MB',
      verdict: `${verdict(stack.bytes < 1_000_000)} → ${verdict(aliased.bytes < 1_000_000)} (${applied})`,
    },
    {
      item: '2',
      what: 'bot import + handler, median of fresh processes',
      result: `${ms(median(stack.importMs))} → ${ms(median(aliased.importMs))}`,
      target: '< 300 ms',
      verdict: `${verdict(median(stack.importMs) < 300)} → ${verdict(median(aliased.importMs) < 300)}`,
    },
    {
      item: '2',
      what: 'heavy packages in the bot bundle',
      result: aliased.heavy.length === 0 ? 'none' : aliased.heavy.join(', '),
      target: 'none (charting, CDK)',
      verdict: verdict(stack.heavy.length === 0 && aliased.heavy.length === 0),
    },
    {
      item: '2',
      what: 'links function: bundle; import + init; with its first redirect',
      result: `${bytes(cold.links.bytes)}; ${ms(cold.importMs)}; ${ms(cold.viewMs)}`,
      target: '—',
      verdict: '',
    },
    {
      item: '3',
      what: 'local report end to end, warm median (first run)',
      result: `${ms(report.wall)} (${ms(run.report.runs[0]?.wallMs ?? Number.NaN)})`,
      target: '—',
      verdict: '',
    },
    ...run.chartReplies.map(({ text, result }) => {
      const r = chartReply(result);
      return {
        item: '3b',
        what: `\`/aws-cost ${text}\`, local: reply warm (cold); its image through the stable link`,
        result: `${ms(r.warmMs)} (${ms(r.coldMs)}); ${ms(r.warmImageMs)} (${ms(r.coldImageMs)})`,
        target: '—',
        verdict: '',
      };
    }),
    {
      item: '4',
      what: 'chart PNG, 30 / 90 days, 6 series',
      result: `${ms(chart30?.medianMs ?? Number.NaN)}, ${bytes(chart30?.pngBytes ?? 0)} / ${ms(chart90?.medianMs ?? Number.NaN)}, ${bytes(chart90?.pngBytes ?? 0)}`,
      target: '—',
      verdict: '',
    },
    {
      item: '5',
      what: `AWS cost per month (1 digest + 20 commands a day), ${cost1.accounts} → ${cost100.accounts} accounts`,
      result: `${usd(cost1.monthly.oursTotal)} → ${usd(cost100.monthly.oursTotal)}; GetMetricStatistics design ${usd(cost100.monthly.getMetricStatistics)}, Cost Explorer ${usd(cost100.monthly.costExplorer)} (data only)`,
      target: '—',
      verdict: '',
    },
    {
      item: '5',
      what: `reuse of billing reads, ${cost1.accounts} account: GetMetricData reads a day; data / reports' whole bill per month`,
      result: `${cost1.reuse.before.getMetricData} → ${cost1.reuse.after.getMetricData}; ${usd(m.oursData)} → ${usd(m.oursDataReused)} / ${usd(m.oursTotal)} → ${usd(m.oursTotalReused)} (${usd(m.oursTotalReusedFreeTiers)} after free tiers)`,
      target: `reports < $${TARGET.list.toFixed(2)}; < $${TARGET.freeTiers.toFixed(2)} after free tiers`,
      verdict: reportsMet ? 'met' : `NOT MET: ${targetVerdicts(m).join('; ')}`,
    },
    {
      item: '5',
      what: `everything, ${cost1.accounts} account, per month: reports + ${cost1.linkViewsPerChart} link views a chart + chart storage + fixed (alarm${cost1.fixed.length > 1 ? ', key' : ''})`,
      result: `${usd(m.oursTotalReused)} + ${usd(m.linkViews)} + ${usd(cost1.storage.dollars)} + ${usd(m.fixedList)} = ${usd(m.allList)} at list prices; ${usd(m.allFreeTiers)} after free tiers`,
      target: '—',
      verdict: '',
    },
    {
      item: '6',
      what: `digest, ${run.scaleAccounts} accounts, local: cold / warm, peak RSS`,
      result: `${ms(run.scaleDigest.runs[0]?.wallMs ?? Number.NaN)} / ${ms(warm(run.scaleDigest).wall)}, ${integer(run.scaleDigest.maxRssMb)} MB`,
      target: '—',
      verdict: '',
    },
    {
      item: '7',
      what: "`npm start` to the console's first page, median (max)",
      result: `${ms(median(run.start.map((s) => s.firstPageMs)))} (${ms(Math.max(...run.start.map((s) => s.firstPageMs)))}) over ${run.start.length} cold starts`,
      target: '< 3 s',
      verdict: verdict(median(run.start.map((s) => s.firstPageMs)) < 3000),
    },
  ];
}

/** Section 5's reuse of billing reads: before and after, requests a day, the honest comparison. */
export function reuseSection(scenarios: CostScenario[]): string[] {
  const [first] = scenarios;
  if (!first) return [];
  const r = first.reuse;
  const requests = (d: DayOfReads) => d.listMetrics + d.getMetricData;
  const hours = r.maxAgeSeconds / 3600;
  const gmsFree = first.monthly.getMetricStatisticsRequests <= FREE_TIER.cloudWatchRequests;
  return [
    '### Reuse of billing reads: before and after',
    '',
    `The team's day run through the fetch handler with a clock: the digest at 06:00 UTC, then ${TEAM.commandsPerDay} commands evenly from 09:00 to 17:00, without reuse and with the billing cache at its default age (\`COSTBOT_BILLING_CACHE_SECONDS\` = ${r.maxAgeSeconds}, ${hours} hours, the shortest observed update interval of the billing metric), counted on the wire. A read is reused only while it is younger than that, so there is at most one full read of the billing series per ${hours} hours, whatever the number of reports.`,
    '',
    table(
      ['', ...scenarios.map((s) => `${s.accounts} × ${s.services}`)],
      [
        [
          `CloudWatch requests a day, ${r.reportsPerDay} reports, without reuse (ListMetrics + GetMetricData)`,
          ...scenarios.map(
            (s) =>
              `${integer(requests(s.reuse.before))} (${s.reuse.before.listMetrics} + ${s.reuse.before.getMetricData})`,
          ),
        ],
        [
          'CloudWatch requests a day, with reuse',
          ...scenarios.map(
            (s) =>
              `${integer(requests(s.reuse.after))} (${s.reuse.after.listMetrics} + ${s.reuse.after.getMetricData})`,
          ),
        ],
        [
          'GetMetricData metrics a day, without → with reuse',
          ...scenarios.map(
            (s) => `${integer(s.reuse.before.metrics)} → ${integer(s.reuse.after.metrics)}`,
          ),
        ],
        [
          'Data per month, without → with reuse',
          ...scenarios.map((s) => `${usd(s.monthly.oursData)} → ${usd(s.monthly.oursDataReused)}`),
        ],
        [
          '**Whole bill per month, without → with reuse**',
          ...scenarios.map(
            (s) => `**${usd(s.monthly.oursTotal)} → ${usd(s.monthly.oursTotalReused)}**`,
          ),
        ],
        [
          'With reuse, after always-free tiers',
          ...scenarios.map((s) => usd(s.monthly.oursTotalReusedFreeTiers)),
        ],
      ],
    ),
    '',
    `A ListMetrics walk of more than one page (over 500 series: about 16 linked accounts × 30 services) is not reused: a page token is no stable key, and a stale token must not fail a report. ListMetrics is in CloudWatch's free tier. Which free tiers the month draws on, and what is left after them, is in "Everything the stack turns on" below. Free tiers are per account and shared with everything else in it: the list-price figure is the one to plan with.`,
    '',
    '### Compared honestly',
    '',
    `- **GetMetricStatistics** as people write it makes ${first.getMetricStatistics.listMetrics + first.getMetricStatistics.requests} requests a report here, ${integer(first.monthly.getMetricStatisticsRequests)} a month for this team: ${gmsFree ? `inside CloudWatch's free tier of ${integer(FREE_TIER.cloudWatchRequests)} requests a month, which covers GetMetricStatistics and ListMetrics but never GetMetricData. **For a small team in an account with free tier to spare, that design is cheaper: $0 of data against our ${usd(first.monthly.oursDataReused)} a month with reuse.**` : 'beyond the free tier.'} At list prices (the free tier used up by other tools) it costs ${usd(first.monthly.getMetricStatistics)} a month against our ${usd(first.monthly.oursDataReused)}.`,
    '- Ours wins when the free tier is not there to spend, and on shape: one GetMetricData request reads up to 500 series, where GetMetricStatistics needs one request per series, so its requests, latency and exposure to throttling grow with the series read (a report over 50 accounts by service and account would be hundreds of requests a report), and GetMetricData returns the hourly freshness point in the same call.',
    `- **Cost Explorer** costs $0.01 a request and a page: at least ${usd(first.monthly.costExplorer)} a month for this team, about ${Math.round(first.monthly.costExplorer / Math.max(first.monthly.oursTotalReused, 1e-9))}× our whole bill with reuse. It wins only on what CloudWatch's billing metric lacks: amortized and net costs, tags and cost categories, 13 months of history.`,
  ];
}

/** Section 3b: chart replies end to end, cold and warm, and their image through the link. */
function chartRepliesSection(run: BenchRun): string[] {
  const warmSteps = (r: ReportChildResult) => warm(r).steps;
  return [
    '### 3b. Chart replies, end to end, locally',
    '',
    "Each command in a fresh process, as the bot builds it from Slack's text (`parseCommand`, `commandRequest`), on the same local backend with the links endpoint on loopback: `runReport` to the reply delivered, then the reply's image loaded as Slack's image proxy loads it: the stable link (the links handler answers 302), then the presigned S3 URL it redirects to (s3rver), to the last byte of the PNG. The first run of each process is cold (modules, font, wasm); the metric chart reads the demo's 1-minute `AWS/Lambda` series of `api` and `worker`.",
    '',
    table(
      [
        'Command',
        'Reply: first (cold)',
        `Reply: median of the next ${Math.max(0, (run.chartReplies[0]?.result.runs.length ?? 1) - 1)}`,
        ...STEP_STATES.map((s) => `${s} (warm)`),
        'Image via the stable link: cold / warm',
        'PNG',
      ],
      run.chartReplies.map(({ text, result }) => {
        const r = chartReply(result);
        const steps = warmSteps(result);
        return [
          `\`/aws-cost ${text}\``,
          ms(r.coldMs),
          `**${ms(r.warmMs)}**`,
          ...STEP_STATES.map((s) => ms(steps[s])),
          `${ms(r.coldImageMs)} / ${ms(r.warmImageMs)}`,
          bytes(r.imageBytes),
        ];
      }),
    ),
    '',
    "Deployed, the reply adds what is local here: CloudWatch and SSM on the network, the functions' cold starts (section 2) and a Slack call; the image adds a cold links function when none is warm (section 2).",
  ];
}

/** The first scenario (1 account): the one the issue's targets are about. */
function last1(run: BenchRun): CostScenario {
  const first = run.cost[0];
  if (!first) throw new Error('no cost scenario');
  return first;
}

/** The team's month of one figure of a report: the digests' and the commands'. */
function perMonth(s: CostScenario, pick: (c: ReportCount) => number): number {
  return (
    TEAM.daysPerMonth *
    (TEAM.digestsPerDay * pick(s.digest) + TEAM.commandsPerDay * pick(s.command))
  );
}

/**
 * Section 5's last part: what the stack turns on besides the reports' own requests (X-Ray,
 * the state machine's log, the schedule, the links function, chart storage, the alarm), the
 * month's whole bill, the free tiers it draws on, and the target's verdict with its reasons.
 */
export function stackSection(scenarios: CostScenario[], linksViewMs: number): string[] {
  const [first] = scenarios;
  if (!first) return [];
  const m = first.monthly;
  const reports = perMonth(first, () => 1);
  const transitions = perMonth(first, (c) => c.transitions);
  const sfnShare = perMonth(first, (c) => c.dollars.stepFunctions);
  const perState = reports * PRICES.transition;
  const reportsMissBy = m.oursTotalReused - TARGET.list;
  const freeMissBy = m.oursTotalReusedFreeTiers - TARGET.freeTiers;
  const hasKey = first.fixed.length > 1;
  const views = reports * first.linkViewsPerChart;
  return [
    '### Everything the stack turns on',
    '',
    `Besides each report's requests, the stack turns on X-Ray tracing of the state machine, its execution log at level ALL (without execution data), the digest's schedule, the links function behind every chart, the charts' storage and the failure alarm. The first four grow with use and are counted or modelled per report below (they are in the per-report tables above); the alarm costs the same every month.`,
    '',
    table(
      ['', ...scenarios.map((s) => `${s.accounts} × ${s.services}`)],
      [
        [
          'X-Ray traces a report (state machine tracing; the default sampling rule records every execution at this pace) → a month',
          ...scenarios.map(
            (s) =>
              `${s.digest.xrayTraces} → ${integer(perMonth(s, (c) => c.xrayTraces))}, ${usd(perMonth(s, (c) => c.dollars.xray))}`,
          ),
        ],
        [
          `State machine log, a command / a digest: events × ${STATE_MACHINE_LOG_EVENT_BYTES} bytes (modelled) → a month`,
          ...scenarios.map(
            (s) =>
              `${bytes(s.command.stateMachineLogBytes)} / ${bytes(s.digest.stateMachineLogBytes)} → ${bytes(perMonth(s, (c) => c.stateMachineLogBytes))}`,
          ),
        ],
        [
          'EventBridge Scheduler invocations a month (one per digest)',
          ...scenarios.map(
            (s) =>
              `${integer(perMonth(s, (c) => c.schedulerInvocations))}, ${usd(perMonth(s, (c) => c.dollars.scheduler))}`,
          ),
        ],
        [
          `Links function, one cold view (${ms(linksViewMs)} of init and first redirect): SecureString values read, GB-seconds → $`,
          ...scenarios.map(
            (s) =>
              `${s.linkView.ssmValues}, ${s.linkView.lambdaGbSeconds.toFixed(3)} → ${usd(s.linkView.dollars.total)}`,
          ),
        ],
        [
          `Links function, ${first.linkViewsPerChart} views a chart: ${integer(views)} views a month`,
          ...scenarios.map((s) => usd(s.monthly.linkViews)),
        ],
        [
          `Charts kept (${first.storage.retentionDays} days, ${integer((reports * first.storage.retentionDays) / TEAM.daysPerMonth)} charts) at steady state`,
          ...scenarios.map((s) => `${bytes(s.storage.bytes)}, ${usd(s.storage.dollars)} a month`),
        ],
      ],
    ),
    '',
    `Fixed costs a month, whatever the use (${hasKey ? 'with' : 'without'} a KMS key on the alarm topic${hasKey ? '' : ', the default'}):`,
    '',
    table(
      ['Item', 'List price', 'After free tier', 'Free tier'],
      [
        ...first.fixed.map((f) => [
          f.item,
          usd(f.listDollars),
          usd(f.afterFreeTierDollars),
          f.freeTier,
        ]),
        [
          'SNS topic of the alarm (publishes only when a report fails; e-mail when configured)',
          '$0',
          '$0',
          `a topic is free; ${integer(FREE_TIER.snsEmails)} e-mails a month, then ${usd(PRICES.snsEmail * 100_000)} per 100,000`,
        ],
        ...(hasKey
          ? []
          : [
              [
                'KMS key of the alarm topic: off by default (CDK context `alarmTopicKey=true` adds it)',
                `$0 (with it ${usd(PRICES.kmsKeyMonth)}; ${usd(2 * PRICES.kmsKeyMonth)} after its first yearly rotation, ${usd(3 * PRICES.kmsKeyMonth)} after the second)`,
                '$0',
                'none for keys',
              ],
            ]),
      ],
    ),
    '',
    `The month for ${first.accounts} account (${TEAM.digestsPerDay} digest and ${TEAM.commandsPerDay} commands a day, billing reads reused):`,
    '',
    table(
      ['', 'List price', 'After always-free tiers'],
      [
        [
          'Reports (everything above per report)',
          usd(m.oursTotalReused),
          usd(m.oursTotalReusedFreeTiers),
        ],
        [
          `Links function (${first.linkViewsPerChart} cold views a chart, ${LINK_VIEWS_PER_CHART} of them assumed)`,
          usd(m.linkViews),
          usd(m.linkViewsFreeTiers),
        ],
        [
          'Chart storage (S3, no always-free tier)',
          usd(first.storage.dollars),
          usd(first.storage.dollars),
        ],
        [`Fixed (alarm${hasKey ? ', key' : ''})`, usd(m.fixedList), usd(m.fixedFreeTiers)],
        ['**Whole month**', `**${usd(m.allList)}**`, `**${usd(m.allFreeTiers)}**`],
      ],
    ),
    '',
    'Free tiers the month draws on (reports and views together; S3 and GetMetricData have none):',
    '',
    table(
      ['Free tier (a month)', 'Used', 'Free', 'Billed beyond it'],
      first.freeTiers.map((f) => [
        f.what,
        integer(f.used),
        integer(f.free),
        f.used > f.free ? integer(f.used - f.free) : 'none',
      ]),
    ),
    '',
    `**The issue's target for the reports: under $${TARGET.list.toFixed(2)} a month at list prices and under $${TARGET.freeTiers.toFixed(2)} after free tiers.** ${reportsMissBy < 0 ? `Met at list prices (${usd(m.oursTotalReused)})` : `Missed at list prices by ${usd(reportsMissBy)} (${usd(m.oursTotalReused)})`}; ${freeMissBy < 0 ? `met after free tiers (${usd(m.oursTotalReusedFreeTiers)})` : `missed after free tiers by ${usd(freeMissBy)} (${usd(m.oursTotalReusedFreeTiers)})`}. Step Functions is ${usd(sfnShare)} of the list figure (${Math.round((100 * sfnShare) / m.oursTotalReused)}%): ${integer(transitions)} transitions a month, ${first.command.transitions} a command and ${first.digest.transitions} a scheduled digest; each state on a report's path costs ${usd(perState)} a month for this team, and the month passes the ${integer(FREE_TIER.transitions)} free transitions once a report enters more than ${Math.floor(FREE_TIER.transitions / reports)} states. The data is at its floor with reuse (${usd(m.oursDataReused)}); Lambda, priced as CPU-bound at every memory size below one vCPU, costs the same GB-seconds whatever memory the functions get, so their sizes offer no saving in this model.`,
    '',
    `With stable links on (the default) the state machine has no Sign state: no message would carry its presigned URL, since the image and "Open chart" go through the links function, which presigns on each view. So a report pays no Sign transition, invocation or read of the signer's two SecureString values, and the signer's keys are read by the links function alone. With \`stableLinks=false\` Sign is back on the path: ${reportTransitions({ stableLinks: false })} transitions a command, ${reportTransitions({ stableLinks: false }) + SCHEDULED_RUN_EXTRA_TRANSITIONS} a scheduled run.`,
  ];
}

function costRows(scenarios: CostScenario[], pick: (s: CostScenario) => ReportCount) {
  const line = (label: string, f: (c: ReportCount, s: CostScenario) => string) => [
    label,
    ...scenarios.map((s) => f(pick(s), s)),
  ];
  return [
    line(
      'ListMetrics requests (series listed)',
      (c, s) => `${c.listMetrics} (${integer(s.seriesListed)})`,
    ),
    line('GetMetricData requests / metrics', (c) => `${c.getMetricDataRequests} / ${c.metrics}`),
    line('S3 PutObject / other S3 requests', (c) => `${c.s3Puts} / ${c.s3Other}`),
    line(
      'SSM GetParameters requests / SecureString values',
      (c) => `${c.ssmRequests} / ${c.ssmValues}`,
    ),
    line(
      'Step Functions StartExecution / state transitions',
      (c) => `${c.startExecutions} / ${c.transitions}`,
    ),
    line(
      'Lambda invocations / GB-seconds',
      (c) => `${c.lambdaInvocations} / ${c.lambdaGbSeconds.toFixed(2)}`,
    ),
    line(
      'Log bytes: the code / the state machine (modelled)',
      (c) => `${integer(c.logBytes)} / ${integer(c.stateMachineLogBytes)}`,
    ),
    line(
      'X-Ray traces / Scheduler invocations',
      (c) => `${c.xrayTraces} / ${c.schedulerInvocations}`,
    ),
    line('**$ CloudWatch**', (c) => usd(c.dollars.cloudwatch)),
    line('$ Step Functions', (c) => usd(c.dollars.stepFunctions)),
    line('$ Lambda', (c) => usd(c.dollars.lambda)),
    line('$ S3 + KMS + logs', (c) => usd(c.dollars.s3 + c.dollars.kms + c.dollars.logs)),
    line('$ X-Ray + Scheduler', (c) => usd(c.dollars.xray + c.dollars.scheduler)),
    line('**$ per report**', (c) => `**${usd(c.dollars.total)}**`),
  ];
}

function machineLine(run: BenchRun): string {
  const m = run.machine;
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGb.toFixed(1)} GB RAM, Node ${m.node}, ${m.os}`;
}

function loadLine(run: BenchRun): string {
  return Object.entries(run.load)
    .map(([section, load]) => `${section} ${load.toFixed(1)}`)
    .join(', ');
}

export function renderDocument(run: BenchRun): string {
  const http = run.ackHttp;
  const inProc = run.ackInProcess;
  const stack = bundle(run, BOT_STACK);
  const aliased = bundle(run, BOT_ALIASED);
  const report = warm(run.report);
  const cold = run.report.runs[0];
  const last = run.cost.at(-1) as CostScenario;
  const parts: string[] = [];
  const add = (...lines: string[]) => parts.push(...lines);

  add(
    '# Performance and cost',
    '',
    `Generated by \`npm run bench\` on ${run.startedAt.toISOString().replace('T', ' ').slice(0, 16)} UTC in ${Math.round(run.seconds)} s. **Do not edit by hand**: every number below comes from that run; run it again to update them.`,
    '',
    `- Machine: ${machineLine(run)}.`,
    `- Other processes share this machine: 1-minute load average at the start of each section: ${loadLine(run)} (on ${run.machine.cores} cores). Latencies under load include waiting for a core; the CPU time per request (1b) and the counts (5) do not depend on it.`,
    `- Reproduce: \`npm ci && npm run bench\` (1–3 minutes depending on the machine's load; everything runs on 127.0.0.1, no AWS account, no Slack). \`npm run bench -- --quick\` runs fewer iterations and only prints. The code is in \`bench/\`, one file per section.`,
    `- Reports are as of ${AS_OF.toISOString()} (the digest of 23 November 2026): a month-to-date window of ${last.windowDays} days, the mean over a 30-day month.`,
    '',
    '## Summary',
    '',
    table(
      ['#', 'What', 'Result', 'Target', 'Verdict'],
      summaryRows(run).map((r) => [r.item, r.what, r.result, r.target, r.verdict]),
    ),
    '',
    '## 1. Ack latency of `/aws-cost`',
    '',
    `Slack drops a slash command that is not acknowledged within 3,000 ms. The listener acks first, then starts one execution (\`bot/listeners/commands/aws-cost.ts\`).`,
    '',
    table(
      ['Path', 'Requests', 'p50', 'p95', 'p99', 'max'],
      [
        [
          '(a) listener in-process: call to `ack()`',
          integer(inProc.calls),
          ms(inProc.ack.p50),
          ms(inProc.ack.p95),
          ms(inProc.ack.p99),
          ms(inProc.ack.max),
        ],
        [
          '(a) listener in-process: call to return (ack, start, log line)',
          integer(inProc.calls),
          ms(inProc.listener.p50),
          ms(inProc.listener.p95),
          ms(inProc.listener.p99),
          ms(inProc.listener.max),
        ],
        ...[http.single, http.concurrent].map((r) => [
          `(b) HTTP, ${r.connections} client${r.connections === 1 ? '' : 's'} for ${r.seconds.toFixed(0)} s, ${integer(r.throughput)} req/s`,
          integer(r.requests),
          ms(r.latency.p50),
          ms(r.latency.p95),
          ms(r.latency.p99),
          ms(r.latency.max),
        ]),
      ],
    ),
    '',
    `(a) calls \`createAwsCostCommand\` with a fake \`ack\` and a starter that does nothing, after a warm-up, over the five most common command texts. (b) runs the bot as \`npm start\` serves it (Bolt's \`ExpressReceiver\` with signature verification on 127.0.0.1, \`processBeforeResponse: false\`) in its own process with a starter that only counts; autocannon sends signed commands, each with its own trigger id and a fresh signature. ${integer(http.started)} reports were started during the concurrent run for ${integer(http.concurrent.requests)} acknowledged commands${http.started > http.concurrent.requests ? ` (the other ${integer(http.started - http.concurrent.requests)} were in flight when the load stopped)` : ''}; ${http.non2xx} non-2xx responses, ${http.errors} errors in all runs. The bot's process spent **${ms(http.cpuMsPerAck)} of CPU per command** (user + system).`,
    '',
    `Under ${http.concurrent.connections} clients sending back to back, latency is queueing: ${http.concurrent.connections} requests in flight ÷ ${integer(http.concurrent.throughput)} req/s ≈ ${ms((http.concurrent.connections / http.concurrent.throughput) * 1000)} of waiting on average, on a machine whose two cores also run the load generator and other processes. A single command is answered in ${ms(http.single.latency.p50)} (p50). Deployed, the bot is one Lambda request per command (20 a day here), so the number that matters against Slack's 3 s is the cold start below.`,
    '',
    '## 2. Cold start per Lambda bundle',
    '',
    "Each entry is bundled with the esbuild API using the options of `infra/constructs/costbot-function.ts` (platform node, target node22, format ESM, `mainFields: [module, main]`, minify, keepNames, the `require` banner, no source map). **The AWS SDK is bundled, not taken from the runtime**, as the stack decides (`bundleAwsSDK: true`): the code runs against the locked SDK version it was tested with, at the price of the SDK code in each bundle (column SDK: with `@aws-sdk/*` external each bundle would be that much smaller). Then fresh `node` processes import the bundle and build the handler, as Lambda's init does; the bot's init reads its two Slack secrets from a loopback fake of the Parameters and Secrets extension (`PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`, `AWS_SESSION_TOKEN`), and its first signed `/aws-cost` is answered, StartExecution going to a loopback fake of Step Functions. The links function's init reads its HMAC key from the same fake, and its first request is a stable link minted with that key, answered with a redirect to a presigned URL (the signer's two parameters read from the fake, the URL signed locally).",
    '',
    table(
      [
        'Bundle',
        'Size',
        'SDK',
        'Import + handler: median (each run)',
        'Whole process',
        'RSS',
        'Top 5 packages (metafile inputs by package)',
      ],
      run.bundles.bundles.map((b) => [
        `${b.label} (\`${b.entry}\`, ${LAMBDA_MEMORY_MB[b.fn]} MB)`,
        `${bytes(b.bytes)}${b.assetBytes ? ` + ${bytes(b.assetBytes)} font and wasm` : ''}`,
        bytes(b.sdkBytes),
        `**${ms(median(b.importMs))}** (${b.importMs.map((v) => Math.round(v)).join(', ')})`,
        ms(b.processMs),
        `${integer(b.rssMb)} MB`,
        b.topPackages.map((p) => `${p.name} ${bytes(p.bytes)}`).join(', '),
      ]),
    ),
    '',
    `The bot's first \`/aws-cost\` after init (signature check, ack, StartExecution on loopback): ${ms(median(aliased.firstRequestMs ?? []))} median with the aliases, ${ms(median(stack.firstRequestMs ?? []))} without. Cold start plus first request is the time a first command waits: ${ms(median(aliased.importMs) + median(aliased.firstRequestMs ?? []))} here on a full core; Lambda gives the bot's 512 MB ${(512 / FULL_VCPU_MB).toFixed(2)} of a vCPU, so expect up to ${(FULL_VCPU_MB / 512).toFixed(1)}× that, still well inside 3 s.`,
    '',
    `The links function's first redirect after init (token check, the signer's parameters read, presigning): ${ms(median(bundle(run, 'links').firstRequestMs ?? []))} median; with its init, a chart view that finds no warm links function waits ${ms(linksColdStart(run).viewMs)} here on a full core, up to ${(FULL_VCPU_MB / LAMBDA_MEMORY_MB.links).toFixed(1)}× that at its ${LAMBDA_MEMORY_MB.links} MB. A warm one answers from its cached parameters (5 minutes).`,
    '',
    `Heavy packages (${['echarts', 'zrender', 'aws-cdk-lib', '@resvg/resvg-wasm'].join(', ')}…) in the bot bundle: ${stack.heavy.length + aliased.heavy.length === 0 ? '**none**' : [...stack.heavy, ...aliased.heavy].join(', ')}.`,
    '',
    'Largest input files of each bundle:',
    '',
    ...run.bundles.bundles.map(
      (b) =>
        `- ${b.label}: ${b.topFiles.map((f) => `\`${f.path.replace(/^.*node_modules\//, '')}\` ${bytes(f.bytes)}`).join(', ')}`,
    ),
    '',
    '## 3. Report latency, end to end, locally',
    '',
    `A fresh process runs command reports on the local backend (demo metrics, s3rver on loopback, the parameter file, the synthesized state machine in aws-local-stepfunctions, a recording Slack delivery): \`runReport\` to message delivered. Per step: StateEntered to StateExited of the execution's event log (whole milliseconds). Start-up, once per process: loading the modules ${ms(run.report.loadMs)}, the local backend ${ms(run.report.backendMs)}, reading and validating the generated definition ${ms(run.report.synthMs)} (\`npm start\` does it before serving).`,
    '',
    table(
      ['Run', 'runReport', 'Execution', ...STEP_STATES],
      [
        [
          'first (cold)',
          ms(cold?.wallMs ?? Number.NaN),
          ms(cold?.total ?? Number.NaN),
          ...STEP_STATES.map((s) => ms(cold?.steps[s] ?? Number.NaN)),
        ],
        [
          `median of the next ${run.report.runs.length - 1}`,
          `**${ms(report.wall)}**`,
          ms(report.total),
          ...STEP_STATES.map((s) => ms(report.steps[s])),
        ],
      ],
    ),
    '',
    "The first run pays the chart's cold start (font, wasm, resvg before WebAssembly tiers it up); in Lambda that is the chart function's cold start, not the bot's, so Slack's 3 s does not apply to it. Sign and Post are local here (s3rver presigning, a recording delivery); deployed they add an SSM read (cached 5 min) and a Slack call.",
    '',
    ...chartRepliesSection(run),
    '',
    '## 4. Chart rendering',
    '',
    table(
      ['Chart', 'Renders', 'Median', 'Min–max', 'PNG'],
      run.chart.charts.map((c) => [
        `${c.days} days × 6 series (stacked), ${c.width}×${c.height} px`,
        String(c.renders),
        `**${ms(c.medianMs)}**`,
        `${ms(c.minMs)}–${ms(c.maxMs)}`,
        bytes(c.pngBytes),
      ]),
    ),
    '',
    `The first render of the process took ${ms(run.chart.firstMs)} (reading the font and wasm, resvg's first calls before tier-up).`,
    '',
    '## 5. What a report costs in AWS',
    '',
    `Counted, not read off the code: the report runs through the synthesized state machine with the step handlers the Lambda entries build, on SDK clients whose middleware records every request (one per HTTP attempt, with what it is billed by) and whose \`requestHandler\` answers from fake billing data in the service's own wire protocol. The fake payer account has N linked accounts × 30 services and publishes \`EstimatedCharges\` per total, per service, per account and per account × service (1 + 30 + N + 30·N series), as CloudWatch does. The digest and the default \`/aws-cost\` report by service; every Lambda is assumed cold (21 reports a day rarely meet a warm one), so each function reads its parameters once per report.`,
    '',
    '### Digest (started as the scheduler starts it, so named before Fetch; no bot invocation)',
    '',
    table(
      [
        '',
        ...run.cost.map(
          (s) => `${s.accounts} account${s.accounts === 1 ? '' : 's'} × ${s.services} services`,
        ),
      ],
      costRows(run.cost, (s) => s.digest),
    ),
    '',
    '### `/aws-cost` (bot Lambda: cold secrets read, ack, StartExecution)',
    '',
    table(
      ['', ...run.cost.map((s) => `${s.accounts} × ${s.services}`)],
      costRows(run.cost, (s) => s.command),
    ),
    '',
    `A report **by account** over every linked account requests ${run.cost.map((s) => `${s.byAccount.metrics} metrics in ${s.byAccount.getMetricDataRequests} GetMetricData call${s.byAccount.getMetricDataRequests === 1 ? '' : 's'} (${s.byAccount.accounts} account${s.byAccount.accounts === 1 ? '' : 's'})`).join(', ')}: the \`FetchAccounts\` Map reads each account in its own Lambda invocation (at most 5 at once), one GetMetricData call each; GetMetricData is billed per metric, so the data costs $0.00001 per account, and each account adds a Lambda invocation and about two state transitions.`,
    '',
    '### Per month, and the designs people use instead',
    '',
    `For a team with ${TEAM.digestsPerDay} digest and ${TEAM.commandsPerDay} commands a day (${TEAM.daysPerMonth} days). "Data" is the cost of reading the figures, the only part the designs differ in; the rest of the pipeline (Step Functions, Lambda, S3) would be the same.`,
    '',
    table(
      ['', ...run.cost.map((s) => `${s.accounts} × ${s.services}`)],
      [
        [
          '**This design, whole report, per month**',
          ...run.cost.map((s) => `**${usd(s.monthly.oursTotal)}**`),
        ],
        [
          'This design, data per report: ListMetrics + GetMetricData',
          ...run.cost.map((s) => usd(s.dataDollars.ours)),
        ],
        ['This design, data per month', ...run.cost.map((s) => usd(s.monthly.oursData))],
        [
          'GetMetricStatistics, one request per series over the window: requests per report (ListMetrics + GetMetricStatistics)',
          ...run.cost.map(
            (s) =>
              `${s.getMetricStatistics.listMetrics} + ${integer(s.getMetricStatistics.requests)}`,
          ),
        ],
        [
          'GetMetricStatistics design, data per report / per month',
          ...run.cost.map(
            (s) =>
              `${usd(s.dataDollars.getMetricStatistics)} / ${usd(s.monthly.getMetricStatistics)}`,
          ),
        ],
        [
          'Cost Explorer: rows (day × service) → requests (pages + 1 forecast)',
          ...run.cost.map(
            (s) => `${integer(s.costExplorer.rowsByService)} → ${s.costExplorer.requests}`,
          ),
        ],
        [
          'Cost Explorer design, data per report / per month',
          ...run.cost.map(
            (s) => `${usd(s.dataDollars.costExplorer)} / ${usd(s.monthly.costExplorer)}`,
          ),
        ],
      ],
    ),
    '',
    `The GetMetricStatistics design was run against the same fake data through the same counting client, as people write it: the same ListMetrics walk, then one request per series (total + 30 services) over the whole ${last.windowDays}-day window (daily Maximum; up to 1,440 points a request). Cost Explorer's rows are counted on the same data; by account they would be ${run.cost.map((s) => integer(s.costExplorer.rowsByAccount)).join(' / ')} rows.`,
    '',
    ...reuseSection(run.cost),
    '',
    ...stackSection(run.cost, linksColdStart(run).viewMs),
    '',
    '### Prices and assumptions',
    '',
    `- AWS list prices (us-east-1, as published in 2026; \`bench/prices.ts\`): GetMetricData $${(PRICES.getMetricDataPerMetric * 1000).toFixed(2)} per 1,000 metrics requested (up to 500 queries per call); GetMetricStatistics and ListMetrics $${(PRICES.cloudWatchRequest * 1000).toFixed(2)} per 1,000 requests; Step Functions Standard $${(PRICES.transition * 1000).toFixed(3)} per 1,000 state transitions (one per state entered, counted from the event log); Cost Explorer $${PRICES.costExplorerRequest.toFixed(2)} per request, each page counting.`,
    `- Assumed (us-east-1 list prices, free tiers ignored): Lambda arm64 $${PRICES.lambdaGbSecond} per GB-second and $${(PRICES.lambdaRequest * 1_000_000).toFixed(2)} per million requests; S3 PUT $${(PRICES.s3Put * 1000).toFixed(3)} per 1,000; SSM standard-throughput GetParameters free, one KMS Decrypt ($${(PRICES.kmsDecrypt * 10_000).toFixed(2)} per 10,000) per SecureString value read; CloudWatch Logs ingestion $0.50 per GB of what the code logs and of the state machine's log (Step Functions' logs are vended logs, whose first tier is the same $0.50; Lambda's own START/END/REPORT lines not counted); X-Ray $${(PRICES.xrayTraceRecorded * 1_000_000).toFixed(2)} per million traces recorded and $${(PRICES.xrayTraceRetrieved * 1_000_000).toFixed(2)} per million retrieved or scanned (retrieval happens only when someone opens the traces, not counted); EventBridge Scheduler $${(PRICES.schedulerInvocation * 1_000_000).toFixed(2)} per million invocations; a standard-resolution alarm $${PRICES.alarmMetricMonth.toFixed(2)} per metric it reads a month (a metric-math alarm pays for each metric of its expression); a customer managed KMS key $${PRICES.kmsKeyMonth.toFixed(2)} a month; S3 Standard $${(PRICES.s3StoredByteMonth * 1e9).toFixed(3)} per GB-month, each chart ~${bytes(run.chart.charts[0]?.pngBytes ?? 0)} (the 30-day chart of section 4); StartExecution itself and Function URL requests cost nothing beyond the Lambda request.`,
    `- Always-free tiers, a month (per account, shared with everything else in it): Step Functions ${integer(FREE_TIER.transitions)} transitions; CloudWatch ${integer(FREE_TIER.cloudWatchRequests)} API requests (not GetMetricData) and ${FREE_TIER.alarmMetrics} alarm metrics; Lambda ${integer(FREE_TIER.lambdaRequests)} requests and ${integer(FREE_TIER.lambdaGbSeconds)} GB-seconds; KMS ${integer(FREE_TIER.kmsRequests)} requests; CloudWatch Logs ${FREE_TIER.logsBytes / 1e9} GB; X-Ray ${integer(FREE_TIER.xrayTracesRecorded)} traces recorded and ${integer(FREE_TIER.xrayTracesRetrieved)} retrieved or scanned; EventBridge Scheduler ${integer(FREE_TIER.schedulerInvocations)} invocations; SNS ${integer(FREE_TIER.snsEmails)} e-mails. None for S3 (its free tier ends after 12 months) or KMS keys.`,
    `- The state machine's log is modelled, not measured: at level ALL Step Functions logs ExecutionStarted and its end, each state's Entered and Exited, and each Lambda task's Scheduled, Started and Succeeded; without execution data such a record is ${STATE_MACHINE_LOG_EVENT_BYTES} bytes on average (\`common/report-cost.ts\`). The links function's views are assumed: ${LINK_VIEWS_PER_CHART} a chart over its life (Slack's image proxy when the message is posted and when its cache lapses, people opening "Open chart"), each priced cold, an upper bound; with stable links Post's own check of each link before posting is one view more (\`reportLinkChecks\`).`,
    `- Lambda memory as the stack sets it: ${Object.entries(LAMBDA_MEMORY_MB)
      .map(([fn, mb]) => `${fn} ${mb} MB`)
      .join(
        ', ',
      )}. Duration: each step's measured time here plus its cold start from section 2 (init is billed) and, for the chart, the first render's extra time from section 4, all scaled by ${FULL_VCPU_MB} MB / memory (Lambda's CPU share below one vCPU; CPU-bound work assumed); Lambda bills by the millisecond.`,
    `- Cost Explorer: a GetCostAndUsage page is assumed to hold ${integer(COST_EXPLORER_ROWS_PER_PAGE)} rows (one per day and group); AWS does not document the page size. Whatever it is, the floor is 1 page + 1 GetCostForecast = $0.02 a report, ${usd(0.02 * TEAM.daysPerMonth * (TEAM.digestsPerDay + TEAM.commandsPerDay))} a month for this team.`,
    '',
    '## 6. Scale: the digest for many accounts, locally',
    '',
    `A fresh process each: the local backend with ${run.scaleAccounts} linked accounts in the demo data, a cold run then a warm one. Peak memory is the process's maximum resident set (\`process.resourceUsage().maxRSS\`; rss sampled every 5 ms agrees).`,
    '',
    table(
      ['Report', 'Cold run', 'Warm run', 'Fetch (warm)', 'RSS before the first report', 'Peak RSS'],
      [
        ['digest by service', run.scaleDigest] as const,
        [
          `by account (${run.scaleByAccountAccounts}, the most one request names)`,
          run.scaleByAccount,
        ] as const,
      ].map(([label, r]) => [
        label,
        ms(r.runs[0]?.wallMs ?? Number.NaN),
        `**${ms(warm(r).wall)}**`,
        ms(warm(r).steps.Fetch),
        `${integer(r.baseRssMb)} MB`,
        `**${integer(r.maxRssMb)} MB**`,
      ]),
    ),
    '',
    'Most of the memory is there before the first report: aws-cdk-lib (loaded to synthesize the definition), the S3 server and the chart renderer. Deployed, no function loads CDK; each step runs in its own Lambda. The by-account Fetch is the demo data source computing every cumulative point from the 1st of the month (a quadratic stand-in for what CloudWatch stores); against the counting CloudWatch client of section 5 the same fetch is one ListMetrics walk and one GetMetricData call.',
    '',
    '## What changed after the first results',
    '',
    `1. **Bot bundle: ${bytes(stack.bytes)} → ${bytes(aliased.bytes)}, import ${ms(median(stack.importMs))} → ${ms(median(aliased.importMs))} (this run).** Bolt is CommonJS and its entry requires every receiver, so the bundle carried the Socket Mode client (undici), Express, raw-body (iconv-lite) and the OAuth installer, none of which \`AwsLambdaReceiver\` with a bot token calls; most of the import time was V8 compiling that code. \`infra/bot-bundle.ts\` lists them and \`bot/bundle-stub.ts\` stands in for them (it throws if ever called); the benchmark's bundle with those aliases acks a signed command in every cold-start run, and \`test/infra/bot-bundle.e2e.test.ts\` keeps it so. ${run.bundles.stackUsesBotAliases ? 'The stack passes them to esbuild.' : '**Not yet in the deployed bundle:** the stack must pass them (`bundling.esbuildArgs: botBundleEsbuildArgs(REPO_ROOT)` in `infra/constructs/bot.ts`); until then the deployed bot is the "stack options" row.'}`,
    `2. **Local reports: ${ms(run.report.validateMs)} less per report (validating the definition, measured in this run).** The local runner built a new aws-local-stepfunctions \`StateMachine\` for every execution, which validates the whole definition first; it now keeps one per definition (\`local/runner.ts\`).`,
    "3. Tried and not kept (measured on 2026-11-22 before this document's run): importing the link signer lazily in `bot/lambda.ts` made the aliased bundle larger (779 KB → 929 KB, esbuild keeps the whole lazily imported module graph) and its import no faster; Bolt's `convoStore: false` changed the CPU per ack by less than the noise (0.55 → 0.54 ms).",
    `4. Not changed, and why: the ack p99 under ${http.concurrent.connections} back-to-back clients is queueing on two shared cores (see 1), not work per command (${ms(http.cpuMsPerAck)} of CPU); the chart's first render (${ms(run.chart.firstMs)}) is resvg running before WebAssembly tier-up, paid once per chart-Lambda cold start, off Slack's 3 s path; reading and validating the definition (${ms(run.report.synthMs)}) happens once at \`npm start\`.`,
    `5. **The cost model covers what the stack turns on (issue 13).** Each report now also carries its X-Ray trace (${usd(perMonth(last1(run), (c) => c.dollars.xray))} a month for the team) and its state machine log (${usd(perMonth(last1(run), (c) => c.stateMachineLogBytes * PRICES.logsIngestedByte))}, modelled); each digest a Scheduler invocation; each chart its link views (${usd(last1(run).monthly.linkViews)}, assumed) and its storage (${usd(last1(run).storage.dollars)}); the month a fixed ${usd(last1(run).monthly.fixedList)} for the alarm (${usd(last1(run).monthly.fixedFreeTiers)} within CloudWatch's free alarm metrics). A command enters ${last1(run).command.transitions} states and a scheduled digest ${last1(run).digest.transitions} (three to name the run), which costs ${usd(perMonth(last1(run), (c) => c.dollars.stepFunctions))} a month at list prices and, at ${integer(perMonth(last1(run), (c) => c.transitions))} transitions a month, ${perMonth(last1(run), (c) => c.transitions) > FREE_TIER.transitions ? 'passes' : 'stays within'} the ${integer(FREE_TIER.transitions)} free ones.`,
    '',
  );
  return `${parts.join('\n')}\n`;
}
