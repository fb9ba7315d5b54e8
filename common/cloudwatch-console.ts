/**
 * A link that opens a metric chart's lines in the CloudWatch console of their region, over the
 * same window, statistic and period. Pure.
 *
 * @example
 * consoleUrl({ region: 'eu-west-1', namespace: 'AWS/Lambda', ... });
 * // https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#metricsV2?graph=~(metrics~(~(~'AWS*2fLambda~'Errors~'FunctionName~'api))~view~'timeSeries~...)
 *
 * The console reads its graph from the fragment in JSURL (objects `~(key~value)`, arrays
 * `~(~a~b)`, strings `~'text` with every character but letters, digits, `_ - .` written
 * `*xx` / `**xxxx`), so the link holds only characters that are safe in a URL and in mrkdwn.
 */

export interface ConsoleGraph {
  region: string;
  namespace: string;
  metricName: string;
  /** One entry per line: that line's dimensions in order. */
  lines: { name: string; value: string }[][];
  stat: string;
  periodSeconds: number;
  /** ISO times of the window. */
  start: string;
  end: string;
}

type Jsurl = string | number | boolean | Jsurl[] | { [key: string]: Jsurl };

function encodeText(text: string): string {
  return text.replace(/[^\w.-]/g, (ch) => {
    if (ch === '$') return '!';
    const code = ch.charCodeAt(0);
    return code < 0x100
      ? `*${code.toString(16).padStart(2, '0')}`
      : `**${code.toString(16).padStart(4, '0')}`;
  });
}

/** JSURL (https://github.com/Sage/jsurl) of `value`. */
export function jsurl(value: Jsurl): string {
  if (typeof value === 'string') return `~'${encodeText(value)}`;
  if (typeof value === 'number' || typeof value === 'boolean') return `~${value}`;
  if (Array.isArray(value)) return `~(${value.map(jsurl).join('') || '~'})`;
  const entries = Object.entries(value).map(([key, v]) => `${encodeText(key)}${jsurl(v)}`);
  return `~(${entries.join('~')})`;
}

export function consoleUrl(graph: ConsoleGraph): string {
  const metrics = graph.lines.map((dims) => [
    graph.namespace,
    graph.metricName,
    ...dims.flatMap((d) => [d.name, d.value]),
  ]);
  const state = jsurl({
    metrics,
    view: 'timeSeries',
    stacked: false,
    region: graph.region,
    stat: graph.stat,
    period: graph.periodSeconds,
    start: graph.start,
    end: graph.end,
  });
  const region = encodeURIComponent(graph.region);
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#metricsV2?graph=${state}`;
}
