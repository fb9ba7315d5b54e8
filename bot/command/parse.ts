/**
 * The `/aws-cost` slash command: its text parsed into what to do. Pure: no I/O, never throws,
 * the same text always gives the same result.
 *
 * Grammar (keywords, periods and statistics are case-insensitive; words are separated by any
 * run of whitespace; names keep their case):
 *
 *   command  := ''                                      report, month to date
 *             | period                                  report for that period
 *             | 'service' NAME [period]                 report for one service
 *             | ('account' | 'accounts') IDS [period]   report for linked accounts
 *             | 'chart' 'cost' [period]                 chart of daily cost
 *             | 'chart' NAMESPACE METRIC DIM* [mperiod] [stat]  (mperiod, stat in either order)
 *             | 'digest'                                post the morning digest now
 *             | 'doctor'                                check the setup, reply with what to fix
 *             | 'subscribe' when TIME [ZONE] report ['if' condition]  a report on a schedule
 *             | 'subscriptions'                         the channel's subscriptions
 *             | 'unsubscribe' ID                        remove one of them
 *             | 'help' ...                              help (any further words are ignored)
 *   report   := [period] | 'service' NAME [period] | ('account' | 'accounts') IDS [period]
 *               (a report's options, read by the same code)
 *   period   := '7d' | '30d' | 'mtd' | 'last-month' | 'lastmonth'      default 'mtd'
 *   mperiod  := '1h' | '3h' | '6h' | '12h' | '24h' | '3d' | '7d' | '14d' | '30d'  default '24h'
 *   NAME     := [A-Za-z0-9._-]{1,64}, one word, as AWS/Billing `ServiceName` (e.g. AmazonEC2)
 *   IDS      := 12-digit account ids separated by commas and/or spaces; duplicates dropped.
 *               MAX_LENGTH allows 37 at most, under every request's MAX_ACCOUNTS (50)
 *   NAMESPACE:= [A-Za-z0-9._/#:-]{1,255} not starting with ':' (AWS/Lambda, MyApp/Orders)
 *   METRIC   := [A-Za-z0-9._-]{1,255}, and not a period word
 *   DIM      := Name=Value, at most 30, names unique. Name [A-Za-z0-9._:/-]{1,255}; Value
 *               1..1024 printable ASCII characters other than = < > & " ' ` and ','
 *             | Name=Value,Value,...   one line per value, at most 10, duplicates dropped
 *             | Name=*                 one line per value ListMetrics finds, the 10 largest
 *               At most one dimension lists values or '*'.
 *   stat     := Sum (default) | Average | Maximum | Minimum | SampleCount | pNN | pNN.N
 *               (percentiles p0 .. p99.9, no leading zero); written back in CloudWatch's spelling
 *   when     := 'daily' | 'weekdays' | 'weekly' DAY | 'monthly' 1..28 (every month has the day)
 *   DAY      := mon | tue | wed | thu | fri | sat | sun, or the full name (monday, ...)
 *   TIME     := H:MM or HH:MM, 00:00 .. 23:59, written back as HH:MM
 *   ZONE     := a time zone Intl knows by IANA name (Europe/Paris, UTC), written back in Intl's
 *               spelling (europe/paris → Europe/Paris); absent: the deployment's digest zone
 *   condition:= 'yesterday' '>' DOLLARS | 'change' '>' PERCENT | 'anomaly'
 *   DOLLARS  := [$]N, up to 2 decimals, thousands commas allowed; above 0, at most 1,000,000
 *   PERCENT  := N[%], up to 2 decimals ('%' may be a word of its own); 1 .. 1000
 *   ID       := [a-z0-9]{1,16}, any case, written back lowercase
 *
 * Decisions:
 * - Checked before any parsing, in this order: more than {@link MAX_LENGTH} UTF-16 code units;
 *   a control character (C0 other than tab, LF, CR, which count as whitespace; DEL; C1);
 *   Slack markup, i.e. any raw `<` or `>` (mentions `<@U1>`, `<!channel>`, links `<http://x|y>`:
 *   Slack escapes a typed `<` as `&lt;`, so a raw one is always markup); more than
 *   {@link MAX_WORDS} words.
 * - Slack's three entities (`&amp;` `&lt;` `&gt;`) are then decoded, so an error quotes what the
 *   person typed. None of `& < >` is valid anywhere in the grammar.
 * - An hour period on a cost report (`/aws-cost 24h`) gets the unknown-period error, which
 *   says hour periods are for metric charts; `mtd` on a metric chart likewise names the periods
 *   a metric chart takes. A comma in a dimension value always separates values: a value with a
 *   comma cannot be asked for.
 * - `last month` (two words) is not accepted: periods are always one word. Words that look like
 *   a period (starting with a digit or sign, or with `last`) get the unknown-period error, so
 *   `-7d` and `99999999999d` never reach any number parsing.
 * - Account names/aliases cannot be resolved offline, and the error says so.
 * - A subscription's time zone is the word right after the time, unless that word starts the
 *   report options (a period, `service`, `account`, `if`); a zone further on, or a schedule or
 *   time said again, gets its own error. A condition's `>` arrives as `&gt;` (Slack escapes it)
 *   and is decoded like any entity; `>=` and `<` are refused, as is anything after the
 *   condition (a second `if` included).
 * - `service` and `account` do not combine. A service name may not look like a period (`8d`);
 *   a metric name may look like a statistic (`MyApp/Latency p99` is the metric `p99`) but not
 *   be a period word.
 * - Errors are one short sentence, safe as mrkdwn: the offending word is quoted, cut to
 *   {@link QUOTE_MAX} characters and escaped with `escapeMrkdwn`; fixed text has no `< > &`.
 */
import type {
  MetricPeriod,
  MetricRequest,
  PeriodPreset,
  WatchCondition,
} from '../../common/contract.ts';
import {
  ACCOUNT_ID,
  DIMENSION_NAME,
  DIMENSION_VALUE,
  MAX_CHANGE_PERCENT,
  MAX_DIMENSIONS,
  MAX_SPLIT_VALUES,
  MAX_THRESHOLD_DOLLARS,
  METRIC_NAME,
  MIN_CHANGE_PERCENT,
  NAMESPACE,
  PERCENTILE,
  SERVICE_NAME,
  SUBSCRIPTION_ID,
} from '../../common/contract-schema.ts';
import {
  DEFAULT_METRIC_PERIOD,
  isMetricPeriod,
  METRIC_PERIOD_NAMES,
} from '../../common/metric-period.ts';
import { escapeMrkdwn, plainText } from '../../common/slack-message.ts';
import {
  type Cadence,
  MAX_MONTH_DAY,
  type SubscriptionReport,
  type Weekday,
} from '../../common/subscription.ts';

export type ParsedCommand =
  | { kind: 'help' }
  | { kind: 'report'; period: PeriodPreset; service?: string; accounts?: string[] }
  /** A chart of cost. */
  | { kind: 'chart'; period: PeriodPreset }
  /** A chart of a CloudWatch metric; its window is `metric.period`. */
  | { kind: 'chart'; metric: MetricRequest }
  | { kind: 'digest' }
  | { kind: 'doctor' }
  /**
   * A standing report on a schedule (`common/subscription.ts`). `timeZone` is absent when the
   * command names none: the listener uses the deployment's digest time zone.
   */
  | {
      kind: 'subscribe';
      cadence: Cadence;
      /** `HH:MM`, two-digit hour. */
      time: string;
      /** Canonical IANA name (Intl's spelling), e.g. `Europe/Paris`. */
      timeZone?: string;
      report: SubscriptionReport;
      condition?: WatchCondition;
    }
  /** The channel's subscriptions. */
  | { kind: 'subscriptions' }
  /** Remove the channel's subscription `id` (`[a-z0-9]{1,16}`, lowercased). */
  | { kind: 'unsubscribe'; id: string };

export type ParseResult = { ok: true; command: ParsedCommand } | { ok: false; error: string };

/** Longest command text accepted, in UTF-16 code units (`text.length`). */
export const MAX_LENGTH = 500;
/** `chart` NAMESPACE METRIC, 30 dimensions, period and stat. */
export const MAX_WORDS = 35;
/** The bounds every request shares (`common/contract-schema.ts`). */
export { MAX_DIMENSIONS, MAX_SPLIT_VALUES };
/** Characters of an offending word quoted in an error. */
export const QUOTE_MAX = 40;

/** mrkdwn usage text shown by `/aws-cost help` and after every error. */
export const USAGE = [
  '*Usage:* `/aws-cost [what] [period]`, period `7d`, `30d`, `mtd` (the default) or `last-month`, days in UTC.',
  '• `/aws-cost`: cost report, month to date; `/aws-cost 7d`: the last 7 days (likewise `30d`, `last-month`)',
  '• `/aws-cost service AmazonEC2 30d`: one service, one word as in the AWS/Billing `ServiceName`',
  '• `/aws-cost account 123456789012,210987654321 7d`: linked accounts by 12-digit id (names cannot be looked up)',
  '• `/aws-cost chart cost 30d`: a chart of daily cost',
  '• `/aws-cost chart AWS/Lambda Duration FunctionName=api 7d p99`: a chart of a CloudWatch metric: namespace, metric name, up to 30 `Name=Value` dimensions, then period (`1h`, `3h`, `6h`, `12h`, `24h` (the default), `3d`, `7d`, `14d`, `30d`) and statistic in either order (`Sum` by default, `Average`, `Maximum`, `Minimum`, `SampleCount` or a percentile such as `p50`, `p90`, `p99.9`)',
  '• `/aws-cost chart AWS/Lambda Errors FunctionName=api,worker 24h`: one line per value (up to 10); `FunctionName=*`: the 10 largest of every value CloudWatch has',
  '• `/aws-cost digest`: post the morning digest now',
  "• `/aws-cost subscribe weekdays 09:00 Europe/Paris service AmazonEC2 7d if yesterday &gt; 250`: post a report to this channel on a schedule: `daily`, `weekdays`, `weekly mon` (any day), `monthly 15` (1 to 28), at `HH:MM` in an IANA time zone (the deployment's by default), with the options of a report; only `if yesterday &gt; 250` (dollars), `if change &gt; 20%` (against the 7-day average) or `if anomaly`, if given",
  "• `/aws-cost subscriptions`: this channel's subscriptions, each with a Remove button",
  '• `/aws-cost unsubscribe k3m9x2qa`: remove one by its id',
  '• `/aws-cost doctor`: check the setup (parameters, bucket, billing metrics, Slack) and say what to fix',
  '• `/aws-cost help`: this help',
].join('\n');

/** What a mistyped subscription command is shown: its own three lines, not all of {@link USAGE}. */
export const SUBSCRIPTION_USAGE = [
  '*Subscriptions* (`/aws-cost help` lists every command):',
  ...USAGE.split('\n').filter((line) => /^• `\/aws-cost (?:un)?subscri/.test(line)),
].join('\n');

/**
 * The reply for a bad command: the error, then the usage of what was typed ({@link
 * SUBSCRIPTION_USAGE} after `subscribe`, `subscriptions` or `unsubscribe`, else {@link USAGE}).
 * The error is escaped for mrkdwn without escaping twice: `&amp;` `&lt;` `&gt;` already in it
 * (as in every `parseCommand` error) are kept, any other `&` and every raw `<` `>` is escaped,
 * so no text can form markup.
 */
export function usageReply(error: string, text = ''): string {
  const safe = error
    .replace(/&(?!(?:amp|lt|gt);)/g, '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;');
  const usage = /^\s*(?:un)?subscri(?:be|ptions)\b/i.test(text) ? SUBSCRIPTION_USAGE : USAGE;
  return `${safe}\n\n${usage}`;
}

const PERIODS: Record<string, PeriodPreset> = {
  '7d': '7d',
  '30d': '30d',
  mtd: 'mtd',
  'last-month': 'last-month',
  lastmonth: 'last-month',
};

const STATS: Record<string, string> = {
  sum: 'Sum',
  average: 'Average',
  maximum: 'Maximum',
  minimum: 'Minimum',
  samplecount: 'SampleCount',
};

const PERIOD_HELP = 'use 7d, 30d, mtd or last-month';
const METRIC_PERIOD_HELP = `metric charts take ${METRIC_PERIOD_NAMES.join(', ')}`;
const STAT_HELP = 'use Sum, Average, Maximum, Minimum, SampleCount or a percentile p0 to p99.9';

const ID_LIST = /^[\d,]+$/;
/** C0 controls except tab, LF, CR; DEL; C1 controls. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
/** Slack markup: a whole `<...>` when it closes, else the bare bracket. */
const MARKUP = /<[^<>]*>|[<>]/;

/** `"word"`, cut to {@link QUOTE_MAX} characters (not splitting a surrogate pair), escaped. */
function quote(word: string): string {
  const chars = Array.from(word);
  const cut = chars.length > QUOTE_MAX ? `${chars.slice(0, QUOTE_MAX).join('')}…` : word;
  return `"${escapeMrkdwn(cut)}"`;
}

type Failure = { ok: false; error: string };
type ReportCommand = Extract<ParsedCommand, { kind: 'report' }>;
/** What the report options parse to: a report, as a subscription's report options too. */
type ReportResult = { ok: true; command: ReportCommand } | Failure;

function fail(error: string): Failure {
  return { ok: false, error };
}

function ok<C extends ParsedCommand>(command: C): { ok: true; command: C } {
  return { ok: true, command };
}

function periodOf(word: string): PeriodPreset | undefined {
  return Object.hasOwn(PERIODS, word.toLowerCase()) ? PERIODS[word.toLowerCase()] : undefined;
}

function metricPeriodOf(word: string): MetricPeriod | undefined {
  const lower = word.toLowerCase();
  return isMetricPeriod(lower) ? lower : undefined;
}

/** Words meant as a period but not one: `8d`, `-7d`, `1w`, `last`, `last-week`. */
function looksLikePeriod(word: string): boolean {
  return /^(?:[+-]?\d|last)/i.test(word);
}

function statOf(word: string): string | undefined {
  const lower = word.toLowerCase();
  if (Object.hasOwn(STATS, lower)) return STATS[lower];
  return PERCENTILE.test(lower) ? lower : undefined;
}

function looksLikeStat(word: string): boolean {
  return /^(?:p[\d.]|avg$|mean$|median$|max$|min$|count$|total$)/i.test(word);
}

function unknownPeriod(word: string): string {
  const hint = metricPeriodOf(word) ? ' (hour periods are for metric charts)' : '';
  return `Unknown period ${quote(word)}: ${PERIOD_HELP}${hint}.`;
}

function unknownMetricPeriod(word: string): string {
  return `Unknown period ${quote(word)}: ${METRIC_PERIOD_HELP}.`;
}

/** How the words after a command's arguments are read: cost periods, or a metric's and a stat. */
interface TailGrammar<P> {
  periodOf: (word: string) => P | undefined;
  defaultPeriod: P;
  withStat: boolean;
  unknownPeriod: (word: string) => string;
}

const COST_TAIL: TailGrammar<PeriodPreset> = {
  periodOf,
  defaultPeriod: 'mtd',
  withStat: false,
  unknownPeriod,
};

const METRIC_TAIL: TailGrammar<MetricPeriod> = {
  periodOf: metricPeriodOf,
  defaultPeriod: DEFAULT_METRIC_PERIOD,
  withStat: true,
  unknownPeriod: unknownMetricPeriod,
};

/**
 * The optional words after a command's arguments: one period, and with `withStat` one
 * statistic, in either order. `unknown` phrases the error for any other word.
 */
function tail<P>(
  words: string[],
  grammar: TailGrammar<P>,
  unknown: (word: string) => string,
): { ok: true; period: P; stat?: string } | { ok: false; error: string } {
  const { withStat } = grammar;
  let period: P | undefined;
  let stat: string | undefined;
  for (const word of words) {
    const p = grammar.periodOf(word);
    if (p) {
      if (period) return { ok: false, error: `The period is given twice (${quote(word)}).` };
      period = p;
      continue;
    }
    const s = withStat ? statOf(word) : undefined;
    if (s) {
      if (stat) return { ok: false, error: `The statistic is given twice (${quote(word)}).` };
      stat = s;
      continue;
    }
    if (looksLikePeriod(word) || periodOf(word)) {
      return { ok: false, error: grammar.unknownPeriod(word) };
    }
    if (withStat && looksLikeStat(word)) {
      return { ok: false, error: `Unknown statistic ${quote(word)}: ${STAT_HELP}.` };
    }
    return { ok: false, error: unknown(word) };
  }
  const chosen = period ?? grammar.defaultPeriod;
  return stat ? { ok: true, period: chosen, stat } : { ok: true, period: chosen };
}

const unknownWord = (word: string) => `Unknown word ${quote(word)}.`;

function parseService(rest: string[]): ReportResult {
  const [name, ...more] = rest;
  if (name === undefined) return fail('Name a service, e.g. "service AmazonEC2".');
  if (periodOf(name) || looksLikePeriod(name)) {
    return fail('Name the service before the period, e.g. "service AmazonEC2 7d".');
  }
  if (!SERVICE_NAME.test(name)) {
    return fail(
      `Service names are one word of letters, digits, ".", "_" or "-" (max 64); got ${quote(name)}.`,
    );
  }
  const t = tail(
    more,
    COST_TAIL,
    (word) => `Unknown word ${quote(word)} (service names are one word, e.g. AmazonEC2).`,
  );
  if (!t.ok) return fail(t.error);
  return ok({ kind: 'report', period: t.period, service: name });
}

function parseAccounts(rest: string[]): ReportResult {
  const idWords: string[] = [];
  let i = 0;
  for (; i < rest.length; i++) {
    const word = rest[i] as string;
    if (!ID_LIST.test(word)) break;
    idWords.push(word);
  }
  const ids = idWords
    .join(',')
    .split(',')
    .filter((id) => id !== '');
  const after = rest.slice(i);
  if (ids.length === 0) {
    const first = after[0];
    if (first === undefined || periodOf(first)) {
      return fail('Name the accounts by 12-digit id, e.g. "account 123456789012".');
    }
    return fail(aliasError(first));
  }
  const bad = ids.find((id) => !ACCOUNT_ID.test(id));
  if (bad !== undefined) return fail(`Account ids are 12 digits; got ${quote(bad)}.`);
  const t = tail(after, COST_TAIL, aliasError);
  if (!t.ok) return fail(t.error);
  return ok({ kind: 'report', period: t.period, accounts: [...new Set(ids)] });
}

function aliasError(word: string): string {
  return `Account ids are 12 digits; got ${quote(word)} (account names cannot be looked up).`;
}

function parseChart(rest: string[]): ParseResult {
  const [first, ...more] = rest;
  if (first === undefined) {
    return fail('Say what to chart, e.g. "chart cost" or "chart AWS/Lambda Errors".');
  }
  if (first.toLowerCase() === 'cost') {
    const t = tail(more, COST_TAIL, unknownWord);
    if (!t.ok) return fail(t.error);
    return ok({ kind: 'chart', period: t.period });
  }
  if (periodOf(first) || metricPeriodOf(first)) {
    return fail('Say what to chart before the period, e.g. "chart cost 7d".');
  }
  if (!NAMESPACE.test(first)) {
    return fail(
      `Unknown namespace ${quote(first)}: one word like AWS/Lambda or MyApp/Orders, or "cost".`,
    );
  }
  const [metricName, ...args] = more;
  if (
    metricName === undefined ||
    metricName.includes('=') ||
    periodOf(metricName) ||
    metricPeriodOf(metricName)
  ) {
    return fail('Name the metric after the namespace, e.g. "chart AWS/Lambda Errors".');
  }
  if (!METRIC_NAME.test(metricName)) {
    return fail(
      `Metric names are one word of letters, digits, ".", "_" or "-"; got ${quote(metricName)}.`,
    );
  }
  const dimensions: MetricRequest['dimensions'] = [];
  let split: MetricRequest['split'];
  let i = 0;
  for (; i < args.length; i++) {
    const word = args[i] as string;
    const eq = word.indexOf('=');
    if (eq < 0) break;
    const name = word.slice(0, eq);
    const value = word.slice(eq + 1);
    if (!DIMENSION_NAME.test(name) || !DIMENSION_VALUE.test(value)) {
      return fail(`Dimensions are Name=Value, one word without quotes; got ${quote(word)}.`);
    }
    if (dimensions.some((d) => d.name === name) || split?.name === name) {
      return fail(`The dimension ${quote(name)} is given twice.`);
    }
    if (dimensions.length + (split ? 1 : 0) === MAX_DIMENSIONS) {
      return fail(`Too many dimensions (max ${MAX_DIMENSIONS}).`);
    }
    const values = dimensionValues(word, value);
    if (!values.ok) return fail(values.error);
    if (values.values.length === 1 && values.values[0] !== '*') {
      dimensions.push({ name, value });
      continue;
    }
    if (split) {
      return fail(
        `Only one dimension may list several values or *; got ${quote(split.name)} and ${quote(name)}.`,
      );
    }
    split = { name, values: values.values[0] === '*' ? '*' : values.values };
  }
  const after = args.slice(i);
  const misplaced = after.find((word) => word.includes('='));
  if (misplaced !== undefined) {
    return fail(`Put dimensions before the period and statistic; got ${quote(misplaced)}.`);
  }
  const t = tail(
    after,
    METRIC_TAIL,
    (word) => `Unknown word ${quote(word)} (metric names are one word; dimensions are Name=Value).`,
  );
  if (!t.ok) return fail(t.error);
  return ok({
    kind: 'chart',
    metric: {
      namespace: first,
      metricName,
      dimensions,
      ...(split ? { split } : {}),
      stat: t.stat ?? 'Sum',
      period: t.period,
    },
  });
}

/**
 * The values of `Name=a,b,c` (duplicates dropped, order kept), `['*']` for `Name=*`, or the
 * one value. `word` is the whole dimension, quoted in errors.
 */
function dimensionValues(
  word: string,
  value: string,
): { ok: true; values: string[] } | { ok: false; error: string } {
  const values = value.split(',');
  if (values.some((v) => v === '')) {
    return {
      ok: false,
      error: `Separate a dimension's values by single commas; got ${quote(word)}.`,
    };
  }
  if (values.length > 1 && values.includes('*')) {
    return {
      ok: false,
      error: `* stands alone (every value of the dimension); got ${quote(word)}.`,
    };
  }
  const unique = [...new Set(values)];
  if (unique.length > MAX_SPLIT_VALUES) {
    return {
      ok: false,
      error: `At most ${MAX_SPLIT_VALUES} values for one dimension; got ${unique.length} in ${quote(word)}.`,
    };
  }
  return { ok: true, values: unique };
}

/** A command of one word: any other word is an error. */
function alone(kind: 'digest' | 'doctor' | 'subscriptions', rest: string[]): ParseResult {
  return rest[0] === undefined
    ? ok({ kind })
    : fail(`"${kind}" takes no other words; got ${quote(rest[0])}.`);
}

/** A cost report: nothing (month to date), a period, `service NAME`, `account(s) IDS`. */
function parseReport(words: string[]): ReportResult {
  const [first, ...rest] = words;
  if (first === undefined) return ok({ kind: 'report', period: 'mtd' });
  switch (first.toLowerCase()) {
    case 'service':
      return parseService(rest);
    case 'account':
    case 'accounts':
      return parseAccounts(rest);
  }
  if (periodOf(first) || looksLikePeriod(first)) {
    const t = tail(words, COST_TAIL, unknownWord);
    if (!t.ok) return fail(t.error);
    return ok({ kind: 'report', period: t.period });
  }
  return fail(unknownWord(first));
}

const CADENCE_HELP = `use daily, weekdays, weekly and a day, or monthly and a day from 1 to ${MAX_MONTH_DAY}`;
const DAY_HELP = 'use mon, tue, wed, thu, fri, sat or sun';
const MONTH_DAY_HELP = `monthly takes a day from 1 to ${MAX_MONTH_DAY} (every month has it)`;
const TIME_HELP = 'HH:MM from 00:00 to 23:59';
const ZONE_HELP = 'use an IANA name such as Europe/Paris';
const CONDITION_HELP =
  'use "if yesterday &gt; 250" (dollars), "if change &gt; 20%" (against the 7-day average) or "if anomaly"';

const CADENCE_WORDS = new Set(['daily', 'weekdays', 'weekly', 'monthly']);
const DAYS: Record<string, Weekday> = {
  mon: 'mon',
  monday: 'mon',
  tue: 'tue',
  tuesday: 'tue',
  wed: 'wed',
  wednesday: 'wed',
  thu: 'thu',
  thursday: 'thu',
  fri: 'fri',
  friday: 'fri',
  sat: 'sat',
  saturday: 'sat',
  sun: 'sun',
  sunday: 'sun',
};
const TIME_WORD = /^(\d{1,2}):(\d{2})$/;
/** What an IANA name can look like; Intl decides whether it is one (not `+05:00`). */
const ZONE_WORD = /^[A-Za-z][A-Za-z0-9_+/-]{0,63}$/;
const DOLLARS = /^\$?((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d{1,2})?)$/;
const PERCENT = /^(\d+(?:\.\d{1,2})?)(%?)$/;

type Step<T> = { ok: true; value: T; rest: string[] } | Failure;

/** `daily`, `weekdays`, `weekly DAY`, `monthly N`, and the words after it. */
function cadenceOf(words: string[]): Step<Cadence> {
  const [when, arg, ...more] = words;
  if (when === undefined) {
    return { ok: false, error: `Say when, e.g. "subscribe daily 09:00": ${CADENCE_HELP}.` };
  }
  if (TIME_WORD.test(when)) {
    return { ok: false, error: `Say when before the time, e.g. "subscribe daily ${when}".` };
  }
  switch (when.toLowerCase()) {
    case 'daily':
      return { ok: true, value: { every: 'day' }, rest: words.slice(1) };
    case 'weekdays':
      return { ok: true, value: { every: 'weekday' }, rest: words.slice(1) };
    case 'weekly': {
      if (arg === undefined) return { ok: false, error: `weekly takes a day: ${DAY_HELP}.` };
      const day = Object.hasOwn(DAYS, arg.toLowerCase()) ? DAYS[arg.toLowerCase()] : undefined;
      if (day === undefined) return { ok: false, error: `Unknown day ${quote(arg)}: ${DAY_HELP}.` };
      return { ok: true, value: { every: 'week', day }, rest: more };
    }
    case 'monthly': {
      if (arg === undefined) {
        return { ok: false, error: `${MONTH_DAY_HELP}, e.g. "monthly 15 09:00".` };
      }
      const day = /^\d{1,2}$/.test(arg) ? Number(arg) : 0;
      if (day < 1 || day > MAX_MONTH_DAY) {
        return { ok: false, error: `${MONTH_DAY_HELP}; got ${quote(arg)}.` };
      }
      return { ok: true, value: { every: 'month', day }, rest: more };
    }
  }
  return { ok: false, error: `Unknown schedule ${quote(when)}: ${CADENCE_HELP}.` };
}

/** `H:MM` or `HH:MM` as `HH:MM`, or undefined. */
function timeOf(word: string): string | undefined {
  const m = TIME_WORD.exec(word);
  if (!m) return undefined;
  const [hour, minute] = [Number(m[1]), Number(m[2])];
  if (hour > 23 || minute > 59) return undefined;
  return `${String(hour).padStart(2, '0')}:${m[2]}`;
}

/** An IANA time zone in Intl's spelling (`europe/paris` → `Europe/Paris`), or undefined. */
function zoneOf(word: string): string | undefined {
  if (!ZONE_WORD.test(word)) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: word }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Words that start a subscription's report options or its condition, never a time zone. */
function startsOptions(word: string): boolean {
  const lower = word.toLowerCase();
  return (
    ['if', 'service', 'account', 'accounts'].includes(lower) ||
    periodOf(word) !== undefined ||
    // `+05:00` is a time zone, wrongly written; `8d` a period.
    (looksLikePeriod(word) && !word.includes(':'))
  );
}

/** A schedule or time given again after the time. */
function repeated(word: string): string | undefined {
  if (CADENCE_WORDS.has(word.toLowerCase())) return `The schedule is given twice (${quote(word)}).`;
  if (TIME_WORD.test(word)) return `The time is given twice (${quote(word)}).`;
  return undefined;
}

/** A schedule, time or time zone among the report options: said twice, or out of place. */
function outOfPlace(word: string, zoneGiven: boolean): string | undefined {
  const again = repeated(word);
  if (again !== undefined || !word.includes('/') || zoneOf(word) === undefined) return again;
  return zoneGiven
    ? `The time zone is given twice (${quote(word)}).`
    : `Put the time zone right after the time; got ${quote(word)}.`;
}

/** The words after `if`: `yesterday > N`, `change > N%`, `anomaly`. */
function conditionOf(words: string[]): { ok: true; value: WatchCondition } | Failure {
  // `yesterday>250` and `yesterday > 250` read alike.
  const tokens = words.flatMap((word) => word.split(/(>=?)/)).filter((token) => token !== '');
  const [subject, op, value, ...more] = tokens;
  if (subject === undefined)
    return { ok: false, error: `Say what to check after "if": ${CONDITION_HELP}.` };
  const trailing = (word: string | undefined) =>
    word === undefined
      ? undefined
      : word.toLowerCase() === 'if'
        ? 'Give one condition; got a second "if".'
        : `Nothing may follow the condition; got ${quote(word)}.`;
  const lower = subject.toLowerCase();
  if (lower === 'anomaly') {
    const error = trailing(op);
    return error ? { ok: false, error } : { ok: true, value: { kind: 'anomaly' } };
  }
  if (lower !== 'yesterday' && lower !== 'change') {
    return { ok: false, error: `Unknown condition ${quote(subject)}: ${CONDITION_HELP}.` };
  }
  const example = lower === 'yesterday' ? '"if yesterday &gt; 250"' : '"if change &gt; 20%"';
  if (op === undefined || value === undefined) {
    return { ok: false, error: `Give the threshold, e.g. ${example}.` };
  }
  if (op !== '>') {
    return {
      ok: false,
      error: `Conditions compare with &gt; only, e.g. ${example}; got ${quote(op)}.`,
    };
  }
  if (lower === 'yesterday') {
    const error = trailing(more[0]);
    if (error) return { ok: false, error };
    const m = DOLLARS.exec(value);
    if (!m)
      return { ok: false, error: `The amount ${quote(value)} is not dollars, e.g. 250 or $99.50.` };
    const dollars = Number((m[1] as string).replaceAll(',', ''));
    if (!(dollars > 0 && dollars <= MAX_THRESHOLD_DOLLARS)) {
      return {
        ok: false,
        error: `The amount must be more than $0 and at most $${MAX_THRESHOLD_DOLLARS.toLocaleString('en-US')}; got ${quote(value)}.`,
      };
    }
    return { ok: true, value: { kind: 'yesterday-above', dollars } };
  }
  // `20%` or `20 %`.
  const spaced = !value.endsWith('%') && more[0] === '%';
  const word = spaced ? `${value}%` : value;
  const error = trailing(spaced ? more[1] : more[0]);
  if (error) return { ok: false, error };
  const m = PERCENT.exec(word);
  if (!m) return { ok: false, error: `The change ${quote(word)} is not a percentage, e.g. 20%.` };
  const percent = Number(m[1]);
  if (percent < MIN_CHANGE_PERCENT || percent > MAX_CHANGE_PERCENT) {
    return {
      ok: false,
      error: `The change must be from ${MIN_CHANGE_PERCENT}% to ${MAX_CHANGE_PERCENT}%; got ${quote(word)}.`,
    };
  }
  return { ok: true, value: { kind: 'change-above', percent } };
}

/** `subscribe WHEN HH:MM [ZONE] [report options] [if CONDITION]`. */
function parseSubscribe(words: string[]): ParseResult {
  const cadence = cadenceOf(words);
  if (!cadence.ok) return fail(cadence.error);
  const [timeWord, ...afterTime] = cadence.rest;
  if (timeWord === undefined) {
    return fail(`Give the time as HH:MM after the schedule, e.g. "subscribe daily 09:00".`);
  }
  const time = timeOf(timeWord);
  if (time === undefined) return fail(`Time ${quote(timeWord)} is not ${TIME_HELP}.`);

  let options = afterTime;
  let timeZone: string | undefined;
  const zoneWord = afterTime[0];
  if (zoneWord !== undefined && !startsOptions(zoneWord)) {
    const again = repeated(zoneWord);
    if (again !== undefined) return fail(again);
    timeZone = zoneOf(zoneWord);
    if (timeZone === undefined) return fail(`Unknown time zone ${quote(zoneWord)}: ${ZONE_HELP}.`);
    options = afterTime.slice(1);
  }

  const at = options.findIndex((word) => word.toLowerCase() === 'if');
  const reportWords = at < 0 ? options : options.slice(0, at);
  for (const word of reportWords) {
    const misplaced = outOfPlace(word, timeZone !== undefined);
    if (misplaced) return fail(misplaced);
  }
  const report = parseReport(reportWords);
  if (!report.ok) return report;
  const { kind: _, ...what } = report.command;

  const command: ParsedCommand = { kind: 'subscribe', cadence: cadence.value, time, report: what };
  if (timeZone !== undefined) command.timeZone = timeZone;
  if (at >= 0) {
    const condition = conditionOf(options.slice(at + 1));
    if (!condition.ok) return fail(condition.error);
    command.condition = condition.value;
  }
  return ok(command);
}

/** `unsubscribe ID`. */
function parseUnsubscribe(words: string[]): ParseResult {
  const [id, more] = words;
  if (id === undefined) {
    return fail(
      'Say which subscription to remove, e.g. "unsubscribe k3m9x2qa" ("subscriptions" lists them).',
    );
  }
  if (!SUBSCRIPTION_ID.test(id.toLowerCase())) {
    return fail(`Subscription ids are 1 to 16 letters and digits; got ${quote(id)}.`);
  }
  if (more !== undefined) return fail(`"unsubscribe" takes one id; got ${quote(more)}.`);
  return ok({ kind: 'unsubscribe', id: id.toLowerCase() });
}

/** Parses the text of an `/aws-cost` command as Slack sends it. Never throws. */
export function parseCommand(text: string): ParseResult {
  if (typeof text !== 'string') return fail('The command must be text.');
  if (text.length > MAX_LENGTH) {
    return fail(`The command is too long (max ${MAX_LENGTH} characters).`);
  }
  const control = CONTROL.exec(text);
  if (control) {
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
    return fail(`Control characters are not allowed (found U+${code}).`);
  }
  const markup = MARKUP.exec(text);
  if (markup) {
    return fail(`Mentions, channels and links cannot be used here; got ${quote(markup[0])}.`);
  }
  const words = plainText(text)
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.length > MAX_WORDS) return fail('Too many words.');

  const [first, ...rest] = words;
  const keyword = first?.toLowerCase();
  switch (keyword) {
    case 'help':
      return ok({ kind: 'help' });
    case 'digest':
    case 'doctor':
    case 'subscriptions':
      return alone(keyword, rest);
    case 'chart':
      return parseChart(rest);
    case 'subscribe':
      return parseSubscribe(rest);
    case 'unsubscribe':
      return parseUnsubscribe(rest);
  }
  return parseReport(words);
}
