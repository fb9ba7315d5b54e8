/**
 * Summarize step handler: `{request, fetched}` (after Fetch) or `{request, perAccount}` (after
 * the FetchAccounts Map) → `{request, summary, gate}`: a cost report's figures, or a metric
 * chart's when the request names a metric, and the verdict on the request's condition (the
 * `ConditionMet?` Choice reads `gate.post`). Pure; drops the raw series.
 */
import type {
  AccountFetched,
  ChartState,
  ReportRequest,
  SummarizeAccountsState,
  SummarizeState,
  Summary,
} from '../../../common/contract.ts';
import {
  parseEvent,
  SummarizeAccountsStateSchema,
  SummarizeStateSchema,
} from '../../../common/contract-schema.ts';
import type { ReportUsage } from '../../../common/report-cost.ts';
import { evaluateGate } from './gate.ts';
import { mergeAccounts } from './merge.ts';
import { summarizeMetric } from './metric.ts';
import { summarize } from './summarize.ts';

/** Summarize's event after Fetch or after the Map, checked before use (`InvalidEventError`). */
function checkedSummarizeInput(event: unknown): SummarizeState | SummarizeAccountsState {
  return typeof event === 'object' && event !== null && 'perAccount' in event
    ? parseEvent('Summarize', SummarizeAccountsStateSchema, event)
    : parseEvent('Summarize', SummarizeStateSchema, event);
}

/**
 * What fetching requested, for the message's cost line (a call without a count: one metric),
 * and whether the state machine named the run first (a scheduled run).
 */
function usageOf(
  request: ReportRequest,
  apiCalls: AccountFetched['apiCalls'],
  accounts?: number,
): ReportUsage {
  return {
    listMetrics: apiCalls.listMetrics,
    getMetricData: apiCalls.getMetricData,
    metrics: apiCalls.metrics ?? apiCalls.getMetricData,
    ...(accounts ? { accounts } : {}),
    ...(request.scheduledAt ? { scheduled: true } : {}),
  };
}

function summaryOf(state: SummarizeState | SummarizeAccountsState, topN: number): Summary {
  const { request } = state;
  if ('fetched' in state && request.metric && state.fetched.metric) {
    return {
      ...summarizeMetric(request.metric, state.fetched.metric, state.fetched.asOf),
      usage: usageOf(request, state.fetched.apiCalls),
    };
  }
  const fetched = 'perAccount' in state ? mergeAccounts(state.perAccount) : state.fetched;
  const accounts = 'perAccount' in state ? state.perAccount.length : undefined;
  const summary = summarize(request, fetched, { topN });
  return { ...summary, usage: usageOf(request, fetched.apiCalls, accounts) };
}

export function createSummarizeHandler(deps: { topN: number }) {
  async function summarizeHandler(state: SummarizeAccountsState): Promise<ChartState>;
  async function summarizeHandler(state: SummarizeState): Promise<ChartState<Summary>>;
  async function summarizeHandler(
    event: SummarizeState | SummarizeAccountsState,
  ): Promise<ChartState<Summary>> {
    const state = checkedSummarizeInput(event);
    const { request } = state;
    const summary = summaryOf(state, deps.topN);
    return { request, summary, gate: evaluateGate(request.subscription?.condition, summary) };
  }
  return summarizeHandler;
}
