/** A cost report's figures with nothing to rank or chart: $100 month to date, no history. */
import type { Anomaly, CostSummary } from '../../common/contract.ts';

export const COST_SUMMARY: CostSummary = {
  currency: 'USD',
  asOf: '2026-11-27T08:17:30.000Z',
  period: { preset: 'mtd', label: 'Month to date', from: '2026-11-01', to: '2026-11-27' },
  monthToDate: 100,
  yesterday: null,
  changeVsDayBefore: null,
  sevenDayAverage: null,
  changeVsSevenDayAverage: null,
  periodTotal: 100,
  top: [],
  topBy: 'service',
  forecast: null,
  anomalies: [],
  chart: { title: 'Daily spend', unit: 'USD per day', dates: [], series: [], style: 'stacked' },
};

/** An EC2 spike as the detector reports it: the reports' and the gate's tests read it alike. */
export const EC2_SPIKE: Anomaly = {
  name: 'AmazonEC2',
  kind: 'spike',
  yesterday: 182.1,
  median: 40.05,
  mad: 2.97,
  excess: 142.05,
  baselineDays: 28,
};
