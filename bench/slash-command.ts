/** `/aws-cost` requests as Slack sends them, each with its own trigger id, for the ack benchmarks. */

export const BENCH_SIGNING_SECRET = 'bench-signing-secret-0123456789abcdef';

/** What people type most: the default report, periods, a service, accounts, a metric chart. */
export const COMMAND_TEXTS = [
  '',
  '7d',
  'service AmazonEC2 30d',
  'account 123456789012 7d',
  'chart AWS/Lambda Duration FunctionName=api 7d p99',
] as const;

/** The fields of a slash command payload (what Bolt hands the listener as `command`). */
export function slashCommand(n: number) {
  return {
    token: 'bench-verification-token',
    team_id: 'T0BENCH01',
    team_domain: 'bench',
    channel_id: 'C0BENCH01',
    channel_name: 'costs',
    user_id: 'U0BENCH01',
    user_name: 'bench',
    command: '/aws-cost',
    text: COMMAND_TEXTS[n % COMMAND_TEXTS.length] as string,
    api_app_id: 'A0BENCH01',
    is_enterprise_install: 'false',
    response_url: 'http://127.0.0.1:9/commands/T0BENCH01/1/bench',
    trigger_id: `${1_000_000 + n}.1.bench${n.toString(16)}`,
  };
}

/** The form body Slack posts for command `n`. */
export function slashCommandBody(n: number): string {
  return new URLSearchParams(Object.entries(slashCommand(n))).toString();
}
