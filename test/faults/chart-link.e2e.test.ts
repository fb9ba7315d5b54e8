/**
 * The chart's stable link, checked by Post before it posts, in full local runs (the generated
 * definition without Sign, every real step handler, the local links server, s3rver, the fake
 * Slack). A loopback proxy stands in front of the links server (failing once as `cases.ts`
 * says) and one in front of s3rver, which refuses a signature the registered secret does not
 * make, as S3 does (s3rver checks key ids, never SigV4 signatures). A link that does not open
 * is never posted: the failure notice says why and what to do. Retry waits are shortened
 * (`retryIntervalMs`); the deployed ones are asserted on the definition.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { STATES } from '../../infra/state-machine/states.ts';
import { runReport } from '../../local/report.ts';
import { CHART_LINK_CASES } from '../attacks/cases.ts';
import { verifyPresignedUrl } from '../support/sigv4.ts';
import { type FlakyProxy, type ProxyAnswer, startFlakyProxy } from './flaky-proxy.ts';
import {
  assertOutcome,
  digest,
  editParameters,
  entered,
  type Rig,
  retries,
  startRig,
  texts,
} from './support.ts';

/** Each call of the link check here: a hang ends well within a test, as 2 s does within Post. */
const PROBE_TIMEOUT_MS = 300;

describe('Faults: the chart link Post checks before posting', () => {
  let rig: Rig;
  let links: FlakyProxy;
  let s3: FlakyProxy;
  /** Ranged GETs of presigned URLs that reached the S3 front. */
  const storageReads: string[] = [];
  let signer = { accessKeyId: '', secretAccessKey: '' };

  /** S3's answer to a presigned URL the registered signer key did not sign. */
  async function refuseBadSignature(url: string): Promise<ProxyAnswer | undefined> {
    const query = new URL(url).searchParams;
    if (!query.has('X-Amz-Signature')) return undefined;
    storageReads.push(url);
    // A key id s3rver does not know: s3rver itself answers InvalidAccessKeyId, as S3 would.
    if (!(query.get('X-Amz-Credential') ?? '').startsWith(`${signer.accessKeyId}/`)) return;
    if (await verifyPresignedUrl(url, signer.secretAccessKey)) return undefined;
    return {
      status: 403,
      contentType: 'application/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>SignatureDoesNotMatch</Code><Message>The request signature we calculated does not match the signature you provided.</Message></Error>',
    };
  }

  before(async () => {
    // No parameter cache: a signer key written to the file signs the next link.
    rig = await startRig(
      { LOG_LEVEL: 'error', COSTBOT_PARAMETER_CACHE_TTL_SECONDS: '0' },
      {
        linkProbeTimeoutMs: PROBE_TIMEOUT_MS,
        fronts: {
          links: async (url) => {
            links = await startFlakyProxy(url.replace(/\/$/, ''));
            return `${links.url}/`;
          },
          s3: async (endpoint) => {
            s3 = await startFlakyProxy(endpoint, { check: refuseBadSignature });
            return s3.url;
          },
        },
      },
    );
    assert.ok(rig.backend.links, 'stable links are on');
    const names = rig.config.parameterNames;
    signer = {
      accessKeyId: rig.parameters[names.signerAccessKeyId] ?? '',
      secretAccessKey: rig.parameters[names.signerSecretAccessKey] ?? '',
    };
  });

  after(async () => {
    await rig?.stop();
    await links?.close();
    await s3?.close();
  });

  beforeEach(async () => {
    rig.slack.reset();
    links.failed.length = 0;
    storageReads.length = 0;
  });

  for (const c of CHART_LINK_CASES) {
    const { expected } = c;
    it(`${c.label}: ${expected.posted ? 'posted once' : `${expected.error}, a notice, no link posted`}`, async () => {
      // Prepare
      const names = rig.config.parameterNames;
      if ('signer' in c.fault) {
        const { accessKeyId, secretAccessKey } = c.fault.signer;
        await editParameters(rig, {
          ...(accessKeyId ? { [names.signerAccessKeyId]: accessKeyId } : {}),
          ...(secretAccessKey ? { [names.signerSecretAccessKey]: secretAccessKey } : {}),
        });
      } else {
        await editParameters(rig, {});
        links.failOnce('/', c.fault.links);
      }
      const started = Date.now();

      // Act
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: 10 });

      // Assess
      assertOutcome(result, rig.slack);
      const posted = texts(rig.slack);
      assert.equal(posted.length, 1, 'one message');
      if (expected.posted) {
        assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
        assert.deepEqual(
          retries(result.events, STATES.post).map((r) => r.error),
          expected.retried,
        );
        assert.ok(storageReads.length >= 1, 'the presigned URL was read before posting');
        assert.ok(posted[0]?.includes(links.url), 'the stable link is in the report');
      } else {
        assert.equal(result.status, 'FAILED');
        assert.equal(result.error, expected.error);
        assert.deepEqual(retries(result.events, STATES.post), [], 'not retried');
        assert.ok(entered(result.events).includes(STATES.failure));
        const notice = posted[0] ?? '';
        assert.match(notice, new RegExp(`could not be produced \\(${expected.error}\\)`));
        assert.ok(notice.includes(expected.says), notice);
        assert.match(notice, /npm run doctor/);
        assert.ok(!notice.includes(links.url), 'no link in the notice');
      }
      if ('links' in c.fault && c.fault.links === 'hang') {
        // The hung check ended at its timeout: one timeout and the rest of the run, not Post's 30 s.
        const failed = result.events.find(
          (e) => e.type === 'StateFailed' && e.state.name === STATES.post,
        );
        assert.match(JSON.stringify(failed), new RegExp(`within ${PROBE_TIMEOUT_MS} ms`));
        assert.ok(Date.now() - started < 15_000, `${Date.now() - started} ms`);
      }
    });
  }
});
