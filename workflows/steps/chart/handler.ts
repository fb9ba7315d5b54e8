/**
 * Chart step handler: render the PNG and store it, `{request, summary}` → `+ chart`.
 * Render and store share one task so the PNG never travels through the state machine's
 * payload (256 KB limit) and costs no extra transition.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { s3Client } from '../../../common/aws-clients.ts';
import type { CostbotConfig } from '../../../common/config.ts';
import { ChartStateSchema, parseEvent } from '../../../common/contract-schema.ts';
import { createLogger, type Logger } from '../../../common/log.ts';
import { renderChart } from './render.ts';
import { chartKey, storeChart } from './store.ts';

export interface ChartDeps {
  s3: Pick<S3Client, 'send'>;
  bucket: string;
  prefix: string;
  log: Logger;
}

export function chartDepsFromConfig(
  config: CostbotConfig,
  env: Record<string, string | undefined>,
): ChartDeps {
  return {
    s3: s3Client(env, { maxAttempts: 1 }),
    bucket: config.bucket,
    prefix: config.chartPrefix,
    log: createLogger({ step: 'chart' }, { level: config.logLevel }),
  };
}

export function createChartHandler(deps: ChartDeps) {
  // The return type follows the schema's: whatever summary Chart was given goes on to Sign.
  return async function chartHandler(event: unknown) {
    const state = parseEvent('Chart', ChartStateSchema, event);
    const started = performance.now();
    const rendered = await renderChart(state.summary.chart);
    const renderMs = Math.round(performance.now() - started);
    const key = chartKey(deps.prefix, new Date(state.summary.asOf), state.request.requestId);
    await storeChart(deps.s3, { bucket: deps.bucket, key, png: rendered.png });
    deps.log.info('chart stored', {
      requestId: state.request.requestId,
      key,
      bytes: rendered.png.byteLength,
      renderMs,
    });
    return {
      ...state,
      chart: {
        bucket: deps.bucket,
        key,
        bytes: rendered.png.byteLength,
        width: rendered.width,
        height: rendered.height,
      },
    };
  };
}
