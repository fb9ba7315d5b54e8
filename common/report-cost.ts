/**
 * What a report costs AWS to make, at us-east-1 list prices: the requests the steps counted
 * (CloudWatch requests and metrics), the state transitions and Lambda invocations of the
 * definition's path, Lambda time at the benchmark's measured figure, the execution's X-Ray
 * trace and its state machine log. Free tiers are ignored here: the figures are what the usage
 * is worth, not what a new account pays (`FREE_TIER` lists them for the bench's second figure).
 * What the stack costs whether or not reports run is apart: `fixedMonthlyCosts`.
 *
 *   reportCostLine({ listMetrics: 1, getMetricData: 1, metrics: 31 })
 *   // 'this report: 2 CloudWatch requests, 31 metrics, 6 state transitions, about $0.0005'
 *
 * Prices marked FIELD-NOTES come from `../shared/FIELD-NOTES.md`; the rest are assumptions.
 */

export const PRICES = {
  /** FIELD-NOTES: GetMetricData, per metric requested. */
  getMetricDataPerMetric: 0.01 / 1000,
  /** FIELD-NOTES: GetMetricStatistics and ListMetrics, per request. */
  cloudWatchRequest: 0.01 / 1000,
  /** FIELD-NOTES: Step Functions Standard, per state transition. */
  transition: 0.025 / 1000,
  /** FIELD-NOTES: Cost Explorer, per request (each page counts). */
  costExplorerRequest: 0.01,
  /** Assumption: Lambda requests. */
  lambdaRequest: 0.2 / 1_000_000,
  /** Assumption: Lambda duration on arm64 (the stack's default architecture), per GB-second. */
  lambdaGbSecond: 0.0000133334,
  /** Assumption: S3 Standard PUT requests. */
  s3Put: 0.005 / 1000,
  /** Assumption: SSM Parameter Store standard throughput API calls are free. */
  ssmRequest: 0,
  /** Assumption: one KMS Decrypt per SecureString value read (aws/ssm key), per request. */
  kmsDecrypt: 0.03 / 10_000,
  /**
   * Assumption: CloudWatch Logs ingestion, per byte ($0.50 per GB): the functions' logs and the
   * state machine's (vended logs, whose first tier is the same $0.50 per GB).
   */
  logsIngestedByte: 0.5 / 1_000_000_000,
  /** Assumption: X-Ray, per trace recorded ($5.00 per million). */
  xrayTraceRecorded: 5 / 1_000_000,
  /** Assumption: X-Ray, per trace retrieved or scanned ($0.50 per million). */
  xrayTraceRetrieved: 0.5 / 1_000_000,
  /** Assumption: a standard-resolution CloudWatch alarm, per metric it reads, a month. */
  alarmMetricMonth: 0.1,
  /** Assumption: a customer managed KMS key, a month (its first two rotations add $1 each). */
  kmsKeyMonth: 1,
  /** Assumption: EventBridge Scheduler, per invocation ($1.00 per million). */
  schedulerInvocation: 1 / 1_000_000,
  /** Assumption: SNS e-mail notifications ($2.00 per 100,000); a topic itself is free. */
  snsEmail: 2 / 100_000,
  /** Assumption: S3 Standard storage, per byte-month ($0.023 per GB-month). */
  s3StoredByteMonth: 0.023 / 1_000_000_000,
} as const;

/**
 * AWS's always-free tiers a month (they never expire), for "after free tiers" figures. They are
 * per account and shared with everything else in it. From FIELD-NOTES: Step Functions' 4,000
 * transitions, CloudWatch's 1M requests (ListMetrics and GetMetricStatistics, never
 * GetMetricData). Assumed: Lambda's 1M requests and 400,000 GB-seconds, KMS's 20,000 requests,
 * CloudWatch Logs' 5 GB, X-Ray's 100,000 traces recorded and 1M retrieved or scanned,
 * CloudWatch's 10 alarm metrics, EventBridge Scheduler's 14M invocations, SNS's 1,000 e-mails.
 * S3 and KMS keys have none (S3's free tier ends after 12 months).
 */
export const FREE_TIER = {
  transitions: 4000,
  cloudWatchRequests: 1_000_000,
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  kmsRequests: 20_000,
  logsBytes: 5_000_000_000,
  xrayTracesRecorded: 100_000,
  xrayTracesRetrieved: 1_000_000,
  alarmMetrics: 10,
  schedulerInvocations: 14_000_000,
  snsEmails: 1000,
} as const;

/**
 * Lambda memory per function, as the stack sets it (infra/constructs: bot 512, chart 1024,
 * 256 else; `links` is the stable-links function of infra/constructs/links.ts).
 */
export const LAMBDA_MEMORY_MB = {
  bot: 512,
  fetch: 256,
  summarize: 256,
  chart: 1024,
  sign: 256,
  post: 256,
  links: 256,
} as const;

export type FunctionName = keyof typeof LAMBDA_MEMORY_MB;

/**
 * Lambda gives a function one full vCPU at 1,769 MB and a proportional share below. A CPU-bound
 * step measured on a full core is assumed to take 1,769 / memory times as long there.
 */
export const FULL_VCPU_MB = 1769;

/** Lambda-billed seconds for work that took `localMs` on a full core. */
export function lambdaSeconds(localMs: number, memoryMb: number): number {
  return (localMs * Math.max(1, FULL_VCPU_MB / memoryMb)) / 1000;
}

/**
 * Lambda GB-seconds of one report's step invocations, every function cold: measured by
 * `npm run bench` (docs/performance.md, section 5: 1.58–1.70, with Sign; without it, the links
 * function's invocation by Post's link check, also 256 MB reading the signer key and presigning,
 * takes Sign's place). Lambda does not tell a step how long the others ran, so the report line
 * uses this figure, not a count.
 */
export const REPORT_LAMBDA_GB_SECONDS = 1.7;

/** Which definition a report runs: the stack deploys one or the other (`stableLinks`). */
export interface ReportPath {
  /** Stable links (the default): no Sign state. Off: Sign presigns the chart's link before Post. */
  stableLinks: boolean;
}

/**
 * State transitions of a report through the single Fetch: the definition's path (Route?, Fetch,
 * Summarize, ConditionMet?, RenderAndStore, Post; with stable links off Sign before Post),
 * checked by the bench's count.
 */
export function reportTransitions(path: ReportPath): number {
  return path.stableLinks ? 6 : 7;
}

/**
 * Invocations of the links function a report makes itself: on the stable-links path Post opens
 * the chart's link once before posting it (`workflows/steps/post/link-probe.ts`), so a bad
 * signer key fails the report, not the chart. Slack's and people's later views are apart (the
 * bench's link views).
 */
export function reportLinkChecks(path: ReportPath): number {
  return path.stableLinks ? 1 : 0;
}

/**
 * A scheduled run (the digest, every subscription) is named first: NameScheduledRun and
 * ByAccount? before Fetch, two more transitions, checked by the bench.
 */
export const SCHEDULED_RUN_EXTRA_TRANSITIONS = 2;

/** Lambda tasks on that path: Fetch, Summarize, RenderAndStore, Post; Sign with stable links off. */
export function reportTaskStates(path: ReportPath): number {
  return path.stableLinks ? 4 : 5;
}

/**
 * Events a Standard execution logs at level ALL (the stack's): ExecutionStarted and its end,
 * each state's Entered and Exited, and each Lambda task's Scheduled, Started and Succeeded.
 */
export function stateMachineLogEvents(transitions: number, taskStates: number): number {
  return 2 + 2 * transitions + 3 * taskStates;
}

/**
 * Bytes of one such log event without execution data (`includeExecutionData: false`, as the
 * stack logs): id, type, details without input or output, previous event id, timestamp, the
 * execution's ARN (~130 characters with this stack's names) and redrive count. Modelled, not
 * measured (no AWS here): records of that shape are 320–430 bytes, 360 on average.
 */
export const STATE_MACHINE_LOG_EVENT_BYTES = 360;

/** What the state machine logs for one execution, in bytes. */
export function stateMachineLogBytes(transitions: number, taskStates: number): number {
  return stateMachineLogEvents(transitions, taskStates) * STATE_MACHINE_LOG_EVENT_BYTES;
}

/**
 * X-Ray traces recorded per execution: the state machine has tracing on, and X-Ray's default
 * sampling rule (the first request each second, then 5%) records every execution at a report's
 * pace. The functions do not trace on their own (Lambda's PassThrough mode): their segments
 * join the execution's trace.
 */
export const TRACES_PER_EXECUTION = 1;

/** What the steps of one report requested, carried from Fetch to the message. */
export interface ReportUsage {
  /** Requests that reached CloudWatch (a reused read: 0); ListMetrics is billed per request. */
  listMetrics: number;
  getMetricData: number;
  /** Metrics requested with GetMetricData (billed per metric, not per request). */
  metrics: number;
  /** A report by account: how many accounts the `FetchAccounts` Map read. */
  accounts?: number;
  /** Started by the scheduler (the digest, a subscription): named before Fetch. */
  scheduled?: boolean;
  /**
   * A Sign state presigned the chart's link (stable links off; Post sets it when it got one):
   * one more transition and invocation. Absent: the stable-links path, without Sign.
   */
  signed?: boolean;
}

/** CloudWatch's charge for these requests: ListMetrics per request, GetMetricData per metric. */
export function cloudWatchDollars(usage: Pick<ReportUsage, 'listMetrics' | 'metrics'>): number {
  return (
    usage.metrics * PRICES.getMetricDataPerMetric + usage.listMetrics * PRICES.cloudWatchRequest
  );
}

export interface ReportCost {
  transitions: number;
  lambdaInvocations: number;
  dollars: {
    cloudwatch: number;
    stepFunctions: number;
    lambda: number;
    /** The execution's X-Ray trace and state machine log. */
    tracingAndLogs: number;
    total: number;
  };
}

/** An execution's X-Ray trace and the bytes the state machine logs for it, in dollars. */
export function executionObservabilityDollars(transitions: number, taskStates: number): number {
  return (
    TRACES_PER_EXECUTION * PRICES.xrayTraceRecorded +
    stateMachineLogBytes(transitions, taskStates) * PRICES.logsIngestedByte
  );
}

/**
 * The report's cost: CloudWatch from the counts (ListMetrics is priced as a request, every
 * metric as GetMetricData), Step Functions, Lambda, X-Ray and the state machine's log from the
 * path (by account: the Map state and one FetchAccount invocation, two transitions, per account;
 * a scheduled run: its naming states; a signed link: the Sign state; a stable link: the links
 * function's invocation by Post's check). The scheduler's invocation is not counted (14M free).
 */
export function reportCost(usage: ReportUsage): ReportCost {
  const accounts = usage.accounts ?? 0;
  const path = { stableLinks: !usage.signed };
  const transitions =
    reportTransitions(path) +
    (usage.scheduled ? SCHEDULED_RUN_EXTRA_TRANSITIONS : 0) +
    2 * accounts;
  const taskStates = reportTaskStates(path) + accounts;
  const lambdaInvocations = taskStates + reportLinkChecks(path);
  const cloudwatch = cloudWatchDollars(usage);
  const stepFunctions = transitions * PRICES.transition;
  const lambda =
    lambdaInvocations * PRICES.lambdaRequest +
    (REPORT_LAMBDA_GB_SECONDS + accounts * (LAMBDA_MEMORY_MB.fetch / 1024)) * PRICES.lambdaGbSecond;
  const tracingAndLogs = executionObservabilityDollars(transitions, taskStates);
  return {
    transitions,
    lambdaInvocations,
    dollars: {
      cloudwatch,
      stepFunctions,
      lambda,
      tracingAndLogs,
      total: cloudwatch + stepFunctions + lambda + tracingAndLogs,
    },
  };
}

/** What the stack turns on that costs by the month, whether or not reports run. */
export interface StackCostSettings {
  /** Metrics the failure alarm's metric math reads (each is billed as an alarm metric). */
  alarmMetrics: number;
  /** The alarm topic is encrypted with a customer managed key (CDK context `alarmTopicKey`). */
  alarmTopicKey: boolean;
}

export interface FixedCost {
  item: string;
  /** A month at list prices. */
  listDollars: number;
  /** A month once the free tier is used, if nothing else in the account uses it. */
  afterFreeTierDollars: number;
  /** The free tier that applies, or why none does. */
  freeTier: string;
}

/**
 * The stack's fixed costs a month: the failure alarm (per metric its math reads) and, when
 * configured, the topic's KMS key. The SNS topic itself costs nothing; it publishes only when
 * a report fails.
 */
export function fixedMonthlyCosts(settings: StackCostSettings): FixedCost[] {
  const alarm = settings.alarmMetrics * PRICES.alarmMetricMonth;
  const costs: FixedCost[] = [
    {
      item: `failure alarm: metric math over ${settings.alarmMetrics} metrics, standard resolution`,
      listDollars: alarm,
      // The free tier covers the first metrics; only those beyond it are billed.
      afterFreeTierDollars:
        Math.max(0, settings.alarmMetrics - FREE_TIER.alarmMetrics) * PRICES.alarmMetricMonth,
      freeTier: `${FREE_TIER.alarmMetrics} alarm metrics a month, shared with every alarm of the account`,
    },
  ];
  if (settings.alarmTopicKey) {
    costs.push({
      item: 'KMS key of the alarm topic (alarmTopicKey=true)',
      listDollars: PRICES.kmsKeyMonth,
      afterFreeTierDollars: PRICES.kmsKeyMonth,
      freeTier: 'none for keys; $1 more after each of its first two yearly rotations',
    });
  }
  return costs;
}

/** `$0.0005`: two significant digits, since a report costs fractions of a cent. */
export function tinyUsd(amount: number): string {
  if (amount <= 0) return '$0';
  return `$${amount
    .toPrecision(2)
    .replace(/(\.\d*?)0+$/, '$1')
    .replace(/\.$/, '')}`;
}

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** The message's context line: `this report: 2 CloudWatch requests, 31 metrics, …, about $0.0005`. */
export function reportCostLine(usage: ReportUsage): string {
  const cost = reportCost(usage);
  const requests = usage.listMetrics + usage.getMetricData;
  return `this report: ${plural(requests, 'CloudWatch request')}, ${plural(usage.metrics, 'metric')}, ${plural(cost.transitions, 'state transition')}, about ${tinyUsd(cost.dollars.total)}`;
}
