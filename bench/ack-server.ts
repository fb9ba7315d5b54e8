/**
 * Child process of the HTTP ack benchmark: the bot as `npm start` serves it (Bolt's
 * ExpressReceiver verifying Slack's signature, the `/aws-cost` listener) on 127.0.0.1, with a
 * starter that counts instead of running reports, so only the ack path is measured.
 *
 * Prints `{"port":N}` once listening. A line `mark` on stdin starts the measured part; when
 * stdin closes it prints the reports started and the CPU time it used since the mark, and
 * exits. It exits on its own after two minutes whatever happens.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { ExpressReceiver } from '@slack/bolt';
import express from 'express';
import { createBotApp } from '../bot/app.ts';
import type { ReportStarter } from '../bot/starter.ts';
import { loadConfig } from '../common/config.ts';
import { createLogger } from '../common/log.ts';
import { BENCH_SIGNING_SECRET } from './slash-command.ts';

const LIFETIME_MS = 120_000;

let started = 0;
const starter: ReportStarter = {
  async start(request) {
    started += 1;
    return { executionName: request.requestId, started: true };
  },
};

// The listener logs at info after each ack, as in production; the parent discards stderr.
const config = loadConfig({ LOG_LEVEL: 'info' });
const web = express();
const receiver = new ExpressReceiver({
  signingSecret: BENCH_SIGNING_SECRET,
  app: web,
  processBeforeResponse: false,
});
createBotApp(
  {
    config,
    starter,
    signLink: async () => {
      throw new Error('the ack benchmark never signs links');
    },
    log: createLogger({ component: 'bot' }, { level: 'info' }),
  },
  { botToken: 'xoxb-bench-token', signingSecret: BENCH_SIGNING_SECRET },
  { receiver },
);

const server = createServer(web);
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as AddressInfo).port })}\n`);
});

let mark = { started: 0, cpu: process.cpuUsage() };
const input = createInterface({ input: process.stdin });
input.on('line', (line) => {
  if (line.trim() === 'mark') mark = { started, cpu: process.cpuUsage() };
});
input.on('close', () => {
  const cpu = process.cpuUsage(mark.cpu);
  const report = { started: started - mark.started, cpuMs: (cpu.user + cpu.system) / 1000 };
  process.stdout.write(`${JSON.stringify(report)}\n`);
  server.closeAllConnections();
  server.close(() => process.exit(0));
});
setTimeout(() => process.exit(3), LIFETIME_MS).unref();
