/**
 * Subscriptions kept as EventBridge Scheduler schedules (deployed, and against moto_server):
 * one schedule per subscription in the `costbot` group, named `<channel>.<id>`, whose cron,
 * time zone and target input are the whole record (`common/subscription.ts`).
 *
 * @example
 * const store = new SchedulerStore(new SchedulerClient({ region }), {
 *   stateMachineArn, roleArn: process.env.COSTBOT_SCHEDULER_ROLE_ARN, maxPerChannel: 20,
 * });
 * await store.create(subscription); // { created: true }, or false for a retried request
 * await store.list('C0123ABCD');     // ListSchedules by prefix, then GetSchedule for each
 *
 * Every AWS failure is rethrown as a named costbot error (`classifyAwsError`), so an
 * AccessDenied reaches the user explained (which action, which role, which statement).
 */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  type SchedulerClient,
  type ScheduleSummary,
} from '@aws-sdk/client-scheduler';
import { awsCall, classifyAwsError } from '../../common/aws-errors.ts';
import { DIGEST_SUBSCRIPTION_ID } from '../../common/contract.ts';
import { plainText } from '../../common/slack-message.ts';
import {
  cronExpression,
  describeSubscription,
  parseScheduleName,
  SCHEDULE_GROUP,
  SCHEDULE_RETRY,
  type Subscription,
  type SubscriptionStore,
  scheduleName,
  subscriptionFromSchedule,
  subscriptionInput,
} from '../../common/subscription.ts';

export interface SchedulerStoreOptions {
  /** ARN of the state machine each schedule starts. */
  stateMachineArn: string;
  /** The scheduler's execution role (may only start that state machine); passed to each schedule. */
  roleArn: string;
  /**
   * At most this many of a channel's schedules are read (one GetSchedule each), so a crowded
   * channel cannot make one listing cost more than that: `CHANNEL_SUBSCRIPTIONS_CAP`, above any
   * configured limit, so a channel past its limit still lists every subscription it has.
   */
  maxPerChannel: number;
  /** Default `costbot` ({@link SCHEDULE_GROUP}); the stack creates it. */
  groupName?: string;
  /** GetSchedule calls in flight at once. Default 10: well under the API's rate limit. */
  concurrency?: number;
  /** ListSchedules page size, 1..100. Default 100. */
  pageSize?: number;
}

/** Scheduler caps a schedule's description at 512 characters. */
const DESCRIPTION_MAX = 512;

type Client = Pick<SchedulerClient, 'send'>;

const call = <T>(operation: string, fn: () => Promise<T>) =>
  awsCall({ service: 'EventBridge Scheduler', operation }, fn);

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'name' in error
    ? String((error as { name: unknown }).name)
    : undefined;
}

export class SchedulerStore implements SubscriptionStore {
  private readonly groupName: string;
  private readonly concurrency: number;
  private readonly pageSize: number;

  constructor(
    private readonly client: Client,
    private readonly options: SchedulerStoreOptions,
  ) {
    this.groupName = options.groupName ?? SCHEDULE_GROUP;
    // A channel's whole list (at most 20) in two rounds of GetSchedule: the list is answered
    // within Slack's 3 s.
    this.concurrency = options.concurrency ?? 10;
    this.pageSize = options.pageSize ?? 100;
  }

  async create(subscription: Subscription): Promise<{ created: boolean }> {
    // The console shows the description as plain text, not mrkdwn.
    const description = `costbot: ${plainText(describeSubscription(subscription))}`;
    try {
      await this.client.send(
        new CreateScheduleCommand({
          Name: scheduleName(subscription.channel, subscription.id),
          GroupName: this.groupName,
          ScheduleExpression: cronExpression(subscription),
          ScheduleExpressionTimezone: subscription.timeZone,
          // Reports at the minute asked for; the scheduler's own jitter is not wanted here.
          FlexibleTimeWindow: { Mode: 'OFF' },
          Description: description.slice(0, DESCRIPTION_MAX),
          State: 'ENABLED',
          Target: {
            Arn: this.options.stateMachineArn,
            RoleArn: this.options.roleArn,
            Input: JSON.stringify(subscriptionInput(subscription)),
            RetryPolicy: {
              MaximumEventAgeInSeconds: SCHEDULE_RETRY.maxEventAgeSeconds,
              MaximumRetryAttempts: SCHEDULE_RETRY.retryAttempts,
            },
          },
        }),
      );
      return { created: true };
    } catch (error) {
      // The name is taken: a retried Slack request created it already; left as it is.
      if (errorName(error) === 'ConflictException') return { created: false };
      throw classifyAwsError(error, {
        service: 'EventBridge Scheduler',
        operation: 'CreateSchedule',
      });
    }
  }

  async list(channel: string): Promise<Subscription[]> {
    const names = await this.namesIn(channel, this.options.maxPerChannel);
    const found = await mapLimited(
      names.slice(0, this.options.maxPerChannel),
      this.concurrency,
      (name) => this.read(name),
    );
    return found
      .filter((s): s is Subscription => s !== null && s.channel === channel)
      .sort((a, b) => a.id.localeCompare(b.id));
  }

  async get(channel: string, id: string): Promise<Subscription | null> {
    const found = await this.read(scheduleName(channel, id));
    return found?.channel === channel ? found : null;
  }

  async count(channel?: string, atMost = Number.POSITIVE_INFINITY): Promise<number> {
    if (channel !== undefined) return (await this.namesIn(channel, atMost)).length;
    return (await this.summaries(undefined, atMost)).length;
  }

  /** Names of the channel's schedules, from ListSchedules alone. */
  private async namesIn(channel: string, atMost: number): Promise<string[]> {
    // `<channel>.`: scheduleName checks the channel, so nothing else becomes a prefix.
    const prefix = scheduleName(channel, DIGEST_SUBSCRIPTION_ID).replace(/[^.]+$/, '');
    return (
      (await this.summaries(prefix, atMost))
        .map((s) => s.Name ?? '')
        // Also filtered here: the prefix is the service's filter, and one that ignored it would
        // hand this channel another channel's subscriptions.
        .filter((name) => parseScheduleName(name)?.channel === channel)
    );
  }

  async remove(channel: string, id: string): Promise<boolean> {
    try {
      await this.client.send(
        new DeleteScheduleCommand({ Name: scheduleName(channel, id), GroupName: this.groupName }),
      );
      return true;
    } catch (error) {
      if (errorName(error) === 'ResourceNotFoundException') return false;
      throw classifyAwsError(error, {
        service: 'EventBridge Scheduler',
        operation: 'DeleteSchedule',
      });
    }
  }

  /** The group's schedules (names only: ListSchedules returns no expression or input). */
  private async summaries(prefix: string | undefined, atMost: number): Promise<ScheduleSummary[]> {
    const out: ScheduleSummary[] = [];
    let token: string | undefined;
    do {
      const page = await call('ListSchedules', () =>
        this.client.send(
          new ListSchedulesCommand({
            GroupName: this.groupName,
            ...(prefix ? { NamePrefix: prefix } : {}),
            MaxResults: this.pageSize,
            NextToken: token,
          }),
        ),
      );
      out.push(...(page.Schedules ?? []));
      token = page.NextToken;
    } while (token && out.length < atMost);
    return out;
  }

  /** One schedule as a subscription; null when it is gone or is not one costbot wrote. */
  private async read(name: string): Promise<Subscription | null> {
    try {
      const schedule = await this.client.send(
        new GetScheduleCommand({ Name: name, GroupName: this.groupName }),
      );
      return subscriptionFromSchedule({
        name,
        expression: schedule.ScheduleExpression ?? '',
        ...(schedule.ScheduleExpressionTimezone
          ? { timeZone: schedule.ScheduleExpressionTimezone }
          : {}),
        input: schedule.Target?.Input ?? '',
      });
    } catch (error) {
      // Removed between the listing and this read (another user's "Remove").
      if (errorName(error) === 'ResourceNotFoundException') return null;
      throw classifyAwsError(error, { service: 'EventBridge Scheduler', operation: 'GetSchedule' });
    }
  }
}

/** `fn` over `items`, at most `limit` at a time, results in the order of `items`. */
async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
