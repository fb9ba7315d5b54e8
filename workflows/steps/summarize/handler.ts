/** Summarize step handler: `{request, fetched}` → `{request, summary}`. Pure; drops the raw series. */
import type { ChartState, SummarizeState } from '../../contract.ts';
import { summarize } from './summarize.ts';

export function createSummarizeHandler(deps: { topN: number }) {
  return async function summarizeHandler(state: SummarizeState): Promise<ChartState> {
    return {
      request: state.request,
      summary: summarize(state.request, state.fetched, { topN: deps.topN }),
    };
  };
}
