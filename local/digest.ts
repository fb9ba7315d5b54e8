/**
 * `npm run digest`: runs the morning digest (or, with `--subscription <id>`, one subscription
 * of `npm start`) once, now, prints the message and the chart link
 * (the stable link and the presigned URL it redirects to), and exits. With `--serve` on the
 * local backend the embedded S3 server and links endpoint stay up so the link can be opened,
 * until Ctrl-C.
 */
import { parseArgs } from 'node:util';
import { runNowRequest } from '../bot/subscriptions/run-now.ts';
import {
  type CostbotConfig,
  loadConfig,
  loadDotEnv,
  slackChannel,
  slackSecretsFromEnv,
} from '../common/config.ts';
import type { PeriodPreset, PostedState } from '../common/contract.ts';
import { utcDay } from '../common/dates.ts';
import type { Subscription } from '../common/subscription.ts';
import { type Backend, createBackend } from './backend.ts';
import { EXIT_SETUP, readAtStartup, runCli } from './cli.ts';
import { digestRequest, newRequestId, runReport } from './report.ts';
import { notPostedReason, subscriptionFileStore } from './subscriptions.ts';
import { terminalDelivery } from './terminal-slack.ts';

const USAGE = `Usage: npm run digest -- [--period mtd|7d|30d|last-month] [--channel C…|#name] [--as-of YYYY-MM-DD] [--slack] [--serve]
       npm run digest -- --subscription <id> [--as-of YYYY-MM-DD] [--slack] [--serve]

Runs the cost digest once, now, through the same state machine definition that deploys.
  --period   window of the report (default mtd)
  --channel  channel to post to (default COSTBOT_DIGEST_CHANNEL)
  --subscription
             run that subscription of npm start (COSTBOT_LOCAL_DIR/subscriptions.json) now,
             its channel, report and condition; when the condition does not hold, says why
             nothing was posted
  --as-of    the report as of the start (00:00 UTC) of that day, so its "yesterday" is the day
             before: reproduces any past day's report and its anomalies (default: now)
  --slack    post through Slack's Web API (SLACK_API_URL, bot token from the parameter store)
             instead of printing here
  --serve    local backend: keep the S3 server and the links endpoint up until Ctrl-C
             (without it the command exits after printing and the link stops opening)
Settings come from the environment: see README.md, "Settings".`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      period: { type: 'string' },
      channel: { type: 'string' },
      subscription: { type: 'string' },
      'as-of': { type: 'string' },
      slack: { type: 'boolean', default: false },
      serve: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const period = values.period ?? 'mtd';
  const periods: PeriodPreset[] = ['mtd', '7d', '30d', 'last-month'];
  if (!periods.includes(period as PeriodPreset)) {
    console.error(
      `--period must be one of ${periods.join(', ')}; got "${period}" (--help lists the options).`,
    );
    return EXIT_SETUP;
  }
  const asOf = values['as-of'] === undefined ? undefined : startOfDay(values['as-of'], new Date());
  if (asOf === null) return EXIT_SETUP;
  if (values.subscription !== undefined && (values.period ?? values.channel) !== undefined) {
    console.error(
      '--subscription runs with its own channel and report: leave out --period and --channel.',
    );
    return EXIT_SETUP;
  }
  loadDotEnv();
  const config = loadConfig(process.env);
  // The subscription, found before anything starts: an unknown id is one line.
  const subscription =
    values.subscription === undefined
      ? undefined
      : await findSubscription(config, values.subscription);
  if (subscription === null) return EXIT_SETUP;
  // A channel given here is checked like COSTBOT_DIGEST_CHANNEL, before anything runs.
  const channel =
    values.channel === undefined
      ? config.digestChannel
      : slackChannel(values.channel, { setting: '--channel', source: 'environment' });
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
      ...(config.linksUrl ? [names.linkKey] : []),
    ]),
  );
  const request = subscription
    ? runNowRequest(subscription, newRequestId('digest'))
    : digestRequest(channel, period as PeriodPreset);
  const result = await runReport(backend, asOf ? { ...request, asOf } : request);
  const notPosted = notPostedReason(result);
  if (notPosted !== null) {
    console.log(`Not posted: ${notPosted}`);
  } else if (result.status === 'SUCCEEDED') {
    const out = result.output as PostedState;
    console.log(await chartLines(backend, out));
  } else {
    console.error(`\nThe digest failed: ${result.error}: ${result.cause}`);
  }
  if (backend.s3 && values.serve && result.status === 'SUCCEEDED' && notPosted === null) {
    const links = backend.links ? ` and links from ${backend.links.url}` : '';
    console.log(`\nServing charts from ${backend.s3.endpoint}${links} — Ctrl-C to stop.`);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
  }
  await backend.stop();
  return result.status === 'SUCCEEDED' ? 0 : 1;
}

/**
 * `--as-of 2026-11-25` as the ISO time `2026-11-25T00:00:00.000Z`, or null once a date that is
 * not a calendar day, or is after today (UTC), has been said in one line.
 */
function startOfDay(text: string, now: Date): string | null {
  const start = /^\d{4}-\d{2}-\d{2}$/.test(text) ? new Date(`${text}T00:00:00.000Z`) : null;
  // `2026-02-30` parses to March 2: a real day reads back the same.
  if (!start || Number.isNaN(start.getTime()) || utcDay(start) !== text) {
    console.error(`--as-of must be a day as YYYY-MM-DD, e.g. 2026-11-25; got "${text}".`);
    return null;
  }
  if (text > utcDay(now)) {
    console.error(`--as-of ${text} is after today (${utcDay(now)} UTC): there is no data yet.`);
    return null;
  }
  return start.toISOString();
}

/**
 * The subscription `id` of the local subscription file, or null once the miss has been said
 * (ids are unique across channels: each is derived from its own Slack request).
 */
async function findSubscription(config: CostbotConfig, id: string): Promise<Subscription | null> {
  const store = subscriptionFileStore(config);
  const found = (await store.all()).find((s) => s.id === id);
  if (!found) {
    console.error(
      `No subscription "${id}" in ${store.path} (\`/aws-cost subscriptions\` on npm start lists a channel's).`,
    );
    return null;
  }
  return found;
}

/**
 * The chart's link as the message carries it: the stable link and the presigned S3 URL it
 * redirects to now (asked of the local links handler in-process, or of the deployed endpoint),
 * so either can be checked by hand; without stable links, the presigned link.
 */
async function chartLines(backend: Backend, out: PostedState): Promise<string> {
  if (!out.stableLink) return `\nChart: ${out.link.url}\nLink expires ${out.link.expiresAt}.`;
  const { url, expiresAt } = out.stableLink;
  const target = backend.links
    ? await backend.links.resolve(url)
    : await fetch(url, { redirect: 'manual' }).then(
        (res) => res.headers.get('location'),
        () => null,
      );
  return (
    `\nChart (stable link): ${url}\nWorks until ${expiresAt}, when the chart expires.` +
    `\nRedirects now to:    ${target ?? '(no answer from the links endpoint)'}`
  );
}

runCli(main);
