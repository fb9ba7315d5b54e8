/**
 * Malformed events for every step handler, on the local backend's real clients (s3rver, the
 * parameter file, a loopback Slack): each is refused by name (`InvalidEventError`) before it is
 * used, and nothing is written to the bucket or posted. Then the failure path given any
 * `$.error`, and whole runs of bad requests through the state machine.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { ReportRequest } from '../../common/contract.ts';
import { runReport } from '../../local/report.ts';
import type { StepHandlers } from '../../local/runner.ts';
import { digest, entered, type Rig, startRig, texts } from '../faults/support.ts';
import { FAILURE_ERROR_CASES, RUN_REQUEST_CASES, STEP_EVENT_CASES, type Step } from './cases.ts';

type Good = Record<Step, Record<string, unknown>>;

/** A valid event of every step, each the previous step's real output. */
async function goodEvents(handlers: StepHandlers): Promise<Good> {
  const call = async (handler: StepHandlers[keyof StepHandlers], event: unknown) =>
    JSON.parse(JSON.stringify(await handler(event as never))) as Record<string, unknown>;
  const request = digest();
  const fetch = { request };
  const summarize = await call(handlers.fetch, fetch);
  const chart = await call(handlers.summarize, summarize);
  const sign = await call(handlers.chart, chart);
  const post = await call(handlers.sign, sign);
  const accountsRequest: ReportRequest = { ...digest(), accounts: ['111111111111'] };
  const fetchAccount = { request: accountsRequest, accountId: '111111111111' };
  const perAccount = await call(handlers.fetch, fetchAccount);
  const summarizeAccounts = { request: accountsRequest, perAccount: [perAccount] };
  return { fetch, fetchAccount, summarize, summarizeAccounts, chart, sign, post };
}

const HANDLER: Record<Step, keyof StepHandlers> = {
  fetch: 'fetch',
  fetchAccount: 'fetch',
  summarize: 'summarize',
  summarizeAccounts: 'summarize',
  chart: 'chart',
  sign: 'sign',
  post: 'post',
};

describe('Attacks: malformed step events (local backend, s3rver, loopback Slack)', () => {
  let rig: Rig;
  let good: Good;
  let s3: S3Client;

  async function objectCount(): Promise<number> {
    const listed = await s3.send(new ListObjectsV2Command({ Bucket: rig.config.bucket }));
    return listed.KeyCount ?? 0;
  }

  before(async () => {
    rig = await startRig();
    s3 = new S3Client({
      region: 'us-east-1',
      endpoint: rig.backend.s3?.endpoint,
      forcePathStyle: true,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    });
    good = await goodEvents(rig.backend.handlers);
  });

  after(async () => {
    await rig?.stop();
  });

  it('the valid events pass (control)', async () => {
    // Act
    const posted = await rig.backend.handlers.post(good.post as never);

    // Assess
    assert.ok(posted);
    assert.equal(rig.slack.messages.length, 1);
  });

  for (const c of STEP_EVENT_CASES) {
    it(`${c.step}: ${c.label}: InvalidEventError, nothing written or posted`, async () => {
      // Prepare
      const event = c.event(structuredClone(good[c.step]));
      const objects = await objectCount();
      const calls = rig.slack.calls.length;

      // Act
      const error = await rig.backend.handlers[HANDLER[c.step]](event as never).then(
        () => undefined,
        (e: unknown) => e as Error,
      );

      // Assess
      assert.ok(error, 'refused');
      assert.equal(error.name, 'InvalidEventError', `${error.name}: ${error.message}`);
      assert.doesNotMatch(error.message, /Cannot read properties|undefined/);
      assert.equal(await objectCount(), objects, 'nothing written');
      assert.equal(rig.slack.calls.length, calls, 'nothing posted');
    });
  }

  for (const c of FAILURE_ERROR_CASES) {
    it(`failure path, $.error ${c.label}: one failure notice, no crash`, async () => {
      // Prepare
      const before = rig.slack.messages.length;

      // Act
      const out = await rig.backend.handlers.post({ request: digest(), error: c.error } as never);

      // Assess
      assert.ok(out);
      const posted = texts(rig.slack).slice(before);
      assert.equal(posted.length, 1, 'one notice');
      assert.match(posted[0] ?? '', /could not be produced/);
      assert.doesNotMatch(posted[0] ?? '', /<!channel>|<http:\/\/evil/);
    });
  }

  for (const c of RUN_REQUEST_CASES) {
    it(`a run of a request with ${c.label}: InvalidEventError, ${c.notice ? 'one notice' : 'nothing posted'}`, async () => {
      // Prepare
      const request = { ...digest(), ...c.change } as ReportRequest;
      const before = rig.slack.messages.length;

      // Act
      const result = await runReport(rig.backend, request, { retryIntervalMs: 10 });

      // Assess
      assert.equal(result.status, 'FAILED');
      assert.match(`${result.error} ${result.cause}`, /InvalidEventError/);
      assert.ok(!entered(result.events).includes('Chart'), 'no chart rendered');
      const posted = texts(rig.slack).slice(before);
      assert.equal(posted.length, c.notice ? 1 : 0, JSON.stringify(posted));
      if (c.notice) assert.match(posted[0] ?? '', /InvalidEventError|malformed/);
    });
  }
});
