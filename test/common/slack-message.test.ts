import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KnownBlock } from '@slack/types';
import type {
  Anomaly,
  CostSummary,
  ReportRequest,
  SignedLink,
  StoredChart,
} from '../../common/contract.ts';
import {
  escapeMrkdwn,
  failureMessage,
  MAX_IMAGE_URL,
  plainText,
  reportMessage,
  type SlackMessage,
  usd,
  utcStamp,
} from '../../common/slack-message.ts';
import { EC2_SPIKE } from '../support/cost-summary.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

function request(overrides: Partial<ReportRequest> = {}): ReportRequest {
  return { kind: 'command', requestId: 'r1', channel: 'C123', period: 'mtd', ...overrides };
}

function summary(overrides: Partial<CostSummary> = {}): CostSummary {
  return {
    currency: 'USD',
    asOf: '2026-11-22T06:00:00.000Z',
    period: {
      preset: 'mtd',
      label: 'Month to date (Nov 1–22)',
      from: '2026-11-01',
      to: '2026-11-22',
    },
    monthToDate: 2004.31,
    yesterday: { date: '2026-11-21', amount: 95.5 },
    changeVsDayBefore: { amount: 10.25, percent: 12 },
    sevenDayAverage: 90,
    changeVsSevenDayAverage: { amount: -5.5, percent: -5.75 },
    periodTotal: 2004.31,
    top: [
      { name: 'AmazonEC2', amount: 1500, share: 0.748 },
      { name: 'AWSLambda', amount: 400.31, share: 0.2 },
      { name: 'Other', amount: 104, share: 0.052 },
    ],
    topBy: 'service',
    forecast: { monthEnd: 2724.31, dailyRate: 90, daysLeft: 8 },
    anomalies: [],
    chart: {
      title: 'Daily spend by service',
      unit: 'USD per day',
      dates: ['2026-11-21'],
      series: [{ name: 'AmazonEC2', values: [80] }],
      style: 'stacked',
    },
    ...overrides,
  };
}

const CHART: StoredChart = {
  bucket: 'costbot-charts',
  key: 'charts/2026/11/22/r1.png',
  bytes: 1234,
  width: 1200,
  height: 600,
};

const URL_BASE =
  'https://costbot-charts.s3.amazonaws.com/charts/2026/11/22/r1.png?X-Amz-Signature=';

function link(url = `${URL_BASE}abc`): SignedLink {
  return {
    url,
    expiresAt: '2026-11-29T06:00:00.000Z',
    expiresInSeconds: 604_800,
    accessKeyId: 'AKIAEXAMPLE',
  };
}

function message(
  overrides: {
    request?: Partial<ReportRequest>;
    summary?: Partial<CostSummary>;
    url?: string;
  } = {},
): SlackMessage {
  return reportMessage({
    request: request(overrides.request),
    summary: summary(overrides.summary),
    chart: CHART,
    link: link(overrides.url),
  });
}

type BlockOf<T extends KnownBlock['type']> = Extract<KnownBlock, { type: T }>;

function blocksOf<T extends KnownBlock['type']>(m: SlackMessage, type: T): BlockOf<T>[] {
  return m.blocks.filter((b): b is BlockOf<T> => b.type === type);
}

/** The texts of the section fields (the figures). */
function fieldTexts(m: SlackMessage): string[] {
  return (blocksOf(m, 'section')[0]?.fields ?? []).map((f) => f.text);
}

/** The text of the section listing the top items. */
function topText(m: SlackMessage): string {
  return blocksOf(m, 'section')[1]?.text?.text ?? '';
}

/** The texts of the context blocks, in order. */
function contextTexts(m: SlackMessage): string[] {
  return blocksOf(m, 'context').map((b) => {
    const element = b.elements[0];
    return element && 'text' in element ? element.text : '';
  });
}

/** Every mrkdwn string Slack would parse for mentions and links. */
function mrkdwnTexts(m: SlackMessage): string[] {
  const texts = [m.text];
  for (const block of m.blocks) {
    if (block.type === 'section') {
      if (block.text?.type === 'mrkdwn') texts.push(block.text.text);
      for (const f of block.fields ?? []) if (f.type === 'mrkdwn') texts.push(f.text);
    }
    if (block.type === 'context') {
      for (const e of block.elements) if (e.type === 'mrkdwn') texts.push(e.text);
    }
  }
  return texts;
}

// ---------------------------------------------------------------------------------------------

describe('Function: reportMessage', () => {
  it('heads the message with the kind and the period', () => {
    // Prepare
    const digest = { kind: 'digest' as const, service: 'AmazonEC2' };

    // Act
    const command = message();
    const morning = message({ request: digest });

    // Assess
    assert.deepEqual(blocksOf(command, 'header')[0]?.text, {
      type: 'plain_text',
      text: 'AWS cost · Month to date (Nov 1–22)',
    });
    assert.equal(
      blocksOf(morning, 'header')[0]?.text.text,
      'Morning cost digest · AmazonEC2 · Month to date (Nov 1–22)',
    );
  });

  it('lays out the figures of a month-to-date report without repeating its total', () => {
    // Prepare
    const input = {};

    // Act
    const m = message(input);

    // Assess
    assert.deepEqual(fieldTexts(m), [
      '*Month to date*\n$2,004.31',
      '*Yesterday (2026-11-21)*\n$95.50  ▲ +$10.25 (+12.0%) vs day before',
      '*7-day average*\n$90.00/day  ▼ -$5.50 (-5.8%) vs average',
      '*Month-end forecast*\n$2,724.31 (at $90.00/day)',
    ]);
    assert.equal(
      m.text,
      'AWS cost · Month to date (Nov 1–22): $2,004.31 month to date, $95.50 yesterday.',
    );
  });

  it('shows the period total of a 30-day report beside month to date', () => {
    // Prepare
    const period = {
      preset: '30d' as const,
      label: 'Last 30 days',
      from: '2026-10-23',
      to: '2026-11-21',
    };

    // Act
    const m = message({ summary: { period, periodTotal: 2700 } });

    // Assess
    assert.deepEqual(fieldTexts(m).slice(0, 2), [
      '*Month to date*\n$2,004.31',
      '*Last 30 days*\n$2,700.00',
    ]);
    assert.equal(fieldTexts(m).length, 5);
  });

  it('says when there is no data yet and leaves out the forecast', () => {
    // Prepare
    const empty = {
      yesterday: null,
      changeVsDayBefore: null,
      sevenDayAverage: null,
      changeVsSevenDayAverage: null,
      forecast: null,
      top: [],
    };

    // Act
    const m = message({ summary: empty });

    // Assess
    assert.deepEqual(fieldTexts(m), [
      '*Month to date*\n$2,004.31',
      '*Yesterday*\nno data yet',
      '*7-day average*\nnot enough data',
    ]);
    assert.equal(
      topText(m),
      '*Top services, Month to date (Nov 1–22)*\nNo spend recorded in this period.',
    );
    assert.equal(m.text, 'AWS cost · Month to date (Nov 1–22): $2,004.31 month to date.');
  });

  it('lists the top items with amounts and shares', () => {
    // Prepare
    const input = {};

    // Act
    const m = message(input);

    // Assess
    assert.equal(
      topText(m),
      '*Top services, Month to date (Nov 1–22)*\n' +
        '1. AmazonEC2: $1,500.00 (75%)\n' +
        '2. AWSLambda: $400.31 (20%)\n' +
        '3. Other: $104.00 (5%)',
    );
  });

  it('heads the list "Top accounts" for an account breakdown', () => {
    // Prepare
    const byAccount = { topBy: 'account' as const };

    // Act
    const m = message({ summary: byAccount });

    // Assess
    assert.ok(topText(m).startsWith('*Top accounts, Month to date (Nov 1–22)*\n'), topText(m));
  });

  it('shows the chart in an image block and links it in the context', () => {
    // Prepare
    const url = `${URL_BASE}abc&X-Amz-Expires=604800`;

    // Act
    const m = message({ url });

    // Assess
    assert.deepEqual(
      m.blocks.map((b) => b.type),
      ['header', 'section', 'section', 'image', 'context', 'context', 'actions'],
    );
    assert.deepEqual(blocksOf(m, 'image')[0], {
      type: 'image',
      block_id: 'chart_image',
      image_url: url,
      alt_text: 'Daily spend by service',
    });
    assert.deepEqual(contextTexts(m), [
      `<${url}|Open chart> · link expires Nov 29, 06:00 UTC`,
      'as of Nov 22, 06:00 UTC · source: CloudWatch AWS/Billing',
    ]);
  });

  it('uses a stable link for the image and "Open chart", without "Refresh link"', () => {
    // Prepare
    const stable = {
      url: 'https://abc.lambda-url.eu-west-1.on.aws/Y2hhcnRz.1795000000.mac',
      expiresAt: '2027-02-20T06:00:00.000Z',
    };

    // Act
    const m = reportMessage({
      request: request({ period: '7d' }),
      summary: summary(),
      chart: CHART,
      link: link(),
      stableLink: stable,
    });
    const presigned = message({ request: { period: '7d' } });

    // Assess
    const image = blocksOf(m, 'image')[0];
    assert.equal(image && 'image_url' in image ? image.image_url : undefined, stable.url);
    assert.equal(
      contextTexts(m)[0],
      `<${stable.url}|Open chart> · chart kept until Feb 20, 06:00 UTC`,
    );
    assert.ok(!JSON.stringify(m.blocks).includes(URL_BASE), 'no presigned URL in the message');
    const actions = (b: SlackMessage) =>
      blocksOf(b, 'actions').flatMap((a) =>
        a.elements.map((e) => ('action_id' in e ? e.action_id : '')),
      );
    assert.deepEqual(actions(m), ['report_30d']);
    assert.deepEqual(actions(presigned), ['refresh_link', 'report_30d']);
  });

  it('has no actions block when a stable-linked report already covers 30 days', () => {
    // Act
    const m = reportMessage({
      request: request({ period: '30d' }),
      summary: summary({
        period: { preset: '30d', label: 'Last 30 days', from: '2026-10-23', to: '2026-11-21' },
      }),
      chart: CHART,
      link: link(),
      stableLink: { url: 'https://links.example/t', expiresAt: '2027-02-20T06:00:00.000Z' },
    });

    // Assess
    assert.equal(blocksOf(m, 'actions').length, 0);
  });

  it('keeps an image URL of exactly 3000 characters', () => {
    // Prepare
    const url = URL_BASE + 'x'.repeat(MAX_IMAGE_URL - URL_BASE.length);

    // Act
    const m = message({ url });

    // Assess
    assert.equal(url.length, 3000);
    const image = blocksOf(m, 'image')[0];
    assert.equal(image && 'image_url' in image ? image.image_url : undefined, url);
  });

  it('leaves out the image block for a URL over 3000 characters but keeps the link', () => {
    // Prepare
    const url = URL_BASE + 'x'.repeat(MAX_IMAGE_URL + 1 - URL_BASE.length);

    // Act
    const m = message({ url });

    // Assess
    assert.equal(url.length, 3001);
    assert.deepEqual(
      m.blocks.map((b) => b.type),
      ['header', 'section', 'section', 'context', 'context', 'actions'],
    );
    assert.equal(contextTexts(m)[0], `<${url}|Open chart> · link expires Nov 29, 06:00 UTC`);
  });

  it('escapes service names so they cannot mention or link', () => {
    // Prepare
    const top = [
      { name: '<!channel>', amount: 10, share: 0.5 },
      { name: '<http://evil|x> & co', amount: 10, share: 0.5 },
    ];

    // Act
    const m = message({ summary: { top } });

    // Assess
    assert.equal(
      topText(m),
      '*Top services, Month to date (Nov 1–22)*\n' +
        '1. &lt;!channel&gt;: $10.00 (50%)\n' +
        '2. &lt;http://evil|x&gt; &amp; co: $10.00 (50%)',
    );
  });

  it('escapes a requested service name in every mrkdwn text, including the fallback', () => {
    // Prepare
    const service = '<!channel>';

    // Act
    const m = message({ request: { service } });

    // Assess
    for (const text of mrkdwnTexts(m)) assert.equal(text.includes('<!channel>'), false, text);
    assert.equal(
      m.text,
      'AWS cost · &lt;!channel&gt; · Month to date (Nov 1–22): $2,004.31 month to date, $95.50 yesterday.',
    );
    // The header is plain text: Slack shows it as typed and parses nothing in it.
    assert.equal(
      blocksOf(m, 'header')[0]?.text.text,
      'AWS cost · <!channel> · Month to date (Nov 1–22)',
    );
  });
});

describe('Function: reportMessage, what the report cost', () => {
  it('ends the context line with the cost of the requests the steps made', () => {
    // Prepare
    const usage = { listMetrics: 1, getMetricData: 1, metrics: 31 };
    // Act
    const m = message({ summary: { usage } });
    // Assess
    assert.match(
      contextTexts(m)[1] ?? '',
      / · this report: 2 CloudWatch requests, 31 metrics, 6 state transitions, about \$0\.0005$/,
    );
  });

  it('says 0 CloudWatch requests for a reused read, and nothing when the cost was not counted', () => {
    // Prepare
    const reused = { listMetrics: 0, getMetricData: 0, metrics: 0 };
    // Act
    const cached = message({ summary: { usage: reused } });
    const uncounted = message();
    // Assess
    assert.match(contextTexts(cached)[1] ?? '', /this report: 0 CloudWatch requests, 0 metrics,/);
    assert.doesNotMatch(contextTexts(uncounted)[1] ?? '', /this report/);
  });
});

describe('Function: failureMessage', () => {
  it('explains the failure and escapes the request id', () => {
    // Prepare
    const req = request({ requestId: '<!here>&x' });

    // Act
    const m = failureMessage({
      request: req,
      explanation: '> boom',
      errorName: 'AwsThrottledError',
    });

    // Assess
    assert.equal(m.text, 'Your cost report could not be produced (AwsThrottledError).');
    assert.deepEqual(m.blocks, [
      { type: 'header', text: { type: 'plain_text', text: 'Cost report failed' } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: 'Your cost report could not be produced (AwsThrottledError).\n> boom',
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'request &lt;!here&gt;&amp;x · `/aws-cost doctor` checks the setup',
          },
        ],
      },
    ]);
  });

  it('names the morning digest for a digest request', () => {
    // Prepare
    const req = request({ kind: 'digest' });

    // Act
    const m = failureMessage({ request: req, explanation: '', errorName: 'States.Timeout' });

    // Assess
    assert.equal(m.text, 'The morning cost digest could not be produced (States.Timeout).');
  });
});

describe('Function: usd', () => {
  it('formats dollars with thousands separators, cents and a leading minus', () => {
    // Prepare
    const amounts = [-3.5, 0, 2004.31, 1_234_567.891, 0.005];

    // Act
    const formatted = amounts.map(usd);

    // Assess
    assert.deepEqual(formatted, ['-$3.50', '$0.00', '$2,004.31', '$1,234,567.89', '$0.01']);
  });
});

describe('Function: utcStamp', () => {
  it('formats a timestamp as month, day and UTC time', () => {
    // Prepare
    const iso = '2026-11-29T06:00:00.000Z';

    // Act
    const stamp = utcStamp(iso);

    // Assess
    assert.equal(stamp, 'Nov 29, 06:00 UTC');
  });

  it('converts an offset to UTC, changing the day', () => {
    // Prepare
    const iso = '2026-12-31T22:15:00-05:00';

    // Act
    const stamp = utcStamp(iso);

    // Assess
    assert.equal(stamp, 'Jan 1, 03:15 UTC');
  });
});

describe('Function: escapeMrkdwn', () => {
  it('escapes &, < and > and nothing else', () => {
    // Prepare
    const text = 'a & b <c> *d* _e_';

    // Act
    const escaped = escapeMrkdwn(text);

    // Assess
    assert.equal(escaped, 'a &amp; b &lt;c&gt; *d* _e_');
  });
});

describe('Function: plainText', () => {
  it('decodes the three entities in one pass, undoing escapeMrkdwn', () => {
    // Prepare
    const typed = 'if yesterday &gt; 250 &amp;lt; &quot;';

    // Act
    const plain = plainText(typed);

    // Assess: `&amp;lt;` was a typed `&lt;`; other entities are not Slack's to decode.
    assert.equal(plain, 'if yesterday > 250 &lt; &quot;');
    assert.equal(plainText(escapeMrkdwn('a & b <c> &lt;')), 'a & b <c> &lt;');
  });
});

describe('Function: reportMessage (anomalies and conditions)', () => {
  /** The section listing the anomalous lines, if any. */
  function unusualText(m: SlackMessage): string | undefined {
    return blocksOf(m, 'section')
      .map((b) => b.text?.text ?? '')
      .find((t) => t.startsWith('*Unusual spend yesterday'));
  }

  it('lists each anomalous line with what it spent against what baseline, and marks it in the top list', () => {
    // Prepare
    const bedrock: Anomaly = { ...EC2_SPIKE, name: 'AmazonBedrock', kind: 'new', yesterday: 9.5 };

    // Act
    const m = message({ summary: { anomalies: [EC2_SPIKE, bedrock] } });

    // Assess
    assert.equal(
      unusualText(m),
      '*Unusual spend yesterday (services)*\n' +
        ':warning: AmazonEC2 $182.10 yesterday, median $40.05 ± $2.97 (MAD) of the 28 days before: +$142.05\n' +
        ':warning: AmazonBedrock $9.50 yesterday, new: nothing spent in the 28 days before',
    );
    assert.match(mrkdwnTexts(m).join('\n'), /1\. AmazonEC2: \$1,500\.00 \(75%\) :warning:/);
    assert.match(
      mrkdwnTexts(m).join('\n'),
      /2\. AWSLambda: \$400\.31 \(20%\)\n/,
      'a steady line is not marked',
    );
    assert.match(m.text, / Unusual yesterday: AmazonEC2, AmazonBedrock\.$/);
  });

  it('says nothing unusual when no line is anomalous', () => {
    // Act
    const m = message();

    // Assess
    assert.equal(unusualText(m), undefined);
    assert.doesNotMatch(mrkdwnTexts(m).join('\n'), /:warning:|Unusual/);
  });

  it('lists five anomalous lines and counts the rest, names escaped', () => {
    // Prepare
    const many = Array.from({ length: 7 }, (_, i) => ({ ...EC2_SPIKE, name: `<!here>${i}` }));

    // Act
    const m = message({ summary: { anomalies: many, topBy: 'account' } });

    // Assess
    const text = unusualText(m) ?? '';
    assert.match(text, /^\*Unusual spend yesterday \(accounts\)\*/);
    assert.equal(text.split('\n').length, 1 + 5 + 1);
    assert.match(text, /\nand 2 more$/);
    assert.doesNotMatch(mrkdwnTexts(m).join('\n'), /<!here>/);
    assert.match(m.text, /and 2 more\.$/);
  });

  it('says which subscription posted, why when it has a condition, and how to stop it, under the title', () => {
    // Prepare
    const gate = {
      post: true,
      reason: 'AmazonEC2 $182.10 yesterday against a median of $40.05: anomaly',
    };
    const conditioned = reportMessage({
      request: request({
        kind: 'digest',
        subscription: { id: 'k3m9x2qa', condition: { kind: 'anomaly' } },
      }),
      summary: summary({ anomalies: [EC2_SPIKE] }),
      chart: CHART,
      link: link(),
      gate,
    });
    const unconditioned = reportMessage({
      request: request({ kind: 'digest', subscription: { id: 'w33k1y01' } }),
      summary: summary(),
      chart: CHART,
      link: link(),
      gate: { post: true, reason: 'no condition' },
    });
    const command = message({});

    // Assess
    assert.equal(conditioned.blocks[1]?.type, 'context');
    assert.equal(
      contextTexts(conditioned)[0],
      'Posted by subscription `k3m9x2qa` because AmazonEC2 $182.10 yesterday against a median of $40.05: anomaly · `/aws-cost unsubscribe k3m9x2qa` stops it',
    );
    assert.equal(
      contextTexts(unconditioned)[0],
      'Posted by subscription `w33k1y01` · `/aws-cost unsubscribe w33k1y01` stops it',
    );
    assert.doesNotMatch(mrkdwnTexts(command).join('\n'), /Posted by subscription/);
  });

  it("names a channel's own subscription a scheduled report, and the stack's digest the morning digest", () => {
    // Act
    const own = message({ request: { kind: 'digest', subscription: { id: 'w33k1y01' } } });
    const digest = message({ request: { kind: 'digest', subscription: { id: 'digest' } } });
    const unnamed = message({ request: { kind: 'digest' } });

    // Assess
    assert.match(blocksOf(own, 'header')[0]?.text.text ?? '', /^Scheduled cost report · /);
    assert.match(blocksOf(digest, 'header')[0]?.text.text ?? '', /^Morning cost digest · /);
    assert.match(blocksOf(unnamed, 'header')[0]?.text.text ?? '', /^Morning cost digest · /);
  });
});
