/**
 * The bot behind Bolt's ExpressReceiver (with `guardHttp` in front, as `npm start` runs it), driven over real HTTP the way Slack drives it:
 * signed form posts to `/slack/events`, answered with the ack's body.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { KnownBlock } from '@slack/types';
import { mockClient } from 'aws-sdk-client-mock';
import { USAGE } from '../../bot/command/parse.ts';
import { INVALID_BUTTON } from '../../bot/listeners/actions/values.ts';
import { slackRequestId } from '../../bot/starter.ts';
import { createLinkSigner } from '../../common/link-signer.ts';
import type { ParameterReader } from '../../common/parameters.ts';
import { BLOCK_IDS } from '../../common/slack-message.ts';
import { signedHeaders } from '../../local/console/signing.ts';
import {
  CHART_KEY,
  type CommandFields,
  FRESH_TEST_LINK,
  interactionForm,
  memoryLogger,
  OLD_LINK,
  type ResponseSink,
  type RunningBot,
  refreshPayload,
  reportBlocks,
  SIGNING_SECRET,
  settle,
  slashCommandForm,
  startHttpBot as startBot,
  startResponseSink,
} from './support.ts';

const FRESH_LINK = FRESH_TEST_LINK;

interface Answer {
  status: number;
  contentType: string;
  text: string;
}

async function post(url: string, body: string, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers, body });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text: await res.text(),
  };
}

/** A slash command signed as Slack signs it, with any extra headers. */
function sendCommand(
  bot: RunningBot,
  fields: CommandFields,
  extra: Record<string, string> = {},
): Promise<Answer> {
  const body = slashCommandForm(fields);
  return post(bot.events, body, { ...signedHeaders(SIGNING_SECRET, body), ...extra });
}

function ackJson(answer: Answer): { response_type?: string; text?: string } {
  assert.match(answer.contentType, /^application\/json/);
  return JSON.parse(answer.text) as { response_type?: string; text?: string };
}

describe('Bot over ExpressReceiver: /aws-cost', () => {
  let bot: RunningBot;
  before(async () => {
    bot = await startBot();
  });
  after(() => bot.close());
  beforeEach(() => {
    bot.starter.reset();
  });

  it('acks a signed "7d" with an ephemeral "Working on it…" and starts one report', async () => {
    // Prepare
    const fields = {
      text: '7d',
      teamId: 'T0TEAM01',
      channelId: 'C0CHANNEL1',
      userId: 'U0USER01',
      responseUrl: 'https://hooks.slack.com/commands/T0TEAM01/111/xyz',
      triggerId: '1700000000123.456789.aaaa',
    };

    // Act
    const answer = await sendCommand(bot, fields);
    await bot.starter.waitForCalls(1);
    await settle();

    // Assess
    assert.equal(answer.status, 200);
    assert.deepEqual(ackJson(answer), { response_type: 'ephemeral', text: 'Working on it…' });
    assert.equal(bot.starter.calls.length, 1);
    const request = bot.starter.calls[0]?.request;
    assert.deepEqual(request, {
      kind: 'command',
      requestId: slackRequestId('command', 'T0TEAM01', '1700000000123.456789.aaaa'),
      channel: 'C0CHANNEL1',
      responseUrl: 'https://hooks.slack.com/commands/T0TEAM01/111/xyz',
      userId: 'U0USER01',
      period: '7d',
    });
    assert.match(request?.requestId ?? '', /^cmd-[0-9a-f]{24}$/);
  });

  describe('refuses requests Slack did not sign, and starts nothing', () => {
    const body = slashCommandForm({ text: '7d' });
    const cases: { what: string; send: () => { body: string; headers: Record<string, string> } }[] =
      [
        {
          what: 'signed with another secret',
          send: () => ({ body, headers: signedHeaders('not-the-signing-secret', body) }),
        },
        {
          what: 'a timestamp six minutes old',
          send: () => ({
            body,
            headers: signedHeaders(SIGNING_SECRET, body, new Date(Date.now() - 6 * 60 * 1000)),
          }),
        },
        {
          what: 'a tampered body (signed for 7d, sent 30d)',
          send: () => ({
            body: slashCommandForm({ text: '30d' }),
            headers: signedHeaders(SIGNING_SECRET, body),
          }),
        },
        {
          what: 'no X-Slack-Signature header',
          send: () => {
            const { 'X-Slack-Signature': _, ...headers } = signedHeaders(SIGNING_SECRET, body);
            return { body, headers };
          },
        },
        {
          what: 'no X-Slack-Request-Timestamp header',
          send: () => {
            const { 'X-Slack-Request-Timestamp': _, ...headers } = signedHeaders(
              SIGNING_SECRET,
              body,
            );
            return { body, headers };
          },
        },
      ];
    for (const { what, send } of cases) {
      it(`401 for ${what}`, async () => {
        // Prepare
        const request = send();

        // Act
        const answer = await post(bot.events, request.body, request.headers);
        await settle();

        // Assess
        assert.equal(answer.status, 401);
        assert.equal(answer.text, '');
        assert.equal(bot.starter.calls.length, 0);
      });
    }

    it('still accepts the same request correctly signed (the cases above can fail)', async () => {
      // Act
      const answer = await post(bot.events, body, signedHeaders(SIGNING_SECRET, body));
      await bot.starter.waitForCalls(1);

      // Assess
      assert.equal(answer.status, 200);
      assert.equal(bot.starter.calls.length, 1);
    });
  });

  it('starts nothing new for a retried delivery: the same trigger gives the same name', async () => {
    // Prepare
    const fields = { text: '7d', triggerId: '1700000000555.1.retried' };
    await sendCommand(bot, fields);
    await bot.starter.waitForCalls(1);

    // Act
    const retry = await sendCommand(bot, fields, {
      'X-Slack-Retry-Num': '1',
      'X-Slack-Retry-Reason': 'http_timeout',
    });
    await bot.starter.waitForCalls(2);

    // Assess
    assert.equal(retry.status, 200);
    const [first, second] = bot.starter.calls;
    assert.ok(first && second);
    assert.equal(second.request.requestId, first.request.requestId);
    assert.equal(first.result.started, true);
    assert.equal(second.result.started, false);
    assert.equal(bot.starter.started.length, 1);
  });

  it('names two commands with different trigger ids differently, and starts both', async () => {
    // Act
    await sendCommand(bot, { text: '7d', triggerId: '1700000000001.1.one' });
    await sendCommand(bot, { text: '7d', triggerId: '1700000000002.1.two' });
    await bot.starter.waitForCalls(2);

    // Assess
    const [a, b] = bot.starter.calls;
    assert.ok(a && b);
    assert.notEqual(a.request.requestId, b.request.requestId);
    assert.equal(bot.starter.started.length, 2);
  });

  it('answers "help" with the usage text and starts nothing', async () => {
    // Act
    const answer = await sendCommand(bot, { text: 'help' });
    await settle();

    // Assess
    assert.equal(answer.status, 200);
    assert.deepEqual(ackJson(answer), { response_type: 'ephemeral', text: USAGE });
    assert.equal(bot.starter.calls.length, 0);
  });

  it('answers a malformed command ("8d") with the error and the usage, and starts nothing', async () => {
    // Act
    const answer = await sendCommand(bot, { text: '8d' });
    await settle();

    // Assess
    assert.equal(answer.status, 200);
    const ack = ackJson(answer);
    assert.equal(ack.response_type, 'ephemeral');
    assert.match(ack.text ?? '', /^Unknown period "8d": use 7d, 30d, mtd or last-month\.\n\n/);
    assert.ok(ack.text?.endsWith(USAGE));
    assert.equal(bot.starter.calls.length, 0);
  });

  it('echoes <!channel> only escaped, as &lt;!channel&gt;', async () => {
    // Act
    const answer = await sendCommand(bot, { text: '<!channel> 7d' });
    await settle();

    // Assess
    assert.equal(answer.status, 200);
    const ack = ackJson(answer);
    assert.equal(ack.response_type, 'ephemeral');
    assert.ok(ack.text?.includes('&lt;!channel&gt;'), ack.text);
    assert.ok(!answer.text.includes('<!channel>'), answer.text);
    assert.ok(!/<!|<@|<#/.test(ack.text ?? ''), 'no Slack markup at all');
    assert.equal(bot.starter.calls.length, 0);
  });
});

describe('Bot over ExpressReceiver: allow-lists', () => {
  let bot: RunningBot;
  before(async () => {
    bot = await startBot({
      env: { COSTBOT_ALLOWED_CHANNELS: 'C0ALLOWED', COSTBOT_ALLOWED_USERS: 'U0ALLOWED' },
    });
  });
  after(() => bot.close());
  beforeEach(() => {
    bot.starter.reset();
  });

  it('refuses a command from another channel and starts nothing', async () => {
    // Act
    const answer = await sendCommand(bot, {
      text: '7d',
      channelId: 'C0ELSEWHERE',
      userId: 'U0ALLOWED',
    });
    await settle();

    // Assess
    assert.equal(answer.status, 200);
    const ack = ackJson(answer);
    assert.equal(ack.response_type, 'ephemeral');
    assert.match(ack.text ?? '', /not enabled in this channel.*COSTBOT_ALLOWED_CHANNELS/);
    assert.equal(bot.starter.calls.length, 0);
  });

  it('refuses a user not on the list, even in an allowed channel', async () => {
    // Act
    const answer = await sendCommand(bot, {
      text: '7d',
      channelId: 'C0ALLOWED',
      userId: 'U0OTHER1',
    });
    await settle();

    // Assess
    assert.match(ackJson(answer).text ?? '', /COSTBOT_ALLOWED_USERS/);
    assert.equal(bot.starter.calls.length, 0);
  });

  it('starts the report for an allowed user in an allowed channel', async () => {
    // Act
    const answer = await sendCommand(bot, {
      text: '7d',
      channelId: 'C0ALLOWED',
      userId: 'U0ALLOWED',
    });
    await bot.starter.waitForCalls(1);

    // Assess
    assert.equal(ackJson(answer).text, 'Working on it…');
    assert.equal(bot.starter.calls[0]?.request.channel, 'C0ALLOWED');
  });
});

describe('Bot over ExpressReceiver: nothing but the start on the ack path', () => {
  const ssm = mockClient(SSMClient);
  const s3 = mockClient(S3Client);
  const cloudwatch = mockClient(CloudWatchClient);
  let bot: RunningBot;
  let sink: ResponseSink;
  const reads: string[][] = [];
  let signingClients = 0;

  before(async () => {
    const parameters: ParameterReader = {
      async get(names) {
        reads.push(names);
        return {
          '/costbot/signer/access-key-id': 'AKIAEXAMPLESIGNERKEY',
          '/costbot/signer/secret-access-key': 'signer-secret-access-key-example',
        };
      },
    };
    const signLink = createLinkSigner({
      parameters,
      names: {
        accessKeyId: '/costbot/signer/access-key-id',
        secretAccessKey: '/costbot/signer/secret-access-key',
      },
      signingClient: (credentials) => {
        signingClients += 1;
        return new S3Client({ region: 'us-east-1', credentials });
      },
      expiresInSeconds: 604_800,
      log: memoryLogger().log,
    });
    sink = await startResponseSink();
    // Slack's Web API is the sink too: any call the bot makes to it is recorded.
    bot = await startBot({ signLink, env: { SLACK_API_URL: `${sink.url}/api/` } });
  });
  after(async () => {
    await bot.close();
    await sink.close();
    ssm.restore();
    s3.restore();
    cloudwatch.restore();
  });

  it('acks and starts without any SSM, CloudWatch, S3 or Slack Web API call', async () => {
    // Act
    const answer = await sendCommand(bot, { text: '30d', triggerId: '1700000000777.1.ackpath' });
    await bot.starter.waitForCalls(1);
    await settle();

    // Assess
    assert.equal(answer.status, 200);
    assert.equal(bot.starter.started.length, 1);
    assert.equal(reads.length, 0, 'parameter store reads');
    assert.equal(signingClients, 0, 'S3 clients built');
    assert.equal(ssm.calls().length, 0, 'SSM calls');
    assert.equal(s3.calls().length, 0, 'S3 calls');
    assert.equal(cloudwatch.calls().length, 0, 'CloudWatch calls');
    assert.deepEqual(
      sink.posts.map((p) => p.path),
      [],
      'Slack Web API calls (auth.test would be one)',
    );
  });

  it('reads the signer key only when "Refresh link" is pressed (the counters work)', async () => {
    // Prepare
    const payload = refreshPayload({ value: CHART_KEY, responseUrl: `${sink.url}/r/1` });
    const body = interactionForm(payload);

    // Act
    const answer = await post(bot.events, body, signedHeaders(SIGNING_SECRET, body));
    await sink.waitForPosts(1);

    // Assess
    assert.equal(answer.status, 200);
    assert.deepEqual(
      sink.posts.map((p) => p.path),
      ['/r/1'],
    );
    assert.equal(reads.length, 1);
    assert.equal(signingClients, 1);
    assert.equal(s3.calls().length, 0, 'presigning sends nothing to S3');
    const blocks = sink.posts[0]?.body.blocks as KnownBlock[];
    const image = blocks.find((b) => b.block_id === BLOCK_IDS.image);
    assert.ok(image?.type === 'image' && 'image_url' in image);
    assert.match(image.image_url ?? '', /X-Amz-Credential=AKIAEXAMPLESIGNERKEY/);
  });
});

describe('Bot over ExpressReceiver: "Refresh link"', () => {
  let bot: RunningBot;
  let sink: ResponseSink;
  before(async () => {
    bot = await startBot();
    sink = await startResponseSink();
  });
  after(async () => {
    await bot.close();
    await sink.close();
  });
  beforeEach(() => {
    bot.signed.length = 0;
  });
  afterEach(() => {
    sink.posts.length = 0;
  });

  it('replaces the original message with the link block and image re-signed', async () => {
    // Prepare
    const payload = refreshPayload({ value: CHART_KEY, responseUrl: `${sink.url}/r/refresh` });
    const body = interactionForm(payload);

    // Act
    const answer = await post(bot.events, body, signedHeaders(SIGNING_SECRET, body));
    await sink.waitForPosts(1);

    // Assess
    assert.equal(answer.status, 200);
    assert.deepEqual(bot.signed, [{ bucket: 'costbot-charts', key: CHART_KEY }]);
    const posted = sink.posts[0];
    assert.equal(posted?.path, '/r/refresh');
    assert.match(posted?.contentType ?? '', /^application\/json/);
    assert.equal(posted?.body.replace_original, true);
    assert.equal(posted?.body.text, 'AWS cost · Last 7 days: $40.00 month to date.');
    const before = reportBlocks();
    const blocks = posted?.body.blocks as KnownBlock[];
    assert.equal(blocks.length, before.length);
    const image = blocks.find((b) => b.block_id === BLOCK_IDS.image);
    assert.deepEqual(image, { ...before[2], image_url: FRESH_LINK.url });
    const link = JSON.stringify(blocks.find((b) => b.block_id === BLOCK_IDS.link));
    assert.ok(link.includes(FRESH_LINK.url), link);
    assert.ok(!link.includes(OLD_LINK.url), link);
    assert.ok(!JSON.stringify(blocks).includes(OLD_LINK.url), 'no old link anywhere');
    // Everything but the image and the link is left as it was.
    assert.deepEqual(
      blocks.filter((b) => b.block_id !== BLOCK_IDS.image && b.block_id !== BLOCK_IDS.link),
      before.filter((b) => b.block_id !== BLOCK_IDS.image && b.block_id !== BLOCK_IDS.link),
    );
  });

  for (const value of [
    'secrets/2025/01/02/key.png',
    'charts/../secrets/x.png',
    'charts/2025/01/02/../../../../etc/passwd',
    '',
  ]) {
    it(`refuses a button value outside charts/ (${JSON.stringify(value)}) without signing`, async () => {
      // Prepare
      const payload = refreshPayload({
        value,
        responseUrl: `${sink.url}/r/bad`,
        blocks: reportBlocks(CHART_KEY),
      });
      const body = interactionForm(payload);

      // Act
      const answer = await post(bot.events, body, signedHeaders(SIGNING_SECRET, body));
      await sink.waitForPosts(1);
      await settle();

      // Assess
      assert.equal(answer.status, 200);
      assert.equal(bot.signed.length, 0);
      assert.equal(sink.posts.length, 1);
      assert.deepEqual(sink.posts[0]?.body, {
        response_type: 'ephemeral',
        replace_original: false,
        text: INVALID_BUTTON,
      });
    });
  }

  it('refuses an unsigned click: 401, nothing signed or posted', async () => {
    // Prepare
    const payload = refreshPayload({ value: CHART_KEY, responseUrl: `${sink.url}/r/unsigned` });
    const body = interactionForm(payload);

    // Act
    const answer = await post(bot.events, body, signedHeaders('wrong-secret', body));
    await settle();

    // Assess
    assert.equal(answer.status, 401);
    assert.equal(bot.signed.length, 0);
    assert.equal(sink.posts.length, 0);
  });
});
