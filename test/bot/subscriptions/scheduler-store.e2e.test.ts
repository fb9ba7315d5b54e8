/**
 * SchedulerStore against moto_server (moto 5.2.1): real schedules in the `costbot` group, with
 * the expression, time zone, input and retry policy the deployed scheduler would run, gone
 * after remove. moto implements CreateSchedule, GetSchedule, DeleteSchedule and ListSchedules
 * with its GroupName, NamePrefix, MaxResults and NextToken; it creates no group by itself, so
 * each test creates `costbot` as the stack does.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  PutUserPolicyCommand,
} from '@aws-sdk/client-iam';
import {
  CreateScheduleCommand,
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { SchedulerStore } from '../../../bot/subscriptions/scheduler-store.ts';
import { AwsAccessDeniedError } from '../../../common/errors.ts';
import {
  SCHEDULE_GROUP,
  type Subscription,
  subscriptionInput,
} from '../../../common/subscription.ts';
import { type MotoServer, skipWithoutMoto, startMoto } from '../../support/moto.ts';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const STATE_MACHINE = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:CostReport`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/costbot-scheduler`;
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

const WEEKDAYS_PARIS: Subscription = {
  id: 'k3m9x2qa',
  channel: 'C0123ABCD',
  cadence: { every: 'weekday' },
  time: '09:30',
  timeZone: 'Europe/Paris',
  report: { period: '7d', service: 'AmazonEC2' },
  condition: { kind: 'yesterday-above', dollars: 250 },
  createdBy: 'U0123ABCD',
};
const MONTHLY_NEW_YORK: Subscription = {
  id: 'm0nth1y',
  channel: 'C0123ABCD',
  cadence: { every: 'month', day: 1 },
  time: '08:00',
  timeZone: 'America/New_York',
  report: { period: 'last-month' },
};
const OTHER_CHANNEL: Subscription = { ...WEEKDAYS_PARIS, id: 'o7her', channel: 'C0OTHER99' };

let moto: MotoServer | null = null;
let client: SchedulerClient;

function store(options: Partial<ConstructorParameters<typeof SchedulerStore>[1]> = {}) {
  return new SchedulerStore(client, {
    stateMachineArn: STATE_MACHINE,
    roleArn: ROLE,
    maxPerChannel: 10,
    ...options,
  });
}

describe('SchedulerStore against moto_server', () => {
  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    client = new SchedulerClient({
      endpoint: moto.endpoint,
      region: REGION,
      credentials: CREDENTIALS,
    });
  });
  after(async () => {
    client?.destroy();
    await moto?.stop();
  });
  beforeEach(async () => {
    if (!moto) return;
    await moto.reset();
    await client.send(new CreateScheduleGroupCommand({ Name: SCHEDULE_GROUP }));
  });

  it('creates a schedule in the costbot group with the expression, time zone, input and retries', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Act
    const result = await store().create(WEEKDAYS_PARIS);
    // Assess
    assert.deepEqual(result, { created: true });
    const schedule = await client.send(
      new GetScheduleCommand({ Name: 'C0123ABCD.k3m9x2qa', GroupName: SCHEDULE_GROUP }),
    );
    assert.equal(schedule.GroupName, SCHEDULE_GROUP);
    assert.equal(schedule.ScheduleExpression, 'cron(30 9 ? * MON-FRI *)');
    assert.equal(schedule.ScheduleExpressionTimezone, 'Europe/Paris');
    assert.deepEqual(schedule.FlexibleTimeWindow, { Mode: 'OFF' });
    assert.equal(schedule.State, 'ENABLED');
    assert.equal(schedule.Target?.Arn, STATE_MACHINE);
    assert.equal(schedule.Target?.RoleArn, ROLE);
    assert.deepEqual(schedule.Target?.RetryPolicy, {
      MaximumEventAgeInSeconds: 3600,
      MaximumRetryAttempts: 2,
    });
    assert.deepEqual(JSON.parse(schedule.Target?.Input ?? ''), subscriptionInput(WEEKDAYS_PARIS));
    // Plain text in the console: no mrkdwn escapes.
    assert.equal(
      schedule.Description,
      'costbot: weekdays at 09:30 Europe/Paris · 7-day report for AmazonEC2 · if yesterday > $250',
    );
  });

  it("lists the channel's subscriptions, read back whole, and no other channel's", async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare: a schedule in the group that costbot did not write is skipped, not trusted.
    const s = store();
    for (const sub of [WEEKDAYS_PARIS, MONTHLY_NEW_YORK, OTHER_CHANNEL]) await s.create(sub);
    await client.send(
      new CreateScheduleCommand({
        Name: 'C0123ABCD.f0reign',
        GroupName: SCHEDULE_GROUP,
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: STATE_MACHINE, RoleArn: ROLE, Input: '{}' },
      }),
    );
    // Act
    const listed = await s.list('C0123ABCD');
    // Assess
    assert.deepEqual(listed, [WEEKDAYS_PARIS, MONTHLY_NEW_YORK]);
    assert.deepEqual(await s.list('C0OTHER99'), [OTHER_CHANNEL]);
    assert.deepEqual(await s.list('C0EMPTY00'), []);
  });

  it('pages through ListSchedules, and reads at most the per-channel limit', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare: 5 subscriptions in one channel, pages of 2.
    const ids = ['a1', 'a2', 'a3', 'a4', 'a5'];
    for (const id of ids) await store().create({ ...MONTHLY_NEW_YORK, id });
    await store().create(OTHER_CHANNEL);
    // Act
    const all = await store({ pageSize: 2 }).list('C0123ABCD');
    const bounded = await store({ pageSize: 2, maxPerChannel: 3 }).list('C0123ABCD');
    const count = await store({ pageSize: 2 }).count();
    // Assess
    assert.deepEqual(
      all.map((s) => s.id),
      ids,
    );
    assert.equal(bounded.length, 3);
    assert.equal(count, 6);
  });

  it("gets one of the channel's subscriptions by id with one GetSchedule, and no other channel's", async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const s = store();
    for (const sub of [WEEKDAYS_PARIS, OTHER_CHANNEL]) await s.create(sub);
    // Act
    const [mine, theirs, none] = [
      await s.get('C0123ABCD', WEEKDAYS_PARIS.id),
      await s.get('C0123ABCD', OTHER_CHANNEL.id),
      await s.get(OTHER_CHANNEL.channel, WEEKDAYS_PARIS.id),
    ];
    // Assess
    assert.deepEqual(mine, WEEKDAYS_PARIS);
    assert.equal(theirs, null);
    assert.equal(none, null);
  });

  it('stops counting at atMost, page by page', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare: 5 in one channel, pages of 2.
    for (const id of ['b1', 'b2', 'b3', 'b4', 'b5'])
      await store().create({ ...MONTHLY_NEW_YORK, id });
    // Act
    const [all, bounded, channelBounded] = [
      await store({ pageSize: 2 }).count(),
      await store({ pageSize: 2 }).count(undefined, 3),
      await store({ pageSize: 2 }).count('C0123ABCD', 1),
    ];
    // Assess: pages are whole, so a bounded count is at least atMost and short of the total.
    assert.equal(all, 5);
    assert.equal(bounded, 4);
    assert.equal(channelBounded, 2);
  });

  it('counts the subscriptions of every channel, and of one channel (its own only)', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const s = store();
    assert.equal(await s.count(), 0);
    for (const sub of [WEEKDAYS_PARIS, MONTHLY_NEW_YORK, OTHER_CHANNEL]) await s.create(sub);
    // Act
    const [count, here, there, none] = [
      await s.count(),
      await s.count('C0123ABCD'),
      await s.count(OTHER_CHANNEL.channel),
      await s.count('C0NONE000'),
    ];
    // Assess
    assert.deepEqual([count, here, there, none], [3, 2, 1, 0]);
  });

  it('removes a subscription: the schedule is gone; removing it again is false', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const s = store();
    await s.create(WEEKDAYS_PARIS);
    await s.create(MONTHLY_NEW_YORK);
    // Act
    const removed = await s.remove('C0123ABCD', WEEKDAYS_PARIS.id);
    const again = await s.remove('C0123ABCD', WEEKDAYS_PARIS.id);
    const otherChannel = await s.remove('C0OTHER99', MONTHLY_NEW_YORK.id);
    // Assess
    assert.equal(removed, true);
    assert.equal(again, false);
    assert.equal(otherChannel, false);
    const left = await client.send(new ListSchedulesCommand({ GroupName: SCHEDULE_GROUP }));
    assert.deepEqual(
      left.Schedules?.map((x) => x.Name),
      ['C0123ABCD.m0nth1y'],
    );
    assert.deepEqual(await s.list('C0123ABCD'), [MONTHLY_NEW_YORK]);
  });

  it('a duplicate create (a retried Slack request) gives created: false and leaves the first', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const s = store();
    await s.create(WEEKDAYS_PARIS);
    // Act
    const second = await s.create({ ...WEEKDAYS_PARIS, time: '18:00' });
    // Assess
    assert.deepEqual(second, { created: false });
    assert.deepEqual(await s.list('C0123ABCD'), [WEEKDAYS_PARIS]);
  });

  it('explains a refusal: AccessDenied becomes AwsAccessDeniedError naming the call', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare: a user allowed to list schedules only, then moto's IAM enforcement on.
    const iam = new IAMClient({
      endpoint: moto?.endpoint,
      region: REGION,
      credentials: CREDENTIALS,
    });
    await iam.send(new CreateUserCommand({ UserName: 'lister' }));
    await iam.send(
      new PutUserPolicyCommand({
        UserName: 'lister',
        PolicyName: 'list-only',
        PolicyDocument: JSON.stringify({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Action: 'scheduler:ListSchedules', Resource: '*' }],
        }),
      }),
    );
    const key = (await iam.send(new CreateAccessKeyCommand({ UserName: 'lister' }))).AccessKey;
    const lister = new SchedulerClient({
      endpoint: moto?.endpoint,
      region: REGION,
      credentials: {
        accessKeyId: key?.AccessKeyId ?? '',
        secretAccessKey: key?.SecretAccessKey ?? '',
      },
    });
    const enforce = (on: boolean) =>
      fetch(`${moto?.endpoint}/moto-api/reset-auth`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: on ? '0' : 'inf',
      });
    await enforce(true);
    t.after(async () => {
      await enforce(false);
      lister.destroy();
      iam.destroy();
    });
    const s = new SchedulerStore(lister, {
      stateMachineArn: STATE_MACHINE,
      roleArn: ROLE,
      maxPerChannel: 10,
    });
    // Act
    const created = s.create(WEEKDAYS_PARIS);
    // Assess
    await assert.rejects(created, (error: unknown) => {
      assert.ok(error instanceof AwsAccessDeniedError, String(error));
      assert.match(error.message, /EventBridge Scheduler CreateSchedule was denied/);
      return true;
    });
    assert.equal(await s.count(), 0);
  });
});
