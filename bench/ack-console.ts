/**
 * 1c. Acks under load through the local console: `commands` `/aws-cost` commands sent at once
 * to `npm start`'s console (POST /local/command: a signed command to Bolt's receiver, the ack,
 * the report run in-process, delivered through its response_url), as a developer's burst of
 * clicks would. Counts the reports delivered, duplicates and the console's failure notices
 * (Slack's 3 s `operation_timeout`); times each ack as the console sees it.
 *
 *   npx tsx bench/ack-console.ts [commands]   # prints the figures (default 50)
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalBot } from '../local/bot-server.ts';
import type { ConsoleMessage } from '../local/console/store.ts';
import { type Percentiles, percentiles } from './ack.ts';

export interface ConsoleLoad {
  /** Commands sent at once. */
  commands: number;
  /** Commands sent one by one afterwards, while the burst's reports render. */
  whileRendering: number;
  /** Commands (of both kinds) the console saw acknowledged (2xx within its 3 s). */
  acked: number;
  /** Each command's round trip through the console: its ack as Slack would time it. */
  ackMs: Percentiles;
  /** The same for the commands sent while reports render. */
  whileRenderingAckMs: Percentiles;
  /** The chart of each report delivered, one entry per delivery (`reportCharts`). */
  reports: string[];
  /** Notices the console showed for a command that failed (`operation_timeout`, ...). */
  failureNotices: number;
  /** From the first command sent to the last report delivered. */
  seconds: number;
}

/**
 * One entry per report in the channel, in order: its chart's URL without the query string,
 * which names the report's own chart (the key of a presigned URL, the token of a stable link),
 * so a report delivered twice shows up as the same entry twice.
 */
export function reportCharts(messages: ConsoleMessage[]): string[] {
  return messages.flatMap((message) =>
    (message.blocks as { type?: string; image_url?: string }[])
      .filter((block) => block.type === 'image' && block.image_url)
      .map((block) => (block.image_url ?? '').split('?')[0] ?? ''),
  );
}

/**
 * The console page's POST of a command, over plain node:http: a browser is another process,
 * so the client's own work should cost the measured process as little as it can.
 */
function postCommand(url: string, text: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => {
          body += chunk;
        });
        res.on('end', () => resolve(body));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify({ text }));
  });
}

/** One command through the console: whether it was acked in time, and how long that took. */
async function timedCommand(url: string): Promise<{ ok: boolean; ms: number }> {
  const sent = performance.now();
  const answer = JSON.parse(await postCommand(`${url}/local/command`, '7d')) as { ok?: boolean };
  return { ok: answer.ok === true, ms: performance.now() - sent };
}

/**
 * Starts the local bot on free ports in a fresh directory, sends the burst, then
 * `whileRendering` commands 300 ms apart once its reports have begun, and stops the bot.
 */
export async function ackUnderConsoleLoad(options: {
  commands: number;
  whileRendering: number;
}): Promise<ConsoleLoad> {
  const dir = await mkdtemp(join(tmpdir(), 'costbot-bench-console-'));
  const bot = await startLocalBot(
    {
      ...process.env,
      COSTBOT_BACKEND: 'local',
      PORT: '0',
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      COSTBOT_LOCAL_DIR: dir,
      LOG_LEVEL: 'error',
    },
    { retryIntervalMs: 10 },
  );
  // A burst as a person could send it: after the page has loaded and the bot has warmed up.
  await bot.warm;
  try {
    const t0 = performance.now();
    const answers = await Promise.all(
      Array.from({ length: options.commands }, () => timedCommand(bot.url)),
    );
    const later: { ok: boolean; ms: number }[] = [];
    for (let n = 0; n < options.whileRendering; n++) {
      // The first after the burst's quiet time: its reports are running by then.
      await new Promise((resolve) => setTimeout(resolve, n === 0 ? 1000 : 300));
      later.push(await timedCommand(bot.url));
    }
    await bot.starter.idle();
    const seconds = (performance.now() - t0) / 1000;
    const messages = bot.messages();
    return {
      commands: options.commands,
      whileRendering: options.whileRendering,
      acked: [...answers, ...later].filter((a) => a.ok).length,
      ackMs: percentiles(answers.map((a) => a.ms)),
      whileRenderingAckMs: percentiles(later.map((a) => a.ms)),
      reports: reportCharts(messages),
      failureNotices: messages.filter((m) => m.from === 'slack').length,
      seconds,
    };
  } finally {
    await bot.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** One line of figures, as the bench and the load test print them. */
export function formatConsoleLoad(load: ConsoleLoad): string {
  const { p50, p95, max } = load.ackMs;
  return (
    `${load.commands} commands at once through the console, then ${load.whileRendering} while reports render: ` +
    `${load.acked} acked; burst ack p50 ${p50.toFixed(0)} ms, p95 ${p95.toFixed(0)} ms, max ${max.toFixed(0)} ms; ` +
    `while rendering max ${load.whileRenderingAckMs.max.toFixed(0)} ms; ${load.reports.length} reports ` +
    `(${new Set(load.reports).size} distinct), ${load.failureNotices} failure notices, all done in ${load.seconds.toFixed(1)} s`
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const commands = Number(process.argv[2] ?? 50);
  const load = await ackUnderConsoleLoad({ commands, whileRendering: 5 });
  process.stdout.write(`${formatConsoleLoad(load)}\n`);
}
