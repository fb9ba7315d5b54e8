/**
 * Block Kit for the cost report and for a failed report. Pure: the same input gives the
 * same message, so it is tested without Slack.
 */
import type { KnownBlock } from '@slack/types';
import type {
  AmountChange,
  CostSummary,
  ReportRequest,
  SignedLink,
  StableLink,
  StoredChart,
} from './contract.ts';

export interface SlackMessage {
  /** Notification and screen-reader text. */
  text: string;
  blocks: KnownBlock[];
}

/** Block and action ids the bot's button handlers find and replace. */
export const BLOCK_IDS = { image: 'chart_image', link: 'chart_link', actions: 'report_actions' };
export const ACTION_IDS = { refreshLink: 'refresh_link', last30Days: 'report_30d' };

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
    ...(refresh
      ? [
          {
            type: 'button' as const,
            action_id: ACTION_IDS.refreshLink,
            text: { type: 'plain_text' as const, text: 'Refresh link' },
            value: key,
          },
        ]
      : []),
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

function title(request: ReportRequest, summary: CostSummary): string {
  const what = request.kind === 'digest' ? 'Morning cost digest' : 'AWS cost';
  const scope = request.service ? ` · ${request.service}` : '';
  return `${what}${scope} · ${summary.period.label}`;
}

export function reportMessage(input: {
  request: ReportRequest;
  summary: CostSummary;
  chart: StoredChart;
  link: SignedLink;
  /** When stable links are on: the image and "Open chart" use it, and no "Refresh link". */
  stableLink?: StableLink;
}): SlackMessage {
  const { request, summary } = input;
  const link = input.stableLink ?? input.link;
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
  const topLines = summary.top.map(
    (item, i) =>
      `${i + 1}. ${escapeMrkdwn(item.name)}: ${usd(item.amount)} (${(item.share * 100).toFixed(0)}%)`,
  );
  const heading = summary.topBy === 'account' ? 'Top accounts' : 'Top services';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: title(request, summary).slice(0, 150) } },
    {
      type: 'section',
      fields: fields.map((text) => ({ type: 'mrkdwn' as const, text })),
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: `*${heading}, ${escapeMrkdwn(summary.period.label)}*\n${topLines.join('\n') || 'No spend recorded in this period.'}`,
      },
    },
  ];
  if (link.url.length <= MAX_IMAGE_URL) {
    blocks.push({
      type: 'image',
      block_id: BLOCK_IDS.image,
      image_url: link.url,
      alt_text: escapeMrkdwn(summary.chart.title).slice(0, 2000),
    });
  }
  blocks.push(linkBlock(link), {
    type: 'context',
    elements: [
      {
        type: 'mrkdwn',
        text: `as of ${utcStamp(summary.asOf)} · source: CloudWatch AWS/Billing`,
      },
    ],
  });
  blocks.push(...reportActions(input.chart.key, request, summary.period.preset, !input.stableLink));
  // Notification text is mrkdwn too: a service name must not become a mention there either.
  const text = `${escapeMrkdwn(title(request, summary))}: ${usd(summary.monthToDate)} month to date${
    y ? `, ${usd(y.amount)} yesterday` : ''
  }.`;
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
