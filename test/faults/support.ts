/**
 * A rig for full local runs with faults injected: the synthesized state machine run
 * in-process, every step's real handler on the local backend (parameter file, embedded S3,
 * demo metrics), and Slack's Web API and response_urls served by a fake on 127.0.0.1, reached
 * through the real `WebClient` with the bot token from the parameter file. A test breaks one
 * client, runs a report, and asserts the outcome against the rules every fault must obey.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type CostbotConfig, loadConfig } from '../../common/config.ts';
import type { ReportRequest } from '../../common/contract.ts';
import { type Backend, type BackendOptions, localBackend } from '../../local/backend.ts';
import type { EventLog, ExecutionResult } from '../../local/runner.ts';
import { type FakeSlackApi, postedText, type SlackCall, startFakeSlackApi } from './slack-api.ts';

export const CHANNEL = 'C0COSTS01';
export const AS_OF = '2026-11-22T09:00:00Z';
/** The backend's clock: now, to the second, so s3rver accepts the links it signs. */
export const FROZEN_NOW = new Date(Math.floor(Date.now() / 1000) * 1000);

export interface Rig {
  dir: string;
  config: CostbotConfig;
  backend: Backend;
  slack: FakeSlackApi;
  /** The parameter file's values (the fake Slack accepts its bot token). */
  parameters: Record<string, string>;
  parameterFile: string;
  stop(): Promise<void>;
}

export async function startRig(
  env: Record<string, string> = {},
  options: BackendOptions = {},
  /** The Web API base URL the backend posts to, given the fake Slack; default the fake itself. */
  apiUrl?: (slack: FakeSlackApi) => Promise<string>,
): Promise<Rig> {
  const dir = await mkdtemp(join(tmpdir(), 'costbot-faults-'));
  const slack = await startFakeSlackApi('');
  const config = loadConfig({
    COSTBOT_LOCAL_DIR: dir,
    COSTBOT_LOCAL_S3_PORT: '0',
    COSTBOT_LOCAL_LINKS_PORT: '0',
    COSTBOT_DIGEST_CHANNEL: CHANNEL,
    SLACK_API_URL: apiUrl ? await apiUrl(slack) : slack.apiUrl,
    LOG_LEVEL: 'info',
    ...env,
  });
  const backend = await localBackend(config, { now: () => new Date(FROZEN_NOW), ...options });
  const parameterFile = join(dir, 'parameters.json');
  const parameters = JSON.parse(await readFile(parameterFile, 'utf8')) as Record<string, string>;
  slack.validToken = parameters[config.parameterNames.slackBotToken] ?? '';
  return {
    dir,
    config,
    backend,
    slack,
    parameters,
    parameterFile,
    stop: async () => {
      await backend.stop();
      await slack.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Rewrites the parameter file (the local SSM) with these changes; null removes a name. */
export async function editParameters(
  rig: Rig,
  changes: Record<string, string | null>,
): Promise<void> {
  const values: Record<string, string> = { ...rig.parameters };
  for (const [name, value] of Object.entries(changes)) {
    if (value === null) delete values[name];
    else values[name] = value;
  }
  await writeFile(rig.parameterFile, JSON.stringify(values, null, 2));
}

let sequence = 0;
export function digest(overrides: Partial<ReportRequest> = {}): ReportRequest {
  sequence += 1;
  return {
    kind: 'digest',
    requestId: `digest-20261122-0900-fault${String(sequence).padStart(2, '0')}`,
    channel: CHANNEL,
    period: 'mtd',
    asOf: AS_OF,
    ...overrides,
  };
}

/** Names of the states entered, in order. */
export function entered(events: EventLog[]): string[] {
  return events.flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));
}

/** The retries of a state, as the execution history shows them: the error, then the retry. */
export function retries(events: EventLog[], state: string): { error: string; attempt: number }[] {
  const out: { error: string; attempt: number }[] = [];
  let lastError = '';
  for (const e of events) {
    if (e.type === 'StateFailed' && e.state.name === state) lastError = e.Error;
    if (e.type === 'StateRetried' && e.state.name === state) {
      out.push({ error: lastError, attempt: e.retry.attempt });
    }
  }
  return out;
}

/** Messages Slack accepted (chat.postMessage and response_url). */
export function texts(slack: FakeSlackApi): string[] {
  return slack.messages.map(postedText);
}

/**
 * The rules every faulted run obeys: never two posts; a success posted exactly one report; a
 * failure is named, and whatever was posted is the failure notice.
 */
export function assertOutcome(result: ExecutionResult, slack: FakeSlackApi): void {
  const posted = slack.messages;
  assert.ok(posted.length <= 1, `${posted.length} messages posted: never two`);
  if (result.status === 'SUCCEEDED') {
    assert.equal(posted.length, 1, 'a success posts the report');
    assert.match(postedText(posted[0] as SlackCall), /^(Morning cost digest|AWS cost) · /);
    assert.ok(!entered(result.events).includes('ReportFailure'), 'no failure notice on success');
  } else {
    assert.ok(result.error && result.error !== 'Error', `the failure is named: ${result.error}`);
    for (const call of posted) assert.match(postedText(call), /could not be produced/);
  }
}

/** Runs `act` with stderr captured (the structured logs), and gives the JSON lines written. */
export async function captureLogs<T>(
  act: () => Promise<T>,
): Promise<{ value: T; logs: Record<string, unknown>[] }> {
  const lines: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  process.stderr.write = ((chunk: string | Uint8Array) => {
    lines.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
    return true;
  }) as typeof process.stderr.write;
  try {
    const value = await act();
    const logs = lines
      .join('')
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    return { value, logs };
  } finally {
    process.stderr.write = write;
  }
}
