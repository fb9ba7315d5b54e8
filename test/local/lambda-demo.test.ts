import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DemoMetrics } from '../../local/demo-metrics.ts';

const NOW = new Date('2026-11-27T08:17:30Z');

/** One query's points for FunctionName=`fn`. */
async function points(
  metricName: string,
  fn: string,
  options: { period: number; stat: string; start: Date; end: Date },
) {
  const demo = new DemoMetrics({ now: () => NOW });
  const out = await demo.getMetricData({
    MetricDataQueries: [
      {
        Id: 'm0',
        MetricStat: {
          Metric: {
            Namespace: 'AWS/Lambda',
            MetricName: metricName,
            Dimensions: [{ Name: 'FunctionName', Value: fn }],
          },
          Period: options.period,
          Stat: options.stat,
        },
      },
    ],
    StartTime: options.start,
    EndTime: options.end,
    ScanBy: 'TimestampAscending',
  });
  const result = out.MetricDataResults?.[0];
  return (result?.Timestamps ?? []).map((t, i) => ({
    time: new Date(t).toISOString(),
    value: result?.Values?.[i] ?? Number.NaN,
  }));
}

describe('Demo metrics: AWS/Lambda', () => {
  it('has one point a minute for the last 15 days, up to the last complete minute', async () => {
    // Act
    const read = await points('Invocations', 'api', {
      period: 60,
      stat: 'Sum',
      start: new Date(NOW.getTime() - 16 * 86_400_000),
      end: NOW,
    });

    // Assess
    assert.equal(read.length, 15 * 1440 - 1);
    assert.equal(read[0]?.time, '2026-11-12T08:18:00.000Z');
    assert.equal(read.at(-1)?.time, '2026-11-27T08:16:00.000Z');
    assert.ok(read.every((p) => Number.isInteger(p.value) && p.value > 0));
  });

  it('sums the minutes into the period asked for', async () => {
    // Prepare
    const window = {
      start: new Date('2026-11-27T06:00:00Z'),
      end: new Date('2026-11-27T07:00:00Z'),
    };

    // Act
    const minutes = await points('Errors', 'api', { ...window, period: 60, stat: 'Sum' });
    const hour = await points('Errors', 'api', { ...window, period: 3600, stat: 'Sum' });

    // Assess
    assert.equal(minutes.length, 60);
    assert.deepEqual(hour, [
      { time: '2026-11-27T06:00:00.000Z', value: minutes.reduce((a, p) => a + p.value, 0) },
    ]);
  });

  it('has an error burst of api a few hours ago, with long durations', async () => {
    // Prepare: 25 minutes from 05:20 UTC, for a clock at 08:17.
    const burst = {
      start: new Date('2026-11-27T05:20:00Z'),
      end: new Date('2026-11-27T05:45:00Z'),
    };
    const before = {
      start: new Date('2026-11-27T04:00:00Z'),
      end: new Date('2026-11-27T05:00:00Z'),
    };

    // Act
    const sum = (read: { value: number }[]) => read.reduce((a, p) => a + p.value, 0);
    const inBurst = sum(await points('Errors', 'api', { ...burst, period: 60, stat: 'Sum' }));
    const quiet = sum(await points('Errors', 'api', { ...before, period: 60, stat: 'Sum' }));
    const slow = await points('Duration', 'api', { ...burst, period: 60, stat: 'Average' });

    // Assess: 25 minutes of the burst hold more errors than 5 quiet hours would.
    assert.ok(inBurst > 5 * quiet, `${inBurst} errors in the burst, ${quiet} in the hour before`);
    assert.ok(
      slow.every((p) => p.value > 1500),
      'timeouts: every minute of the burst is slow',
    );
  });

  it('lists Invocations, Errors and Duration of api and worker, filtered like ListMetrics', async () => {
    // Prepare
    const demo = new DemoMetrics({ now: () => NOW });

    // Act
    const errors = await demo.listMetrics({
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName' }],
    });
    const all = await demo.listMetrics({ Namespace: 'AWS/Lambda' });
    const other = await demo.listMetrics({ Namespace: 'AWS/SQS' });

    // Assess
    assert.deepEqual(
      errors.Metrics?.map((m) => m.Dimensions?.[0]?.Value),
      ['api', 'worker'],
    );
    assert.equal(all.Metrics?.length, 6);
    assert.deepEqual(other.Metrics, []);
  });

  it('has no data for a function it does not know or older than 15 days', async () => {
    const unknown = await points('Errors', 'billing', {
      period: 300,
      stat: 'Sum',
      start: new Date(NOW.getTime() - 3_600_000),
      end: NOW,
    });
    const old = await points('Errors', 'api', {
      period: 3600,
      stat: 'Sum',
      start: new Date('2026-10-01T00:00:00Z'),
      end: new Date('2026-10-02T00:00:00Z'),
    });
    assert.deepEqual([unknown, old], [[], []]);
  });
});
