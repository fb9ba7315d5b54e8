/**
 * Summarize step handler: `{request, fetched}` (after Fetch) or `{request, perAccount}` (after
 * the FetchAccounts Map) → `{request, summary}`: a cost report's figures, or a metric chart's
 * when the request names a metric. Pure; drops the raw series.
 */
import type {
  ChartState,
  SummarizeAccountsState,
  SummarizeState,
  Summary,
} from '../../../common/contract.ts';
import {
  parseEvent,
  SummarizeAccountsStateSchema,
  SummarizeStateSchema,
} from '../../../common/contract-schema.ts';
import { mergeAccounts } from './merge.ts';
import { summarizeMetric } from './metric.ts';
import { summarize } from './summarize.ts';

/** Summarize's event after Fetch or after the Map, checked before use (`InvalidEventError`). */
function checkedSummarizeInput(event: unknown): SummarizeState | SummarizeAccountsState {
  return typeof event === 'object' && event !== null && 'perAccount' in event
    ? parseEvent('Summarize', SummarizeAccountsStateSchema, event)
    : parseEvent('Summarize', SummarizeStateSchema, event);
}

export function createSummarizeHandler(deps: { topN: number }) {
  async function summarizeHandler(state: SummarizeAccountsState): Promise<ChartState>;
  async function summarizeHandler(state: SummarizeState): Promise<ChartState<Summary>>;
  async function summarizeHandler(
    event: SummarizeState | SummarizeAccountsState,
  ): Promise<ChartState<Summary>> {
    const state = checkedSummarizeInput(event);
    const { request } = state;
    if ('fetched' in state && request.metric && state.fetched.metric) {
      return {
        request,
        summary: summarizeMetric(request.metric, state.fetched.metric, state.fetched.asOf),
      };
    }
    const fetched = 'perAccount' in state ? mergeAccounts(state.perAccount) : state.fetched;
    return { request, summary: summarize(request, fetched, { topN: deps.topN }) };
  }
  return summarizeHandler;
}
