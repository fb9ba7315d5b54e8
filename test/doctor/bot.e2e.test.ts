/**
 * `/aws-cost doctor` in the bot: acknowledged with "Checking…" before anything is checked,
 * then the bot's checks (parameters, Slack, bucket, billing) replied ephemerally, over the real
 * HTTP path (Bolt's ExpressReceiver, signed requests) and with the local backend's defaults.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ExpressReceiver } from '@slack/bolt';
import { type BotDeps, createBotApp } from '../../bot/app.ts';
import { CHECKING, doctorCommand } from '../../bot/listeners/commands/doctor.ts';
import { loadConfig } from '../../common/config.ts';
import type { Subscription } from '../../common/subscription.ts';
import { botDoctorDeps } from '../../doctor/deps.ts';
import { formatSlack } from '../../doctor/format.ts';
import type { CheckResult } from '../../doctor/types.ts';
import { signedHeaders } from '../../local/console/signing.ts';
import { localDoctorDeps } from '../../local/doctor-deps.ts';
import { ensureParameterFile } from '../../local/parameter-file.ts';
import { type LocalS3, startLocalS3 } from '../../local/s3-server.ts';
import {
  MemorySubscriptionStore,
  memoryBoltLogger,
  memoryLogger,
  RecordingStarter,
  SIGNING_SECRET,
  slashCommandForm,
} from '../bot/support.ts';
import { type FakeSlackApi, postedText, startFakeSlackApi } from '../faults/slack-api.ts';
import { healthyDeps } from './support.ts';

const BOT_TOKEN = 'xoxb-bot-doctor-test-token';

describe('Function: doctorCommand', () => {
  it('acks with "Checking…" before running any check, then responds ephemerally with the results', async () => {
    // Prepare
    const order: string[] = [];
    const results: CheckResult[] = [
      { id: 'a', title: 'Thing', status: 'fail', detail: 'broken <!channel>' },
    ];
    const args = {
      command: { user_id: 'U1', channel_id: 'C1' },
      ack: async (response: unknown) => {
        order.push(`ack ${JSON.stringify(response)}`);
      },
      respond: async (response: unknown) => {
        order.push(`respond ${JSON.stringify(response)}`);
      },
      client: { token: BOT_TOKEN, slackApiUrl: 'http://127.0.0.1:9/api/' },
    } as unknown as Parameters<typeof doctorCommand>[0];

    // Act
    await doctorCommand(args, {
      run: async () => {
        order.push('run');
        return results;
      },
      log: memoryLogger().log,
    });

    // Assess
    assert.deepEqual(order, [
      `ack ${JSON.stringify({ response_type: 'ephemeral', text: CHECKING })}`,
      'run',
      `respond ${JSON.stringify({ response_type: 'ephemeral', text: formatSlack(results) })}`,
    ]);
    assert.ok(!order[2]?.includes('<!channel>'), 'the detail is escaped');
  });

  it('responds with the explanation when the checks cannot run at all', async () => {
    // Prepare
    const responses: { text?: string }[] = [];
    const args = {
      command: { user_id: 'U1', channel_id: 'C1' },
      ack: async () => {},
      respond: async (r: { text?: string }) => {
        responses.push(r);
      },
      client: { token: BOT_TOKEN, slackApiUrl: 'http://127.0.0.1:9/api/' },
    } as unknown as Parameters<typeof doctorCommand>[0];

    // Act
    await doctorCommand(args, {
      run: () =>
        Promise.reject(
          new Error(
            'User: arn:aws:iam::123456789012:user/x is not authorized to perform: ssm:GetParameters on resource: arn:aws:ssm:us-east-1:123456789012:parameter/costbot/slack/bot-token',
          ),
        ),
      log: memoryLogger().log,
    });

    // Assess
    assert.equal(responses.length, 1);
    assert.match(
      responses[0]?.text ?? '',
      /^The checks could not run\.\n\*AWS denied the request\*/,
    );
    assert.match(responses[0]?.text ?? '', /`ssm:GetParameters`/);
  });
});

describe('/aws-cost doctor over HTTP', () => {
  let slack: FakeSlackApi;
  let dir: string;
  let s3: LocalS3;

  before(async () => {
    slack = await startFakeSlackApi(BOT_TOKEN);
    slack.memberOf = new Set(['C0COSTS01']);
    dir = await mkdtemp(join(tmpdir(), 'costbot-bot-doctor-'));
    s3 = await startLocalS3({
      directory: join(dir, 's3'),
      port: 0,
      bucket: 'costbot-charts',
      keys: [],
    });
  });

  after(async () => {
    await s3?.stop();
    await slack?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  async function startBot(
    env: Record<string, string>,
    doctor?: BotDeps['doctor'],
    subscriptions?: BotDeps['subscriptions'],
  ) {
    const starter = new RecordingStarter();
    const logger = memoryBoltLogger();
    const receiver = new ExpressReceiver({
      signingSecret: SIGNING_SECRET,
      processBeforeResponse: false,
      logger,
    });
    const config = loadConfig({ SLACK_API_URL: slack.apiUrl, ...env });
    createBotApp(
      {
        config,
        starter,
        signLink: () => Promise.reject(new Error('unused')),
        log: memoryLogger().log,
        doctor:
          doctor ??
          ((api) => botDoctorDeps(localDoctorDeps(config, { s3Endpoint: s3.endpoint }), api)),
        ...(subscriptions ? { subscriptions } : {}),
      },
      { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET },
      { receiver, logger },
    );
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    return {
      starter,
      send: async (text: string, responseUrl: string) => {
        const body = slashCommandForm({ text, responseUrl, channelId: 'C0COSTS01' });
        const res = await fetch(url, {
          method: 'POST',
          headers: signedHeaders(SIGNING_SECRET, body),
          body,
        });
        return {
          status: res.status,
          body: (await res.json()) as { response_type?: string; text?: string },
        };
      },
      close: async () => {
        server.closeAllConnections();
        await receiver.stop();
      },
    };
  }

  it('acks before checking: the checks wait for the ack to reach Slack, then reply', async () => {
    // Prepare
    slack.reset();
    let acked!: () => void;
    const ackReceived = new Promise<void>((resolve) => {
      acked = resolve;
    });
    let ran = false;
    const bot = await startBot({ COSTBOT_DIGEST_CHANNEL: 'C0COSTS01' }, (slackApi) =>
      healthyDeps({
        // Any check that ran before the ack would wait here forever, and the ack would never come.
        billing: {
          listMetrics: async () => {
            await ackReceived;
            ran = true;
            return { Metrics: [{ Dimensions: [{ Name: 'Currency', Value: 'USD' }] }] };
          },
        },
        slack: () => slackApi,
      }),
    );
    const responseUrl = slack.responseUrl('doctor-1');

    // Act
    const answer = await bot.send('doctor', responseUrl);
    const ranBeforeAck = ran;
    acked();
    await slack.waitForMessages(1);
    await bot.close();

    // Assess
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.body, { response_type: 'ephemeral', text: CHECKING });
    assert.equal(ranBeforeAck, false);
    assert.equal(bot.starter.calls.length, 0, 'no report started');
    const reply = slack.messages[0];
    assert.equal(reply?.method, 'response_url');
    assert.equal(reply?.params.response_type, 'ephemeral');
    const text = postedText(reply ?? { method: '', token: undefined, params: {}, at: 0 });
    assert.match(text, /^\*costbot doctor\*: 11 checks: 11 ok, 0 warn, 0 fail/);
    assert.match(
      text,
      /:white_check_mark: \*Slack token is valid\*: auth\.test: bot user U0COSTBOT/,
    );
    assert.doesNotMatch(
      text,
      /Link-signing key|Next morning digest|Reader role/,
      'deployer checks are not run from the bot',
    );
  });

  it("prices the asking channel's subscriptions whole and the other channels' by count", async () => {
    // Prepare: one weekday subscription here, two in another channel.
    slack.reset();
    const mine: Subscription = {
      id: 'mine0001',
      channel: 'C0COSTS01',
      cadence: { every: 'weekday' },
      time: '09:00',
      timeZone: 'Europe/Paris',
      report: { period: 'mtd' },
    };
    const store = new MemorySubscriptionStore([
      mine,
      { ...mine, id: 'other001', channel: 'C0OTHER01' },
      { ...mine, id: 'other002', channel: 'C0OTHER01' },
    ]);
    const bot = await startBot(
      { COSTBOT_DIGEST_CHANNEL: 'C0COSTS01' },
      (slackApi) => healthyDeps({ slack: () => slackApi }),
      store,
    );

    // Act
    await bot.send('doctor', slack.responseUrl('doctor-bill'));
    await slack.waitForMessages(1);
    await bot.close();

    // Assess
    const text = postedText(
      slack.messages[0] ?? { method: '', token: undefined, params: {}, at: 0 },
    );
    assert.match(
      text,
      /for the scheduled reports of the next 30 days: 1 subscription in this channel \(2[12] runs\); 2 elsewhere counted as daily/,
      text,
    );
    assert.deepEqual(store.calls.sort(), ['count', 'list C0COSTS01']);
  });

  it('checks the local backend by default: the parameter file, the S3 server, the demo metrics, Slack', async () => {
    // Prepare
    slack.reset();
    const env = {
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: String(s3.port),
      COSTBOT_LOCAL_LINKS_PORT: '0',
      COSTBOT_DIGEST_CHANNEL: 'C0COSTS01',
    };
    const config = loadConfig(env);
    await ensureParameterFile(join(dir, 'parameters.json'), config.parameterNames);
    const bot = await startBot(env);

    // Act
    const answer = await bot.send('doctor', slack.responseUrl('doctor-2'));
    await slack.waitForMessages(1);
    await bot.close();

    // Assess
    assert.deepEqual(answer.body, { response_type: 'ephemeral', text: CHECKING });
    const text = postedText(
      slack.messages[0] ?? { method: '', token: undefined, params: {}, at: 0 },
    );
    assert.match(text, /11 checks: 11 ok, 0 warn, 0 fail/, text);
    assert.match(
      text,
      /Bucket costbot-charts accepts a chart\*: PutObject charts\/doctor-check\.txt succeeded/,
    );
    assert.match(text, /Billing metrics in us-east-1\*: 16 EstimatedCharges series/);
    assert.match(text, /Bot is in the digest channel C0COSTS01\*: The bot is a member of #costs/);
    assert.deepEqual(
      slack.calls.filter((c) => c.method !== 'response_url').map((c) => [c.method, c.token]),
      [
        ['auth.test', BOT_TOKEN],
        ['conversations.info', BOT_TOKEN],
      ],
    );
  });

  it('refuses extra words and users outside the allow-list without checking anything', async () => {
    // Prepare
    slack.reset();
    let runs = 0;
    const doctor: BotDeps['doctor'] = () => {
      runs += 1;
      return healthyDeps();
    };
    const open = await startBot({}, doctor);
    const closed = await startBot({ COSTBOT_ALLOWED_USERS: 'U0SOMEONE' }, doctor);

    // Act
    const extra = await open.send('doctor now', slack.responseUrl());
    const refused = await closed.send('doctor', slack.responseUrl());
    await new Promise((resolve) => setTimeout(resolve, 50));
    await open.close();
    await closed.close();

    // Assess
    assert.match(extra.body.text ?? '', /^"doctor" takes no other words; got "now"\./);
    assert.match(refused.body.text ?? '', /not on the list of people who can run \/aws-cost/);
    assert.equal(runs, 0);
    assert.equal(slack.calls.length, 0);
  });
});
