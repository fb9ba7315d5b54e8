/**
 * The unit CloudWatch documents for the metrics of AWS namespaces people chart most. GetMetricData
 * returns values without their unit, and asking GetMetricStatistics for it would cost a call per
 * chart; a metric not listed here (a custom one) is shown with the unit `None`, as CloudWatch
 * shows a metric published without one.
 */

const UNITS: Record<string, Record<string, string>> = {
  'AWS/Lambda': {
    Invocations: 'Count',
    Errors: 'Count',
    Throttles: 'Count',
    DeadLetterErrors: 'Count',
    ConcurrentExecutions: 'Count',
    UnreservedConcurrentExecutions: 'Count',
    ProvisionedConcurrencySpilloverInvocations: 'Count',
    AsyncEventsReceived: 'Count',
    AsyncEventsDropped: 'Count',
    Duration: 'Milliseconds',
    IteratorAge: 'Milliseconds',
    AsyncEventAge: 'Milliseconds',
    PostRuntimeExtensionsDuration: 'Milliseconds',
  },
  'AWS/ApiGateway': {
    Count: 'Count',
    '4XXError': 'Count',
    '5XXError': 'Count',
    Latency: 'Milliseconds',
    IntegrationLatency: 'Milliseconds',
  },
  'AWS/ApplicationELB': {
    RequestCount: 'Count',
    HTTPCode_Target_5XX_Count: 'Count',
    HTTPCode_ELB_5XX_Count: 'Count',
    TargetResponseTime: 'Seconds',
  },
  'AWS/DynamoDB': {
    ConsumedReadCapacityUnits: 'Count',
    ConsumedWriteCapacityUnits: 'Count',
    ThrottledRequests: 'Count',
    SystemErrors: 'Count',
    UserErrors: 'Count',
    SuccessfulRequestLatency: 'Milliseconds',
  },
  'AWS/EC2': {
    CPUUtilization: 'Percent',
    NetworkIn: 'Bytes',
    NetworkOut: 'Bytes',
    DiskReadBytes: 'Bytes',
    DiskWriteBytes: 'Bytes',
    StatusCheckFailed: 'Count',
  },
  'AWS/RDS': {
    CPUUtilization: 'Percent',
    DatabaseConnections: 'Count',
    FreeStorageSpace: 'Bytes',
    FreeableMemory: 'Bytes',
    ReadLatency: 'Seconds',
    WriteLatency: 'Seconds',
    ReadIOPS: 'Count/Second',
    WriteIOPS: 'Count/Second',
  },
  'AWS/SQS': {
    ApproximateAgeOfOldestMessage: 'Seconds',
    ApproximateNumberOfMessagesVisible: 'Count',
    NumberOfMessagesSent: 'Count',
    NumberOfMessagesReceived: 'Count',
    NumberOfMessagesDeleted: 'Count',
    SentMessageSize: 'Bytes',
  },
  'AWS/States': {
    ExecutionsStarted: 'Count',
    ExecutionsSucceeded: 'Count',
    ExecutionsFailed: 'Count',
    ExecutionTime: 'Milliseconds',
  },
};

/** The unit of `stat` of the metric: `SampleCount` always counts data points. */
export function metricUnit(namespace: string, metricName: string, stat: string): string {
  if (stat === 'SampleCount') return 'Count';
  const byName = Object.hasOwn(UNITS, namespace) ? UNITS[namespace] : undefined;
  return byName && Object.hasOwn(byName, metricName) ? (byName[metricName] ?? 'None') : 'None';
}
