/**
 * Bad input refused, over the bot's real HTTP path (Bolt's ExpressReceiver, `createBotApp`,
 * requests signed as Slack signs them): hundreds of generated `/aws-cost` texts never crash
 * the bot, get a usage reply when invalid, start nothing when invalid, and never have their
 * markup echoed back raw. Forged, stale and replayed signatures get 401 and start nothing.
 */
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it, mock } from 'node:test';
import { ExpressReceiver } from '@slack/bolt';
import { createBotApp } from '../../bot/app.ts';
import { parseCommand, USAGE } from '../../bot/command/parse.ts';
import { CHECKING } from '../../bot/listeners/commands/doctor.ts';
import { loadConfig } from '../../common/config.ts';
import { signedHeaders, slackSignature } from '../../local/console/signing.ts';
import {
  memoryBoltLogger,
  memoryLogger,
  RecordingStarter,
  SIGNING_SECRET,
  slashCommandForm,
} from '../bot/support.ts';
import { healthyDeps } from '../doctor/support.ts';
import { type FakeSlackApi, startFakeSlackApi } from '../faults/slack-api.ts';
import { seeded } from '../support/seeded.ts';

/** Inputs that must be refused, by what makes them bad. */
const HOSTILE: Record<string, string[]> = {
  mentions: [
    '<!channel>',
    '<!here>',
    '<!everyone>',
    '<@U0ADMIN>',
    '<@U0ADMIN|admin>',
    '<#C0GENERAL|general>',
    '<!subteam^S123|@team>',
    'service <!channel>',
    '7d <@U1>',
  ],
  links: [
    '<https://evil.example|click me>',
    '<http://x>',
    'chart <mailto:a@b.c|mail>',
    '<javascript:alert(1)|x>',
  ],
  brackets: [
    '<',
    '>',
    '<<>>',
    'a<b',
    'service Amazon>EC2',
    '<script>alert(1)</script>',
    '<b>bold</b>',
  ],
  mrkdwn: [
    '*bold*',
    '_italic_',
    '~strike~',
    '`code`',
    '```block```',
    '> quote',
    '*Usage:* fake',
    ':warning: fake',
  ],
  blockKit: [
    '{"type":"section","text":{"type":"mrkdwn","text":"<!channel>"}}',
    '[{"type":"divider"}]',
    '{"blocks":[]}',
    '{"response_type":"in_channel"}',
    '"]}',
  ],
  json: ['{}', '[]', 'null', '{"kind":"report"}', '{"__proto__":{"x":1}}', 'true'],
  control: [
    '\u0000',
    '7d\u0000',
    'help\u0007',
    '\u001b[31mred',
    'a\u0008b',
    '\u007f',
    '\u0085',
    '\u009b31m',
    'digest\u000b',
  ],
  numbers: [
    '99999999999999999999d',
    '1e309d',
    '-7d',
    '-30d',
    '0d',
    '7.5d',
    'NaN',
    'Infinity',
    '-1',
    '+7d',
    '0x10d',
    '007d',
    '1'.repeat(400),
  ],
  unicode: [
    '😀',
    '７d',
    'ｈｅｌｐ',
    'مرحبا',
    '\u202e7d',
    'zero\u200bwidth',
    'e\u0301',
    '𝕙𝕖𝕝𝕡',
    '⁷d',
    '\ud800',
  ],
  quotes: [
    '"7d"',
    "'7d'",
    '"',
    "'",
    '\\',
    'service "AmazonEC2"',
    "service O'Reilly",
    'chart AWS/Lambda Errors FunctionName="x"',
  ],
  escapes: [
    '&lt;!channel&gt;',
    '&lt;@U1&gt;',
    'service &amp;',
    'a&b',
    '&#60;!channel&#62;',
    '&amp;lt;',
  ],
  words: [
    'report',
    'delete',
    'rm -rf /',
    '../../etc/passwd',
    '%00',
    "'; DROP TABLE x; --",
    // A log4j-style lookup, as typed: not a template.
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the literal text is the input
    '${jndi:ldap://x}',
    '{{7*7}}',
    'doctor now',
    'digest 7d',
    'service',
    'account',
    'account abc',
    'chart',
    'chart 7d',
  ],
  long: [
    'x'.repeat(501),
    '7d '.repeat(200),
    `${'a '.repeat(40)}`,
    `service ${'A'.repeat(65)}`,
    ' '.repeat(600),
  ],
};

const VALID_PIECES = [
  '',
  '7d',
  '30d',
  'mtd',
  'last-month',
  'help',
  'digest',
  'doctor',
  'service AmazonEC2',
  'account 123456789012',
  'chart cost 7d',
  'chart AWS/Lambda Errors FunctionName=api p99',
];

/** The corpus: every hostile input, then random mixes of hostile and valid pieces. */
function corpus(count: number): { text: string; hostile: boolean }[] {
  const random = seeded(20_261_122);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const hostile = Object.values(HOSTILE).flat();
  const out = hostile.map((text) => ({ text, hostile: true }));
  for (const text of VALID_PIECES) out.push({ text, hostile: false });
  while (out.length < count) {
    const valid = pick(VALID_PIECES);
    const bad = pick(hostile);
    const separator = pick([' ', '  ', '\t', '\n', '', '\u00a0']);
    const text = random() < 0.5 ? `${valid}${separator}${bad}` : `${bad}${separator}${valid}`;
    out.push({ text, hostile: true });
  }
  return out;
}

interface Answer {
  status: number;
  body: { response_type?: string; text?: string } | null;
}

describe('Fuzz: /aws-cost over the real HTTP path', () => {
  let url: string;
  let close: () => Promise<void>;
  let starter: RecordingStarter;
  let slack: FakeSlackApi;
  let boltLog: string[];
  let doctorRuns = 0;

  before(async () => {
    slack = await startFakeSlackApi('xoxb-fuzz-token');
    starter = new RecordingStarter();
    const logger = memoryBoltLogger();
    boltLog = logger.lines;
    const receiver = new ExpressReceiver({
      signingSecret: SIGNING_SECRET,
      processBeforeResponse: false,
      logger,
    });
    createBotApp(
      {
        config: loadConfig({ SLACK_API_URL: slack.apiUrl }),
        starter,
        signLink: () => Promise.reject(new Error('unused')),
        log: memoryLogger().log,
        doctor: () => {
          doctorRuns += 1;
          return healthyDeps();
        },
      },
      { botToken: 'xoxb-fuzz-token', signingSecret: SIGNING_SECRET },
      { receiver, logger },
    );
    const server = await receiver.start({ port: 0, host: '127.0.0.1' });
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/slack/events`;
    close = async () => {
      server.closeAllConnections();
      await receiver.stop();
    };
  });

  after(async () => {
    await close?.();
    await slack?.close();
  });

  async function send(body: string, headers: Record<string, string>): Promise<Answer> {
    const res = await fetch(url, { method: 'POST', headers, body });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Answer['body']) : null };
  }

  let trigger = 0;
  function command(text: string): string {
    trigger += 1;
    return slashCommandForm({
      text,
      triggerId: `1700000000${trigger}.456789.fuzz`,
      responseUrl: slack.responseUrl(`fuzz-${trigger}`),
    });
  }

  it('answers 250 generated texts: usage for the invalid ones, nothing started for them, nothing echoed raw', async () => {
    // Prepare
    const inputs = corpus(250);
    const failures: string[] = [];
    let invalid = 0;

    for (const { text, hostile } of inputs) {
      const before = starter.calls.length;
      const body = command(text);

      // Act
      const answer = await send(body, signedHeaders(SIGNING_SECRET, body));

      // Assess
      const label = JSON.stringify(text.length > 50 ? `${text.slice(0, 50)}…` : text);
      const reply = answer.body?.text ?? '';
      const parsed = parseCommand(text);
      const problems: string[] = [];
      if (answer.status !== 200) problems.push(`status ${answer.status}`);
      if (answer.body?.response_type !== 'ephemeral') problems.push('not ephemeral');
      if (/[<>]/.test(reply)) problems.push('raw < or > in the reply');
      if (/&(?!amp;|lt;|gt;)/.test(reply)) problems.push('unescaped & in the reply');
      if (!parsed.ok) {
        invalid += 1;
        if (!reply.endsWith(`\n\n${USAGE}`)) problems.push('no usage reply');
        if (starter.calls.length !== before) problems.push('an execution was started');
      } else if (hostile && parsed.command.kind !== 'help') {
        // Help ignores trailing words by design; any other hostile text must be refused.
        problems.push(`accepted as ${parsed.command.kind}`);
      } else if (parsed.command.kind === 'help') {
        if (reply !== USAGE) problems.push('help without usage');
      } else if (parsed.command.kind === 'doctor') {
        if (reply !== CHECKING) problems.push('doctor not acked');
      } else if (starter.calls.length !== before + 1 || !reply.startsWith('Working on it')) {
        problems.push('a valid command did not start exactly one report');
      }
      if (problems.length > 0)
        failures.push(`${label}: ${problems.join(', ')} → ${JSON.stringify(reply.slice(0, 120))}`);
    }

    assert.deepEqual(failures, []);
    assert.ok(inputs.length >= 200, `${inputs.length} inputs`);
    assert.ok(invalid >= 150, `only ${invalid} invalid inputs`);
    assert.deepEqual(
      boltLog.filter((l) => l.startsWith('error')),
      [],
      'no listener error',
    );
    assert.ok(doctorRuns >= 1, 'the doctor was reached');
  });

  it('still answers after the fuzzing', async () => {
    // Prepare
    const body = command('help');

    // Act
    const answer = await send(body, signedHeaders(SIGNING_SECRET, body));

    // Assess
    assert.equal(answer.status, 200);
    assert.equal(answer.body?.text, USAGE);
  });

  describe('signatures', () => {
    it('refuses 60 forged signatures (wrong secret, tampered body, bad or missing headers) with 401', async () => {
      // Prepare
      const random = seeded(7);
      const before = starter.calls.length;
      const statuses: number[] = [];

      for (let i = 0; i < 60; i++) {
        const body = command('7d');
        const now = Math.floor(Date.now() / 1000);
        const variants: Record<string, string>[] = [
          signedHeaders(`${SIGNING_SECRET}x`, body),
          signedHeaders(SIGNING_SECRET, `${body}&x=1`),
          { ...signedHeaders(SIGNING_SECRET, body), 'X-Slack-Signature': `v0=${'0'.repeat(64)}` },
          {
            ...signedHeaders(SIGNING_SECRET, body),
            'X-Slack-Signature': slackSignature(SIGNING_SECRET, now, body).replace('v0=', 'v1='),
          },
          { ...signedHeaders(SIGNING_SECRET, body), 'X-Slack-Request-Timestamp': String(now + 1) },
          { 'Content-Type': 'application/x-www-form-urlencoded' },
          { ...signedHeaders(SIGNING_SECRET, body), 'X-Slack-Request-Timestamp': 'yesterday' },
        ];
        const headers = variants[Math.floor(random() * variants.length)] ?? {};

        // Act
        const res = await fetch(url, { method: 'POST', headers, body });
        await res.text();
        statuses.push(res.status);
      }

      // Assess
      assert.deepEqual([...new Set(statuses)], [401]);
      assert.equal(starter.calls.length, before, 'nothing started');
    });

    it('refuses a correctly signed request that is more than 5 minutes old', async () => {
      // Prepare
      const before = starter.calls.length;
      const body = command('7d');
      const headers = signedHeaders(SIGNING_SECRET, body, new Date(Date.now() - 6 * 60_000));

      // Act
      const answer = await fetch(url, { method: 'POST', headers, body });

      // Assess
      assert.equal(answer.status, 401);
      assert.equal(starter.calls.length, before);
    });

    it('replayed: within 5 minutes Bolt accepts it but the execution name starts nothing new; after, 401', async (t) => {
      // Prepare
      const body = command('30d');
      const headers = signedHeaders(SIGNING_SECRET, body);
      const first = await send(body, headers);
      const startedAfterFirst = starter.started.length;

      // Act
      const replayNow = await send(body, headers);
      const realNow = Date.now();
      // Bolt's ExpressReceiver reads the clock with Date.now(): six minutes later for it.
      t.mock.method(Date, 'now', () => realNow + 6 * 60_000);
      const replayLater = await fetch(url, { method: 'POST', headers, body });
      mock.restoreAll();

      // Assess
      assert.equal(first.status, 200);
      assert.equal(
        replayNow.status,
        200,
        'Bolt has no replay cache: the same request is valid for 5 minutes',
      );
      assert.equal(
        starter.started.length,
        startedAfterFirst,
        'the replay started nothing: same trigger id, same execution name',
      );
      assert.equal(starter.calls.at(-1)?.result.started, false);
      assert.equal(replayLater.status, 401);
    });
  });
});
