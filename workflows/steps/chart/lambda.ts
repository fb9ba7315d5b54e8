/** Lambda entry of the chart step (render + store). */
import { loadConfig } from '../../../common/config.ts';
import { withLambdaContext } from '../../../common/log.ts';
import { chartDepsFromConfig, createChartHandler } from './handler.ts';

const deps = chartDepsFromConfig(loadConfig(), process.env);

export const handler = withLambdaContext(deps.log, createChartHandler(deps));
