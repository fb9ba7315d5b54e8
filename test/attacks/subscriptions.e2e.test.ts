/**
 * Attacks on the subscription surface of `npm start`'s bot: its ExpressReceiver over HTTP on
 * 127.0.0.1, with subscriptions in COSTBOT_LOCAL_DIR's file (`subscription-requests.ts` has
 * the cases). A refused button is sent while the file is not JSON, so a refusal that read the
 * store would say the store failed instead.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { SUBSCRIPTION_FILE } from '../../local/subscription-file-store.ts';
import { type ResponseSink, settle, startResponseSink } from '../bot/support.ts';
import { parameterFile, type Running, startBot } from './local-bot.ts';
import {
  describeSubscriptionAttacks,
  SUBSCRIPTION_ENV,
  type SubscriptionTarget,
} from './subscription-requests.ts';

describe('Attacks: subscriptions on npm start (ExpressReceiver over HTTP, local file)', () => {
  let running: Running;
  let sink: ResponseSink;
  let secret: string;

  before(async () => {
    sink = await startResponseSink();
    running = await startBot(SUBSCRIPTION_ENV);
    const file = await parameterFile(running);
    secret = file[running.bot.config.parameterNames.slackSigningSecret] ?? '';
  });

  after(async () => {
    await running?.stop();
    await sink?.close();
  });

  const path = () => join(running.dir, SUBSCRIPTION_FILE);
  const snapshot = () => readFile(path(), 'utf8').catch(() => '(no file)');

  const target = (): SubscriptionTarget => ({
    secret,
    sink,
    send: (body, headers) => running.post(body, headers),
    snapshot,
    count: async (channel) => (await snapshot()).split(`"name": "${channel}.`).length - 1,
    started: async () =>
      running.starts.map((r) => ({ subscription: r.subscription?.id, channel: r.channel })),
    settle: async () => {
      await settle(100);
      await running.bot.starter.idle();
    },
    spoil: async () => {
      const kept = await readFile(path(), 'utf8');
      await writeFile(path(), 'not JSON');
      return () => writeFile(path(), kept);
    },
  });

  describeSubscriptionAttacks(target);
});
