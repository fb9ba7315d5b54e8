/**
 * Delivery to Slack is retried, never lost, never doubled: whole local runs (the deployed
 * definition in the local runner, every real handler, s3rver holding charts and delivery
 * records, the real WebClient) against the loopback Slack fake failing once per class of outage,
 * for a channel post (chat.postMessage) and a command's reply (response_url). Each run must
 * deliver exactly one report, no failure notice, with the retry in the execution history.
 * Then the duplicates: a scheduled digest executed twice (in turn, and at once), a Post that
 * fails after Slack answered, a failure notice whose step is retried.
 *
 * The cases are the rows of docs/reliability.md's table (test/attacks/cases.ts).
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type {
  FailureReportedState,
  PostedState,
  ReportRequest,
  ScheduledRunState,
} from '../../common/contract.ts';
import { digestInput } from '../../infra/constructs/digest-schedule.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import { definitionFor, runReport } from '../../local/report.ts';
import { type ExecutionResult, runExecution, type StepHandlers } from '../../local/runner.ts';
import {
  DUPLICATE_CASES,
  FAULT_CASES,
  type FaultCase,
  type FlakyFailure,
} from '../attacks/cases.ts';
import type { Refusal } from './slack-api.ts';
import { assertOutcome, CHANNEL, digest, entered, type Rig, retries, startRig } from './support.ts';

/** Slack calls give up after this long here (deployed: SLACK_TIMEOUT_MS, 10 s). */
const SLACK_TIMEOUT_MS = 300;
/** Retry waits here; deployed they are the definition's (asserted in definition.spec.ts). */
const RETRY_MS = 20;

/** How the loopback Slack fails each of the table's failures. */
const REFUSALS: Record<FlakyFailure, Refusal> = {
  '503': { status: 503, body: 'Service Unavailable' },
  '502 HTML': {
    status: 502,
    headers: { 'content-type': 'text/html' },
    body: '<html><h1>502 Bad Gateway</h1></html>',
  },
  reset: { reset: true },
  hang: { hang: true },
  'slow headers': { hang: true },
  'ok:false internal_error': { error: 'internal_error' },
};

/** Classes beyond the table's: a bare 500, and a 200 whose body is not Slack's. */
const MORE_CASES = (['response_url', 'chat.postMessage'] as const).flatMap((endpoint) => [
  { label: `${endpoint} fails once: 500`, endpoint, refusal: { status: 500, body: { ok: false } } },
  {
    label: `${endpoint} fails once: 200 with a garbled body`,
    endpoint,
    refusal: { status: 200, body: '<html><body>upstream error</body></html>' },
  },
]);

const SLACK_FAILS_ONCE: { label: string; endpoint: FaultCase['endpoint']; refusal: Refusal }[] = [
  ...FAULT_CASES.map((c) => ({ ...c, refusal: REFUSALS[c.failure] })),
  ...MORE_CASES,
];

/** A duplicate case of the table, by its exact label: renaming it there fails here. */
function duplicateCase(label: string): string {
  assert.ok(
    DUPLICATE_CASES.some((c) => c.label === label),
    `test/attacks/cases.ts lists "${label}"`,
  );
  return label;
}

/** The deployed schedule's input, filled in as EventBridge Scheduler fills it for one run. */
function scheduledRun(scheduledAt: string, executionId: string): ScheduledRunState {
  return JSON.parse(
    JSON.stringify(digestInput(CHANNEL))
      .replace('<aws.scheduler.execution-id>', executionId)
      .replace('<aws.scheduler.scheduled-time>', scheduledAt),
  ) as ScheduledRunState;
}

/** Post handlers that lose their answer once (as Lambda would), after delivering. */
function losingAnswerOnce(
  rig: Rig,
  when: (state: object) => boolean,
  error: { name: string; message: string },
): StepHandlers {
  let lost = 0;
  return {
    ...rig.backend.handlers,
    post: async (state: never) => {
      const output = await rig.backend.handlers.post(state);
      if (lost === 0 && when(state)) {
        lost += 1;
        throw Object.assign(new Error(error.message), { name: error.name });
      }
      return output;
    },
  };
}

const postMessages = (rig: Rig) =>
  rig.slack.calls.filter((c) => c.method === 'chat.postMessage').length;

function assertSucceeded(result: ExecutionResult): void {
  assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
}

describe('Faults: delivery to Slack', () => {
  let rig: Rig;
  let ids = 0;

  before(async () => {
    rig = await startRig({}, { slackTimeoutMs: SLACK_TIMEOUT_MS });
  });

  after(async () => {
    await rig?.stop();
  });

  beforeEach(() => {
    rig.slack.reset();
  });

  function request(endpoint: FaultCase['endpoint']): ReportRequest {
    if (endpoint === 'chat.postMessage') return digest();
    ids += 1;
    return digest({
      kind: 'command',
      requestId: `command-20261123-0900-flaky${ids}`,
      responseUrl: rig.slack.responseUrl(`flaky${ids}`),
    });
  }

  describe('Slack fails once: the report is delivered once, after a visible retry', () => {
    for (const { label, endpoint, refusal } of SLACK_FAILS_ONCE) {
      it(label, async () => {
        // Prepare
        rig.slack.refuse = (method, n) => (method === endpoint && n === 1 ? refusal : undefined);

        // Act
        const result = await runReport(rig.backend, request(endpoint), {
          retryIntervalMs: RETRY_MS,
        });

        // Assess
        assertSucceeded(result);
        assertOutcome(result, rig.slack);
        assert.equal(rig.slack.messages.length, 1, 'one report reached Slack');
        assert.equal(rig.slack.messages[0]?.method, endpoint);
        assert.equal(rig.slack.calls.filter((c) => c.method === endpoint).length, 2);
        assert.deepEqual(retries(result.events, STATES.post), [
          { error: 'SlackUnavailableError', attempt: 1 },
        ]);
        assert.ok(!entered(result.events).includes(STATES.failure), 'no failure notice');
      });
    }

    it('down for good: the retries run out and the execution fails, naming SlackUnavailableError', async () => {
      // Prepare
      rig.slack.refuse = (method) => (method === 'chat.postMessage' ? REFUSALS['503'] : undefined);

      // Act
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: RETRY_MS });

      // Assess
      assert.equal(result.status, 'FAILED');
      assert.equal(result.error, 'SlackUnavailableError');
      assert.equal(retries(result.events, STATES.post).length, 3, 'MaxAttempts 3');
      assert.equal(rig.slack.messages.length, 0);
      assertOutcome(result, rig.slack);
    });
  });

  describe('duplicates post once', () => {
    it(duplicateCase('the same scheduled digest executed twice, one after the other'), async () => {
      // Prepare
      const SCHEDULED_AT = '2026-11-23T09:00:00Z';
      const run = (executionId: string) =>
        runExecution(definitionFor(rig.backend), scheduledRun(SCHEDULED_AT, executionId), {
          handlers: rig.backend.handlers,
          retryIntervalMs: RETRY_MS,
        });

      // Act
      const first = await run('a1b2c3d4e5f60718');
      const second = await run('b2c3d4e5f6071829');

      // Assess
      assertSucceeded(first);
      assertSucceeded(second);
      assert.equal(postMessages(rig), 1);
      const [one, two] = [first.output, second.output] as PostedState[];
      assert.equal(one?.request.requestId, 'digest-2026-11-23T090000Z');
      assert.deepEqual(two?.delivery, one?.delivery, 'the second returns the first delivery');
    });

    it(duplicateCase('the same scheduled digest executed twice at once'), async () => {
      // Prepare
      const SCHEDULED_AT = '2026-11-24T09:00:00Z';
      const run = (executionId: string) =>
        runExecution(definitionFor(rig.backend), scheduledRun(SCHEDULED_AT, executionId), {
          handlers: rig.backend.handlers,
          // The second waits for the first's record (DeliveryInProgressError, retried).
          retryIntervalMs: 200,
        });

      // Act
      const results = await Promise.all([run('c3d4e5f60718293a'), run('d4e5f60718293a4b')]);

      // Assess
      for (const result of results) {
        assertSucceeded(result);
        assert.equal((result.output as PostedState).delivery.channel, CHANNEL);
      }
      assert.equal(postMessages(rig), 1);
      assert.equal(rig.slack.messages.length, 1);
    });

    it(duplicateCase('the failure path after the report reached Slack'), async () => {
      // Prepare: the report's Post dies after delivering (a Lambda timeout), not retried.
      const handlers = losingAnswerOnce(rig, (state) => !('error' in state), {
        name: 'Sandbox.Timedout',
        message: 'Task timed out after 25.00 seconds',
      });

      // Act
      const result = await runReport({ ...rig.backend, handlers }, digest(), {
        retryIntervalMs: RETRY_MS,
      });

      // Assess
      assertSucceeded(result);
      assert.deepEqual(entered(result.events).slice(-4), [
        STATES.post,
        STATES.failure,
        STATES.reportDelivered,
        STATES.delivered,
      ]);
      assert.equal(rig.slack.messages.length, 1, 'the report, and no notice');
      assert.match(String(rig.slack.messages[0]?.params.text), /^Morning cost digest/);
      const output = result.output as FailureReportedState;
      assert.equal(output.reportDelivered, true);
      assert.equal(output.error.Error, 'Sandbox.Timedout');
    });

    it('a Post retried after Slack answered (Lambda.ServiceException) does not post again', async () => {
      // Prepare
      const handlers = losingAnswerOnce(rig, () => true, {
        name: 'Lambda.ServiceException',
        message: 'Lambda lost the answer',
      });

      // Act
      const result = await runReport({ ...rig.backend, handlers }, digest(), {
        retryIntervalMs: RETRY_MS,
      });

      // Assess
      assertSucceeded(result);
      assert.deepEqual(retries(result.events, STATES.post), [
        { error: 'Lambda.ServiceException', attempt: 1 },
      ]);
      assert.equal(postMessages(rig), 1);
      assertOutcome(result, rig.slack);
    });

    it('a failure notice whose step is retried (Lambda.TooManyRequestsException) is posted once', async () => {
      // Prepare: the report is refused for good; the notice's Post loses its answer once.
      rig.slack.refuse = (method, n) =>
        method === 'chat.postMessage' && n === 1 ? { error: 'msg_too_long' } : undefined;
      const handlers = losingAnswerOnce(rig, (state) => 'error' in state, {
        name: 'Lambda.TooManyRequestsException',
        message: 'Rate exceeded',
      });

      // Act
      const result = await runReport({ ...rig.backend, handlers }, digest(), {
        retryIntervalMs: RETRY_MS,
      });

      // Assess
      assert.equal(result.status, 'FAILED');
      assert.equal(result.error, 'SlackApiError');
      assert.deepEqual(retries(result.events, STATES.failure), [
        { error: 'Lambda.TooManyRequestsException', attempt: 1 },
      ]);
      assert.equal(rig.slack.messages.length, 1, 'one notice');
      assertOutcome(result, rig.slack);
    });
  });
});
