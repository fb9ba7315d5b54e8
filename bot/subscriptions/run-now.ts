/**
 * A subscription run now (its Run now button, `npm run digest -- --subscription <id>`): the
 * request its schedule would deliver, condition included, under a request id of its own, so it
 * never shares a delivery record (one post per request id) with a scheduled run.
 */
import type { ReportRequest } from '../../common/contract.ts';
import { type Subscription, subscriptionInput } from '../../common/subscription.ts';

export function runNowRequest(
  subscription: Subscription,
  requestId: string,
  userId?: string,
): ReportRequest {
  return {
    ...subscriptionInput(subscription).request,
    requestId,
    ...(userId ? { userId } : {}),
  };
}
