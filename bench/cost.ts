/**
 * 5. What a report costs in AWS, counted, not read off the code: the report runs through the
 * synthesized state machine with SDK clients whose middleware records every request and whose
 * request handler answers from the fake billing data (`fake-billing.ts`). Beside it, on the
 * same data, the two designs people use instead: GetMetricStatistics per series and day, and
 * Cost Explorer. Then what else the stack turns on: each execution's X-Ray trace and state
 * machine log, the links function's views of each chart, the schedule's invocations, the
 * charts kept in the bucket, and the fixed monthly costs (the failure alarm, its topic's key).
 */
import {
  CloudWatchClient,
  type Dimension,
  GetMetricStatisticsCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { loadSlackSecrets } from '../bot/secrets.ts';
import { StepFunctionsStarter } from '../bot/starter.ts';
import { s3Config } from '../common/aws-clients.ts';
import { loadConfig } from '../common/config.ts';
import {
  DIGEST_SUBSCRIPTION_ID,
  type FetchState,
  type ReportRequest,
  type ScheduledRunState,
} from '../common/contract.ts';
import { MAX_ACCOUNTS } from '../common/contract-schema.ts';
import { addDays, dayStart, daysBetween, requiredFetchWindow } from '../common/dates.ts';
import { createLinkSigner, signDepsFromConfig } from '../common/link-signer.ts';
import {
  createStableLinker,
  generateLinkKey,
  linkKeyBytes,
  mintLinkToken,
} from '../common/link-token.ts';
import { SsmParameterReader } from '../common/parameters.ts';
import {
  cloudWatchDollars,
  type FixedCost,
  FREE_TIER,
  type FunctionName,
  fixedMonthlyCosts,
  LAMBDA_MEMORY_MB,
  lambdaSeconds,
  PRICES,
  reportLinkChecks,
  reportTransitions,
  SCHEDULED_RUN_EXTRA_TRANSITIONS,
  type StackCostSettings,
  stateMachineLogBytes,
  TRACES_PER_EXECUTION,
} from '../common/report-cost.ts';
import { loadDefinition } from '../infra/state-machine/asl.ts';
import { RecordingSlack } from '../local/recording-slack.ts';
import { runExecution } from '../local/runner.ts';
import { createLinksHandler, linksDepsFromConfig } from '../workflows/links/handler.ts';
import { createChartHandler } from '../workflows/steps/chart/handler.ts';
import type { CacheStore } from '../workflows/steps/fetch/billing-cache.ts';
import { selectBillingQueries } from '../workflows/steps/fetch/fetch.ts';
import { createFetchHandler } from '../workflows/steps/fetch/handler.ts';
import { cloudWatchMetricsApi } from '../workflows/steps/fetch/metrics-api.ts';
import { deliveryRecords, s3RecordStore } from '../workflows/steps/post/delivery-record.ts';
import { createPostHandler } from '../workflows/steps/post/handler.ts';
import { slackDeliveryFromParameters } from '../workflows/steps/post/slack-client.ts';
import { createSignHandler } from '../workflows/steps/sign/handler.ts';
import { createSummarizeHandler } from '../workflows/steps/summarize/handler.ts';
import {
  type Answer,
  CallLog,
  FAKE_CREDENTIALS,
  jsonProtocolHandler,
  recordCalls,
  s3PutHandler,
} from './fake-aws.ts';
import { FakeBilling, type MetricQuery } from './fake-billing.ts';
import { COST_EXPLORER_ROWS_PER_PAGE, LINK_VIEWS_PER_CHART, TEAM } from './prices.ts';
import { AS_OF, countingLogger, STEP_STATES, type StepState, stepTimings } from './support.ts';

const REGION = 'us-east-1';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:costbot';
/** The links function's URL in the counted stack: the post step links charts below it. */
const BENCH_LINKS_URL = 'https://bench-links.lambda-url.us-east-1.on.aws';
const FUNCTION_OF: Record<StepState, FunctionName> = {
  Fetch: 'fetch',
  Summarize: 'summarize',
  RenderAndStore: 'chart',
  Sign: 'sign',
  Post: 'post',
};

/** Cold-start inputs from the bundle benchmark: init (import) ms, and the bot's first request. */
export type ColdStarts = Record<FunctionName, number> & { botFirstRequest: number };

export interface ReportCount {
  listMetrics: number;
  getMetricDataRequests: number;
  /** GetMetricData is billed per metric requested. */
  metrics: number;
  s3Puts: number;
  /** S3 requests made while presigning the link (none expected: signing is local). */
  s3Other: number;
  ssmRequests: number;
  /** SecureString values read: one KMS Decrypt each. */
  ssmValues: number;
  startExecutions: number;
  transitions: number;
  lambdaInvocations: number;
  lambdaGbSeconds: number;
  logBytes: number;
  /** What the state machine logs at its level (ALL, no execution data), modelled per event. */
  stateMachineLogBytes: number;
  xrayTraces: number;
  /** EventBridge Scheduler invocations: one per scheduled run (the digest), none per command. */
  schedulerInvocations: number;
  stepMs: Record<StepState, number>;
  dollars: Record<
    'cloudwatch' | 's3' | 'kms' | 'stepFunctions' | 'lambda' | 'logs' | 'xray' | 'scheduler',
    number
  > & {
    total: number;
  };
}

/** One view of a chart's stable link: a cold links function's init and first redirect. */
export interface LinkViewCount {
  ssmRequests: number;
  /** SecureString values read: the HMAC key at init, the signer's two to presign. */
  ssmValues: number;
  lambdaGbSeconds: number;
  logBytes: number;
  dollars: Record<'lambda' | 'kms' | 'logs', number> & { total: number };
}

/** One AWS free tier as the team's month uses it. */
export interface FreeTierUse {
  what: string;
  used: number;
  free: number;
}

/** CloudWatch requests of one day of the team's reports, and what they cost. */
export interface DayOfReads {
  listMetrics: number;
  getMetricData: number;
  metrics: number;
  dollars: number;
}

/** The team's day of reports fetched without and with reuse of billing reads. */
export interface ReuseCount {
  reportsPerDay: number;
  maxAgeSeconds: number;
  before: DayOfReads;
  after: DayOfReads;
}

export interface CostScenario {
  accounts: number;
  /** Views of each chart's stable link: the assumed `LINK_VIEWS_PER_CHART` and Post's own check. */
  linkViewsPerChart: number;
  services: number;
  seriesListed: number;
  windowDays: number;
  digest: ReportCount;
  command: ReportCount;
  byAccount: {
    /** Accounts named: every linked account, at most a request's bound (`MAX_ACCOUNTS`). */
    accounts: number;
    listMetrics: number;
    getMetricDataRequests: number;
    metrics: number;
  };
  getMetricStatistics: { listMetrics: number; requests: number; dollars: number };
  costExplorer: {
    rowsByService: number;
    rowsByAccount: number;
    requests: number;
    dollars: number;
    floorDollars: number;
  };
  /** Data-source requests only, per report (the rest of the pipeline is the same). */
  dataDollars: { ours: number; getMetricStatistics: number; costExplorer: number };
  reuse: ReuseCount;
  linkView: LinkViewCount;
  /** Charts kept in the bucket at steady state (the team's reports × the retention). */
  storage: { retentionDays: number; bytes: number; dollars: number };
  fixed: FixedCost[];
  /** The team's month against each always-free tier the reports and the views draw on. */
  freeTiers: FreeTierUse[];
  /** Per month for the team: our whole report, and each design's data-source requests. */
  monthly: {
    oursTotal: number;
    oursData: number;
    /** With reuse of billing reads: the data, the whole bill, and the bill after free tiers. */
    oursDataReused: number;
    oursTotalReused: number;
    oursTotalReusedFreeTiers: number;
    /** The links function's views of the month's charts, at list prices and after free tiers. */
    linkViews: number;
    linkViewsFreeTiers: number;
    /** Everything that grows with use (reports, views, storage) and the fixed costs. */
    allList: number;
    allFreeTiers: number;
    fixedList: number;
    fixedFreeTiers: number;
    /** GetMetricStatistics requests a month (with its ListMetrics): free under 1M. */
    getMetricStatisticsRequests: number;
    getMetricStatistics: number;
    costExplorer: number;
  };
}

const LINK_KEY = generateLinkKey();
const PARAMETER_VALUES: Record<string, string> = {
  '/costbot/links/hmac-key': LINK_KEY,
  '/costbot/signer/access-key-id': 'AKIAIOSFODNN7EXAMPLE',
  '/costbot/signer/secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  '/costbot/slack/bot-token': 'xoxb-bench-token-0000',
  '/costbot/slack/signing-secret': 'bench-signing-secret-0000',
};

const toDate = (seconds: unknown) => new Date(Number(seconds) * 1000);

function cloudWatchAnswer(world: FakeBilling): Answer {
  return (operation, input) => {
    if (operation === 'ListMetrics') return world.listMetrics(input.NextToken as string);
    if (operation === 'GetMetricData') {
      const queries = input.MetricDataQueries as MetricQuery[];
      return world.getMetricData(queries, toDate(input.StartTime), toDate(input.EndTime));
    }
    if (operation === 'GetMetricStatistics') {
      const dims = input.Dimensions as Dimension[];
      return world.getMetricStatistics(dims, toDate(input.StartTime), toDate(input.EndTime));
    }
    throw new Error(`fake CloudWatch: ${operation} is not implemented`);
  };
}

const ssmAnswer: Answer = (operation, input) => {
  if (operation !== 'GetParameters') throw new Error(`fake SSM: ${operation}`);
  const names = input.Names as string[];
  return {
    Parameters: names
      .filter((n) => n in PARAMETER_VALUES)
      .map((Name) => ({ Name, Value: PARAMETER_VALUES[Name], Type: 'SecureString' })),
    InvalidParameters: names.filter((n) => !(n in PARAMETER_VALUES)),
  };
};

const sfnAnswer: Answer = (operation, input) => {
  if (operation !== 'StartExecution') throw new Error(`fake Step Functions: ${operation}`);
  return { executionArn: `${STATE_MACHINE_ARN}:${String(input.name)}`, startDate: AS_OF };
};

/** Every client a report uses, counting into one log. */
function countedClients(world: FakeBilling, log: CallLog) {
  const cloudwatch = new CloudWatchClient({
    region: REGION,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    disableRequestCompression: true,
    requestHandler: jsonProtocolHandler(cloudWatchAnswer(world), '1.0'),
  });
  recordCalls(cloudwatch.middlewareStack, 'CloudWatch', log, (operation, input) =>
    operation === 'GetMetricData' ? (input.MetricDataQueries as unknown[]).length : 1,
  );
  const s3 = (credentials = FAKE_CREDENTIALS) => {
    const client = new S3Client({
      ...s3Config({ AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9' }, { maxAttempts: 1 }),
      region: REGION,
      endpoint: 'http://127.0.0.1:9',
      credentials,
      requestHandler: s3PutHandler(),
    });
    recordCalls(client.middlewareStack, 'S3', log);
    return client;
  };
  const ssm = new SSMClient({
    region: REGION,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: jsonProtocolHandler(ssmAnswer, '1.1'),
  });
  recordCalls(ssm.middlewareStack, 'SSM', log, (_operation, input) =>
    Array.isArray(input.Names) ? input.Names.length : 1,
  );
  const sfn = new SFNClient({
    region: REGION,
    credentials: FAKE_CREDENTIALS,
    maxAttempts: 1,
    requestHandler: jsonProtocolHandler(sfnAnswer, '1.0'),
  });
  recordCalls(sfn.middlewareStack, 'StepFunctions', log);
  /** A cold function's parameter reader: its own cache, empty. */
  const parameters = () => new SsmParameterReader(ssm, { maxAgeSeconds: 300 });
  return { cloudwatch, s3, sfn, parameters };
}

/**
 * One report, every Lambda assumed cold (21 reports a day spread over a working day rarely
 * find a warm one): the bot (commands only) reads its secrets and starts the execution, then
 * the state machine runs Fetch → Post with handlers built as the Lambda entries build them.
 */
async function countReport(
  world: FakeBilling,
  request: ReportRequest,
  cold: ColdStarts,
): Promise<ReportCount> {
  const config = loadConfig({ LOG_LEVEL: 'info' });
  const names = config.parameterNames;
  const log = new CallLog();
  const logs = { bytes: 0 };
  const clients = countedClients(world, log);
  const delivery = new RecordingSlack();

  // The post function's own reader (one per function): the bot token and, with stable links,
  // the HMAC key.
  const postParameters = clients.parameters();
  const isCommand = request.kind === 'command';
  if (isCommand) {
    await loadSlackSecrets(config, clients.parameters());
    await new StepFunctionsStarter(clients.sfn, STATE_MACHINE_ARN).start(request);
  }
  const handlers = {
    fetch: createFetchHandler({
      clients: {
        billing: cloudWatchMetricsApi(clients.cloudwatch),
        metrics: cloudWatchMetricsApi(clients.cloudwatch),
      },
      log: countingLogger({ step: 'fetch' }, logs),
      now: () => AS_OF,
    }),
    summarize: createSummarizeHandler({ topN: config.topN }),
    chart: createChartHandler({
      s3: clients.s3(),
      bucket: config.bucket,
      prefix: config.chartPrefix,
      log: countingLogger({ step: 'chart' }, logs),
    }),
    sign: createSignHandler({
      parameters: clients.parameters(),
      names: { accessKeyId: names.signerAccessKeyId, secretAccessKey: names.signerSecretAccessKey },
      signingClient: (credentials) => clients.s3(credentials),
      expiresInSeconds: config.linkExpiresSeconds,
      log: countingLogger({ step: 'sign' }, logs),
      now: () => AS_OF,
    }),
    post: createPostHandler({
      delivery: slackDeliveryFromParameters({
        parameters: postParameters,
        tokenName: names.slackBotToken,
        build: () => delivery,
      }),
      records: deliveryRecords(s3RecordStore(clients.s3(), config.bucket)),
      log: countingLogger({ step: 'post' }, logs),
      // As the stack deploys it: with stable links the post step mints the link (HMAC key read).
      ...(config.stableLinks
        ? {
            stableLink: createStableLinker({
              parameters: postParameters,
              keyName: names.linkKey,
              baseUrl: BENCH_LINKS_URL,
              lifetimeDays: config.chartRetentionDays,
              now: () => AS_OF,
            }),
          }
        : {}),
    }),
  };
  // A digest starts as the scheduler starts it: with its scheduled time, named before Fetch.
  const input: FetchState | ScheduledRunState = isCommand
    ? { request }
    : {
        request: { ...request, subscription: { id: DIGEST_SUBSCRIPTION_ID } },
        // As the scheduler writes `<aws.scheduler.scheduled-time>`: whole seconds.
        scheduledAt: `${AS_OF.toISOString().slice(0, 19)}Z`,
      };
  const result = await runExecution(loadDefinition({ stableLinks: config.stableLinks }), input, {
    handlers,
  });
  if (result.status !== 'SUCCEEDED' || delivery.messages.length !== 1) {
    throw new Error(`cost run: ${result.status} ${result.error ?? ''} ${result.cause ?? ''}`);
  }
  const timings = stepTimings(result.events);

  // Sign is on the path only with stable links off.
  const entered = STEP_STATES.filter((state) =>
    result.events.some((e) => e.type === 'StateEntered' && e.state.name === state),
  );
  const taskStates = entered.length;
  const gbSeconds = (fn: FunctionName, ms: number) =>
    (LAMBDA_MEMORY_MB[fn] / 1024) * lambdaSeconds(ms, LAMBDA_MEMORY_MB[fn]);
  let lambdaGbSeconds = entered.reduce(
    (sum, state) =>
      sum + gbSeconds(FUNCTION_OF[state], timings.steps[state] + cold[FUNCTION_OF[state]]),
    0,
  );
  if (isCommand) lambdaGbSeconds += gbSeconds('bot', cold.bot + cold.botFirstRequest);
  const lambdaInvocations = taskStates + (isCommand ? 1 : 0);
  const schedulerInvocations = isCommand ? 0 : 1;

  const count = {
    listMetrics: log.requests('CloudWatch', 'ListMetrics'),
    getMetricDataRequests: log.requests('CloudWatch', 'GetMetricData'),
    metrics: log.units('CloudWatch', 'GetMetricData'),
    s3Puts: log.requests('S3', 'PutObject'),
    s3Other: log.calls.filter((c) => c.service === 'S3' && c.operation !== 'PutObject').length,
    ssmRequests: log.requests('SSM', 'GetParameters'),
    ssmValues: log.units('SSM', 'GetParameters'),
    startExecutions: log.requests('StepFunctions', 'StartExecution'),
    transitions: timings.transitions,
    lambdaInvocations,
    lambdaGbSeconds,
    logBytes: logs.bytes,
    stateMachineLogBytes: stateMachineLogBytes(timings.transitions, taskStates),
    xrayTraces: TRACES_PER_EXECUTION,
    schedulerInvocations,
    stepMs: timings.steps,
  };
  const dollars = {
    cloudwatch: cloudWatchDollars(count),
    s3: count.s3Puts * PRICES.s3Put,
    kms: count.ssmValues * PRICES.kmsDecrypt + count.ssmRequests * PRICES.ssmRequest,
    stepFunctions: count.transitions * PRICES.transition,
    lambda: lambdaInvocations * PRICES.lambdaRequest + lambdaGbSeconds * PRICES.lambdaGbSecond,
    logs: (count.logBytes + count.stateMachineLogBytes) * PRICES.logsIngestedByte,
    xray: count.xrayTraces * PRICES.xrayTraceRecorded,
    scheduler: schedulerInvocations * PRICES.schedulerInvocation,
  };
  const total = Object.values(dollars).reduce((a, b) => a + b, 0);
  return { ...count, dollars: { ...dollars, total } };
}

/**
 * One view of a chart's stable link, every view priced cold (an upper bound): the links
 * handler as its Lambda entry builds it, on the counting clients, reads the HMAC key, then
 * answers a fresh token with a redirect. Its time is the bundle's measured init and first
 * redirect (section 2).
 */
async function countLinkView(world: FakeBilling, cold: ColdStarts): Promise<LinkViewCount> {
  const config = loadConfig({ LOG_LEVEL: 'info' });
  const log = new CallLog();
  const logs = { bytes: 0 };
  const clients = countedClients(world, log);
  // One reader, as the function's: the HMAC key at init, the signer's parameters per redirect.
  const parameters = clients.parameters();
  const deps = await linksDepsFromConfig(config, {}, parameters, {
    signLink: createLinkSigner({
      ...signDepsFromConfig(config, {}, parameters),
      signingClient: (credentials) => clients.s3(credentials),
    }),
    now: () => AS_OF,
  });
  const handler = createLinksHandler({
    ...deps,
    log: countingLogger({ component: 'links' }, logs),
  });
  const token = mintLinkToken(linkKeyBytes(LINK_KEY, 'bench'), {
    objectKey: `${config.chartPrefix}2026/11/23/bench.png`,
    expiresAt: new Date(AS_OF.getTime() + 86_400_000),
  });
  const answer = await handler({
    rawPath: `/${token}`,
    requestContext: { http: { method: 'GET' } },
  });
  if (answer.statusCode !== 302) throw new Error(`link view: ${answer.statusCode}`);
  const memory = LAMBDA_MEMORY_MB.links;
  const count = {
    ssmRequests: log.requests('SSM', 'GetParameters'),
    ssmValues: log.units('SSM', 'GetParameters'),
    lambdaGbSeconds: (memory / 1024) * lambdaSeconds(cold.links, memory),
    logBytes: logs.bytes,
  };
  const dollars = {
    lambda: PRICES.lambdaRequest + count.lambdaGbSeconds * PRICES.lambdaGbSecond,
    kms: count.ssmValues * PRICES.kmsDecrypt,
    logs: count.logBytes * PRICES.logsIngestedByte,
  };
  return { ...count, dollars: { ...dollars, total: dollars.lambda + dollars.kms + dollars.logs } };
}

/**
 * What the stack turns on by the month, read from infra when the cost is counted (not at
 * start-up: it loads aws-cdk-lib): the metrics the failure alarm's math reads, and whether the
 * topic gets a KMS key by default.
 */
export async function stackCostSettings(): Promise<StackCostSettings> {
  const { FAILURE_EXPRESSION } = await import('../infra/constructs/failure-alarm.ts');
  const { INFRA_DEFAULTS } = await import('../infra/config.ts');
  // The expression's names that are not functions: `FILL(failed, 0) + …` reads `failed`, ….
  const names = [...FAILURE_EXPRESSION.matchAll(/\b([A-Za-z]\w*)\b(?!\s*\()/g)].map((m) => m[1]);
  const metrics = new Set(names);
  return { alarmMetrics: metrics.size, alarmTopicKey: INFRA_DEFAULTS.alarmTopicKey };
}

/**
 * A report by account (every linked account, at most `MAX_ACCOUNTS`), as the state machine runs it: the
 * `FetchAccounts` Map calls the fetch handler once per account (payer view here, no reader
 * roles), so this counts what those N invocations request.
 */
async function countByAccount(world: FakeBilling) {
  const log = new CallLog();
  const { cloudwatch } = countedClients(world, log);
  const api = cloudWatchMetricsApi(cloudwatch);
  const fetch = createFetchHandler({
    clients: { billing: api, metrics: api },
    log: countingLogger({}, { bytes: 0 }),
    now: () => AS_OF,
  });
  const request: ReportRequest = {
    kind: 'digest',
    requestId: 'bench-by-account',
    channel: '#costs',
    period: 'mtd',
    accounts: world.accounts.slice(0, MAX_ACCOUNTS),
  };
  const accounts = request.accounts ?? [];
  const fetched = await Promise.all(accounts.map((accountId) => fetch({ request, accountId })));
  const found = fetched.filter((a) => a.series).length;
  if (found !== accounts.length) throw new Error(`by account: ${found} series`);
  return {
    accounts: accounts.length,
    listMetrics: log.requests('CloudWatch', 'ListMetrics'),
    getMetricDataRequests: log.requests('CloudWatch', 'GetMetricData'),
    metrics: log.units('CloudWatch', 'GetMetricData'),
  };
}

/**
 * The design people write (as in the field reports): find the series (the same ListMetrics
 * walk), then one GetMetricStatistics per series over the whole window, daily Maximum (up to
 * 1,440 points a call, so a month is one request).
 */
async function countGetMetricStatistics(world: FakeBilling, request: ReportRequest) {
  const log = new CallLog();
  const { cloudwatch } = countedClients(world, log);
  const existing: Map<string, string>[] = [];
  let nextToken: string | undefined;
  do {
    const page = await cloudwatch.send(
      new ListMetricsCommand({
        Namespace: 'AWS/Billing',
        MetricName: 'EstimatedCharges',
        NextToken: nextToken,
      }),
    );
    for (const m of page.Metrics ?? []) {
      existing.push(new Map((m.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? ''])));
    }
    nextToken = page.NextToken;
  } while (nextToken);
  const selected = selectBillingQueries(request, existing);
  const series = [...(selected.total ? [selected.total] : []), ...selected.breakdown];
  const window = requiredFetchWindow(request.period, AS_OF);
  let points = 0;
  for (const q of series) {
    const out = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: q.namespace,
        MetricName: q.metricName,
        Dimensions: q.dimensions,
        StartTime: dayStart(window.from),
        EndTime: dayStart(addDays(window.to, 1)),
        Period: 86_400,
        Statistics: ['Maximum'],
      }),
    );
    points += out.Datapoints?.length ?? 0;
  }
  if (points === 0) throw new Error('GetMetricStatistics design read no data');
  const listMetrics = log.requests('CloudWatch', 'ListMetrics');
  const requests = log.requests('CloudWatch', 'GetMetricStatistics');
  return { listMetrics, requests, dollars: (listMetrics + requests) * PRICES.cloudWatchRequest };
}

/**
 * When the team's reports run in a day: the digest at {@link AS_OF} (06:00 UTC), then the
 * commands evenly from 09:00 to 17:00 UTC, all in one UTC day (one fetch window).
 */
export function teamDay(): Date[] {
  const nine = AS_OF.getTime() + 3 * 3_600_000;
  const step = (8 * 3_600_000) / TEAM.commandsPerDay;
  return [
    AS_OF,
    ...Array.from({ length: TEAM.commandsPerDay }, (_, i) => new Date(nine + i * step)),
  ];
}

/** The bucket's part in reuse, in memory: the bench counts CloudWatch, not S3. */
function memoryStore(): CacheStore {
  const objects = new Map<string, string>();
  return {
    get: async (key) => objects.get(key),
    put: async (key, body) => {
      objects.set(key, body);
    },
  };
}

/**
 * The team's day through the fetch handler as the Lambda entry builds it, with a clock at
 * each report's time: without reuse, and with the billing cache at its default age
 * (`COSTBOT_BILLING_CACHE_SECONDS`). Counted on the wire, like every figure here.
 */
async function countReuse(world: FakeBilling): Promise<ReuseCount> {
  const maxAgeSeconds = loadConfig({}).billingCacheSeconds;
  const day = async (reuse: boolean): Promise<DayOfReads> => {
    const log = new CallLog();
    const { cloudwatch } = countedClients(world, log);
    const api = cloudWatchMetricsApi(cloudwatch);
    const quiet = countingLogger({}, { bytes: 0 });
    let clock = AS_OF;
    const fetch = createFetchHandler({
      clients: { billing: api, metrics: api },
      log: quiet,
      now: () => clock,
      ...(reuse ? { billingCache: { store: memoryStore(), maxAgeSeconds, log: quiet } } : {}),
    });
    for (const [i, at] of teamDay().entries()) {
      clock = at;
      const request: ReportRequest = {
        kind: 'digest',
        requestId: `bench-reuse-${i}`,
        channel: '#costs',
        period: 'mtd',
      };
      await fetch({ request });
    }
    const count = {
      listMetrics: log.requests('CloudWatch', 'ListMetrics'),
      getMetricData: log.requests('CloudWatch', 'GetMetricData'),
      metrics: log.units('CloudWatch', 'GetMetricData'),
    };
    return { ...count, dollars: cloudWatchDollars(count) };
  };
  return {
    reportsPerDay: teamDay().length,
    maxAgeSeconds,
    before: await day(false),
    after: await day(true),
  };
}

/** What the team's month uses of each priced thing, summed over reports and views. */
interface MonthUsage {
  listMetrics: number;
  metrics: number;
  transitions: number;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  kmsRequests: number;
  logBytes: number;
  xrayTraces: number;
  schedulerInvocations: number;
  /** S3 has no always-free tier: requests and storage, in dollars. */
  s3Dollars: number;
}

/** The usage's always-free tiers: what is used of each, and what is free. */
function freeTierUses(usage: MonthUsage): FreeTierUse[] {
  return [
    {
      what: 'Step Functions state transitions',
      used: usage.transitions,
      free: FREE_TIER.transitions,
    },
    {
      what: 'CloudWatch ListMetrics requests',
      used: usage.listMetrics,
      free: FREE_TIER.cloudWatchRequests,
    },
    { what: 'Lambda requests', used: usage.lambdaRequests, free: FREE_TIER.lambdaRequests },
    { what: 'Lambda GB-seconds', used: usage.lambdaGbSeconds, free: FREE_TIER.lambdaGbSeconds },
    {
      what: 'KMS requests (SecureString reads)',
      used: usage.kmsRequests,
      free: FREE_TIER.kmsRequests,
    },
    { what: 'CloudWatch Logs bytes ingested', used: usage.logBytes, free: FREE_TIER.logsBytes },
    { what: 'X-Ray traces recorded', used: usage.xrayTraces, free: FREE_TIER.xrayTracesRecorded },
    {
      what: 'EventBridge Scheduler invocations',
      used: usage.schedulerInvocations,
      free: FREE_TIER.schedulerInvocations,
    },
  ];
}

/**
 * The month's bill for this usage, at list prices or after AWS's always-free tiers: what is
 * left of each service's part once its free allowance is used up (GetMetricData is never free).
 */
function monthDollars(usage: MonthUsage, freeTiers: boolean): number {
  const over = (used: number, free: number) => (freeTiers ? Math.max(0, used - free) : used);
  return (
    usage.metrics * PRICES.getMetricDataPerMetric +
    over(usage.listMetrics, FREE_TIER.cloudWatchRequests) * PRICES.cloudWatchRequest +
    over(usage.transitions, FREE_TIER.transitions) * PRICES.transition +
    over(usage.lambdaRequests, FREE_TIER.lambdaRequests) * PRICES.lambdaRequest +
    over(usage.lambdaGbSeconds, FREE_TIER.lambdaGbSeconds) * PRICES.lambdaGbSecond +
    over(usage.kmsRequests, FREE_TIER.kmsRequests) * PRICES.kmsDecrypt +
    over(usage.logBytes, FREE_TIER.logsBytes) * PRICES.logsIngestedByte +
    over(usage.xrayTraces, FREE_TIER.xrayTracesRecorded) * PRICES.xrayTraceRecorded +
    over(usage.schedulerInvocations, FREE_TIER.schedulerInvocations) * PRICES.schedulerInvocation +
    usage.s3Dollars
  );
}

/** The reports' month (billing reads as reused), and the same plus `views` link views. */
function monthUsage(
  month: (pick: (c: ReportCount) => number) => number,
  reused: DayOfReads,
  views: { count: number; view: LinkViewCount },
): MonthUsage {
  return {
    listMetrics: reused.listMetrics * TEAM.daysPerMonth,
    metrics: reused.metrics * TEAM.daysPerMonth,
    transitions: month((c) => c.transitions),
    lambdaRequests: month((c) => c.lambdaInvocations) + views.count,
    lambdaGbSeconds: month((c) => c.lambdaGbSeconds) + views.count * views.view.lambdaGbSeconds,
    kmsRequests: month((c) => c.ssmValues) + views.count * views.view.ssmValues,
    logBytes: month((c) => c.logBytes + c.stateMachineLogBytes) + views.count * views.view.logBytes,
    xrayTraces: month((c) => c.xrayTraces),
    schedulerInvocations: month((c) => c.schedulerInvocations),
    s3Dollars: month((c) => c.dollars.s3),
  };
}

/** Cost Explorer: GetCostAndUsage (DAILY, by SERVICE) paged, plus one GetCostForecast. */
function countCostExplorer(world: FakeBilling, request: ReportRequest) {
  const window = requiredFetchWindow(request.period, AS_OF);
  const rowsByService = world.costExplorerRows(window, 'SERVICE');
  const rowsByAccount = world.costExplorerRows(window, 'LINKED_ACCOUNT');
  const pages = Math.max(1, Math.ceil(rowsByService / COST_EXPLORER_ROWS_PER_PAGE));
  const requests = pages + 1;
  return {
    rowsByService,
    rowsByAccount,
    requests,
    dollars: requests * PRICES.costExplorerRequest,
    floorDollars: 2 * PRICES.costExplorerRequest,
  };
}

/**
 * One scenario's counts and the team's month. `chartBytes` is a chart's PNG (section 4), for
 * the charts the bucket keeps; `stack` what the stack turns on by the month.
 */
export async function costScenario(
  accounts: number,
  services: number,
  inputs: { cold: ColdStarts; chartBytes: number; stack: StackCostSettings },
): Promise<CostScenario> {
  const { cold } = inputs;
  const world = new FakeBilling({ accounts, services, now: AS_OF });
  const base = {
    requestId: `bench-${accounts}`,
    period: 'mtd' as const,
    asOf: AS_OF.toISOString(),
  };
  const digestRequest: ReportRequest = { ...base, kind: 'digest', channel: '#costs' };
  const commandRequest: ReportRequest = {
    ...base,
    kind: 'command',
    channel: 'C0BENCH01',
    responseUrl: 'http://127.0.0.1:9/response',
    userId: 'U0BENCH01',
  };
  const digest = await countReport(world, digestRequest, cold);
  const command = await countReport(world, commandRequest, cold);
  // Each report's cost line prices these paths without running them: keep the two in step.
  const path = { stableLinks: loadConfig({ LOG_LEVEL: 'info' }).stableLinks };
  const single = reportTransitions(path);
  const expected = single + SCHEDULED_RUN_EXTRA_TRANSITIONS;
  if (command.transitions !== single || digest.transitions !== expected) {
    throw new Error(
      `common/report-cost.ts: reportTransitions(${JSON.stringify(path)}) is ${single} and SCHEDULED_RUN_EXTRA_TRANSITIONS ${SCHEDULED_RUN_EXTRA_TRANSITIONS}; the definition's paths count ${command.transitions} for a command and ${digest.transitions} for a scheduled digest`,
    );
  }
  const byAccount = await countByAccount(world);
  const gms = await countGetMetricStatistics(world, digestRequest);
  const ce = countCostExplorer(world, digestRequest);
  const reuse = await countReuse(world);
  const window = requiredFetchWindow('mtd', AS_OF);
  const ours = digest.dollars.cloudwatch;
  const perMonth = (digestCost: number, commandCost: number) =>
    TEAM.daysPerMonth * (TEAM.digestsPerDay * digestCost + TEAM.commandsPerDay * commandCost);
  const month = (pick: (c: ReportCount) => number) => perMonth(pick(digest), pick(command));
  const oursTotal = month((c) => c.dollars.total);
  const oursData = month((c) => c.dollars.cloudwatch);
  const oursDataReused = TEAM.daysPerMonth * reuse.after.dollars;
  const linkView = await countLinkView(world, cold);
  // Each report's own check of its link (Post, before posting) is one view more, priced alike.
  const linkViewsPerChart = LINK_VIEWS_PER_CHART + reportLinkChecks(path);
  const views = month(() => linkViewsPerChart);
  const reports = monthUsage(month, reuse.after, { count: 0, view: linkView });
  const withViews = monthUsage(month, reuse.after, { count: views, view: linkView });
  // Steady state: every chart of the last `retentionDays` days is in the bucket.
  const retentionDays = loadConfig({}).chartRetentionDays;
  const storedBytes = month(() => 1) * (retentionDays / TEAM.daysPerMonth) * inputs.chartBytes;
  const storage = {
    retentionDays,
    bytes: storedBytes,
    dollars: storedBytes * PRICES.s3StoredByteMonth,
  };
  const fixed = fixedMonthlyCosts(inputs.stack);
  const fixedList = fixed.reduce((sum, f) => sum + f.listDollars, 0);
  const fixedFreeTiers = fixed.reduce((sum, f) => sum + f.afterFreeTierDollars, 0);
  return {
    accounts,
    services,
    linkViewsPerChart,
    seriesListed: world.allSeries().length,
    windowDays: daysBetween(window.from, window.to).length,
    digest,
    command,
    byAccount,
    getMetricStatistics: gms,
    costExplorer: ce,
    reuse,
    linkView,
    storage,
    fixed,
    freeTiers: freeTierUses(withViews),
    dataDollars: { ours, getMetricStatistics: gms.dollars, costExplorer: ce.dollars },
    monthly: {
      oursTotal,
      oursData,
      oursDataReused,
      oursTotalReused: oursTotal - oursData + oursDataReused,
      oursTotalReusedFreeTiers: monthDollars(reports, true),
      linkViews: views * linkView.dollars.total,
      linkViewsFreeTiers: monthDollars(withViews, true) - monthDollars(reports, true),
      allList: monthDollars(withViews, false) + storage.dollars + fixedList,
      allFreeTiers: monthDollars(withViews, true) + storage.dollars + fixedFreeTiers,
      fixedList,
      fixedFreeTiers,
      getMetricStatisticsRequests: perMonth(
        gms.listMetrics + gms.requests,
        gms.listMetrics + gms.requests,
      ),
      getMetricStatistics: perMonth(gms.dollars, gms.dollars),
      costExplorer: perMonth(ce.dollars, ce.dollars),
    },
  };
}
