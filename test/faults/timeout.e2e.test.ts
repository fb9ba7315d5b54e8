/**
 * A step that never answers: the Task's TimeoutSeconds ends it with `States.Timeout`, which is
 * not retried (a hung call would hang again), caught, explained in the channel, and the
 * execution fails naming it.
 *
 * aws-local-stepfunctions enforces a Task's `TimeoutSeconds` but has no override for it (only
 * for Wait states and retry intervals), so the test runs the synthesized definition with
 * Fetch's 60 s shortened to 1 s; everything else is the definition as deployed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { AslDefinition } from '../../infra/state-machine/asl.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import { definitionFor } from '../../local/report.ts';
import { runExecution } from '../../local/runner.ts';
import { assertOutcome, digest, entered, type Rig, retries, startRig, texts } from './support.ts';

/** The deployed definition with one Task's timeout changed. */
function withTimeout(rig: Rig, state: string, seconds: number): AslDefinition {
  const definition = structuredClone(definitionFor(rig.backend));
  const task = definition.States[state];
  assert.ok(task, `no state ${state}`);
  task.TimeoutSeconds = seconds;
  return definition;
}

describe('Faults: a step that never answers', () => {
  let rig: Rig;

  before(async () => {
    rig = await startRig();
  });

  after(async () => {
    await rig?.stop();
  });

  it('deploys Fetch with a 60 s task timeout', () => {
    // Act
    const fetch = definitionFor(rig.backend).States[STATES.fetch];

    // Assess
    assert.equal(fetch?.TimeoutSeconds, 60);
  });

  it('times out with States.Timeout, tells the channel once, and fails the execution', async () => {
    // Prepare
    const definition = withTimeout(rig, STATES.fetch, 1);
    let calls = 0;
    const handlers = {
      ...rig.backend.handlers,
      fetch: () => {
        calls += 1;
        return new Promise<never>(() => {});
      },
    };
    const started = performance.now();

    // Act
    const result = await runExecution(
      definition,
      { request: digest() },
      { handlers, retryIntervalMs: 0 },
    );
    const elapsed = performance.now() - started;

    // Assess
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'States.Timeout');
    assert.ok(elapsed >= 1000, `waited the task timeout (${Math.round(elapsed)} ms)`);
    assert.equal(calls, 1, 'a timeout is not retried');
    assert.deepEqual(retries(result.events, STATES.fetch), []);
    assert.deepEqual(entered(result.events), [
      STATES.route,
      STATES.fetch,
      STATES.failure,
      STATES.reportDelivered,
      STATES.failed,
    ]);
    assertOutcome(result, rig.slack);
    assert.equal(rig.slack.messages.length, 1);
    const [text] = texts(rig.slack);
    assert.match(text ?? '', /could not be produced \(States\.Timeout\)/);
    assert.match(
      text ?? '',
      /A step took longer than its timeout; it is safe to run the command again\./,
    );
  });
});
