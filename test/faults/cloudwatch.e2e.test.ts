/**
 * CloudWatch faults in full local runs: throttling and 5xx are retried by the state machine
 * (the history shows each retry), then the report is posted once; when they never stop, the
 * channel is told and the execution fails.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  type CloudWatchClient,
  GetMetricDataCommand,
  ListMetricsCommand,
} from '@aws-sdk/client-cloudwatch';
import { createLogger } from '../../common/log.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import type { Backend } from '../../local/backend.ts';
import { DemoMetrics } from '../../local/demo-metrics.ts';
import { runReport } from '../../local/report.ts';
import { createFetchHandler } from '../../workflows/steps/fetch/handler.ts';
import { cloudWatchMetricsApi } from '../../workflows/steps/fetch/metrics-api.ts';
import { sdkError } from '../doctor/support.ts';
import {
  assertOutcome,
  digest,
  entered,
  FROZEN_NOW,
  type Rig,
  retries,
  startRig,
  texts,
} from './support.ts';

/**
 * A CloudWatch client answering from the demo metrics through the real SDK adapter
 * (`cloudWatchMetricsApi`), except that GetMetricData calls for which `fail` returns an error
 * throw it, as the SDK throws.
 */
function flakyCloudWatch(fail: (call: number) => Error | undefined) {
  const demo = new DemoMetrics({ now: () => new Date(FROZEN_NOW) });
  const state = { calls: 0 };
  const client = {
    send: async (command: unknown) => {
      if (command instanceof ListMetricsCommand) return demo.listMetrics(command.input);
      if (command instanceof GetMetricDataCommand) {
        state.calls += 1;
        const error = fail(state.calls);
        if (error) throw error;
        return demo.getMetricData(command.input);
      }
      throw new Error('unexpected command');
    },
  } as unknown as Pick<CloudWatchClient, 'send'>;
  return { api: cloudWatchMetricsApi(client), demo, state };
}

function withCloudWatch(backend: Backend, cw: ReturnType<typeof flakyCloudWatch>): Backend {
  return {
    ...backend,
    handlers: {
      ...backend.handlers,
      fetch: createFetchHandler({
        clients: { billing: cw.api, metrics: cw.demo },
        log: createLogger({ step: 'fetch' }, { level: 'error' }),
        now: () => new Date(FROZEN_NOW),
      }),
    },
  };
}

const throttled = () => sdkError('Throttling', 'Rate exceeded', 400);
const unavailable = () => sdkError('ServiceUnavailable', 'Service Unavailable', 503);

describe('Faults: CloudWatch', () => {
  let rig: Rig;

  before(async () => {
    rig = await startRig();
  });

  after(async () => {
    await rig?.stop();
  });

  beforeEach(() => {
    rig.slack.reset();
  });

  it('throttled twice: Fetch is retried twice, then the report is posted once', async () => {
    // Prepare
    const cw = flakyCloudWatch((call) => (call <= 2 ? throttled() : undefined));

    // Act
    const result = await runReport(withCloudWatch(rig.backend, cw), digest(), {
      retryIntervalMs: 0,
    });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.deepEqual(retries(result.events, STATES.fetch), [
      { error: 'AwsThrottledError', attempt: 1 },
      { error: 'AwsThrottledError', attempt: 2 },
    ]);
    assert.equal(cw.state.calls, 3);
    assertOutcome(result, rig.slack);
  });

  it('a 5xx once: Fetch is retried, then the report is posted once', async () => {
    // Prepare
    const cw = flakyCloudWatch((call) => (call === 1 ? unavailable() : undefined));

    // Act
    const result = await runReport(withCloudWatch(rig.backend, cw), digest(), {
      retryIntervalMs: 0,
    });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.deepEqual(retries(result.events, STATES.fetch), [
      { error: 'AwsUnavailableError', attempt: 1 },
    ]);
    assertOutcome(result, rig.slack);
  });

  it('throttled on every attempt: 4 retries (MaxAttempts counts retries), then the channel is told and the execution fails', async () => {
    // Prepare
    const cw = flakyCloudWatch(() => throttled());

    // Act
    const result = await runReport(withCloudWatch(rig.backend, cw), digest(), {
      retryIntervalMs: 0,
    });

    // Assess
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'AwsThrottledError');
    assert.equal(cw.state.calls, 5, 'the first attempt and 4 retries');
    assert.equal(retries(result.events, STATES.fetch).length, 4);
    assert.deepEqual(entered(result.events).slice(-3), [
      STATES.failure,
      STATES.reportDelivered,
      STATES.failed,
    ]);
    assertOutcome(result, rig.slack);
    assert.equal(rig.slack.messages.length, 1);
    const [text] = texts(rig.slack);
    assert.match(text ?? '', /could not be produced \(AwsThrottledError\)/);
    assert.match(text ?? '', /CloudWatch GetMetricData was throttled/);
    assert.match(text ?? '', /AWS kept throttling after the retries; try again in a minute\./);
  });
});
