/**
 * `npm run digest`: runs the morning digest once, now, prints the message and the chart link,
 * and exits. With `--serve` on the local backend the embedded S3 server stays up so the link
 * can be opened, until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv, slackSecretsFromEnv } from '../common/config.ts';
import type { PeriodPreset, PostedState } from '../common/contract.ts';
import { createBackend } from './backend.ts';
import { EXIT_SETUP, readAtStartup, runCli } from './cli.ts';
import { digestRequest, runReport } from './report.ts';
import { terminalDelivery } from './terminal-slack.ts';

const USAGE = `Usage: npm run digest -- [--period mtd|7d|30d|last-month] [--channel C…|#name] [--slack] [--serve]

Runs the cost digest once, now, through the same state machine definition that deploys.
  --period   window of the report (default mtd)
  --channel  channel to post to (default COSTBOT_DIGEST_CHANNEL)
  --slack    post through Slack's Web API (SLACK_API_URL, bot token from the parameter store)
             instead of printing here
  --serve    local backend: keep the S3 server that serves the link up until Ctrl-C
             (without it the command exits after printing and the link stops opening)
Settings come from the environment: see README.md, "Settings".`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      period: { type: 'string', default: 'mtd' },
      channel: { type: 'string' },
      slack: { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const periods: PeriodPreset[] = ['mtd', '7d', '30d', 'last-month'];
  if (!periods.includes(values.period as PeriodPreset)) {
    console.error(
      `--period must be one of ${periods.join(', ')}; got "${values.period}" (--help lists the options).`,
    );
    return EXIT_SETUP;
  }
  loadDotEnv();
  const config = loadConfig(process.env);
  const delivery = values.slack
    ? undefined
    : terminalDelivery((text) => process.stdout.write(text));
  const backend = await createBackend(config, process.env, {
    slackSecrets: slackSecretsFromEnv(process.env),
    ...(delivery ? { delivery } : {}),
  });
  // The secrets the run reads, now: an unreachable SSM or a missing parameter is one line
  // before any work rather than a failed report.
  const names = config.parameterNames;
  await readAtStartup(process.env, () =>
    backend.parameters.get([
      names.signerAccessKeyId,
      names.signerSecretAccessKey,
      ...(values.slack ? [names.slackBotToken] : []),
    ]),
  );
  const request = digestRequest(
    values.channel ?? config.digestChannel,
    values.period as PeriodPreset,
  );
  const result = await runReport(backend, request);
  if (result.status === 'SUCCEEDED') {
    const out = result.output as PostedState;
    console.log(`\nChart: ${out.link.url}\nLink expires ${out.link.expiresAt}.`);
  } else {
    console.error(`\nThe digest failed: ${result.error}: ${result.cause}`);
  }
  if (backend.s3 && values.serve && result.status === 'SUCCEEDED') {
    console.log(`\nServing charts from ${backend.s3.endpoint} — Ctrl-C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  await backend.stop();
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

runCli(main);
