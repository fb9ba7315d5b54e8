/**
 * Block Kit for the cost report, a metric chart and a failed report. Pure: the same input
 * gives the same message, so it is tested without Slack.
 */
import type { KnownBlock } from '@slack/types';
import { ANOMALY_PARAMETERS } from './anomaly.ts';
import { consoleUrl } from './cloudwatch-console.ts';
import {
  type AmountChange,
  type Anomaly,
  type ChartLinks,
  type CostSummary,
  DIGEST_SUBSCRIPTION_ID,
  type Gate,
  type MetricPeriod,
  type MetricRequest,
  type MetricSummary,
  type ReportRequest,
  type SignedLink,
  type StableLink,
  type StoredChart,
} from './contract.ts';
import { neighbourPeriods, periodLabel, resolutionLabel } from './metric-period.ts';
import { type ReportUsage, reportCostLine } from './report-cost.ts';

export interface SlackMessage {
  /** Notification and screen-reader text. */
  text: string;
  blocks: KnownBlock[];
}

/** Block and action ids the bot's button handlers find and replace. */
export const BLOCK_IDS = { image: 'chart_image', link: 'chart_link', actions: 'report_actions' };
export const ACTION_IDS = {
  refreshLink: 'refresh_link',
  last30Days: 'report_30d',
  /** A metric chart's neighbouring periods: two ids, as ids are unique within a block. */
  shorterPeriod: 'metric_shorter',
  longerPeriod: 'metric_longer',
  /** A subscription in `/aws-cost subscriptions`; the value is its id, never a channel. */
  removeSubscription: 'subscription_remove',
  runSubscription: 'subscription_run',
};

/** What the "Last 30 days" button carries: the same scope, another period. */
export interface RerunValue {
  service?: string;
  accounts?: string[];
}

/** Slack's limit on an image block's `image_url`. */
export const MAX_IMAGE_URL = 3000;

/** Escapes the three characters mrkdwn treats as control, so no text can inject mentions. */
export function escapeMrkdwn(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

/**
 * Slack's three entities decoded in one pass (`&amp;lt;` is `&lt;`, not `<`): what
 * {@link escapeMrkdwn} escaped, or what a person typed, back as plain text.
 */
export function plainText(mrkdwn: string): string {
  return mrkdwn.replace(/&(amp|lt|gt);/g, (_, name: string) =>
    name === 'amp' ? '&' : name === 'lt' ? '<' : '>',
  );
}

export function usd(amount: number): string {
  const sign = amount < 0 ? '-' : '';
  return `${sign}$${Math.abs(amount).toLocaleString('en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })}`;
}

function change(c: AmountChange | null, against: string): string {
  if (!c) return `no data for ${against}`;
  const arrow = c.amount > 0.004 ? '▲' : c.amount < -0.004 ? '▼' : '▶';
  const plus = c.amount > 0 ? '+' : '';
  const pct = c.percent === null ? '' : ` (${plus}${c.percent.toFixed(1)}%)`;
  return `${arrow} ${plus}${usd(c.amount)}${pct} vs ${against}`;
}

/** `Nov 29, 06:00 UTC` */
export function utcStamp(iso: string): string {
  const d = new Date(iso);
  const month = d.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const time = d.toISOString().slice(11, 16);
  return `${month} ${d.getUTCDate()}, ${time} UTC`;
}

/**
 * The chart link and its expiry: the block "Refresh link" replaces. A stable link re-signs on
 * each view, so it works until the chart itself expires.
 */
export function linkBlock(link: SignedLink | StableLink): KnownBlock {
  const until = 'accessKeyId' in link ? 'link expires' : 'chart kept until';
  return {
    type: 'context',
    block_id: BLOCK_IDS.link,
    elements: [
      {
        type: 'mrkdwn',
        text: `<${link.url}|Open chart> · ${until} ${utcStamp(link.expiresAt)}`,
      },
    ],
  };
}

/**
 * The blocks of a posted report with a fresh link: image and link replaced, the rest (the
 * figures as they were) untouched. Used by "Refresh link": no re-render, no new fetch.
 */
export function withFreshLink(blocks: KnownBlock[], link: SignedLink): KnownBlock[] {
  return blocks.map((block) => {
    if (block.block_id === BLOCK_IDS.image && block.type === 'image') {
      return { ...block, image_url: link.url };
    }
    if (block.block_id === BLOCK_IDS.link) return linkBlock(link);
    return block;
  });
}

function refreshButton(key: string) {
  return {
    type: 'button' as const,
    action_id: ACTION_IDS.refreshLink,
    text: { type: 'plain_text' as const, text: 'Refresh link' },
    value: key,
  };
}

/**
 * The link a chart message shows: the stable one when stable links are on (the image and
 * "Open chart" use it, and there is no "Refresh link"), else Sign's presigned link.
 */
function shownLink(links: ChartLinks): SignedLink | StableLink {
  return links.stableLink === undefined ? links.link : links.stableLink;
}

/** The chart's image (when its URL fits Slack's limit) and its link. */
function chartBlocks(link: SignedLink | StableLink, title: string): KnownBlock[] {
  const image: KnownBlock[] =
    link.url.length <= MAX_IMAGE_URL
      ? [
          {
            type: 'image',
            block_id: BLOCK_IDS.image,
            image_url: link.url,
            alt_text: escapeMrkdwn(title).slice(0, 2000),
          },
        ]
      : [];
  return [...image, linkBlock(link)];
}

/** The report's buttons; none when a stable link needs no refresh and the period is 30 days. */
function reportActions(
  key: string,
  request: ReportRequest,
  preset: string,
  refresh: boolean,
): KnownBlock[] {
  const rerun: RerunValue = {
    ...(request.service ? { service: request.service } : {}),
    ...(request.accounts ? { accounts: request.accounts } : {}),
  };
  const elements = [
    ...(refresh ? [refreshButton(key)] : []),
    ...(preset === '30d'
      ? []
      : [
          {
            type: 'button' as const,
            action_id: ACTION_IDS.last30Days,
            text: { type: 'plain_text' as const, text: 'Last 30 days' },
            value: JSON.stringify(rerun),
          },
        ]),
  ];
  return elements.length === 0 ? [] : [{ type: 'actions', block_id: BLOCK_IDS.actions, elements }];
}

/** What a report is, in its header: a channel's own subscription is not "the morning digest". */
function reportKindWords(request: ReportRequest): string {
  if (request.kind !== 'digest') return 'AWS cost';
  const id = request.subscription?.id;
  return id === undefined || id === DIGEST_SUBSCRIPTION_ID
    ? 'Morning cost digest'
    : 'Scheduled cost report';
}

function title(request: ReportRequest, summary: CostSummary): string {
  const what = reportKindWords(request);
  const scope = request.service ? ` · ${request.service}` : '';
  return `${what}${scope} · ${summary.period.label}`;
}

/** ` · this report: 2 CloudWatch requests, …`: what the report cost AWS, when it was counted. */
function costNote(usage: ReportUsage | undefined): string {
  return usage ? ` · ${reportCostLine(usage)}` : '';
}

/** Anomalous lines listed in a message; the rest are counted. */
export const MAX_ANOMALY_LINES = 5;

/** `AmazonEC2 $182.10 yesterday, median $40.05 ± $2.97 (MAD) of the 28 days before: +$142.05` */
function anomalyLine(anomaly: Anomaly): string {
  const name = escapeMrkdwn(anomaly.name);
  const days = ANOMALY_PARAMETERS.historyDays;
  return anomaly.kind === 'new'
    ? `:warning: ${name} ${usd(anomaly.yesterday)} yesterday, new: nothing spent in the ${days} days before`
    : `:warning: ${name} ${usd(anomaly.yesterday)} yesterday, median ${usd(anomaly.median)} ± ${usd(anomaly.mad)} (MAD) of the ${days} days before: +${usd(anomaly.excess)}`;
}

/** The anomalous lines, what they spent and against what baseline; none without any. */
function anomalyBlocks(summary: CostSummary): KnownBlock[] {
  const { anomalies } = summary;
  if (anomalies.length === 0) return [];
  const more = anomalies.length - MAX_ANOMALY_LINES;
  const lines = [
    ...anomalies.slice(0, MAX_ANOMALY_LINES).map(anomalyLine),
    ...(more > 0 ? [`and ${more} more`] : []),
  ];
  const what = summary.topBy === 'account' ? 'accounts' : 'services';
  return [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `*Unusual spend yesterday (${what})*\n${lines.join('\n')}` },
    },
  ];
}

/**
 * Which subscription posted the report, why when it posts only on a condition, and how the
 * channel stops it: a report nobody in the channel asked for today says where it comes from.
 */
function subscriptionBlocks(request: ReportRequest, gate: Gate | undefined): KnownBlock[] {
  const subscription = request.subscription;
  if (!subscription) return [];
  const id = escapeMrkdwn(subscription.id);
  const why = subscription.condition && gate?.post ? ` because ${escapeMrkdwn(gate.reason)}` : '';
  return [
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Posted by subscription \`${id}\`${why} · \`/aws-cost unsubscribe ${id}\` stops it`,
        },
      ],
    },
  ];
}

export function reportMessage(
  input: {
    request: ReportRequest;
    summary: CostSummary;
    chart: StoredChart;
    /** Summarize's verdict on the request's condition: a conditioned report says why it posted. */
    gate?: Gate;
  } & ChartLinks,
): SlackMessage {
  const { request, summary } = input;
  const link = shownLink(input);
  const y = summary.yesterday;
  const fields = [
    `*Month to date*\n${usd(summary.monthToDate)}`,
    // The month-to-date period's total is the figure above; other periods add their own.
    ...(summary.period.preset === 'mtd'
      ? []
      : [`*${escapeMrkdwn(summary.period.label)}*\n${usd(summary.periodTotal)}`]),
    y
      ? `*Yesterday (${y.date})*\n${usd(y.amount)}  ${change(summary.changeVsDayBefore, 'day before')}`
      : '*Yesterday*\nno data yet',
    summary.sevenDayAverage === null
      ? '*7-day average*\nnot enough data'
      : `*7-day average*\n${usd(summary.sevenDayAverage)}/day  ${change(summary.changeVsSevenDayAverage, 'average')}`,
  ];
  if (summary.forecast) {
    fields.push(
      `*Month-end forecast*\n${usd(summary.forecast.monthEnd)} (at ${usd(summary.forecast.dailyRate)}/day)`,
    );
  }
  const anomalous = new Set(summary.anomalies.map((anomaly) => anomaly.name));
  const topLines = summary.top.map(
    (item, i) =>
      `${i + 1}. ${escapeMrkdwn(item.name)}: ${usd(item.amount)} (${(item.share * 100).toFixed(0)}%)${
        anomalous.has(item.name) ? ' :warning:' : ''
      }`,
  );
  const heading = summary.topBy === 'account' ? 'Top accounts' : 'Top services';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title(request, summary).slice(0, 150) } },
    ...subscriptionBlocks(request, input.gate),
    {
      type: 'section',
      fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })),
    },
    ...anomalyBlocks(summary),
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${heading}, ${escapeMrkdwn(summary.period.label)}*\n${topLines.join('\n') || 'No spend recorded in this period.'}`,
      },
    },
  ];
  const fresh = summary.dataAsOf ? ` · billing data to ${utcStamp(summary.dataAsOf)}` : '';
  blocks.push(...chartBlocks(link, summary.chart.title), {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `as of ${utcStamp(summary.asOf)}${fresh} · source: CloudWatch AWS/Billing${costNote(summary.usage)}`,
      },
    ],
  });
  blocks.push(...reportActions(input.chart.key, request, summary.period.preset, !input.stableLink));
  // Notification text is mrkdwn too: a service name must not become a mention there either.
  const named = summary.anomalies.slice(0, MAX_ANOMALY_LINES).map((a) => escapeMrkdwn(a.name));
  const others = summary.anomalies.length - named.length;
  const unusual =
    named.length > 0
      ? ` Unusual yesterday: ${named.join(', ')}${others > 0 ? ` and ${others} more` : ''}.`
      : '';
  const text = `${escapeMrkdwn(title(request, summary))}: ${usd(summary.monthToDate)} month to date${
    y ? `, ${usd(y.amount)} yesterday` : ''
  }.${unusual}`;
  return { text, blocks };
}

export function failureMessage(input: {
  request: ReportRequest;
  /** Already mrkdwn-safe explanation lines. */
  explanation: string;
  errorName: string;
}): SlackMessage {
  const { request } = input;
  const what = request.kind === 'digest' ? 'The morning cost digest' : 'Your cost report';
  const text = `${what} could not be produced (${input.errorName}).`;
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: 'Cost report failed' } },
      {
        type: 'section',
        text: { type: 'mrkdwn', text: `${escapeMrkdwn(text)}\n${input.explanation}` },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: `request ${escapeMrkdwn(request.requestId)} · \`/aws-cost doctor\` checks the setup`,
          },
        ],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Metric charts

/** Slack's limit on a button's `value`. */
const MAX_BUTTON_VALUE = 2000;

/**
 * `AWS/Lambda Errors FunctionName=api,worker`: the metric and its dimensions, the split's
 * values as asked (`*` included).
 */
export function metricDescription(metric: MetricRequest): string {
  const split = metric.split
    ? [`${metric.split.name}=${metric.split.values === '*' ? '*' : metric.split.values.join(',')}`]
    : [];
  return [
    metric.namespace,
    metric.metricName,
    ...metric.dimensions.map((d) => `${d.name}=${d.value}`),
    ...split,
  ].join(' ');
}

/**
 * A figure as people read it: at most 4 significant digits, thousands grouped, no exponent
 * (`1,234`, `2.125`, `0.0123`); `–` for none.
 */
export function metricFigure(value: number | null | undefined): string {
  if (value === null || value === undefined) return '–';
  const options =
    Math.abs(value) >= 10_000 ? { maximumFractionDigits: 0 } : { maximumSignificantDigits: 4 };
  return value.toLocaleString('en-US', options);
}

function metricTitle(metric: MetricSummary['metric']): string {
  return `${metricDescription(metric)} (${metric.stat}) · ${metric.periodLabel}`;
}

/** The neighbouring periods of a metric chart as buttons carrying the same metric. */
function periodButtons(metric: MetricSummary['metric']) {
  const { shorter, longer } = neighbourPeriods(metric.period);
  const request: MetricRequest = {
    namespace: metric.namespace,
    metricName: metric.metricName,
    dimensions: metric.dimensions,
    ...(metric.split ? { split: metric.split } : {}),
    stat: metric.stat,
    period: metric.period,
  };
  const button = (actionId: string, period: MetricPeriod) => ({
    type: 'button' as const,
    action_id: actionId,
    text: { type: 'plain_text' as const, text: periodLabel(period) },
    value: JSON.stringify({ ...request, period }),
  });
  return [
    ...(shorter ? [button(ACTION_IDS.shorterPeriod, shorter)] : []),
    ...(longer ? [button(ACTION_IDS.longerPeriod, longer)] : []),
  ].filter((b) => b.value.length <= MAX_BUTTON_VALUE);
}

/**
 * A metric chart's reply: a header naming the metric, its dimensions, the statistic and the
 * period; each line's latest, minimum, maximum, average (and sum for `Sum`) in CloudWatch's
 * unit; the chart; a context line with the namespace, the resolution, the newest point and a
 * link to the same metric in the CloudWatch console; buttons for the neighbouring periods.
 */
export function metricMessage(
  input: {
    summary: MetricSummary;
    chart: StoredChart;
  } & ChartLinks,
): SlackMessage {
  const { metric } = input.summary;
  const link = shownLink(input);
  const title = metricTitle(metric);
  const per = resolutionLabel(metric.resolutionSeconds);
  const unit = metric.unit === 'None' ? 'no unit' : `in ${metric.unit}`;
  const lines = metric.series.map((s) => {
    const figures = [
      `latest ${metricFigure(s.latest)}`,
      `min ${metricFigure(s.min)}`,
      `max ${metricFigure(s.max)}`,
      `average ${metricFigure(s.average)}`,
      ...(s.sum === undefined ? [] : [`sum ${metricFigure(s.sum)}`]),
    ];
    return `*${escapeMrkdwn(s.name)}*  ${figures.join(' · ')}`;
  });
  const found =
    metric.found !== undefined && metric.found > metric.series.length
      ? `\nThe ${metric.series.length} largest of ${metric.found} values of ${escapeMrkdwn(metric.split?.name ?? '')}.`
      : '';
  const newest = metric.newest ? `newest point ${utcStamp(metric.newest)}` : 'no data points';
  const inConsole = consoleUrl({
    region: metric.region,
    namespace: metric.namespace,
    metricName: metric.metricName,
    lines: metric.series.map((s) => [
      ...metric.dimensions,
      ...(metric.split ? [{ name: metric.split.name, value: s.name }] : []),
    ]),
    stat: metric.stat,
    periodSeconds: metric.resolutionSeconds,
    start: metric.from,
    end: metric.to,
  });
  const buttons = [
    ...(input.stableLink ? [] : [refreshButton(input.chart.key)]),
    ...periodButtons(metric),
  ];
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150) } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*Per ${per} period, ${unit}*\n${lines.join('\n') || 'No lines: CloudWatch has no such metric.'}${found}`.slice(
          0,
          3000,
        ),
      },
    },
    ...chartBlocks(link, input.summary.chart.title),
    {
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `source: CloudWatch ${escapeMrkdwn(metric.namespace)} (${escapeMrkdwn(metric.region)}) · ${per} resolution · ${newest} · <${inConsole}|Open in CloudWatch>${costNote(input.summary.usage)}`,
        },
      ],
    },
    ...(buttons.length > 0
      ? [{ type: 'actions' as const, block_id: BLOCK_IDS.actions, elements: buttons }]
      : []),
  ];
  const latest = metric.series
    .slice(0, 3)
    .map((s) => `${escapeMrkdwn(s.name)} latest ${metricFigure(s.latest)}`)
    .join(', ');
  return { text: `${escapeMrkdwn(title)}${latest ? `: ${latest}` : ''}.`, blocks };
}
