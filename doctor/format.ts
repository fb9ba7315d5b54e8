/**
 * The doctor's results for a terminal (`formatTable`) and for Slack (`formatSlack`). Details
 * carry text from AWS and Slack error messages, so both formatters treat it as untrusted:
 * control characters are dropped (no terminal escape sequences), and in Slack `& < >` are
 * escaped so nothing becomes a mention or a link.
 */
import { escapeMrkdwn } from '../common/slack-message.ts';
import type { CheckResult, CheckStatus } from './types.ts';

const LABEL: Record<CheckStatus, string> = { ok: 'ok', warn: 'WARN', fail: 'FAIL' };
const EMOJI: Record<CheckStatus, string> = {
  ok: ':white_check_mark:',
  warn: ':warning:',
  fail: ':x:',
};

/** C0/C1 controls (ESC starts terminal escape sequences) become spaces. */
function clean(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point
  return text.replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ').trim();
}

/** Words into lines of at most `width` characters; a longer word is cut. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let w = word;
    while (w.length > width) {
      if (line) {
        lines.push(line);
        line = '';
      }
      lines.push(w.slice(0, width));
      w = w.slice(width);
    }
    if (!line) line = w;
    else if (line.length + 1 + w.length <= width) line += ` ${w}`;
    else {
      lines.push(line);
      line = w;
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** `12 checks: 9 ok, 2 warn, 1 fail` */
export function summary(results: CheckResult[]): string {
  const count = (s: CheckStatus) => results.filter((r) => r.status === s).length;
  return `${results.length} checks: ${count('ok')} ok, ${count('warn')} warn, ${count('fail')} fail`;
}

/**
 * A table for the terminal: status, check, detail, with the fix and the policy statement under
 * the detail. `width` is the terminal's (default 120).
 */
export function formatTable(results: CheckResult[], options: { width?: number } = {}): string {
  const width = Math.max(options.width ?? 120, 60);
  const statusWidth = 6;
  const checkWidth = Math.min(
    Math.max(5, ...results.map((r) => clean(r.title).length)),
    Math.floor((width - statusWidth) * 0.4),
  );
  const detailWidth = width - statusWidth - checkWidth - 4;
  const row = (status: string, check: string, detail: string) =>
    `${status.padEnd(statusWidth)}  ${check.padEnd(checkWidth)}  ${detail}`.trimEnd();
  const out = [
    row('STATUS', 'CHECK', 'DETAIL'),
    row('-'.repeat(statusWidth), '-'.repeat(checkWidth), '-'.repeat(detailWidth)),
  ];
  for (const r of results) {
    const detail = wrap(clean(r.detail), detailWidth);
    if (r.fix) detail.push(...wrap(`Fix: ${clean(r.fix)}`, detailWidth));
    if (r.statement) {
      // Spaces after the separators, so a long statement wraps between its fields.
      const json = Object.entries(r.statement)
        .map(([k, v]) => `${JSON.stringify(k)}: ${JSON.stringify(v)}`)
        .join(', ');
      detail.push(...wrap(`Statement: {${clean(json)}}`, detailWidth));
    }
    const title = wrap(clean(r.title), checkWidth);
    const lines = Math.max(detail.length, title.length);
    for (let i = 0; i < lines; i++) {
      out.push(row(i === 0 ? LABEL[r.status] : '', title[i] ?? '', detail[i] ?? ''));
    }
  }
  out.push('', summary(results));
  return out.join('\n');
}

/** Longest detail quoted in Slack; the terminal shows it whole. */
const MAX_SLACK_DETAIL = 700;

function slackText(text: string): string {
  const c = clean(text);
  return escapeMrkdwn(c.length > MAX_SLACK_DETAIL ? `${c.slice(0, MAX_SLACK_DETAIL)}…` : c);
}

/** Slack mrkdwn: a summary line, then one line per check with its fix and statement. */
export function formatSlack(results: CheckResult[]): string {
  const lines = [`*costbot doctor*: ${summary(results)}`];
  for (const r of results) {
    lines.push(`${EMOJI[r.status]} *${slackText(r.title)}*: ${slackText(r.detail)}`);
    if (r.fix) lines.push(`      _Fix:_ ${slackText(r.fix)}`);
    if (r.statement) {
      // \u0060 is JSON for a backtick, so a value cannot close the code block.
      const json = escapeMrkdwn(JSON.stringify(r.statement, null, 2)).replace(/`/g, '\\u0060');
      lines.push(`\`\`\`${json}\`\`\``);
    }
  }
  return lines.join('\n');
}
