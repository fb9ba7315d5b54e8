/**
 * The local starter's scheduling under a burst: acks first (no report starts while starts keep
 * coming), then at most `maxRunning` reports at once, in the order started. Its idempotency
 * and shutdown are tested beside the Step Functions starter (test/bot/starter.e2e.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReportRequest } from '../../common/contract.ts';
import { createLogger } from '../../common/log.ts';
import { LocalStarter, type LocalStarterOptions } from '../../local/local-starter.ts';

const log = createLogger({}, { level: 'error', write: () => {} });

function request(n: number): ReportRequest {
  return { kind: 'command', requestId: `cmd-${n}`, channel: 'C0LOCAL', period: '7d' };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A starter whose runs record when they begin and how many overlap, each taking `runMs`. */
function recordingStarter(options: LocalStarterOptions, runMs: number) {
  const began: { id: string; at: number }[] = [];
  let running = 0;
  let mostAtOnce = 0;
  const starter = new LocalStarter(
    async (r) => {
      began.push({ id: r.requestId, at: Date.now() });
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      await sleep(runMs);
      running -= 1;
      return { status: 'SUCCEEDED' };
    },
    log,
    options,
  );
  return { starter, began, mostAtOnce: () => mostAtOnce };
}

describe('Class: LocalStarter under a burst', () => {
  it('runs at most maxRunning reports at once, in the order they were started', async () => {
    // Prepare
    const { starter, began, mostAtOnce } = recordingStarter({ maxRunning: 2, quietMs: 0 }, 20);

    // Act
    for (let n = 0; n < 7; n++) await starter.start(request(n));
    await starter.idle();

    // Assess
    assert.equal(mostAtOnce(), 2);
    assert.deepEqual(
      began.map((b) => b.id),
      [0, 1, 2, 3, 4, 5, 6].map((n) => `cmd-${n}`),
    );
  });

  it('starts no report while starts keep coming, then all of them', async () => {
    // Prepare
    const quietMs = 120;
    const { starter, began } = recordingStarter({ quietMs, maxDeferMs: 10_000 }, 1);

    // Act: a start every 40 ms, closer together than quietMs.
    for (let n = 0; n < 5; n++) {
      await starter.start(request(n));
      await sleep(40);
    }
    const lastStart = Date.now() - 40;
    const beganDuringBurst = began.length;
    await starter.idle();

    // Assess
    assert.equal(beganDuringBurst, 0, 'no report began while commands were arriving');
    assert.equal(began.length, 5);
    assert.ok((began[0]?.at ?? 0) >= lastStart + quietMs - 5, 'the first began after the quiet');
  });

  it('defers a report no longer than maxDeferMs however long starts keep coming', async () => {
    // Prepare
    const { starter, began } = recordingStarter({ quietMs: 1_000, maxDeferMs: 150 }, 1);
    const t0 = Date.now();

    // Act: a start every 30 ms for 600 ms.
    for (let n = 0; n < 20; n++) {
      await starter.start(request(n));
      await sleep(30);
    }
    const beganWhileArriving = began.length;
    await starter.idle();

    // Assess
    assert.ok(beganWhileArriving > 0, 'reports ran while starts were still arriving');
    assert.ok((began[0]?.at ?? 0) - t0 < 600);
  });
});
