/**
 * The state machine's state names. The CDK definition names its states with these and the
 * local runner maps its handlers by them, so they are part of the contract; kept apart from
 * the definition so the local runner never loads aws-cdk-lib.
 */
/** State names: the local runner maps its handlers by these, so they are part of the contract. */
export const STATES = {
  /** The first state: a scheduled run is named first, else straight to Fetch or FetchAccounts. */
  route: 'Route?',
  /** A scheduled run only: names the request after its subscription and scheduled time. */
  nameRun: 'NameScheduledRun',
  /** After a scheduled run is named: FetchAccounts or Fetch. */
  byAccount: 'ByAccount?',
  fetch: 'Fetch',
  fetchAccounts: 'FetchAccounts',
  /** Inside the FetchAccounts Map; the fetch function serves it. */
  fetchAccount: 'FetchAccount',
  summarize: 'Summarize',
  /** After Summarize: does the request's condition hold (`$.gate.post`)? Else ConditionNotMet. */
  conditionMet: 'ConditionMet?',
  /** A subscription's condition did not hold: the run ends here, nothing rendered or posted. */
  conditionNotMet: 'ConditionNotMet',
  chart: 'RenderAndStore',
  /** Stable links off only: presigns the chart's link for Post. */
  sign: 'Sign',
  post: 'Post',
  failure: 'ReportFailure',
  /** After ReportFailure: did the report itself reach Slack before the failure? */
  reportDelivered: 'ReportDelivered?',
  delivered: 'Delivered',
  failed: 'Failed',
} as const;
