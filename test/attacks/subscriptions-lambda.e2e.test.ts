/**
 * Attacks on the subscription surface of the deployed bot: `bot/lambda.ts` imported as Lambda
 * imports it (`lambda-bot.ts`), its secrets in SSM, its subscriptions as EventBridge Scheduler
 * schedules in the `costbot` group and its executions on Step Functions, all moto_server.
 * Requests arrive as Function URL (payload 2.0) events (`subscription-requests.ts` has the cases).
 */
import { after, before, describe } from 'node:test';
import {
  CreateScheduleGroupCommand,
  paginateListSchedules,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, ListExecutionsCommand } from '@aws-sdk/client-sfn';
import type { FetchState } from '../../common/contract.ts';
import { SCHEDULE_GROUP } from '../../common/subscription.ts';
import { functionUrlEvent, settle } from '../bot/support.ts';
import { type DeployedBot, startDeployedBot } from './lambda-bot.ts';
import {
  describeSubscriptionAttacks,
  type Started,
  SUBSCRIPTION_ENV,
  type SubscriptionTarget,
} from './subscription-requests.ts';

const SECRET = 'lambda-subscription-signing-secret-0123';

describe('Attacks: subscriptions on bot/lambda.ts (Function URL, EventBridge Scheduler on moto_server)', () => {
  let bot: DeployedBot | null;
  let scheduler: SchedulerClient;
  const described = new Map<string, Started>();

  before(async () => {
    bot = await startDeployedBot({
      secret: SECRET,
      env: SUBSCRIPTION_ENV,
      prepare: async (clientConfig) => {
        scheduler = new SchedulerClient(clientConfig);
        // The stack creates the group; moto creates none by itself.
        await scheduler.send(new CreateScheduleGroupCommand({ Name: SCHEDULE_GROUP }));
        return { COSTBOT_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/costbot-scheduler' };
      },
    });
  });

  after(async () => {
    await bot?.stop();
  });

  /** The group's schedule names, sorted: the whole record of the subscriptions. */
  async function names(): Promise<string[]> {
    const out: string[] = [];
    for await (const page of paginateListSchedules(
      { client: scheduler },
      { GroupName: SCHEDULE_GROUP },
    )) {
      out.push(...(page.Schedules ?? []).map((s) => s.Name ?? ''));
    }
    return out.sort();
  }

  /** Each execution's subscription and channel, read from its input once. */
  async function started(sfn: DeployedBot['sfn'], stateMachineArn: string): Promise<Started[]> {
    const listed = await sfn.send(new ListExecutionsCommand({ stateMachineArn }));
    const executions = [...(listed.executions ?? [])].sort(
      (a, b) => (a.startDate?.getTime() ?? 0) - (b.startDate?.getTime() ?? 0),
    );
    for (const { executionArn = '' } of executions) {
      if (described.has(executionArn)) continue;
      const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      const { request } = JSON.parse(execution.input ?? '{}') as FetchState;
      described.set(executionArn, {
        subscription: request.subscription?.id,
        channel: request.channel,
      });
    }
    return executions.map((e) => described.get(e.executionArn ?? '') as Started);
  }

  const target = (): SubscriptionTarget => {
    const deployed = bot;
    if (!deployed) throw new Error('moto_server is required for these attacks');
    return {
      secret: SECRET,
      sink: deployed.sink,
      send: (body, headers) => deployed.send(functionUrlEvent(body, headers, false)),
      snapshot: async () => (await names()).join('\n'),
      count: async (channel) => (await names()).filter((n) => n.startsWith(`${channel}.`)).length,
      started: () => started(deployed.sfn, deployed.stateMachineArn),
      // On Lambda the listener has finished when the handler returns.
      settle: () => settle(25),
    };
  };

  describeSubscriptionAttacks(target);
});
