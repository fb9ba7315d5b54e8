/**
 * Slack faults in full local runs, with the real WebClient (token from the parameter file)
 * against a fake Slack on 127.0.0.1: rate limits are waited out by the state machine and the
 * report is posted once; refusals that make posting impossible (`channel_not_found`,
 * `not_in_channel`, `invalid_auth`) end in a failed execution naming the cause and a
 * structured error log line, never a silent success and never two posts.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { RETRY } from '../../infra/state-machine/definition.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import { definitionFor, runReport } from '../../local/report.ts';
import {
  assertOutcome,
  CHANNEL,
  captureLogs,
  digest,
  entered,
  type Rig,
  retries,
  startRig,
  texts,
} from './support.ts';

describe('Faults: Slack', () => {
  let rig: Rig;

  before(async () => {
    rig = await startRig();
  });

  after(async () => {
    await rig?.stop();
  });

  beforeEach(() => {
    rig.slack.reset();
    rig.slack.validToken = rig.parameters[rig.config.parameterNames.slackBotToken] ?? '';
  });

  describe('rate limits', () => {
    it('HTTP 429 with Retry-After: Post retries after the deployed interval, never shorter than Slack asked, and posts once', async () => {
      // Prepare
      rig.slack.refuse = (method, n) =>
        method === 'chat.postMessage' && n === 1
          ? {
              status: 429,
              headers: { 'retry-after': '2' },
              body: { ok: false, error: 'ratelimited' },
            }
          : undefined;

      // Act: no real wait; the interval the deployed definition waits is asserted below.
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assertOutcome(result, rig.slack);
      assert.deepEqual(retries(result.events, STATES.post), [
        { error: 'SlackRateLimitedError', attempt: 1 },
      ]);
      const posts = rig.slack.calls.filter((c) => c.method === 'chat.postMessage');
      assert.equal(posts.length, 2);
      const retry = (
        definitionFor(rig.backend).States[STATES.post] as {
          Retry?: { ErrorEquals: string[]; IntervalSeconds?: number }[];
        }
      ).Retry?.find((r) => r.ErrorEquals.includes('SlackRateLimitedError'));
      const waited = (retry?.IntervalSeconds ?? 0) * 1000;
      assert.ok(waited >= 2000, `waits ${waited} ms, at least the 2 s Slack asked for`);
      assert.equal(rig.slack.messages[0]?.params.channel, CHANNEL);
    });

    it('retries Slack with waits of 5, 10, 20 s and no jitter, so none is shorter than Slack usually asks', () => {
      // Act
      const post = definitionFor(rig.backend).States[STATES.post] as {
        Retry?: {
          ErrorEquals: string[];
          IntervalSeconds?: number;
          BackoffRate?: number;
          JitterStrategy?: string;
        }[];
      };
      const slack = post.Retry?.find((r) => r.ErrorEquals.includes('SlackRateLimitedError'));

      // Assess
      assert.equal(slack?.IntervalSeconds, RETRY.slack.interval);
      assert.equal(slack?.IntervalSeconds, 5);
      assert.equal(slack?.BackoffRate, 2);
      assert.equal(slack?.JitterStrategy, undefined);
    });

    it('"ratelimited" in a 200 answer is retried too, and the report is posted once', async () => {
      // Prepare
      rig.slack.refuse = (method, n) =>
        method === 'chat.postMessage' && n <= 2 ? { error: 'ratelimited' } : undefined;

      // Act
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.equal(retries(result.events, STATES.post).length, 2);
      assertOutcome(result, rig.slack);
    });

    it("a command's response_url answering 429 is retried, and the reply goes out once", async () => {
      // Prepare
      const responseUrl = rig.slack.responseUrl('cmd-1');
      rig.slack.refuse = (method, n) =>
        method === 'response_url' && n === 1
          ? { status: 429, headers: { 'retry-after': '1' }, body: '' }
          : undefined;

      // Act
      const result = await runReport(
        rig.backend,
        digest({ kind: 'command', requestId: 'command-20261122-0900-fault-ru', responseUrl }),
        { retryIntervalMs: 0 },
      );

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.deepEqual(retries(result.events, STATES.post), [
        { error: 'SlackRateLimitedError', attempt: 1 },
      ]);
      assertOutcome(result, rig.slack);
      assert.equal(rig.slack.messages[0]?.method, 'response_url');
    });

    it('rate-limited for good: the report and the notice each exhaust their retries, and the execution fails', async () => {
      // Prepare
      rig.slack.refuse = (method) =>
        method === 'chat.postMessage' ? { error: 'ratelimited' } : undefined;

      // Act
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'FAILED');
      assert.equal(result.error, 'SlackRateLimitedError');
      assert.equal(retries(result.events, STATES.post).length, 4);
      assert.equal(retries(result.events, STATES.failure).length, 4);
      assertOutcome(result, rig.slack);
      assert.equal(rig.slack.messages.length, 0);
    });
  });

  describe('refusals that make posting impossible', () => {
    for (const code of ['channel_not_found', 'not_in_channel', 'invalid_auth']) {
      it(`${code}: the execution fails naming it, with a structured error log line`, async () => {
        // Prepare
        if (code === 'invalid_auth') rig.slack.validToken = 'xoxb-a-token-slack-knows';
        else
          rig.slack.refuse = (method) =>
            method === 'chat.postMessage' ? { error: code } : undefined;
        const request = digest();

        // Act
        const { value: result, logs } = await captureLogs(() =>
          runReport(rig.backend, request, { retryIntervalMs: 0 }),
        );

        // Assess
        assert.equal(result.status, 'FAILED');
        assert.equal(result.error, 'SlackApiError');
        assert.match(result.cause ?? '', new RegExp(`Slack chat\\.postMessage failed: ${code}\\.`));
        assertOutcome(result, rig.slack);
        assert.equal(rig.slack.messages.length, 0, 'nothing reached the channel');
        assert.equal(
          rig.slack.calls.filter((c) => c.method === 'chat.postMessage').length,
          2,
          'the report, then the failure notice; neither retried',
        );
        assert.deepEqual(retries(result.events, STATES.post), []);
        assert.deepEqual(entered(result.events).slice(-2), [STATES.post, STATES.failure]);
        const errors = logs.filter((l) => l.level === 'error' && l.requestId === request.requestId);
        const failed = errors.find((l) => l.message === 'report failed');
        assert.ok(
          failed,
          `a "report failed" line for ${request.requestId} in ${JSON.stringify(logs)}`,
        );
        assert.equal(failed.step, 'post');
        assert.equal(failed.error, 'SlackApiError');
        // The notice could not be delivered either: that line names Slack's code.
        const undelivered = errors.filter((l) => l.message === 'delivery failed');
        assert.equal(undelivered.length, 2, 'the report, then the failure notice');
        assert.ok(undelivered.every((l) => l.code === code && l.channel === request.channel));
      });
    }

    it('a failure notice that cannot be posted does not hide the first error in the history', async () => {
      // Prepare
      rig.slack.refuse = (method) =>
        method === 'chat.postMessage' ? { error: 'channel_not_found' } : undefined;

      // Act
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: 0 });

      // Assess
      const failed = result.events.filter((e) => e.type === 'StateFailed').map((e) => e.state.name);
      assert.deepEqual(failed, [STATES.post, STATES.failure]);
      assert.ok(texts(rig.slack).length === 0);
    });
  });
});
