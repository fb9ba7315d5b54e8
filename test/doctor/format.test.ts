import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSlack, formatTable, summary, wrap } from '../../doctor/format.ts';
import type { CheckResult } from '../../doctor/types.ts';

const RESULTS: CheckResult[] = [
  {
    id: 'a',
    title: 'Parameter /costbot/slack/bot-token',
    status: 'ok',
    detail: 'Exists and decrypts (SecureString).',
  },
  {
    id: 'b',
    title: 'Billing metrics in us-east-1',
    status: 'fail',
    detail: 'No AWS/Billing EstimatedCharges metrics in us-east-1.',
    fix: 'Turn on "Receive Billing Alerts".',
    statement: { Effect: 'Allow', Action: 'cloudwatch:ListMetrics', Resource: '*' },
  },
  {
    id: 'c',
    title: 'Slack token is valid',
    status: 'warn',
    detail: 'No Slack configured (local).',
  },
];

describe('Function: formatTable', () => {
  it('prints a header, one row per check with its fix and statement, and a summary', () => {
    // Act
    const table = formatTable(RESULTS, { width: 100 });

    // Assess
    const lines = table.split('\n');
    assert.match(lines[0] ?? '', /^STATUS\s+CHECK\s+DETAIL$/);
    assert.match(table, /^ok\s+Parameter \/costbot\/slack\/bot-token\s+Exists and decrypts/m);
    assert.match(table, /^FAIL\s+Billing metrics in us-east-1\s+No AWS\/Billing/m);
    assert.match(table, /^\s+Fix: Turn on "Receive Billing Alerts"\.$/m);
    assert.match(
      table,
      /Statement: \{"Effect": "Allow", "Action":\s+"cloudwatch:ListMetrics", "Resource": "\*"\}/,
    );
    assert.match(table, /^WARN\s+Slack token is valid/m);
    assert.equal(lines.at(-1), '3 checks: 1 ok, 1 warn, 1 fail');
    assert.ok(
      lines.every((l) => l.length <= 100),
      'no line wider than the terminal',
    );
  });

  it('drops control characters, so an error text cannot drive the terminal', () => {
    // Prepare
    const evil: CheckResult = {
      id: 'x',
      title: 'T',
      status: 'fail',
      detail: 'boom\u001b[2J\u001b]0;pwned\u0007 end',
    };

    // Act
    const table = formatTable([evil]);

    // Assess
    assert.ok(![...table].some((c) => c !== '\n' && (c < ' ' || c === '\u007f')), table);
    assert.match(table, /boom \[2J \]0;pwned end/);
  });
});

describe('Function: formatSlack', () => {
  it('gives one line per check with an emoji, the fix and the statement as a JSON block', () => {
    // Act
    const text = formatSlack(RESULTS);

    // Assess
    assert.equal(text.split('\n')[0], '*costbot doctor*: 3 checks: 1 ok, 1 warn, 1 fail');
    assert.match(text, /^:white_check_mark: \*Parameter \/costbot\/slack\/bot-token\*: Exists/m);
    assert.match(text, /^:x: \*Billing metrics in us-east-1\*: No AWS/m);
    assert.match(text, /^ {6}_Fix:_ Turn on "Receive Billing Alerts"\.$/m);
    assert.match(text, /```\{\n {2}"Effect": "Allow",/);
    assert.match(text, /^:warning: \*Slack token is valid\*/m);
  });

  it('escapes & < > from details, fixes and statements, so nothing becomes a mention or link', () => {
    // Prepare
    const evil: CheckResult = {
      id: 'x',
      title: 'Bucket <!channel>',
      status: 'fail',
      detail: 'AWS said <@U123> & <https://evil.example|click>',
      fix: 'see <!here>',
      statement: { Effect: 'Allow', Action: 's3:PutObject', Resource: 'arn:aws:s3:::b/<x>`' },
    };

    // Act
    const text = formatSlack([evil]);

    // Assess
    assert.doesNotMatch(text, /[<>]/);
    assert.match(text, /&lt;!channel&gt;/);
    assert.match(text, /&lt;@U123&gt; &amp; &lt;https/);
    assert.doesNotMatch(text, /&(?!amp;|lt;|gt;)/);
    assert.equal(text.match(/```/g)?.length, 2, 'a backtick in a value does not close the block');
  });

  it('cuts very long details', () => {
    // Prepare
    const long: CheckResult = { id: 'x', title: 'T', status: 'warn', detail: 'y'.repeat(5000) };

    // Act
    const text = formatSlack([long]);

    // Assess
    assert.ok(text.length < 1000, `${text.length} characters`);
    assert.match(text, /y…$/);
  });
});

describe('Function: wrap', () => {
  it('wraps at word boundaries and cuts words longer than the width', () => {
    // Act
    const lines = wrap('aa bb cc ddddddddd', 5);

    // Assess
    assert.deepEqual(lines, ['aa bb', 'cc', 'ddddd', 'dddd']);
  });
});

describe('Function: summary', () => {
  it('counts by status', () => {
    // Act
    const text = summary([]);

    // Assess
    assert.equal(text, '0 checks: 0 ok, 0 warn, 0 fail');
  });
});
