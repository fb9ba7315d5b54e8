import type { App } from '@slack/bolt';
import { ACTION_IDS } from '../../../common/slack-message.ts';
import { createLast30DaysAction, type RerunDeps } from './last-30-days.ts';
import { createMetricPeriodAction } from './metric-period.ts';
import { createRefreshLinkAction, type RefreshDeps } from './refresh-link.ts';
import {
  createRemoveSubscriptionAction,
  createRunSubscriptionAction,
  type SubscriptionButtonDeps,
} from './subscription-buttons.ts';

/** The buttons. Their values are checked by `buttonValueGuard` before they get here (`app.ts`). */
export function register(app: App, deps: RefreshDeps & RerunDeps & SubscriptionButtonDeps): void {
  app.action(ACTION_IDS.refreshLink, createRefreshLinkAction(deps));
  app.action(ACTION_IDS.last30Days, createLast30DaysAction(deps));
  app.action(ACTION_IDS.shorterPeriod, createMetricPeriodAction(deps, deps.values.shorterPeriod));
  app.action(ACTION_IDS.longerPeriod, createMetricPeriodAction(deps, deps.values.longerPeriod));
  app.action(ACTION_IDS.removeSubscription, createRemoveSubscriptionAction(deps));
  app.action(ACTION_IDS.runSubscription, createRunSubscriptionAction(deps));
}
