/**
 * Whole reports on the local backend: the synthesized state machine, run in-process, with
 * every step's real handler, the demo metrics, the embedded S3 server and a recording Slack.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { classifyAwsError } from '../../common/aws-errors.ts';
import { type CostbotConfig, loadConfig } from '../../common/config.ts';
import type {
  AccountFetched,
  ChartState,
  FetchAccountState,
  PostedState,
  ReportRequest,
} from '../../common/contract.ts';
import { SlackApiError, SlackRateLimitedError } from '../../common/errors.ts';
import { createLogger } from '../../common/log.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import { type Backend, localBackend } from '../../local/backend.ts';
import { DemoMetrics, demoAccountIds } from '../../local/demo-metrics.ts';
import { ensureParameterFile } from '../../local/parameter-file.ts';
import { messageText, RecordingSlack } from '../../local/recording-slack.ts';
import { runReport } from '../../local/report.ts';
import type { EventLog, ExecutionResult } from '../../local/runner.ts';
import { createFetchHandler } from '../../workflows/steps/fetch/handler.ts';
import type { MetricsApi } from '../../workflows/steps/fetch/metrics-api.ts';
import { ReaderSessions } from '../../workflows/steps/fetch/reader-roles.ts';

const AS_OF = '2026-11-22T09:00:00Z';
const CHANNEL = 'C0COSTS01';
const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const DENIED_MESSAGE =
  'User: arn:aws:sts::123456789012:assumed-role/costbot-fetch/costbot-fetch-fn is not authorized ' +
  'to perform: cloudwatch:GetMetricData because no identity-based policy allows the ' +
  'cloudwatch:GetMetricData action';

/**
 * The backend's clock, frozen for the whole file. It is frozen at the time the file starts, not
 * at a hard-coded instant: s3rver checks a presigned link's expiry against the real clock, so a
 * link signed at a fixed date would stop opening a week after that date. The figures do not
 * depend on it: every request names its `asOf`.
 */
const FROZEN_NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const fixedClock = () => new Date(FROZEN_NOW);

let sequence = 0;
function request(overrides: Partial<ReportRequest> = {}): ReportRequest {
  sequence += 1;
  return {
    kind: 'digest',
    requestId: `digest-20261122-0900-test${String(sequence).padStart(2, '0')}`,
    channel: CHANNEL,
    period: 'mtd',
    asOf: AS_OF,
    ...overrides,
  };
}

/** Names of the states entered, in order. */
function entered(events: EventLog[]): string[] {
  return events.flatMap((e) => (e.type === 'StateEntered' ? [e.state.name] : []));
}

function retried(events: EventLog[], state: string): EventLog[] {
  return events.filter((e) => e.type === 'StateRetried' && e.state.name === state);
}

/** A fresh directory for the parameter file and the S3 data, and the config pointing at it. */
async function freshConfig(
  env: Record<string, string> = {},
): Promise<{ dir: string; config: CostbotConfig }> {
  const dir = await mkdtemp(join(tmpdir(), 'costbot-local-run-'));
  const config = loadConfig({
    COSTBOT_LOCAL_DIR: dir,
    COSTBOT_LOCAL_S3_PORT: '0',
    COSTBOT_LOCAL_LINKS_PORT: '0',
    ...env,
  });
  return { dir, config };
}

/** The states a report through the single Fetch enters with stable links: no Sign. */
const REPORT_PATH = [
  STATES.route,
  STATES.fetch,
  STATES.summarize,
  STATES.conditionMet,
  STATES.chart,
  STATES.post,
];

/** Presigned links (`stableLinks=false`): the definition with Sign, the link in the message. */
const PRESIGNED = { COSTBOT_STABLE_LINKS: 'false' };

/** The message's cost line (`this report: …`), from its context blocks. */
function costLine(message: RecordingSlack['messages'][number]['message'] | undefined): string {
  return messageText(message ?? { text: '', blocks: [] }).match(/this report: [^\n·]*/)?.[0] ?? '';
}

/** The local backend with `fetch` replaced by one reading these billing metrics. */
function withBilling(backend: Backend, billing: MetricsApi, demo: DemoMetrics): Backend {
  return {
    ...backend,
    handlers: {
      ...backend.handlers,
      fetch: createFetchHandler({
        clients: { billing, metrics: demo },
        log: createLogger({ step: 'fetch' }, { level: 'error' }),
        now: fixedClock,
      }),
    },
  };
}

/** Demo metrics whose getMetricData fails with `error()` on the calls `failOn` accepts. */
function failingGetMetricData(
  demo: DemoMetrics,
  error: () => Error,
  failOn: (call: number) => boolean,
): MetricsApi & { calls: number } {
  const api = {
    calls: 0,
    listMetrics: (input: Parameters<MetricsApi['listMetrics']>[0]) => demo.listMetrics(input),
    getMetricData: async (input: Parameters<MetricsApi['getMetricData']>[0]) => {
      api.calls += 1;
      if (failOn(api.calls)) throw error();
      return demo.getMetricData(input);
    },
  };
  return api;
}

/** CloudWatch throttling the first GetMetricData only, as AWS's error is classified. */
function throttledOnce(demo: DemoMetrics): MetricsApi & { calls: number } {
  return failingGetMetricData(
    demo,
    () =>
      classifyAwsError(
        { name: 'Throttling', $metadata: { httpStatusCode: 400 }, message: 'Rate exceeded' },
        { service: 'CloudWatch', operation: 'GetMetricData' },
      ),
    (call) => call === 1,
  );
}

function assertFailed(result: ExecutionResult, error: string): void {
  assert.equal(result.status, 'FAILED', `expected FAILED, got ${result.status}`);
  assert.equal(result.error, error, `cause: ${result.cause}`);
}

describe('local report runs', () => {
  let dir: string;
  let backend: Backend;
  const slack = new RecordingSlack();

  before(async () => {
    const fresh = await freshConfig();
    dir = fresh.dir;
    backend = await localBackend(fresh.config, { delivery: slack, now: fixedClock });
  });

  after(async () => {
    await backend?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    slack.reset();
  });

  describe('a morning digest', () => {
    let req: ReportRequest;
    let result: ExecutionResult;
    /** This run's messages: the recorder is reset before each test. */
    let recorded: RecordingSlack['messages'] = [];

    before(async () => {
      req = request();
      result = await runReport(backend, req, { retryIntervalMs: 0 });
      recorded = [...slack.messages];
    });

    it('succeeds after Route?, Fetch, Summarize, ConditionMet?, RenderAndStore and Post, in that order: no Sign with stable links', () => {
      // Assess
      assert.equal(backend.stableLinks, true);
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.deepEqual(entered(result.events), REPORT_PATH);
      assert.deepEqual(retried(result.events, STATES.fetch), []);
    });

    it("counts in the message's cost line the 6 states the run entered", () => {
      // Act
      const line = costLine(recorded[0]?.message);

      // Assess
      assert.match(line, /, 6 state transitions, about \$/);
      assert.equal(entered(result.events).length, 6);
    });

    it('posts exactly one message, to the channel', () => {
      // Assess
      assert.equal(recorded.length, 1);
      const [posted] = recorded;
      assert.equal(posted?.channel, CHANNEL);
      assert.equal(posted?.via, 'postMessage');
      assert.match(posted?.message.text ?? '', /^Morning cost digest · Month to date/);
      const output = result.output as PostedState;
      assert.deepEqual(output.delivery, {
        via: 'postMessage',
        channel: CHANNEL,
        ts: output.delivery.ts,
      });
    });

    it('stores the chart under charts/2026/11/22/<requestId>.png', () => {
      // Act
      const output = result.output as PostedState;

      // Assess
      assert.equal(output.chart.key, `charts/2026/11/22/${req.requestId}.png`);
      assert.equal(output.chart.bucket, 'costbot-charts');
      assert.ok(output.chart.bytes > 1000, `${output.chart.bytes} bytes`);
    });

    it('links the chart through the links endpoint until the chart expires, with no presigned link', () => {
      // Act
      const output = result.output as PostedState;

      // Assess
      assert.equal(output.link, undefined);
      assert.ok(backend.links && output.stableLink?.url.startsWith(backend.links.url));
      // Minted at the time Post ran (the wall clock), for the chart's 90 days.
      const minted = Date.parse(output.stableLink?.expiresAt ?? '') - 90 * 86_400_000;
      assert.ok(
        minted >= FROZEN_NOW.getTime() && minted <= Date.now(),
        output.stableLink?.expiresAt,
      );
    });

    it('shows the chart in an image block whose URL serves the PNG from the local S3 server', async () => {
      // Prepare
      const blocks = recorded[0]?.message.blocks ?? [];
      const image = blocks.find((b) => b.type === 'image');
      assert.ok(image && 'image_url' in image && image.image_url, 'an image block with a URL');
      const { stableLink, chart } = result.output as PostedState;

      // Act: the stable link redirects to a freshly presigned URL of the local S3 server.
      const response = await fetch(image.image_url);
      const body = new Uint8Array(await response.arrayBuffer());

      // Assess
      assert.equal(image.image_url, stableLink?.url);
      assert.ok(response.redirected, 'the stable link redirects');
      assert.ok(response.url.startsWith(`${backend.s3?.endpoint}/costbot-charts/`));
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/png');
      assert.deepEqual([...body.subarray(0, 8)], PNG_SIGNATURE);
      assert.equal(body.byteLength, chart.bytes);
    });
  });

  it('replies to a command through its response_url', async () => {
    // Prepare
    const responseUrl = 'https://hooks.slack.com/commands/T0001/1234/abcd';
    const req = request({
      kind: 'command',
      requestId: 'command-20261122-0900-resp01',
      responseUrl,
    });

    // Act
    const result = await runReport(backend, req, { retryIntervalMs: 0 });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.equal(slack.messages.length, 1);
    assert.equal(slack.messages[0]?.via, 'response_url');
    assert.equal(slack.messages[0]?.responseUrl, responseUrl);
    assert.equal(slack.messages[0]?.channel, CHANNEL);
    assert.match(slack.messages[0]?.message.text ?? '', /^AWS cost · /);
    assert.equal((result.output as PostedState).delivery.via, 'response_url');
  });

  it('retries Fetch when CloudWatch throttles once, then posts the report', async () => {
    // Prepare
    const demo = new DemoMetrics({ now: fixedClock });
    const billing = throttledOnce(demo);

    // Act
    const result = await runReport(withBilling(backend, billing, demo), request(), {
      retryIntervalMs: 0,
    });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.equal(billing.calls, 2, 'the throttled call and the retried one');
    assert.equal(retried(result.events, STATES.fetch).length, 1);
    assert.equal(slack.messages.length, 1);
    assert.match(slack.messages[0]?.message.text ?? '', /^Morning cost digest/);
  });

  it('reports AccessDenied on Fetch in the channel, with the role and a statement, and fails', async () => {
    // Prepare
    const demo = new DemoMetrics({ now: fixedClock });
    const billing = failingGetMetricData(
      demo,
      () =>
        classifyAwsError(
          {
            name: 'AccessDeniedException',
            $metadata: { httpStatusCode: 400 },
            message: DENIED_MESSAGE,
          },
          { service: 'CloudWatch', operation: 'GetMetricData' },
        ),
      () => true,
    );

    // Act
    const result = await runReport(withBilling(backend, billing, demo), request(), {
      retryIntervalMs: 0,
    });

    // Assess
    assertFailed(result, 'AwsAccessDeniedError');
    assert.match(result.cause ?? '', /cloudwatch:GetMetricData/);
    assert.equal(billing.calls, 1, 'AccessDenied is not retried');
    assert.deepEqual(retried(result.events, STATES.fetch), []);
    assert.deepEqual(entered(result.events), [
      STATES.route,
      STATES.fetch,
      STATES.failure,
      STATES.reportDelivered,
      STATES.failed,
    ]);
    assert.equal(slack.messages.length, 1);
    const posted = slack.messages[0];
    assert.equal(posted?.channel, CHANNEL);
    assert.equal(posted?.via, 'postMessage');
    const text = messageText(posted?.message ?? { text: '', blocks: [] });
    assert.match(text, /could not be produced \(AwsAccessDeniedError\)/);
    assert.ok(text.includes('`cloudwatch:GetMetricData`'), text);
    assert.ok(text.includes('`arn:aws:iam::123456789012:role/costbot-fetch`'), text);
    // The policy statement that would allow the call, as a JSON code block.
    const json = /```\n(\{[\s\S]*?\})\n```/.exec(text)?.[1];
    assert.ok(json, `a JSON statement in:\n${text}`);
    assert.deepEqual(JSON.parse(json), {
      Effect: 'Allow',
      Action: 'cloudwatch:GetMetricData',
      Resource: '*',
    });
  });

  it('retries Post when Slack rate-limits once, and posts exactly one message', async () => {
    // Prepare
    slack.reset((call) => (call === 1 ? new SlackRateLimitedError(1) : undefined));

    // Act
    const result = await runReport(backend, request(), { retryIntervalMs: 0 });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.equal(slack.calls, 2);
    assert.equal(slack.messages.length, 1);
    assert.equal(retried(result.events, STATES.post).length, 1);
    assert.ok(!entered(result.events).includes(STATES.failure), 'no failure reported');
  });

  it('fails, never silently succeeds, when Slack refuses every post', async () => {
    // Prepare
    slack.reset(
      () =>
        new SlackApiError(
          'channel_not_found',
          'Slack chat.postMessage failed: channel_not_found. The channel does not exist.',
        ),
    );

    // Act
    const result = await runReport(backend, request(), { retryIntervalMs: 0 });

    // Assess
    assertFailed(result, 'SlackApiError');
    assert.match(result.cause ?? '', /channel_not_found/);
    assert.equal(slack.messages.length, 0);
    assert.equal(slack.calls, 2, 'the report, then the failure notice');
    assert.deepEqual(retried(result.events, STATES.post), []);
    assert.deepEqual(entered(result.events).slice(-2), [STATES.post, STATES.failure]);
  });

  describe('a report by account (the FetchAccounts Map)', () => {
    /** The demo data's linked accounts (the backend simulates 3). */
    const accounts = demoAccountIds(3);

    it('fetches each of 3 accounts in its own FetchAccount and ranks the accounts', async () => {
      // Prepare
      const req = request({ kind: 'command', accounts });

      // Act
      const result = await runReport(backend, req, { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      const states = entered(result.events);
      assert.deepEqual(
        states.filter((s) => s !== STATES.fetchAccount),
        [
          STATES.route,
          STATES.fetchAccounts,
          STATES.summarize,
          STATES.conditionMet,
          STATES.chart,
          STATES.post,
        ],
      );
      assert.equal(states.filter((s) => s === STATES.fetchAccount).length, 3);
      assert.equal(result.events.filter((e) => e.type === 'MapIterationStarted').length, 3);
      const { summary } = result.output as PostedState;
      assert.equal(summary.topBy, 'account');
      assert.deepEqual(summary.top.map((i) => i.name).sort(), [...accounts].sort());
      assert.ok(summary.monthToDate > 0, `monthToDate ${summary.monthToDate}`);
      assert.equal(slack.messages.length, 1);
      assert.match(
        messageText(slack.messages[0]?.message ?? { text: '', blocks: [] }),
        /Top accounts/,
      );
    });

    it('gives the figures a single Fetch gives for the same accounts (payer view)', async () => {
      // Prepare
      const req = request({ kind: 'command', accounts });
      const fetchOnce = backend.handlers.fetch as (s: { request: ReportRequest }) => Promise<{
        request: ReportRequest;
        fetched: unknown;
      }>;
      const summarizeOnce = backend.handlers.summarize as (s: unknown) => Promise<ChartState>;
      const single = await summarizeOnce(await fetchOnce({ request: req }));

      // Act
      const result = await runReport(backend, req, { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      // The same figures; only the cost line differs: the Map's path has a state per account.
      const { usage, ...figures } = (result.output as PostedState).summary;
      assert.deepEqual({ ...figures, usage: single.summary.usage }, single.summary);
      assert.equal(usage?.accounts, req.accounts?.length);
    });

    it('runs at most 5 accounts at once', async () => {
      // Prepare: 8 accounts, 3 of them in the demo data; each fetch holds its slot for 20 ms.
      const eight = [...accounts, ...demoAccountIds(8).slice(3)];
      let running = 0;
      let peak = 0;
      const seen: string[] = [];
      const fetch = backend.handlers.fetch as (s: FetchAccountState) => Promise<AccountFetched>;
      const counting = {
        ...backend,
        handlers: {
          ...backend.handlers,
          fetch: async (state: FetchAccountState) => {
            running += 1;
            peak = Math.max(peak, running);
            seen.push(state.accountId);
            try {
              await sleep(20);
              return await fetch(state);
            } finally {
              running -= 1;
            }
          },
        },
      };

      // Act
      const result = await runReport(counting, request({ accounts: eight }), {
        retryIntervalMs: 0,
      });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.equal(peak, 5);
      assert.deepEqual([...seen].sort(), [...eight].sort());
    });

    it('retries one FetchAccount when CloudWatch throttles it once', async () => {
      // Prepare
      const demo = new DemoMetrics({ now: fixedClock });
      const billing = throttledOnce(demo);

      // Act
      const result = await runReport(withBilling(backend, billing, demo), request({ accounts }), {
        retryIntervalMs: 0,
      });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.equal(billing.calls, 4, 'three accounts and one retry');
      assert.equal(retried(result.events, STATES.fetchAccount).length, 1);
      assert.deepEqual(retried(result.events, STATES.fetchAccounts), []);
    });

    it('reports a refused AssumeRole in the channel, explained, and fails', async () => {
      // Prepare: a reader role for the second account whose trust policy refuses the caller.
      const [, member] = accounts;
      assert.ok(member);
      const roleArn = `arn:aws:iam::${member}:role/costbot-cloudwatch-reader`;
      let assumeCalls = 0;
      const demo = new DemoMetrics({ now: fixedClock });
      const readers = new ReaderSessions({
        roles: [{ accountId: member, roleArn }],
        externalId: 'costbot-reader',
        sts: {
          assumeRole: async () => {
            assumeCalls += 1;
            throw classifyAwsError(
              {
                name: 'AccessDenied',
                $metadata: { httpStatusCode: 403 },
                message: `User: arn:aws:sts::123456789012:assumed-role/costbot-fetch/costbot-fetch-fn is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
              },
              { service: 'STS', operation: 'AssumeRole' },
            );
          },
        },
        metricsFor: () => demo,
      });
      const denied = {
        ...backend,
        handlers: {
          ...backend.handlers,
          fetch: createFetchHandler({
            clients: { billing: demo, metrics: demo },
            log: createLogger({ step: 'fetch' }, { level: 'error' }),
            now: fixedClock,
            readers,
          }),
        },
      };

      // Act
      const result = await runReport(denied, request({ accounts }), { retryIntervalMs: 0 });

      // Assess
      assertFailed(result, 'AwsAccessDeniedError');
      assert.match(result.cause ?? '', /sts:AssumeRole/);
      assert.equal(assumeCalls, 1, 'AccessDenied is not retried');
      assert.deepEqual(retried(result.events, STATES.fetchAccount), []);
      assert.deepEqual(entered(result.events).slice(-3), [
        STATES.failure,
        STATES.reportDelivered,
        STATES.failed,
      ]);
      assert.ok(!entered(result.events).includes(STATES.summarize));
      assert.equal(slack.messages.length, 1);
      const text = messageText(slack.messages[0]?.message ?? { text: '', blocks: [] });
      assert.match(text, /could not be produced \(AwsAccessDeniedError\)/);
      assert.ok(text.includes('sts:AssumeRole'), text);
      assert.match(text, /trust policy/);
      assert.ok(text.includes(roleArn), text);
    });

    it('takes the single Fetch for an empty account list, by service', async () => {
      // Act
      const result = await runReport(backend, request({ accounts: [] }), {
        retryIntervalMs: 0,
      });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.deepEqual(entered(result.events).slice(0, 3), [
        STATES.route,
        STATES.fetch,
        STATES.summarize,
      ]);
      assert.equal((result.output as PostedState).summary.topBy, 'service');
    });
  });
});

describe('local runs with presigned links (COSTBOT_STABLE_LINKS=false)', () => {
  let dir: string;
  let backend: Backend | undefined;
  let result: ExecutionResult;
  let parameterFile: string;
  let names: CostbotConfig['parameterNames'];
  const slack = new RecordingSlack();

  before(async () => {
    // No parameter cache: the last case swaps the signer key in the file.
    const fresh = await freshConfig({ ...PRESIGNED, COSTBOT_PARAMETER_CACHE_TTL_SECONDS: '0' });
    dir = fresh.dir;
    names = fresh.config.parameterNames;
    parameterFile = join(dir, 'parameters.json');
    await ensureParameterFile(parameterFile, names);
    backend = await localBackend(fresh.config, { delivery: slack, now: fixedClock });
    result = await runReport(backend, request(), { retryIntervalMs: 0 });
  });

  after(async () => {
    await backend?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('runs Sign between RenderAndStore and Post, and counts its 7 states in the cost line', () => {
    // Assess
    assert.equal(backend?.stableLinks, false);
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    assert.deepEqual(entered(result.events), [
      ...REPORT_PATH.slice(0, -1),
      STATES.sign,
      STATES.post,
    ]);
    assert.match(costLine(slack.messages[0]?.message), /, 7 state transitions, about \$/);
  });

  it('links the chart for 604800 s, signed at the backend clock, in the message', () => {
    // Act
    const { link, stableLink } = result.output as PostedState;
    assert.ok(link);
    const url = new URL(link.url);
    const blocks = slack.messages[0]?.message.blocks ?? [];
    const image = blocks.find((b) => b.type === 'image');

    // Assess
    assert.equal(stableLink, undefined);
    assert.equal(link.expiresInSeconds, 604_800);
    assert.equal(url.searchParams.get('X-Amz-Expires'), '604800');
    assert.equal(
      url.searchParams.get('X-Amz-Date'),
      FROZEN_NOW.toISOString().replace(/[-:]/g, '').replace('.000', ''),
    );
    assert.equal(link.expiresAt, new Date(FROZEN_NOW.getTime() + 604_800_000).toISOString());
    assert.match(link.accessKeyId, /^AKIA/);
    assert.ok(image && 'image_url' in image);
    assert.equal(image.image_url, link.url);
  });

  it('fails with SessionCredentialsError and posts why when the signer key is temporary', async () => {
    // Prepare: Sign reads the key on every report only with presigned links; with stable links
    // the links function reads it when a chart is opened.
    assert.ok(backend);
    const values = JSON.parse(await readFile(parameterFile, 'utf8')) as Record<string, string>;
    const parameterName = names.signerAccessKeyId;
    values[parameterName] = `ASIA${(values[parameterName] ?? '').slice(4)}`;
    await writeFile(parameterFile, JSON.stringify(values, null, 2));
    slack.reset();

    // Act
    const result = await runReport(backend, request(), { retryIntervalMs: 0 });

    // Assess
    assertFailed(result, 'SessionCredentialsError');
    assert.deepEqual(entered(result.events), [
      ...REPORT_PATH.slice(0, -1),
      STATES.sign,
      STATES.failure,
      STATES.reportDelivered,
      STATES.failed,
    ]);
    assert.deepEqual(retried(result.events, STATES.sign), []);
    assert.equal(slack.messages.length, 1);
    assert.equal(slack.messages[0]?.channel, CHANNEL);
    const text = messageText(slack.messages[0]?.message ?? { text: '', blocks: [] });
    assert.match(text, /could not be produced \(SessionCredentialsError\)/);
    assert.match(text, /temporary session credential \(ASIA…\)/);
    assert.ok(text.includes(parameterName), text);
    assert.ok(text.includes('npm run setup'), text);
  });
});
