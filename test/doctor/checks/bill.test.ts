/**
 * The bill check: the month's expected cost of the configured digest schedule at list prices.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AwsAccessDeniedError } from '../../../common/errors.ts';
import { reportCost, tinyUsd } from '../../../common/report-cost.ts';
import type { Subscription } from '../../../common/subscription.ts';
import { runsWithin, TYPICAL_DIGEST } from '../../../doctor/checks/bill.ts';
import { runDoctor } from '../../../doctor/run.ts';
import type { DoctorDeps } from '../../../doctor/types.ts';
import { byId, healthyDeps } from '../support.ts';

async function bill(schedule: DoctorDeps['schedule']) {
  return byId(await runDoctor(healthyDeps({ schedule }), { only: ['bill'] }), 'bill.month');
}

describe('Check: the bot’s own bill', () => {
  it('prices the digests of the schedule over the next 30 days', async () => {
    // Act
    const daily = await bill({ cron: 'cron(0 9 * * ? *)', timeZone: 'Europe/Paris' });
    const weekdays = await bill({ cron: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Paris' });

    // Assess: about $0.0005 a digest (31 metrics, the path's transitions, Lambda at the bench's
    // figure, X-Ray, the state machine's log), as common/report-cost.ts prices it.
    const digest = reportCost(TYPICAL_DIGEST).dollars.total;
    const command = reportCost({ ...TYPICAL_DIGEST, scheduled: false }).dollars.total;
    const reused = reportCost({ listMetrics: 0, getMetricData: 0, metrics: 0 }).dollars.total;
    assert.ok(digest > 0.0004 && digest < 0.001, `a digest costs ${digest}`);
    assert.ok(command < digest, 'a command is not named as a scheduled run');
    assert.equal(daily.status, 'ok');
    assert.ok(
      daily.detail.startsWith(
        `About ${tinyUsd(30 * digest)} a month at list prices for 30 digests in the next 30 days (cron(0 9 * * ? *) in Europe/Paris), ${tinyUsd(digest)} each`,
      ),
      daily.detail,
    );
    assert.ok(weekdays.detail.startsWith(`About ${tinyUsd(22 * digest)} a month`), weekdays.detail);
    assert.match(weekdays.detail, / for 22 digests/);
    assert.ok(
      daily.detail.includes(
        `Each /aws-cost adds about ${tinyUsd(command)}, or ${tinyUsd(reused)} when it reuses a billing read`,
      ),
      daily.detail,
    );
  });

  it('assumes one digest a day, and says so, when the schedule is not known or cannot be read', async () => {
    // Act
    const unknown = await bill(undefined);
    const unreadable = await bill({ cron: 'cron(0 25 * * ? *)', timeZone: 'UTC' });

    // Assess
    assert.match(unknown.detail, /for one digest a day assumed \(the schedule is not known here\)/);
    assert.match(unreadable.detail, /one digest a day assumed \(the schedule cannot be read: /);
    assert.equal(unreadable.status, 'ok');
  });

  it("prices the subscriptions' own schedules, the others as daily, and says which are conditioned", async () => {
    // Prepare: from Sunday 2026-11-22 12:00 UTC, 30 days hold 5 Mondays (23, 30 Nov, 7, 14,
    // 21 Dec) and one 1st of the month (1 Dec).
    const now = new Date('2026-11-22T12:00:00Z');
    const base = { channel: 'C0123ABCD', time: '09:00', timeZone: 'Europe/Paris' } as const;
    const known: Subscription[] = [
      { ...base, id: 'weekly1', cadence: { every: 'week', day: 'mon' }, report: { period: '7d' } },
      {
        ...base,
        id: 'month1',
        cadence: { every: 'month', day: 1 },
        report: { period: 'last-month' },
        condition: { kind: 'anomaly' },
      },
    ];
    const deps = healthyDeps({
      now: () => now,
      subscriptions: async () => ({ known, where: 'in this channel', others: 2 }),
    });

    // Act
    const result = byId(await runDoctor(deps, { only: ['bill'] }), 'bill.month');

    // Assess: 5 + 1 runs known, 2 × 30 counted as daily; the digest schedule is not added.
    const digest = reportCost(TYPICAL_DIGEST).dollars.total;
    assert.equal(result.status, 'ok');
    assert.ok(result.detail.startsWith(`About ${tinyUsd(66 * digest)} a month`), result.detail);
    assert.match(
      result.detail,
      /2 subscriptions in this channel \(6 runs\); 2 elsewhere counted as daily; 1 with a condition/,
    );
  });

  it('cannot tell the bill, and says why, when the subscriptions cannot be read', async () => {
    // Prepare
    const deps = healthyDeps({
      subscriptions: async () => {
        throw new AwsAccessDeniedError('not allowed: scheduler:ListSchedules');
      },
    });

    // Act
    const result = byId(await runDoctor(deps, { only: ['bill'] }), 'bill.month');

    // Assess
    assert.equal(result.status, 'warn');
    assert.match(result.detail, /^Cannot tell: /);
  });

  it('counts runs up to a bound, so an every-minute cron cannot stall the doctor', () => {
    // Act
    const runs = runsWithin('cron(* * * * ? *)', 'UTC', new Date('2026-11-22T12:00:00Z'));

    // Assess
    assert.equal(runs, 5000);
  });
});
