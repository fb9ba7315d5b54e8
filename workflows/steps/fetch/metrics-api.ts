/**
 * The two CloudWatch reads the fetch step makes, as a narrow interface: the SDK client
 * answers it in production and against moto_server, the demo metric source answers it
 * on the local backend.
 */
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  type GetMetricDataCommandInput,
  type GetMetricDataCommandOutput,
  ListMetricsCommand,
  type ListMetricsCommandInput,
  type ListMetricsCommandOutput,
} from '@aws-sdk/client-cloudwatch';
import { awsCall } from '../../../common/aws-errors.ts';

export type ListMetricsInput = ListMetricsCommandInput;
export type ListMetricsOutput = Pick<ListMetricsCommandOutput, 'Metrics' | 'NextToken'>;
export type GetMetricDataInput = GetMetricDataCommandInput;
export type GetMetricDataOutput = Pick<
  GetMetricDataCommandOutput,
  'MetricDataResults' | 'NextToken'
>;

/** GetMetricData's limit of queries per call. */
export const MAX_QUERIES_PER_CALL = 500;

export interface MetricsApi {
  listMetrics(input: ListMetricsInput): Promise<ListMetricsOutput>;
  getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput>;
}

export function cloudWatchMetricsApi(client: Pick<CloudWatchClient, 'send'>): MetricsApi {
  return {
    listMetrics: (input) =>
      awsCall({ service: 'CloudWatch', operation: 'ListMetrics' }, () =>
        client.send(new ListMetricsCommand(input)),
      ),
    getMetricData: (input) =>
      awsCall({ service: 'CloudWatch', operation: 'GetMetricData' }, () =>
        client.send(new GetMetricDataCommand(input)),
      ),
  };
}
