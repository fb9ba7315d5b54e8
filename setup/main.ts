/**
 * `npm run setup`: after `npm run deploy`, creates the chart signer's access key and writes the
 * four SecureString parameters the functions read (see setup/setup.ts).
 *
 *   npm run setup                                  # prompts for the Slack values if missing
 *   npm run setup -- --slack-bot-token xoxb-… --slack-signing-secret …
 *   SLACK_BOT_TOKEN=… SLACK_SIGNING_SECRET=… npm run setup
 *   npm run setup -- --rotate                      # new signer key, previous one kept active
 *
 * Options: `--stack <name>` (default Costbot, or COSTBOT_STACK), `--region <r>` (else AWS_REGION;
 * one of the two is required, never a profile's default). Prefer the environment or the prompt to flags for secrets: flags end
 * up in shell history. Nothing secret is ever printed.
 */

import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { IAMClient } from '@aws-sdk/client-iam';
import { SSMClient } from '@aws-sdk/client-ssm';
import { awsEnvironment, readSetting, slackSecretsFromEnv } from '../common/config.ts';
import { SetupError } from '../common/errors.ts';
import { runSetup, targetFromOutputs } from './setup.ts';

const USAGE = `Usage: npm run setup -- [--stack Costbot] [--region eu-west-1] [--rotate]
                        [--slack-bot-token xoxb-...] [--slack-signing-secret ...]`;

/** Reads one line from the terminal without echoing it. */
async function promptHidden(question: string): Promise<string> {
  process.stderr.write(question);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  const answer = await new Promise<string>((resolve) => rl.question('', resolve));
  rl.close();
  process.stderr.write('\n');
  return answer.trim();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      stack: { type: 'string' },
      region: { type: 'string' },
      rotate: { type: 'boolean', default: false },
      'slack-bot-token': { type: 'string' },
      'slack-signing-secret': { type: 'string' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  // The stack's region, said explicitly: a profile's default region could be another one.
  const regionName = values.region ?? awsEnvironment(process.env).region;
  if (!regionName) {
    throw new SetupError(
      'the region of the stack is required: --region <region> (as deployed) or AWS_REGION.',
    );
  }
  const region = { region: regionName };
  const stackName = values.stack ?? readSetting(process.env, 'COSTBOT_STACK');
  const cfn = new CloudFormationClient(region);
  const stack = (await cfn.send(new DescribeStacksCommand({ StackName: stackName }))).Stacks?.[0];
  const outputs = Object.fromEntries(
    (stack?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]),
  );
  const target = targetFromOutputs(outputs);

  const fromEnv = slackSecretsFromEnv(process.env);
  let slackBotToken = values['slack-bot-token'] ?? fromEnv.botToken;
  let slackSigningSecret = values['slack-signing-secret'] ?? fromEnv.signingSecret;
  if (process.stdin.isTTY) {
    slackBotToken ??=
      (await promptHidden('Slack bot token (xoxb-…, Enter to keep the stored one): ')) || undefined;
    slackSigningSecret ??=
      (await promptHidden('Slack signing secret (Enter to keep the stored one): ')) || undefined;
  }

  await runSetup(
    { iam: new IAMClient(region), ssm: new SSMClient(region) },
    target,
    {
      rotate: values.rotate,
      ...(slackBotToken ? { slackBotToken } : {}),
      ...(slackSigningSecret ? { slackSigningSecret } : {}),
    },
    (line) => process.stdout.write(`${line}\n`),
  );
  process.stdout.write(
    `Done. Stack ${stackName}: set the Slack request URL to its BotUrl output.\n`,
  );
}

main().catch((error: unknown) => {
  const e = error as Error;
  // SDK errors name the action and resource (AccessDenied …); never print values we hold.
  process.stderr.write(`setup failed: ${e.name}: ${e.message}\n`);
  if (!(e instanceof SetupError)) process.stderr.write(`${USAGE}\n`);
  // A refusal (no region, a token of the wrong shape) is the person's to fix: status 2, as every
  // costbot command exits for a bad setting (local/cli.ts).
  process.exitCode = e instanceof SetupError ? 2 : 1;
});
