/**
 * Delivery under a flaky Slack, in full local runs (the generated definition, every real step
 * handler, s3rver, the delivery records): the endpoint fails its first call one way, then
 * behaves. The report is retried as a named outage and posted exactly once, with no failure
 * notice. Then duplicates: one scheduled digest executed twice posts once, and a failure after
 * the report reached Slack posts no notice. Retry waits are shortened (`retryIntervalMs`); the
 * deployed intervals are asserted on the definition by the delivery tests.
 */
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { ReportRequest } from '../../common/contract.ts';
import { loadDefinition } from '../../infra/state-machine/asl.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import type { Backend } from '../../local/backend.ts';
import { runReport } from '../../local/report.ts';
import { runExecution, type StepHandlers } from '../../local/runner.ts';
import {
  DUPLICATE_CASES,
  FAULT_CASES,
  NOTICE_FAULT_CASES,
  THROTTLED_STEPS,
} from '../attacks/cases.ts';
import { type BackendRig, startBackendRig } from './backend-rig.ts';
import { type FlakyProxy, startFlakyProxy } from './flaky-proxy.ts';
import type { FakeSlackApi } from './slack-api.ts';
import { AS_OF, assertOutcome, CHANNEL, digest, entered, retries, texts } from './support.ts';

/** Each Slack call's timeout here: a hang ends well within a test, as 10 s does within the task. */
const SLACK_TIMEOUT_MS = 400;

describe('Faults: a Slack endpoint that fails once', () => {
  let rig: BackendRig;
  let proxy: FlakyProxy;
  let slack: FakeSlackApi;
  let backend: Backend;

  before(async () => {
    rig = await startBackendRig({
      backend: { slackTimeoutMs: SLACK_TIMEOUT_MS },
      apiUrl: async (fake) => {
        proxy = await startFlakyProxy(fake.apiUrl.replace(/\/api\/$/, ''));
        return `${proxy.url}/api/`;
      },
    });
    ({ slack, backend } = rig);
  });

  after(async () => {
    await rig?.stop();
    await proxy?.close();
  });

  beforeEach(() => {
    slack.reset();
    proxy.failed.length = 0;
  });

  let sequence = 0;
  function commandRequest(): ReportRequest {
    sequence += 1;
    return {
      kind: 'command',
      requestId: `cmd-flaky-${String(sequence).padStart(4, '0')}`,
      channel: CHANNEL,
      responseUrl: `${proxy.url}/response/flaky-${sequence}`,
      userId: 'U0ALICE01',
      period: 'mtd',
      asOf: AS_OF,
    };
  }

  for (const c of FAULT_CASES) {
    it(`${c.label}: retried as SlackUnavailableError, posted once, no failure notice`, async () => {
      // Prepare
      const request = c.endpoint === 'response_url' ? commandRequest() : digest();
      proxy.failOnce(
        c.endpoint === 'response_url' ? '/response/' : '/api/chat.postMessage',
        c.failure,
      );

      // Act
      const result = await runReport(backend, request, { retryIntervalMs: 10 });

      // Assess
      assert.equal(proxy.failed.length, 1, 'the endpoint failed once');
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assertOutcome(result, slack);
      assert.equal(slack.messages.length, 1, 'posted exactly once');
      assert.equal(slack.messages[0]?.method, c.endpoint);
      assert.deepEqual(
        retries(result.events, STATES.post).map((r) => r.error),
        ['SlackUnavailableError'],
      );
      assert.ok(!entered(result.events).includes(STATES.failure), 'no failure notice');
    });
  }

  for (const step of THROTTLED_STEPS) {
    it(`Lambda.TooManyRequestsException once on the ${step} step: retried, posted once`, async () => {
      // Prepare: Lambda refuses the step's first invocation, as it does at its concurrency limit.
      let refused = 0;
      const handler = backend.handlers[step];
      const handlers: StepHandlers = {
        ...backend.handlers,
        [step]: async (input: never) => {
          if (refused === 0) {
            refused += 1;
            throw Object.assign(new Error('Rate exceeded'), {
              name: 'Lambda.TooManyRequestsException',
            });
          }
          return handler(input);
        },
      };

      // Act
      // Sign is on the path only with presigned links.
      const definition = loadDefinition({
        stableLinks: step === 'sign' ? false : backend.stableLinks,
      });
      const result = await runExecution(
        definition,
        { request: digest() },
        { handlers, retryIntervalMs: 10 },
      );

      // Assess
      assert.equal(refused, 1);
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.deepEqual(
        retries(result.events, STATES[step]).map((r) => r.error),
        ['Lambda.TooManyRequestsException'],
      );
      assertOutcome(result, slack);
      assert.equal(slack.messages.length, 1);
    });
  }

  const [sequential, concurrent, afterDelivery] = DUPLICATE_CASES;

  it(`${sequential?.label}: ${sequential?.expected}`, async () => {
    // Prepare
    const request = digest();

    // Act
    const first = await runReport(backend, request, { retryIntervalMs: 10 });
    const second = await runReport(backend, request, { retryIntervalMs: 10 });

    // Assess
    assert.deepEqual([first.status, second.status], ['SUCCEEDED', 'SUCCEEDED']);
    assert.equal(slack.messages.length, 1, 'one post');
    assert.match(texts(slack)[0] ?? '', /^Morning cost digest/);
  });

  it(`${concurrent?.label}: ${concurrent?.expected}`, async () => {
    // Prepare
    const request = digest();

    // Act
    const results = await Promise.all([
      runReport(backend, request, { retryIntervalMs: 50 }),
      runReport(backend, request, { retryIntervalMs: 50 }),
    ]);

    // Assess
    assert.equal(slack.messages.length, 1, `one post: ${texts(slack).join(' | ')}`);
    assert.match(texts(slack)[0] ?? '', /^Morning cost digest/);
    assert.deepEqual(
      results.map((r) => r.status),
      ['SUCCEEDED', 'SUCCEEDED'],
      results.map((r) => `${r.error}: ${r.cause}`).join('\n'),
    );
  });

  it(`${afterDelivery?.label}: ${afterDelivery?.expected}`, async () => {
    // Prepare
    const request = commandRequest();
    const delivered = await runReport(backend, request, { retryIntervalMs: 10 });
    assert.equal(delivered.status, 'SUCCEEDED');

    // Act: the failure path of the same request, as a Catch after Post would run it.
    const out = (await backend.handlers.post({
      request,
      error: { Error: 'States.Timeout', Cause: 'Task timed out' },
    } as never)) as { reportDelivered?: boolean };

    // Assess
    assert.equal(slack.messages.length, 1, 'no failure notice');
    assert.equal(out.reportDelivered, true);
  });
});

describe('Faults: the failure notice meets a Slack that fails once', () => {
  let rig: BackendRig;
  let proxy: FlakyProxy;

  before(async () => {
    rig = await startBackendRig({
      // Presigned links: Sign reads the signer's key on every report.
      env: { COSTBOT_PARAMETER_CACHE_TTL_SECONDS: '0', COSTBOT_STABLE_LINKS: 'false' },
      backend: { slackTimeoutMs: SLACK_TIMEOUT_MS },
      apiUrl: async (fake) => {
        proxy = await startFlakyProxy(fake.apiUrl.replace(/\/api\/$/, ''));
        return `${proxy.url}/api/`;
      },
    });
    // A session key: every report fails at Sign, so the notice is what gets delivered.
    const file = join(rig.dir, 'parameters.json');
    const values = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    values['/costbot/signer/access-key-id'] = 'ASIAIOSFODNN7EXAMPLE';
    await writeFile(file, JSON.stringify(values));
  });

  after(async () => {
    await rig?.stop();
    await proxy?.close();
  });

  for (const c of NOTICE_FAULT_CASES) {
    it(`${c.label}: retried, exactly one failure notice`, async () => {
      // Prepare
      rig.slack.reset();
      proxy.failed.length = 0;
      proxy.failOnce('/api/chat.postMessage', c.failure);

      // Act
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: 10 });

      // Assess
      assert.equal(proxy.failed.length, 1, 'the endpoint failed once');
      assert.equal(result.status, 'FAILED');
      assertOutcome(result, rig.slack);
      assert.equal(rig.slack.messages.length, 1, 'one notice');
      assert.match(texts(rig.slack)[0] ?? '', /could not be produced/);
      assert.deepEqual(
        retries(result.events, STATES.failure).map((r) => r.error),
        ['SlackUnavailableError'],
      );
    });
  }
});
