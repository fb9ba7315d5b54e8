/** The shape of one benchmark run, shared by the runner and the document writer. */
import type { HttpAck, InProcessAck } from './ack.ts';
import type { BundlesResult } from './bundles.ts';
import type { ChartBench } from './chart.ts';
import type { CostScenario } from './cost.ts';
import type { StartRun } from './start.ts';
import type { StepTimings } from './support.ts';

/** What `report-child.ts` prints. */
export interface ReportChildResult {
  loadMs: number;
  backendMs: number;
  synthMs: number;
  validateMs: number;
  /** With a command's text: the reply's image loaded through its stable link, ms and bytes. */
  runs: (StepTimings & { wallMs: number; imageMs?: number; imageBytes?: number })[];
  peakRssMb: number;
  maxRssMb: number;
  baseRssMb: number;
}

export interface Machine {
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
  os: string;
}

export interface BenchRun {
  startedAt: Date;
  seconds: number;
  quick: boolean;
  machine: Machine;
  /** 1-minute load average when each section started (other processes share this machine). */
  load: Record<string, number>;
  ackInProcess: InProcessAck;
  ackHttp: HttpAck;
  bundles: BundlesResult;
  chart: ChartBench;
  cost: CostScenario[];
  report: ReportChildResult;
  /** 3b: `/aws-cost` chart replies on the local backend, each in a fresh process. */
  chartReplies: { text: string; result: ReportChildResult }[];
  scaleDigest: ReportChildResult;
  scaleByAccount: ReportChildResult;
  scaleAccounts: number;
  /** Accounts in the by-account scale report: the most one request may name. */
  scaleByAccountAccounts: number;
  /** `npm start` from spawn to the console's first page, one entry per cold start. */
  start: StartRun[];
}
