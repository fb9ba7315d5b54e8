/**
 * A metric chart's neighbouring-period buttons ("Last 24 hours", "Last 30 days"): the same
 * metric, dimensions, lines and statistic over the button's period.
 */
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { GenericSchema } from 'valibot';
import type { MetricRequest, ReportRequest } from '../../../common/contract.ts';
import { startReport } from '../../start-report.ts';
import { buttonRequest, type RerunDeps } from './last-30-days.ts';
import { INVALID_BUTTON, parseButtonValue } from './values.ts';

type ActionArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** `schema` is the button's own (`values.shorterPeriod` or `values.longerPeriod`). */
export function createMetricPeriodAction(
  deps: RerunDeps,
  schema: GenericSchema<unknown, MetricRequest>,
) {
  return async function metricPeriod({ ack, action, body, respond }: ActionArgs): Promise<void> {
    await ack();
    // Checked again here (the global guard checked first) so no path uses an unchecked value.
    const metric = parseButtonValue(schema, action.value);
    if (!metric) {
      await respond({ response_type: 'ephemeral', replace_original: false, text: INVALID_BUTTON });
      return;
    }
    // A metric chart's window is `metric.period`; the cost period is not read for it.
    const request: ReportRequest = { ...buttonRequest(body, action), period: 'mtd', metric };
    await startReport(deps, request, respond);
  };
}
