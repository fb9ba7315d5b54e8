/**
 * `npm start`'s bot with COSTBOT_BACKEND=aws against moto_server, driven by signed Slack
 * requests as Slack sends them: subscriptions become real EventBridge Scheduler schedules in
 * the `costbot` group (expression, time zone, input), a retried command makes one, the channel
 * limit holds against the real store, a list of 10 is timed against Slack's 3 s, the Remove
 * button and `unsubscribe` delete them, and a forged button cannot reach another channel's.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateScheduleGroupCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  SchedulerClient,
} from '@aws-sdk/client-scheduler';
import { ACTION_IDS } from '../../common/slack-message.ts';
import { SCHEDULE_GROUP, subscriptionInput } from '../../common/subscription.ts';
import { type LocalBot, startLocalBot } from '../../local/bot-server.ts';
import { signedHeaders } from '../../local/console/signing.ts';
import {
  buttonPayload,
  interactionForm,
  type ResponseSink,
  slashCommandForm,
  startResponseSink,
} from '../bot/support.ts';
import { type MotoServer, motoEnv, skipWithoutMoto, startMoto } from '../support/moto.ts';

const SIGNING_SECRET = '0123456789abcdef0123456789abcdef';
const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:CostReport';
const ROLE = 'arn:aws:iam::123456789012:role/costbot-scheduler';
const HERE = 'C0CHANNEL1';
const OTHER = 'C0OTHER01';

let moto: MotoServer | null = null;
let scheduler: SchedulerClient;
let dir: string;
let bot: LocalBot;
let sink: ResponseSink;
let triggers = 0;
const saved = { ...process.env };

async function send(body: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  const res = await fetch(`${bot.url}/slack/events`, {
    method: 'POST',
    headers: { ...signedHeaders(SIGNING_SECRET, body), ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, text, ms: performance.now() - started };
}

/** `/aws-cost <text>` in `channel`, a new trigger id unless one is given; the ack's text. */
async function command(text: string, options: { channel?: string; trigger?: string } = {}) {
  const trigger = options.trigger ?? `1700000000.${++triggers}.abcdef`;
  // Slack sends what was typed with & < > as entities.
  const escaped = text.replaceAll('>', '&gt;');
  const form = slashCommandForm({
    text: escaped,
    channelId: options.channel ?? HERE,
    triggerId: trigger,
  });
  const answer = await send(form);
  assert.equal(answer.status, 200, answer.text);
  const ack = JSON.parse(answer.text) as { text: string; blocks?: unknown[] };
  return { ...ack, ms: answer.ms, trigger, form };
}

const idOf = (text: string) => /Id: `([a-z0-9]+)`/.exec(text)?.[1] ?? '';

async function scheduleNames(prefix: string): Promise<string[]> {
  const page = await scheduler.send(
    new ListSchedulesCommand({
      GroupName: SCHEDULE_GROUP,
      ...(prefix ? { NamePrefix: prefix } : {}),
    }),
  );
  return (page.Schedules ?? []).map((s) => s.Name ?? '').sort();
}

describe('Subscriptions on npm start with COSTBOT_BACKEND=aws, against moto_server', () => {
  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    const env = motoEnv(moto);
    // The SDK reads its endpoint and credentials from the process's environment.
    Object.assign(process.env, env);
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    scheduler = new SchedulerClient({
      endpoint: moto.endpoint,
      region: env.AWS_REGION,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    // The stack creates the group; here the test does.
    await scheduler.send(new CreateScheduleGroupCommand({ Name: SCHEDULE_GROUP }));
    sink = await startResponseSink();
    dir = await mkdtemp(join(tmpdir(), 'costbot-subscriptions-aws-'));
    bot = await startLocalBot({
      ...env,
      COSTBOT_BACKEND: 'aws',
      PORT: '0',
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_STATE_MACHINE_ARN: STATE_MACHINE,
      COSTBOT_SCHEDULER_ROLE_ARN: ROLE,
      COSTBOT_TIME_ZONE: 'Europe/Paris',
      COSTBOT_STABLE_LINKS: 'false',
      SLACK_BOT_TOKEN: 'xoxb-test-token',
      SLACK_SIGNING_SECRET: SIGNING_SECRET,
      LOG_LEVEL: 'error',
    });
  });
  after(async () => {
    await bot?.stop();
    await sink?.close();
    scheduler?.destroy();
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
    process.env = saved;
  });

  let first = '';

  it('subscribe makes one schedule in the costbot group with the expression, zone and input', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Act
    const ack = await command('subscribe weekdays 09:30 service AmazonEC2 7d if yesterday > 250');

    // Assess
    t.diagnostic(`one /aws-cost subscribe (list, count, create): ${Math.round(ack.ms)} ms`);
    assert.ok(ack.ms < 3000, `${Math.round(ack.ms)} ms`);
    first = idOf(ack.text);
    assert.match(ack.text, /^Subscribed this channel: weekdays at 09:30 Europe\/Paris/);
    const schedule = await scheduler.send(
      new GetScheduleCommand({ GroupName: SCHEDULE_GROUP, Name: `${HERE}.${first}` }),
    );
    assert.equal(schedule.ScheduleExpression, 'cron(30 9 ? * MON-FRI *)');
    assert.equal(schedule.ScheduleExpressionTimezone, 'Europe/Paris');
    assert.equal(schedule.Target?.Arn, STATE_MACHINE);
    assert.equal(schedule.Target?.RoleArn, ROLE);
    assert.deepEqual(
      JSON.parse(schedule.Target?.Input ?? ''),
      subscriptionInput({
        id: first,
        channel: HERE,
        cadence: { every: 'weekday' },
        time: '09:30',
        timeZone: 'Europe/Paris',
        report: { period: '7d', service: 'AmazonEC2' },
        condition: { kind: 'yesterday-above', dollars: 250 },
        createdBy: 'U0USER01',
      }),
    );
  });

  it("a retried command (Slack's X-Slack-Retry-Num) confirms the same one and makes no second", async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const original = await command('subscribe daily 07:00');
    const before = await scheduleNames(`${HERE}.`);

    // Act
    const retry = await send(original.form, {
      'X-Slack-Retry-Num': '1',
      'X-Slack-Retry-Reason': 'http_timeout',
    });

    // Assess
    assert.equal(JSON.parse(retry.text).text, original.text);
    assert.deepEqual(await scheduleNames(`${HERE}.`), before);
    assert.equal(before.length, 2);
  });

  it("lists 10 subscriptions within Slack's 3 s, and refuses an 11th (COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL=10)", async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare: 2 exist; 8 more make the default limit of 10.
    for (let i = 0; i < 8; i += 1) await command(`subscribe weekly mon 0${i}:15`);

    // Act
    const list = await command('subscriptions');
    const eleventh = await command('subscribe daily 10:00');

    // Assess
    t.diagnostic(`one /aws-cost subscriptions with 10 subscriptions: ${Math.round(list.ms)} ms`);
    assert.ok(list.ms < 3000, `${Math.round(list.ms)} ms`);
    const json = JSON.stringify(list.blocks);
    assert.equal(json.match(new RegExp(ACTION_IDS.removeSubscription, 'g'))?.length, 10);
    assert.match(eleventh.text, /COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL=10/);
    assert.equal((await scheduleNames(`${HERE}.`)).length, 10);
  });

  it("Remove deletes this channel's schedule; a forged id cannot reach another channel's", async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const elsewhere = idOf((await command('subscribe daily 06:00', { channel: OTHER })).text);
    const click = (value: string, path: string) =>
      send(
        interactionForm(
          buttonPayload({
            actionId: ACTION_IDS.removeSubscription,
            value,
            channelId: HERE,
            responseUrl: `${sink.url}${path}`,
          }),
        ),
      );

    // Act
    await click(first, '/removed');
    await click(elsewhere, '/forged');
    await sink.waitForPosts(2, 10_000);

    // Assess
    const names = await scheduleNames('');
    assert.ok(!names.includes(`${HERE}.${first}`), names.join());
    assert.ok(names.includes(`${OTHER}.${elsewhere}`), names.join());
    const removed = sink.posts.find((p) => p.path === '/removed')?.body;
    assert.equal(removed?.replace_original, true);
    assert.match(JSON.stringify(removed), new RegExp(`Removed subscription \\\`${first}\\\``));
    const forged = sink.posts.find((p) => p.path === '/forged')?.body;
    assert.match(
      JSON.stringify(forged),
      new RegExp(`No subscription ${elsewhere} in this channel`),
    );
  });

  it('unsubscribe deletes the schedule; the channel then lists one fewer', async (t) => {
    if (skipWithoutMoto(t, moto)) return;
    // Prepare
    const [name] = await scheduleNames(`${HERE}.`);
    const id = name?.split('.')[1] ?? '';

    // Act
    const ack = await command(`unsubscribe ${id}`);

    // Assess
    assert.equal(ack.text, `Removed subscription \`${id}\` from this channel.`);
    const left = await scheduleNames(`${HERE}.`);
    assert.equal(left.length, 8);
    assert.ok(!left.includes(`${HERE}.${id}`));
  });
});
