/**
 * Attacks on `npm start`'s bot: Bolt's ExpressReceiver over HTTP on 127.0.0.1, as
 * `startLocalBot` serves it (local backend: parameter file, s3rver, in-process runs). Every
 * request goes to `/slack/events` as Slack would send it; replies go to a loopback
 * `response_url`. Then Bolt's own convention: SLACK_SIGNING_SECRET in the environment wins.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ReportRequest } from '../../common/contract.ts';
import { type LocalBot, startLocalBot } from '../../local/bot-server.ts';
import { type ResponseSink, settle, startResponseSink } from '../bot/support.ts';
import { ALLOWED_CHANNEL, ALLOWED_USER } from './cases.ts';
import {
  commandBody,
  describeSlackRequestAttacks,
  headersFor,
  replyPath,
  type Target,
} from './slack-requests.ts';

interface Running {
  bot: LocalBot;
  dir: string;
  starts: ReportRequest[];
  post(body: string, headers: Record<string, string>): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

/** `npm start`'s bot on free ports, its starter counting the executions it starts. */
async function startBot(env: Record<string, string> = {}): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'costbot-attack-'));
  const bot = await startLocalBot(
    {
      PORT: '0',
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_ALLOWED_USERS: ALLOWED_USER,
      COSTBOT_ALLOWED_CHANNELS: ALLOWED_CHANNEL,
      LOG_LEVEL: 'error',
      ...env,
    },
    { retryIntervalMs: 10 },
  );
  const starts: ReportRequest[] = [];
  const start = bot.starter.start.bind(bot.starter);
  bot.starter.start = (request) => {
    starts.push(request);
    return start(request);
  };
  return {
    bot,
    dir,
    starts,
    async post(body, headers) {
      const response = await fetch(`${bot.url}/slack/events`, { method: 'POST', headers, body });
      return { status: response.status, body: await response.text() };
    },
    async stop() {
      await bot.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

describe('Attacks: npm start (ExpressReceiver over HTTP)', () => {
  let running: Running;
  let sink: ResponseSink;
  let secret: string;

  before(async () => {
    sink = await startResponseSink();
    running = await startBot();
    const file = JSON.parse(await readFile(join(running.dir, 'parameters.json'), 'utf8')) as Record<
      string,
      string
    >;
    secret = file[running.bot.config.parameterNames.slackSigningSecret] ?? '';
  });

  after(async () => {
    await running?.stop();
    await sink?.close();
  });

  const target = (): Target => ({
    secret,
    sink,
    send: (body, headers) => running.post(body, headers),
    started: async () => running.starts.map((r) => r.requestId),
    settle: async () => {
      await settle(150);
      await running.bot.starter.idle();
    },
  });

  describeSlackRequestAttacks(it, target);
});

describe('Attacks: Bolt conventions (SLACK_SIGNING_SECRET in the environment)', () => {
  const ENV_SECRET = 'signing-secret-from-the-environment-0123';
  let running: Running;
  let sink: ResponseSink;

  before(async () => {
    sink = await startResponseSink();
    running = await startBot({
      SLACK_SIGNING_SECRET: ENV_SECRET,
      SLACK_BOT_TOKEN: 'xoxb-from-the-environment',
    });
  });

  after(async () => {
    await running?.stop();
    await sink?.close();
  });

  it('a request signed with SLACK_SIGNING_SECRET from the environment is accepted', async () => {
    // Prepare
    const body = commandBody({ responseUrl: replyPath(sink).url });

    // Act
    const answer = await running.post(body, headersFor(ENV_SECRET, body));
    await settle(150);

    // Assess
    assert.equal(answer.status, 200, answer.body);
    assert.equal(running.starts.length, 1);
  });

  it("a request signed with parameters.json's secret is refused: the environment wins", async () => {
    // Prepare
    const file = JSON.parse(await readFile(join(running.dir, 'parameters.json'), 'utf8')) as Record<
      string,
      string
    >;
    const fileSecret = file[running.bot.config.parameterNames.slackSigningSecret] ?? '';
    const body = commandBody({ responseUrl: replyPath(sink).url });
    const before = running.starts.length;

    // Act
    const answer = await running.post(body, headersFor(fileSecret, body));
    await settle(150);

    // Assess
    assert.notEqual(fileSecret, ENV_SECRET);
    assert.equal(answer.status, 401);
    assert.equal(running.starts.length, before);
  });
});
