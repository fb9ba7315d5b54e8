/**
 * `/aws-cost chart AWS/Lambda Errors FunctionName=api,worker 24h` on the local backend: the
 * command parsed as the bot parses it, the synthesized state machine run in-process with every
 * step's real handler, the demo metrics, the embedded S3 server and a recording Slack.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseCommand } from '../../bot/command/parse.ts';
import { commandRequest } from '../../bot/listeners/commands/aws-cost.ts';
import { loadConfig } from '../../common/config.ts';
import type { MetricSummary, PostedState } from '../../common/contract.ts';
import { ACTION_IDS, BLOCK_IDS } from '../../common/slack-message.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import { type Backend, localBackend } from '../../local/backend.ts';
import { RecordingSlack } from '../../local/recording-slack.ts';
import { runReport } from '../../local/report.ts';
import type { ExecutionResult } from '../../local/runner.ts';

/** The real time, frozen: s3rver checks a presigned link's expiry against the real clock. */
const FROZEN_NOW = new Date(Math.floor(Date.now() / 60_000) * 60_000 + 30_000);
const TEXT = 'chart AWS/Lambda Errors FunctionName=api,worker 24h';

describe('a metric chart on the local backend', () => {
  let dir: string;
  let backend: Backend;
  let result: ExecutionResult;
  const slack = new RecordingSlack();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-metric-chart-'));
    const config = loadConfig({
      COSTBOT_LOCAL_DIR: dir,
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
    });
    backend = await localBackend(config, { delivery: slack, now: () => new Date(FROZEN_NOW) });
    const parsed = parseCommand(TEXT);
    assert.ok(parsed.ok && parsed.command.kind === 'chart', JSON.stringify(parsed));
    const request = commandRequest(
      parsed.command,
      {
        team_id: 'T0TEAM01',
        trigger_id: '1.2.3',
        channel_id: 'C0OPS0001',
        response_url: 'https://hooks.slack.com/commands/T0TEAM01/1/abc',
        user_id: 'U0USER01',
      } as Parameters<typeof commandRequest>[1],
      '#costs',
    );
    result = await runReport(backend, request, { retryIntervalMs: 0 });
  });

  after(async () => {
    await backend?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs Fetch, Summarize, RenderAndStore and Post (stable links: no Sign)', () => {
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    const states = result.events.flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));
    for (const state of [STATES.fetch, STATES.summarize, STATES.chart, STATES.post]) {
      assert.ok(states.includes(state), `${state} in ${states.join(', ')}`);
    }
    assert.ok(!states.includes(STATES.sign), states.join(', '));
  });

  it('charts two series at 5-minute resolution over the last 24 hours', () => {
    // Act
    const { summary } = result.output as PostedState<MetricSummary>;

    // Assess
    assert.equal(summary.chart.resolutionSeconds, 300);
    assert.deepEqual(
      summary.chart.series.map((s) => [s.name, s.values.length]),
      [
        ['api', 288],
        ['worker', 288],
      ],
    );
    assert.ok(
      summary.chart.series.every((s) => s.values.every((v) => v !== null)),
      'the demo has a point every 5 minutes',
    );
    const end = Date.parse(summary.metric.to);
    assert.ok(FROZEN_NOW.getTime() - end < 300_000, 'ends at the last 5-minute boundary');
    // The api error burst of the demo (2 h 40 min before the hour) is in the window.
    const api = summary.metric.series.find((s) => s.name === 'api');
    assert.ok(
      (api?.max ?? 0) >= 5 * (api?.average ?? 0),
      `api max ${api?.max}, average ${api?.average}`,
    );
  });

  it('replies about the metric: figures per line, resolution, newest point, console link', () => {
    // Act
    const [posted] = slack.messages;
    const blocks = posted?.message.blocks ?? [];
    const all = JSON.stringify(blocks);

    // Assess
    assert.equal(slack.messages.length, 1);
    assert.equal(posted?.via, 'response_url');
    assert.deepEqual(blocks[0], {
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'AWS/Lambda Errors FunctionName=api,worker (Sum) · Last 24 hours',
      },
    });
    assert.match(
      all,
      /\*api\* {2}latest [\d,.]+ · min [\d,.]+ · max [\d,.]+ · average [\d,.]+ · sum/,
    );
    assert.match(all, /\*worker\* {2}latest/);
    assert.match(
      all,
      /source: CloudWatch AWS\/Lambda \(us-east-1\) · 5-minute resolution · newest point/,
    );
    assert.match(
      all,
      /console\.aws\.amazon\.com\/cloudwatch\/home\?region=us-east-1#metricsV2\?graph=/,
    );
    assert.doesNotMatch(all, /Month to date|USD/);
  });

  it('offers 6 hours and 7 days for the same metric', () => {
    // Act
    const blocks = slack.messages[0]?.message.blocks ?? [];
    const actions = blocks.find((b) => b.block_id === BLOCK_IDS.actions);
    const buttons = actions?.type === 'actions' ? actions.elements : [];

    // Assess
    const periods = buttons.flatMap((b) =>
      b.type === 'button' && b.action_id !== ACTION_IDS.refreshLink
        ? [[b.action_id, JSON.parse(b.value ?? '{}').period]]
        : [],
    );
    assert.deepEqual(periods, [
      [ACTION_IDS.shorterPeriod, '6h'],
      [ACTION_IDS.longerPeriod, '7d'],
    ]);
  });

  it('serves the chart PNG at the image URL', async () => {
    // Prepare
    const blocks = slack.messages[0]?.message.blocks ?? [];
    const image = blocks.find((b) => b.type === 'image');
    assert.ok(image && 'image_url' in image && image.image_url, 'an image block with a URL');

    // Act
    const response = await fetch(image.image_url);
    const body = new Uint8Array(await response.arrayBuffer());

    // Assess
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'image/png');
    assert.ok(body.byteLength > 20_000, `${body.byteLength} bytes`);
  });
});
