/**
 * Summarize step handler: `{request, fetched}` (after Fetch) or `{request, perAccount}` (after
 * the FetchAccounts Map) → `{request, summary}`. Pure; drops the raw series.
 */
import type {
  ChartState,
  SummarizeAccountsState,
  SummarizeState,
} from '../../../common/contract.ts';
import { mergeAccounts } from './merge.ts';
import { summarize } from './summarize.ts';

export function createSummarizeHandler(deps: { topN: number }) {
  return async function summarizeHandler(
    state: SummarizeState | SummarizeAccountsState,
  ): Promise<ChartState> {
    const fetched = 'perAccount' in state ? mergeAccounts(state.perAccount) : state.fetched;
    return {
      request: state.request,
      summary: summarize(state.request, fetched, { topN: deps.topN }),
    };
  };
}
