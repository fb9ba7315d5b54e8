/**
 * Under load the bot still acks: 50 `/aws-cost` commands sent at once through the local
 * console's real HTTP path (console → signed command → Bolt's receiver → ack → in-process
 * report → response_url) give 50 reports, each delivered once, and no `operation_timeout`
 * notice; commands sent while those reports render are acked too. The ack latencies are printed, not asserted (the machine is shared); the console's
 * own 3 s limit is what turns a late ack into a failure here.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ackUnderConsoleLoad, formatConsoleLoad } from '../../bench/ack-console.ts';

const COMMANDS = 50;
/** Sent one by one while the burst's reports render. */
const WHILE_RENDERING = 5;

describe('npm start under a burst of commands', () => {
  it(`acks ${COMMANDS} commands sent at once, then delivers ${COMMANDS} reports once each`, {
    timeout: 300_000,
  }, async () => {
    // Act
    const load = await ackUnderConsoleLoad({
      commands: COMMANDS,
      whileRendering: WHILE_RENDERING,
    });
    const total = COMMANDS + WHILE_RENDERING;

    // Assess
    process.stdout.write(`# ${formatConsoleLoad(load)}\n`);
    assert.equal(load.failureNotices, 0, 'no operation_timeout or other notice from the console');
    assert.equal(load.acked, total, 'every command acked within 3 s');
    assert.equal(load.reports.length, total, 'one report per command');
    assert.equal(new Set(load.reports).size, total, 'no report delivered twice');
  });
});
