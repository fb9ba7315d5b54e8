import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KnownBlock } from '@slack/types';
import { MetricRerunValueSchema } from '../../bot/listeners/actions/values.ts';
import { consoleUrl, jsurl } from '../../common/cloudwatch-console.ts';
import type {
  MetricRequest,
  MetricSummary,
  SignedLink,
  StoredChart,
} from '../../common/contract.ts';
import { check } from '../../common/contract-schema.ts';
import {
  ACTION_IDS,
  BLOCK_IDS,
  metricFigure,
  metricMessage,
  reportMessage,
} from '../../common/slack-message.ts';
import { COST_SUMMARY } from '../support/cost-summary.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const CHART: StoredChart = {
  bucket: 'costbot-charts',
  key: 'charts/2026/11/27/cmd-1.png',
  bytes: 1,
  width: 1600,
  height: 800,
};
const LINK: SignedLink = {
  url: 'https://costbot-charts.s3.amazonaws.com/charts/2026/11/27/cmd-1.png?X-Amz-Signature=abc',
  expiresAt: '2026-12-04T08:15:00.000Z',
  expiresInSeconds: 604_800,
  accessKeyId: 'AKIAEXAMPLE',
};

const REQUEST: MetricRequest = {
  namespace: 'AWS/Lambda',
  metricName: 'Errors',
  dimensions: [],
  split: { name: 'FunctionName', values: ['api', 'worker'] },
  stat: 'Sum',
  period: '24h',
};

function summary(overrides: Partial<MetricSummary['metric']> = {}): MetricSummary {
  return {
    asOf: '2026-11-27T08:17:30.000Z',
    metric: {
      ...REQUEST,
      periodLabel: 'Last 24 hours',
      resolutionSeconds: 300,
      unit: 'Count',
      region: 'eu-west-1',
      newest: '2026-11-27T08:10:00.000Z',
      from: '2026-11-26T08:15:00.000Z',
      to: '2026-11-27T08:15:00.000Z',
      series: [
        { name: 'api', latest: 2, min: 0, max: 34, average: 1.2465, sum: 359 },
        { name: 'worker', latest: 0, min: 0, max: 7, average: 0.26, sum: 12_345.6 },
      ],
      ...overrides,
    },
    chart: {
      title: 'AWS/Lambda Errors FunctionName=api,worker (Sum), Last 24 hours',
      unit: 'Count per 5 minutes',
      dates: [],
      resolutionSeconds: 300,
      series: [],
      style: 'line',
    },
  };
}

function texts(blocks: KnownBlock[]): string {
  return JSON.stringify(blocks);
}

// ---------------------------------------------------------------------------------------------

describe('Function: metricMessage', () => {
  it('is about the metric: header with metric, dimensions, statistic and period', () => {
    // Act
    const message = metricMessage({ summary: summary(), chart: CHART, link: LINK });

    // Assess
    const [header] = message.blocks;
    assert.deepEqual(header, {
      type: 'header',
      text: {
        type: 'plain_text',
        text: 'AWS/Lambda Errors FunctionName=api,worker (Sum) · Last 24 hours',
      },
    });
    assert.doesNotMatch(texts(message.blocks), /USD|\$|AWS cost|Month to date|Top services/);
    assert.match(
      message.text,
      /^AWS\/Lambda Errors FunctionName=api,worker \(Sum\) · Last 24 hours: api latest 2/,
    );
  });

  it('gives each line latest, min, max, average and sum in the unit', () => {
    // Act
    const message = metricMessage({ summary: summary(), chart: CHART, link: LINK });

    // Assess
    const section = message.blocks[1];
    assert.equal(section?.type, 'section');
    assert.equal(
      section?.type === 'section' ? section.text?.text : '',
      [
        '*Per 5-minute period, in Count*',
        '*api*  latest 2 · min 0 · max 34 · average 1.247 · sum 359',
        '*worker*  latest 0 · min 0 · max 7 · average 0.26 · sum 12,346',
      ].join('\n'),
    );
  });

  it('names the statistic once in the alt text and links the chart', () => {
    // Act
    const message = metricMessage({ summary: summary(), chart: CHART, link: LINK });

    // Assess
    const image = message.blocks.find((b) => b.block_id === BLOCK_IDS.image);
    assert.equal(image?.type, 'image');
    const alt = image?.type === 'image' ? image.alt_text : '';
    assert.equal(alt.match(/Sum/g)?.length, 1);
    assert.equal(image && 'image_url' in image ? image.image_url : undefined, LINK.url);
    assert.ok(message.blocks.some((b) => b.block_id === BLOCK_IDS.link));
  });

  it('has a context line with namespace, resolution, newest point and a console link', () => {
    // Act
    const message = metricMessage({ summary: summary(), chart: CHART, link: LINK });

    // Assess
    const context = message.blocks.find(
      (b) => b.type === 'context' && b.block_id !== BLOCK_IDS.link,
    );
    const text =
      context?.type === 'context' && context.elements[0]?.type === 'mrkdwn'
        ? context.elements[0].text
        : '';
    assert.match(
      text,
      /^source: CloudWatch AWS\/Lambda \(eu-west-1\) · 5-minute resolution · newest point Nov 27, 08:10 UTC · <https:\/\/eu-west-1\.console\.aws\.amazon\.com\/cloudwatch\/home\?region=eu-west-1#metricsV2\?graph=~\(metrics~\(~\(~'AWS\*2fLambda~'Errors~'FunctionName~'api\)~\(~'AWS\*2fLambda~'Errors~'FunctionName~'worker\)\)/,
    );
    assert.match(
      text,
      /~stat~'Sum~period~300~start~'2026-11-26T08\*3a15\*3a00\.000Z~end~'2026-11-27T08\*3a15\*3a00\.000Z\)\|Open in CloudWatch>$/,
    );
  });

  it('offers the neighbouring periods for the same metric, values valid for their schema', () => {
    // Act
    const message = metricMessage({ summary: summary(), chart: CHART, link: LINK });

    // Assess
    const actions = message.blocks.find((b) => b.block_id === BLOCK_IDS.actions);
    const buttons = actions?.type === 'actions' ? actions.elements : [];
    const described = buttons.map((b) =>
      b.type === 'button' ? [b.action_id, b.text.text, b.value] : [],
    );
    assert.deepEqual(
      described.map(([id, label]) => [id, label]),
      [
        [ACTION_IDS.refreshLink, 'Refresh link'],
        [ACTION_IDS.shorterPeriod, 'Last 6 hours'],
        [ACTION_IDS.longerPeriod, 'Last 7 days'],
      ],
    );
    for (const [, , value] of described.slice(1)) {
      const metric = check(MetricRerunValueSchema, value);
      assert.deepEqual(metric && { ...metric, period: '24h' }, REQUEST);
    }
    assert.deepEqual(
      described.slice(1).map(([, , value]) => check(MetricRerunValueSchema, value)?.period),
      ['6h', '7d'],
    );
  });

  it('says when CloudWatch has no points, and how many values * found', () => {
    // Act
    const message = metricMessage({
      summary: summary({
        split: { name: 'FunctionName', values: '*' },
        found: 37,
        newest: null,
      }),
      chart: CHART,
      link: LINK,
      stableLink: { url: 'https://links.example/t0k3n', expiresAt: '2027-02-25T08:15:00.000Z' },
    });

    // Assess
    assert.match(texts(message.blocks), /The 2 largest of 37 values of FunctionName\./);
    assert.match(texts(message.blocks), /no data points/);
    assert.doesNotMatch(texts(message.blocks), /Refresh link/, 'a stable link needs no refresh');
  });
});

describe('Function: reportMessage (freshness)', () => {
  it('says the time of the newest EstimatedCharges point next to the time of the report', () => {
    // Prepare
    const cost = COST_SUMMARY;
    const request = {
      kind: 'command' as const,
      requestId: 'r1',
      channel: 'C1',
      period: 'mtd' as const,
    };

    // Act
    const fresh = reportMessage({
      request,
      summary: { ...cost, dataAsOf: '2026-11-27T06:00:00.000Z' },
      chart: CHART,
      link: LINK,
    });
    const unknown = reportMessage({ request, summary: cost, chart: CHART, link: LINK });

    // Assess
    assert.match(
      texts(fresh.blocks),
      /as of Nov 27, 08:17 UTC · billing data to Nov 27, 06:00 UTC · source: CloudWatch AWS\/Billing/,
    );
    assert.match(
      texts(unknown.blocks),
      /as of Nov 27, 08:17 UTC · source: CloudWatch AWS\/Billing/,
    );
  });
});

describe('Function: metricFigure', () => {
  it('rounds to 4 significant digits, groups thousands, no exponent', () => {
    assert.deepEqual(
      [0, 2.125, 1.24651, 0.012345, 1234.5, 98_765.4, -3.5, null].map(metricFigure),
      ['0', '2.125', '1.247', '0.01235', '1,235', '98,765', '-3.5', '–'],
    );
  });
});

describe('Function: consoleUrl', () => {
  it('writes the graph in JSURL, safe in a URL and in mrkdwn', () => {
    // Act
    const url = consoleUrl({
      region: 'us-east-1',
      namespace: 'My App/Orders',
      metricName: 'Placed',
      lines: [[{ name: 'Shop', value: 'a|b>c' }]],
      stat: 'p99.9',
      periodSeconds: 60,
      start: '2026-11-27T07:00:00.000Z',
      end: '2026-11-27T08:00:00.000Z',
    });

    // Assess
    assert.match(url, /~'My\*20App\*2fOrders~'Placed~'Shop~'a\*7cb\*3ec/);
    assert.match(url, /^[A-Za-z0-9:/.?=#~'()*_!-]+$/);
    assert.equal(jsurl({ a: [1, 'x y'], b: true }), "~(a~(~1~'x*20y)~b~true)");
    assert.equal(jsurl([]), '~(~)');
  });
});
