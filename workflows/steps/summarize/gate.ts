/**
 * The noise gate: Summarize's verdict on a subscription's condition, which the `ConditionMet?` Choice
 * reads at `$.gate`. Pure. Every report gets a gate; without a condition it always posts.
 *
 *   evaluateGate({ kind: 'yesterday-above', dollars: 250 }, summary);
 *   // { post: false, reason: 'yesterday $41.20 is not above $250' }
 *
 * - `yesterday-above`: `summary.yesterday.amount` > dollars.
 * - `change-above`: `summary.changeVsSevenDayAverage.percent` > percent.
 * - `anomaly`: at least one line in `summary.anomalies`.
 * An unknown figure (no data for yesterday, a zero average) does not hold: it never posts.
 * The condition reads cost figures; a metric chart has none, so it posts and says so.
 */
import { ANOMALY_PARAMETERS } from '../../../common/anomaly.ts';
import type {
  Anomaly,
  CostSummary,
  Gate,
  Summary,
  WatchCondition,
} from '../../../common/contract.ts';
import { usd } from '../../../common/slack-message.ts';
import { dollars } from '../../../common/subscription.ts';

/** `AmazonEC2 $182.10 yesterday against a median of $40.05` */
export function describeAnomaly(anomaly: Anomaly, by: CostSummary['topBy']): string {
  const against =
    anomaly.kind === 'new'
      ? `a new ${by} (nothing spent in the ${ANOMALY_PARAMETERS.historyDays} days before)`
      : `against a median of ${usd(anomaly.median)}`;
  return `${anomaly.name} ${usd(anomaly.yesterday)} yesterday ${against}`;
}

function yesterdayAbove(summary: CostSummary, above: number): Gate {
  const limit = dollars(above);
  const y = summary.yesterday;
  if (!y) return { post: false, reason: `no figure for yesterday yet, so not above ${limit}` };
  const post = y.amount > above;
  return {
    post,
    reason: `yesterday ${usd(y.amount)} is ${post ? '' : 'not '}above ${limit}`,
  };
}

function changeAbove(summary: CostSummary, percent: number): Gate {
  const change = summary.changeVsSevenDayAverage;
  const average = summary.sevenDayAverage;
  if (!change || change.percent === null || !summary.yesterday || average === null) {
    return {
      post: false,
      reason: `no change against the 7-day average can be measured, so not above ${percent}%`,
    };
  }
  const post = change.percent > percent;
  const direction = change.percent < 0 ? 'down' : 'up';
  return {
    post,
    reason:
      `yesterday ${usd(summary.yesterday.amount)} is ${direction} ${Math.abs(change.percent).toFixed(1)}% ` +
      `on the 7-day average of ${usd(average)}: ${post ? '' : 'not '}above ${percent}%`,
  };
}

function anomaly(summary: CostSummary): Gate {
  const [first, ...more] = summary.anomalies;
  if (!first) {
    const { k, floorDollars, historyDays } = ANOMALY_PARAMETERS;
    return {
      post: false,
      reason: `no anomaly: no ${summary.topBy} spent ${k} MADs and ${dollars(floorDollars)} above its ${historyDays}-day median yesterday`,
    };
  }
  const others = more.length > 0 ? ` (and ${more.length} more)` : '';
  return { post: true, reason: `${describeAnomaly(first, summary.topBy)}: anomaly${others}` };
}

/** Whether the report posts, and why; see the module comment. */
export function evaluateGate(condition: WatchCondition | undefined, summary: Summary): Gate {
  if (!condition) return { post: true, reason: 'no condition' };
  if ('metric' in summary) {
    return { post: true, reason: 'a metric chart has no cost figures to hold a condition to' };
  }
  switch (condition.kind) {
    case 'yesterday-above':
      return yesterdayAbove(summary, condition.dollars);
    case 'change-above':
      return changeAbove(summary, condition.percent);
    case 'anomaly':
      return anomaly(summary);
  }
}
