/**
 * `npm start`'s bot (`startLocalBot`) on free ports in a fresh COSTBOT_LOCAL_DIR, with the
 * executions its starter starts counted, for attacks that go through its Express receiver.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ReportRequest } from '../../common/contract.ts';
import { type LocalBot, startLocalBot } from '../../local/bot-server.ts';
import { ALLOWED_CHANNEL, ALLOWED_USER } from './cases.ts';

export interface Running {
  bot: LocalBot;
  dir: string;
  starts: ReportRequest[];
  post(body: string, headers: Record<string, string>): Promise<{ status: number; body: string }>;
  stop(): Promise<void>;
}

/** `npm start`'s bot on free ports, its starter counting the executions it starts. */
export async function startBot(env: Record<string, string> = {}): Promise<Running> {
  const dir = await mkdtemp(join(tmpdir(), 'costbot-attack-'));
  const bot = await startLocalBot(
    {
      PORT: '0',
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      COSTBOT_ALLOWED_USERS: ALLOWED_USER,
      COSTBOT_ALLOWED_CHANNELS: ALLOWED_CHANNEL,
      LOG_LEVEL: 'error',
      ...env,
    },
    { retryIntervalMs: 10 },
  );
  const starts: ReportRequest[] = [];
  const start = bot.starter.start.bind(bot.starter);
  // Counts executions actually started: a name seen before starts nothing.
  bot.starter.start = async (request) => {
    const result = await start(request);
    if (result.started) starts.push(request);
    return result;
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

/** The parameter file of a running bot (the local parameter store). */
export async function parameterFile(running: Running): Promise<Record<string, string>> {
  return JSON.parse(await readFile(join(running.dir, 'parameters.json'), 'utf8')) as Record<
    string,
    string
  >;
}
