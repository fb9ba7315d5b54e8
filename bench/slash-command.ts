/**
 * `/aws-cost` requests for the ack benchmarks, built by the local Slack console's own
 * `slashCommandBody` (field for field as Slack sends them), each with its own trigger id.
 */
import { slashCommandBody, type Workspace } from '../local/console/protocol.ts';

export const BENCH_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';

/** What people type most: the default report, periods, a service, accounts, a metric chart. */
export const COMMAND_TEXTS = [
  '',
  '7d',
  'service AmazonEC2 30d',
  'account 123456789012 7d',
  'chart AWS/Lambda Duration FunctionName=api 7d p99',
] as const;

const WORKSPACE: Workspace = {
  teamId: 'T0BENCH01',
  teamDomain: 'bench',
  userId: 'U0BENCH01',
  userName: 'bench',
  appId: 'A0BENCH01',
  botUserId: 'U0BENCHBOT',
  botId: 'B0BENCHBOT',
  verificationToken: 'bench-verification-token',
};

/** The form body Slack posts for command `n` (texts in turn, trigger id unique per `n`). */
export function benchCommandBody(n: number): string {
  return slashCommandBody(WORKSPACE, {
    command: '/aws-cost',
    text: COMMAND_TEXTS[n % COMMAND_TEXTS.length] as string,
    channel: { id: 'C0BENCH01', name: 'costs' },
    responseUrl: 'http://127.0.0.1:9/commands/T0BENCH01/1/bench',
    triggerId: `${1_000_000 + n}.1.bench${n.toString(16)}`,
  });
}

/** The same command as the fields Bolt hands a listener (`command`). */
export function benchCommand(n: number): Record<string, string> {
  return Object.fromEntries(new URLSearchParams(benchCommandBody(n)));
}
