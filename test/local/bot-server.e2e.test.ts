/**
 * The whole local flow: `startLocalBot` on free ports with a fresh data directory, a command
 * typed into the local Slack console, the report run in-process, its chart fetched through
 * the signed link, and "Refresh link" re-signing that link in place.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ACTION_IDS, BLOCK_IDS } from '../../common/slack-message.ts';
import { type LocalBot, startLocalBot } from '../../local/bot-server.ts';
import type { ConsoleMessage } from '../../local/console/store.ts';
import { verifyPresignedUrl } from '../support/sigv4.ts';

interface Block {
  type?: string;
  block_id?: string;
  image_url?: string;
  elements?: { type?: string; text?: string; action_id?: string; value?: string }[];
}

async function postJson(url: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

async function messages(bot: LocalBot): Promise<ConsoleMessage[]> {
  const res = await fetch(`${bot.url}/local/messages`);
  assert.equal(res.status, 200);
  return (await res.json()) as ConsoleMessage[];
}

/** Polls the console until `test` holds for its history, or fails after `timeoutMs`. */
async function waitForMessages(
  bot: LocalBot,
  test: (all: ConsoleMessage[]) => boolean,
  timeoutMs = 5000,
): Promise<ConsoleMessage[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await messages(bot);
    if (test(all)) return all;
    if (Date.now() > deadline) {
      assert.fail(`condition not met within ${timeoutMs} ms: ${JSON.stringify(all, null, 1)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function imageUrl(message: ConsoleMessage | undefined): string {
  const image = (message?.blocks as Block[] | undefined)?.find((b) => b.type === 'image');
  assert.ok(image?.image_url, 'the message has an image block');
  assert.equal(image.block_id, BLOCK_IDS.image);
  return image.image_url;
}

function linkText(message: ConsoleMessage | undefined): string {
  const link = (message?.blocks as Block[] | undefined)?.find((b) => b.block_id === BLOCK_IDS.link);
  return link?.elements?.map((e) => e.text ?? '').join(' ') ?? '';
}

/** The signer's secret key, from the local parameter file the backend created. */
async function signerSecret(bot: LocalBot): Promise<string> {
  const file = join(bot.config.localDir, 'parameters.json');
  const values = JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
  const secret = values[bot.config.parameterNames.signerSecretAccessKey];
  assert.ok(secret);
  return secret;
}

async function fetchPng(url: string): Promise<void> {
  const res = await fetch(url);
  assert.equal(res.status, 200, `GET ${url}`);
  assert.equal(res.headers.get('content-type'), 'image/png');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
}

/** `npm start`'s bot on free ports in `dir`, with `env` over the local defaults. */
function startBot(dir: string, env: Record<string, string> = {}): Promise<LocalBot> {
  return startLocalBot(
    {
      ...process.env,
      COSTBOT_BACKEND: 'local',
      PORT: '0',
      COSTBOT_LOCAL_S3_PORT: '0',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      COSTBOT_LOCAL_DIR: dir,
      LOG_LEVEL: 'warn',
      ...env,
    },
    { retryIntervalMs: 10 },
  );
}

describe('Local bot with stable links off: /aws-cost 7d, then "Refresh link"', () => {
  let dir: string;
  let bot: LocalBot;
  let report: ConsoleMessage | undefined;
  let firstUrl = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-local-bot-'));
    bot = await startBot(dir, { COSTBOT_STABLE_LINKS: 'false' });
  });
  after(async () => {
    await bot?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('acks the command, then delivers one report with a chart through the response_url', async () => {
    // Act
    const answer = await postJson(`${bot.url}/local/command`, { text: '7d' });
    await bot.starter.idle();
    const all = await messages(bot);

    // Assess
    assert.equal(answer.status, 200);
    assert.deepEqual(answer.json, { status: 200, ok: true });
    assert.deepEqual(
      all.map((m) => [m.via, m.via === 'response_url' ? '(report)' : m.text]),
      [
        ['command', '/aws-cost 7d'],
        ['ephemeral', 'Working on it…'],
        ['response_url', '(report)'],
      ],
    );
    report = all.find((m) => m.via === 'response_url');
    assert.match(report?.text ?? '', /^AWS cost · .*month to date/);
    firstUrl = imageUrl(report);
    assert.ok(linkText(report).includes(firstUrl), 'the link block carries the same URL');
    const elements = ((report?.blocks ?? []) as Block[]).flatMap((b) => b.elements ?? []);
    assert.ok(elements.some((e) => e.action_id === ACTION_IDS.refreshLink));
  });

  it('serves the chart at the signed link as a PNG; the link is signed with the signer key', async () => {
    // Prepare
    assert.ok(firstUrl, 'needs the report of the previous test');
    const secret = await signerSecret(bot);
    const tampered = new URL(firstUrl);
    tampered.searchParams.set('X-Amz-Expires', '604799');

    // Act
    const valid = await verifyPresignedUrl(firstUrl, secret);
    const forged = await verifyPresignedUrl(tampered.toString(), secret);

    // Assess
    await fetchPng(firstUrl);
    // s3rver never checks signatures: the signature is checked here, as real S3 would.
    assert.equal(valid, true);
    assert.equal(forged, false);
    assert.equal(new URL(firstUrl).searchParams.get('X-Amz-Expires'), '604800');
  });

  it('"Refresh link" re-signs the link and updates the same message in place', async () => {
    // Prepare
    assert.ok(report, 'needs the report of the first test');
    const before = await messages(bot);
    // SigV4 dates have whole seconds: signing again within the same second gives the same URL.
    await new Promise((resolve) => setTimeout(resolve, 1100));

    // Act
    const answer = await postJson(`${bot.url}/local/action`, {
      channel: report.channel,
      ts: report.ts,
      actionId: ACTION_IDS.refreshLink,
    });
    const after = await waitForMessages(bot, (all) =>
      all.some((m) => m.ts === report?.ts && m.via === 'update'),
    );

    // Assess
    assert.deepEqual(answer.json, { status: 200, ok: true });
    assert.equal(after.length, before.length, 'replaced, not added');
    const updated = after.find((m) => m.ts === report?.ts);
    assert.equal(updated?.via, 'update');
    assert.equal(updated?.text, report.text);
    const freshUrl = imageUrl(updated);
    assert.notEqual(freshUrl, firstUrl);
    const dateOf = (url: string) => new URL(url).searchParams.get('X-Amz-Date');
    assert.ok(dateOf(freshUrl) && dateOf(firstUrl));
    assert.notEqual(dateOf(freshUrl), dateOf(firstUrl));
    assert.equal(new URL(freshUrl).pathname, new URL(firstUrl).pathname, 'the same chart');
    assert.ok(linkText(updated).includes(freshUrl));
    assert.ok(!linkText(updated).includes(firstUrl));
    await fetchPng(freshUrl);
    assert.equal(await verifyPresignedUrl(freshUrl, await signerSecret(bot)), true);
  });
});

describe('Local bot with stable links (the default): the chart loads through the links endpoint', () => {
  let dir: string;
  let bot: LocalBot;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-local-links-'));
    bot = await startBot(dir);
  });
  after(async () => {
    await bot?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('posts the stable link as image and "Open chart", which redirects to the signed PNG', async () => {
    // Prepare
    assert.ok(bot.backend.links, 'npm start serves the links endpoint');
    const linksUrl = bot.backend.links.url;

    // Act
    await postJson(`${bot.url}/local/command`, { text: '7d' });
    await bot.starter.idle();
    const report = (await messages(bot)).find((m) => m.via === 'response_url');
    const url = imageUrl(report);
    const hop = await fetch(url, { redirect: 'manual' });
    const location = hop.headers.get('location') ?? '';

    // Assess
    assert.ok(url.startsWith(linksUrl), `${url} is below ${linksUrl}`);
    assert.ok(linkText(report).includes(`<${url}|Open chart>`));
    const elements = ((report?.blocks ?? []) as Block[]).flatMap((b) => b.elements ?? []);
    assert.ok(!elements.some((e) => e.action_id === ACTION_IDS.refreshLink), 'no "Refresh link"');
    assert.equal(hop.status, 302);
    assert.equal(new URL(location).searchParams.get('X-Amz-Expires'), '604800');
    assert.equal(await verifyPresignedUrl(location, await signerSecret(bot)), true);
    await fetchPng(url);
    const tampered = `${url.slice(0, -1)}${url.endsWith('A') ? 'B' : 'A'}`;
    assert.equal((await fetch(tampered, { redirect: 'manual' })).status, 404);
  });
});
