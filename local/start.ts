/**
 * `npm start`: the bot on embedded defaults, with the local Slack console at
 * http://127.0.0.1:3000 (PORT). Type `/aws-cost` there; the reply arrives with its chart.
 * Ctrl-C stops the bot, the console and the local S3 server.
 */
import { parseArgs } from 'node:util';
import { loadDotEnv, slackSecretsFromEnv } from '../common/config.ts';
import { startLocalBot, startSocketModeBot } from './bot-server.ts';
import { runCli } from './cli.ts';

const USAGE = `Usage: npm start [-- --help]

Serves the bot (POST /slack/events) and a local Slack console (GET /) on 127.0.0.1:$PORT
(default 3000). With SLACK_APP_TOKEN=xapp-… set, connects to a real workspace in Socket
Mode instead (bot token and signing secret from SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, else
the backend's parameter store). Variables may also come from ./.env; the environment wins. With COSTBOT_BACKEND unset, reports use demo metrics, an S3 server on
127.0.0.1:$COSTBOT_LOCAL_S3_PORT (default 4568), chart links served on
127.0.0.1:$COSTBOT_LOCAL_LINKS_PORT (default 4569; COSTBOT_STABLE_LINKS=false: presigned links)
and .costbot/parameters.json for secrets.
Settings: README.md, "Settings".`;

async function main(): Promise<number | undefined> {
  const { values } = parseArgs({ options: { help: { type: 'boolean', short: 'h' } } });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  // Bolt's convention: secrets from the environment or ./.env (the environment wins).
  loadDotEnv();
  const { appToken } = slackSecretsFromEnv(process.env);
  const bot = appToken
    ? await startSocketModeBot(process.env, appToken)
    : await startLocalBot(process.env);
  const stop = async () => {
    await bot.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  if (appToken) {
    console.log(`costbot is connected to Slack in Socket Mode (${bot.config.backend} backend).`);
    return undefined;
  }
  console.log(
    `costbot is running (${bot.config.backend} backend).\n` +
      `  Slack console: ${bot.url}/  (type /aws-cost help)\n` +
      `  Bot endpoint:  ${bot.url}/slack/events\n` +
      (bot.backend.s3 ? `  Charts (S3):   ${bot.backend.s3.endpoint}\n` : '') +
      (bot.backend.links ? `  Chart links:   ${bot.backend.links.url}\n` : '') +
      'Ctrl-C to stop.',
  );
  // Keeps serving until Ctrl-C.
  return undefined;
}

runCli(main);
