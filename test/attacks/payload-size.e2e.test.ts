/**
 * Request sizes are bounded where they enter, so no state nears Step Functions' 256 KB: the
 * largest request the bounds allow (the most accounts, each with a full month of points) is run
 * through the state machine on the local backend, and every state's input and output measured.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MAX_ACCOUNTS } from '../../common/contract-schema.ts';
import { demoAccountIds } from '../../local/demo-metrics.ts';
import { runReport } from '../../local/report.ts';
import { type BackendRig, startBackendRig } from '../faults/backend-rig.ts';
import { digest } from '../faults/support.ts';
import { PAYLOAD_CASE } from './cases.ts';

/** Step Functions' payload limit, in bytes of UTF-8 JSON. */
const LIMIT = 256 * 1024;

describe('Attacks: the largest request the bounds allow', () => {
  let rig: BackendRig;

  before(async () => {
    rig = await startBackendRig({
      env: { COSTBOT_TOP_N: '20' },
      backend: { demoAccounts: MAX_ACCOUNTS },
    });
  });

  after(async () => {
    await rig?.stop();
  });

  it(`${PAYLOAD_CASE.tried}: ${PAYLOAD_CASE.expected}`, async () => {
    // Prepare
    const request = { ...digest(), period: '30d' as const, accounts: demoAccountIds(MAX_ACCOUNTS) };

    // Act
    const result = await runReport(rig.backend, request, { retryIntervalMs: 10 });

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
    assert.equal(rig.slack.messages.length, 1);
  });
});
