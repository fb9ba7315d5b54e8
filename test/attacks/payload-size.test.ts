/**
 * Request sizes are bounded where they enter, so no state nears Step Functions' 256 KB: the
 * largest request the bounds allow (the most accounts, each with a full month of points) is run
 * through the state machine on the local backend, and every state's input and output measured.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../common/config.ts';
import { MAX_ACCOUNTS } from '../../common/contract-schema.ts';
import { type Backend, localBackend } from '../../local/backend.ts';
import { demoAccountIds } from '../../local/demo-metrics.ts';
import { runReport } from '../../local/report.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../faults/slack-api.ts';
import { CHANNEL, digest, FROZEN_NOW } from '../faults/support.ts';
import { PAYLOAD_CASE } from './cases.ts';

/** Step Functions' payload limit, in bytes of UTF-8 JSON. */
const LIMIT = 256 * 1024;

describe('Attacks: the largest request the bounds allow', () => {
  let dir: string;
  let slack: FakeSlackApi;
  let backend: Backend;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-payload-'));
    slack = await startFakeSlackApi('');
    const config = loadConfig({
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_DIGEST_CHANNEL: CHANNEL,
      SLACK_API_URL: slack.apiUrl,
      COSTBOT_TOP_N: '20',
      LOG_LEVEL: 'error',
    });
    backend = await localBackend(config, {
      now: () => new Date(FROZEN_NOW),
      demoAccounts: MAX_ACCOUNTS,
    });
    const parameters = JSON.parse(await readFile(join(dir, 'parameters.json'), 'utf8')) as Record<
      string,
      string
    >;
    slack.validToken = parameters[config.parameterNames.slackBotToken] ?? '';
  });

  after(async () => {
    await backend?.stop();
    await slack?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it(`${PAYLOAD_CASE.tried}: ${PAYLOAD_CASE.expected}`, async () => {
    // Prepare
    const request = { ...digest(), period: '30d' as const, accounts: demoAccountIds(MAX_ACCOUNTS) };

    // Act
    const result = await runReport(backend, request, { retryIntervalMs: 10 });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    const sizes = result.events.flatMap((event) => {
      const fields = event as unknown as Record<string, unknown>;
      return ['input', 'output'].flatMap((field) =>
        field in fields ? [Buffer.byteLength(JSON.stringify(fields[field]))] : [],
      );
    });
    const largest = Math.max(...sizes);
    assert.ok(sizes.length > 10, 'states measured');
    assert.ok(largest < LIMIT / 2, `largest state ${largest} bytes`);
    assert.equal(slack.messages.length, 1);
  });
});
