/**
 * A subscription's condition on the local backend: the synthesized state machine, run
 * in-process with every step's real handler, the demo metrics (EC2 spikes three days before the
 * backend's clock), the embedded S3 server and a recording Slack. A run whose condition does
 * not hold ends in ConditionNotMet with nothing stored and nothing posted; one whose condition
 * holds posts and says why.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { loadConfig } from '../../common/config.ts';
import type {
  ChartState,
  PostedState,
  ScheduledRunState,
  WatchCondition,
} from '../../common/contract.ts';
import { addDays, utcDay } from '../../common/dates.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import { type Backend, localBackend } from '../../local/backend.ts';
import { messageText, RecordingSlack } from '../../local/recording-slack.ts';
import { runInput } from '../../local/report.ts';
import type { EventLog } from '../../local/runner.ts';

const CHANNEL = 'C0COSTS01';
const SUBSCRIPTION = 'k3m9x2qa';

/** The backend's clock, frozen: the demo's EC2 spike is three days before it. */
const FROZEN_NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const TODAY = utcDay(FROZEN_NOW);
/** Reports as of this day's start have the spike as yesterday. */
const DAY_AFTER_SPIKE = addDays(TODAY, -2);
/** A day whose yesterday, and the days around it, are ordinary. */
const STEADY_DAY = addDays(TODAY, -10);

/** A subscription's scheduled run as the scheduler starts it, the report as of `day`'s start. */
function scheduledRun(condition: WatchCondition, day: string): ScheduledRunState {
  return {
    request: {
      kind: 'digest',
      requestId: '0c4b7b1e-6b1f-4c2e-9a1d-3f2e1d0c9b8a',
      channel: CHANNEL,
      period: 'mtd',
      asOf: `${day}T00:00:00.000Z`,
      subscription: { id: SUBSCRIPTION, condition },
    },
    scheduledAt: `${day}T09:00:00Z`,
  };
}

/** Names of the states entered, in order. */
function entered(events: EventLog[]): string[] {
  return events.flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));
}

describe('a subscription with a condition, on the local runner', () => {
  let dir: string;
  let bucket: string;
  let backend: Backend;
  const slack = new RecordingSlack();

  /** Every key in the charts bucket: charts, delivery records, cache entries. */
  async function storedKeys(): Promise<string[]> {
    const s3 = backend.signingClient?.({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    assert.ok(s3, 'the local backend has an S3 client');
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (listed.Contents ?? []).map((object) => object.Key ?? '');
  }

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-local-conditions-'));
    const config = loadConfig({
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
    });
    bucket = config.bucket;
    backend = await localBackend(config, { delivery: slack, now: () => new Date(FROZEN_NOW) });
  });

  after(async () => {
    await backend?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    slack.reset();
  });

  it('ends in ConditionNotMet when yesterday is not above the threshold: nothing stored, nothing posted', async () => {
    // Prepare
    const input = scheduledRun({ kind: 'yesterday-above', dollars: 100_000 }, STEADY_DAY);

    // Act
    const result = await runInput(backend, input, { retryIntervalMs: 0 });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.deepEqual(entered(result.events), [
      STATES.route,
      STATES.nameRun,
      STATES.byAccount,
      STATES.fetch,
      STATES.summarize,
      STATES.conditionMet,
      STATES.conditionNotMet,
    ]);
    const output = result.output as ChartState;
    assert.equal(output.request.requestId, `${SUBSCRIPTION}-${STEADY_DAY}T090000Z`);
    assert.equal(output.gate?.post, false);
    assert.match(output.gate?.reason ?? '', /^yesterday \$[\d,]+\.\d\d is not above \$100,000$/);
    assert.deepEqual(slack.messages, []);
    assert.deepEqual(await storedKeys(), []);
  });

  it('ends in ConditionNotMet on a steady day for `if anomaly`, saying no line was anomalous', async () => {
    // Act
    const result = await runInput(backend, scheduledRun({ kind: 'anomaly' }, STEADY_DAY), {
      retryIntervalMs: 0,
    });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    const output = result.output as ChartState;
    assert.deepEqual(output.summary.anomalies, []);
    assert.equal(entered(result.events).at(-1), STATES.conditionNotMet);
    assert.match(output.gate?.reason ?? '', /^no anomaly: /);
    assert.deepEqual(slack.messages, []);
    assert.deepEqual(await storedKeys(), []);
  });

  it('posts when EC2 spiked yesterday, saying why, marks the line and counts the 8 states it entered', async () => {
    // Act
    const result = await runInput(backend, scheduledRun({ kind: 'anomaly' }, DAY_AFTER_SPIKE), {
      retryIntervalMs: 0,
    });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.deepEqual(entered(result.events).slice(-4), [
      STATES.summarize,
      STATES.conditionMet,
      STATES.chart,
      STATES.post,
    ]);
    const output = result.output as PostedState;
    assert.deepEqual(
      output.summary.anomalies.map((a) => [a.name, a.kind]),
      [['AmazonEC2', 'spike']],
    );
    assert.equal(slack.messages.length, 1);
    const text = messageText(slack.messages[0]?.message ?? { text: '', blocks: [] });
    assert.match(
      text,
      new RegExp(
        `Posted by subscription \`${SUBSCRIPTION}\` because AmazonEC2 \\$[\\d.]+ yesterday against a median of \\$[\\d.]+: anomaly · \`/aws-cost unsubscribe ${SUBSCRIPTION}\` stops it`,
      ),
    );
    assert.match(text, /^Scheduled cost report · /);
    assert.match(text, /Unusual spend yesterday \(services\)/);
    // Named first (NameScheduledRun, ByAccount?), no Sign with stable links.
    assert.equal(entered(result.events).length, 8);
    assert.match(text, /, 8 state transitions, about \$/);
    const keys = await storedKeys();
    assert.ok(
      keys.some((key) => key.endsWith(`${SUBSCRIPTION}-${DAY_AFTER_SPIKE}T090000Z.png`)),
      keys.join(', '),
    );
  });
});
