/** Lambda entry of the chart step (render + store). */
import { loadConfig } from '../../../common/config.ts';
import { chartDepsFromConfig, createChartHandler } from './handler.ts';

export const handler = createChartHandler(chartDepsFromConfig(loadConfig(), process.env));
