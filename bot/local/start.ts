/**
 * `npm start`: the bot on embedded defaults. Starts the local backend (demo metrics, S3
 * server on loopback, parameter file), runs an on-demand month-to-date report through the
 * synthesized state machine, prints the message, and keeps serving the chart until Ctrl-C.
 *
 * The Slack side (the `/aws-cost` command and a local Slack console) is not built yet: the
 * message is printed in the terminal meanwhile.
 */
import { loadConfig } from '../../common/config.ts';
import { ConfigError } from '../../common/errors.ts';
import { createBackend } from '../../workflows/backend.ts';
import type { PostedState } from '../../workflows/contract.ts';
import { terminalDelivery } from '../../workflows/local/terminal-slack.ts';
import { newRequestId, runReport } from '../../workflows/report.ts';

async function main(): Promise<number> {
  const config = loadConfig(process.env);
  const backend = await createBackend(config, process.env, {
    delivery: terminalDelivery((text) => process.stdout.write(text)),
  });
  const stop = async () => {
    await backend.stop();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  console.log(`costbot (${config.backend} backend): running an on-demand report…`);
  const result = await runReport(backend, {
    kind: 'command',
    requestId: newRequestId('command'),
    channel: config.digestChannel,
    period: 'mtd',
  });
  if (result.status !== 'SUCCEEDED') {
    console.error(`The report failed: ${result.error}: ${result.cause}`);
    await backend.stop();
    return 1;
  }
  const out = result.output as PostedState;
  console.log(`\nChart link (valid until ${out.link.expiresAt}):\n${out.link.url}`);
  if (!backend.s3) {
    await backend.stop();
    return 0;
  }
  console.log(`\nServing charts from ${backend.s3.endpoint}. Ctrl-C to stop.`);
  await new Promise(() => {});
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? `Configuration error: ${error.message}` : error);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
