/**
 * The schedule check: the next digest, in its time zone and in UTC.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDoctor } from '../../../doctor/run.ts';
import type { DoctorDeps } from '../../../doctor/types.ts';
import { byId, healthyDeps } from '../support.ts';

/** The schedule check's one result for `schedule`, the rest healthy. */
async function nextDigest(schedule: DoctorDeps['schedule']) {
  return byId(await runDoctor(healthyDeps({ schedule })), 'schedule.next');
}

describe('Check: the schedule', () => {
  it('gives the next run once, in UTC, for a schedule in UTC', async () => {
    // Act
    const result = await nextDigest({ cron: 'cron(30 6 * * ? *)', timeZone: 'UTC' });

    // Assess
    assert.equal(result.status, 'ok');
    assert.equal(
      result.detail,
      'Mon, 23 Nov 2026, 06:30 UTC, in 18 hours: cron(30 6 * * ? *), as deployed (CDK context scheduleCron).',
    );
  });

  it('warns about a schedule that never runs again', async () => {
    // Act
    const result = await nextDigest({ cron: 'cron(0 9 1 1 ? 2020)', timeZone: 'UTC' });

    // Assess
    assert.equal(result.status, 'warn');
    assert.equal(result.detail, 'cron(0 9 1 1 ? 2020) in UTC never runs again.');
    assert.match(result.fix ?? '', /scheduleCron/);
  });

  it('warns "cannot compute" for what EventBridge accepts but the doctor does not compute', async () => {
    // Act
    const result = await nextDigest({ cron: 'cron(0 9 L * ? *)', timeZone: 'UTC' });

    // Assess
    assert.equal(result.status, 'warn');
    assert.match(result.detail, /^Cannot compute: day-of-month: "L"/);
  });

  it('warns when no schedule is configured', async () => {
    // Act
    const result = await nextDigest(undefined);

    // Assess
    assert.equal(result.status, 'warn');
    assert.equal(result.detail, 'No schedule configured.');
  });

  it('gives the next run in its time zone and in UTC', async () => {
    // Act
    const result = byId(await runDoctor(healthyDeps()), 'schedule.next');

    // Assess
    assert.equal(result.status, 'ok');
    assert.equal(
      result.detail,
      'Mon, 23 Nov 2026, 09:00 Europe/Berlin (2026-11-23 08:00 UTC), in 20 hours: cron(0 9 ? * MON-FRI *), as deployed (CDK context scheduleCron).',
    );
  });

  it('fails a bad expression, naming the field', async () => {
    // Act
    const result = byId(
      await runDoctor(
        healthyDeps({ schedule: { cron: 'cron(0 25 ? * MON-FRI *)', timeZone: 'UTC' } }),
      ),
      'schedule.next',
    );

    // Assess
    assert.equal(result.status, 'fail');
    assert.match(result.detail, /hours: "25" is not a value from 0 to 23/);
  });
});
