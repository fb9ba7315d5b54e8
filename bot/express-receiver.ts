/**
 * Bolt's ExpressReceiver with `guardHttp` in front of its endpoints, for `npm start` and the
 * receiver tests: the same checks as the Lambda (`guardLambda`), before Bolt reads the body.
 * Not imported by `bot/lambda.ts`, so Express stays out of the Lambda bundle.
 */
import { ExpressReceiver, type ExpressReceiverOptions } from '@slack/bolt';
import express from 'express';
import { type GuardOptions, guardHttp } from './request-guard.ts';

export function guardedExpressReceiver(
  options: ExpressReceiverOptions & {
    signingSecret: string;
    onRefused?: GuardOptions['onRefused'];
  },
): ExpressReceiver {
  const { onRefused, ...receiverOptions } = options;
  const app = options.app ?? express();
  const endpoints = options.endpoints ?? '/slack/events';
  const guard = guardHttp({
    signingSecret: options.signingSecret,
    ...(onRefused ? { onRefused } : {}),
  });
  for (const path of typeof endpoints === 'string' ? [endpoints] : Object.values(endpoints)) {
    app.post(path, guard);
  }
  return new ExpressReceiver({ ...receiverOptions, app });
}
