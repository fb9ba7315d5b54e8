/**
 * What each button may carry, one schema per action id, checked before anything uses it: a
 * button's `value` comes back from Slack and anyone who can post to the bot's URL with a valid
 * signature (or edit a payload) chooses it. `buttonValueGuard` is a Bolt global middleware, so
 * a value that does not validate, or a button with no schema here, gets an ephemeral refusal
 * and starts nothing, whichever listener it was meant for.
 */
import type { AllMiddlewareArgs, AnyMiddlewareArgs } from '@slack/bolt';
import * as v from 'valibot';
import type { MetricRequest } from '../../../common/contract.ts';
import {
  AccountIdsSchema,
  check,
  MAX_ACCOUNTS,
  MetricRequestSchema,
  ServiceNameSchema,
  SUBSCRIPTION_ID,
} from '../../../common/contract-schema.ts';
import { ACTION_IDS, type RerunValue } from '../../../common/slack-message.ts';
import { refuse } from '../../access.ts';

/** Slack's limit on a button's `value`. */
export const MAX_BUTTON_VALUE = 2000;

export const INVALID_BUTTON = 'This button is not valid (its value was changed or is out of date).';

/** A chart key the bot wrote: under the chart prefix, dated, one safe file name. */
export function isChartKey(key: string, prefix: string): boolean {
  return (
    key.startsWith(prefix) &&
    /^\d{4}\/\d{2}\/\d{2}\/[A-Za-z0-9_-]{1,64}\.png$/.test(key.slice(prefix.length))
  );
}

/**
 * "Last 30 days": the JSON of the report's scope, as `reportActions` writes it. No other key,
 * at most {@link MAX_ACCOUNTS} accounts, and a service or accounts, not both (as the command).
 */
export const RerunValueSchema: v.GenericSchema<unknown, RerunValue> = v.pipe(
  v.string(),
  v.maxLength(MAX_BUTTON_VALUE),
  v.parseJson(),
  // valibot's objects accept arrays (their keys are checked, not their kind): `[]` is no scope.
  v.check((json) => !Array.isArray(json), 'Invalid type: expected an object'),
  v.strictObject({
    service: v.optional(ServiceNameSchema),
    accounts: v.optional(AccountIdsSchema),
  }),
  v.check(
    (value) => !(value.service && value.accounts),
    'Invalid value: a service or accounts, not both',
  ),
);

/**
 * A metric chart's neighbouring-period buttons: the JSON of the metric request with the
 * button's period, as `metricMessage` writes it, bounded like every request.
 */
export const MetricRerunValueSchema: v.GenericSchema<unknown, MetricRequest> = v.pipe(
  v.string(),
  v.maxLength(MAX_BUTTON_VALUE),
  v.parseJson(),
  v.check((json) => !Array.isArray(json), 'Invalid type: expected an object'),
  MetricRequestSchema,
);

/**
 * A subscription's buttons carry its id and nothing else: the channel is always the one the
 * click came from, so a changed id can only name another subscription of that same channel.
 */
export const SubscriptionIdSchema: v.GenericSchema<unknown, string> = v.pipe(
  v.string(),
  v.regex(SUBSCRIPTION_ID, 'Invalid value: not a subscription id'),
);

export type ActionKey = keyof typeof ACTION_IDS;

/** One schema per key of `ACTION_IDS`: a new button without one here does not type-check. */
export interface ButtonValues extends Record<ActionKey, v.GenericSchema<unknown, unknown>> {
  refreshLink: v.GenericSchema<unknown, string>;
  last30Days: v.GenericSchema<unknown, RerunValue>;
  shorterPeriod: v.GenericSchema<unknown, MetricRequest>;
  longerPeriod: v.GenericSchema<unknown, MetricRequest>;
  removeSubscription: v.GenericSchema<unknown, string>;
  runSubscription: v.GenericSchema<unknown, string>;
}

/** The schema of every button's value. */
export function buttonValues(chartPrefix: string): ButtonValues {
  return {
    refreshLink: v.pipe(
      v.string(),
      v.maxLength(MAX_BUTTON_VALUE),
      v.check((key) => isChartKey(key, chartPrefix), 'Invalid value: not a costbot chart key'),
    ),
    last30Days: RerunValueSchema,
    shorterPeriod: MetricRerunValueSchema,
    longerPeriod: MetricRerunValueSchema,
    removeSubscription: SubscriptionIdSchema,
    runSubscription: SubscriptionIdSchema,
  };
}

/** The button's value checked against its schema, or null. Never throws. */
export function parseButtonValue<T>(
  schema: v.GenericSchema<unknown, T>,
  value: string | undefined,
): T | null {
  return check(schema, value);
}

const KEY_OF_ACTION = new Map(
  Object.entries(ACTION_IDS).map(([key, id]) => [id, key as ActionKey]),
);

type GuardArgs = AnyMiddlewareArgs & AllMiddlewareArgs;

/** The actions of an interaction, whatever its type (only `block_actions` has them). */
function actionsOf(body: unknown): { action_id?: unknown; value?: unknown }[] {
  const actions = (body as { actions?: unknown }).actions;
  return Array.isArray(actions) ? actions : [];
}

/** Every button value checked against its action's schema before any listener sees it. */
export function buttonValueGuard(values: ButtonValues) {
  return async function checkButtonValues(args: GuardArgs): Promise<void> {
    if ((args.body as { type?: unknown }).type === 'block_actions') {
      const actions = actionsOf(args.body);
      const bad =
        actions.length === 0 ||
        actions.some((action) => {
          const key = KEY_OF_ACTION.get(String(action.action_id));
          if (!key) return true;
          const raw = typeof action.value === 'string' ? action.value : undefined;
          const schema: v.GenericSchema<unknown, unknown> = values[key];
          return parseButtonValue(schema, raw) === null;
        });
      if (bad) {
        args.logger.info('costbot: refused a button whose value does not validate');
        await refuse(args, INVALID_BUTTON);
        return;
      }
    }
    await args.next();
  };
}
