/** Lambda entry of the summarize step. */
import { loadConfig } from '../../../common/config.ts';
import { createSummarizeHandler } from './handler.ts';

export const handler = createSummarizeHandler({ topN: loadConfig().topN });
