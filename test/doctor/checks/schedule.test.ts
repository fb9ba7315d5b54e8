/**
 * The schedule check: the next digest, in its time zone and in UTC.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDoctor } from '../../../doctor/run.ts';
import { byId, healthyDeps } from '../support.ts';

describe('Check: the schedule', () => {
  it('gives the next run in its time zone and in UTC', async () => {
    // Act
    const result = byId(await runDoctor(healthyDeps()), 'schedule.next');

    // Assess
    assert.equal(result.status, 'ok');
    assert.equal(
      result.detail,
      'Mon, 23 Nov 2026, 09:00 Europe/Berlin (2026-11-23 08:00 UTC), in 20 hours: cron(0 9 ? * MON-FRI *).',
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
