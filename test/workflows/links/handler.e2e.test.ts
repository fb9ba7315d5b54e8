/**
 * The links endpoint's handler with real components: its HMAC key and the signer key as
 * SecureString parameters in moto_server's SSM, the chart in s3rver. A bad token is refused
 * with a bare 404 before any parameter read or signing; a good one is redirected to a presigned
 * URL whose signature is recomputed with the secret SSM holds, and that opens the PNG.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { s3Config } from '../../../common/aws-clients.ts';
import { loadConfig } from '../../../common/config.ts';
import {
  createLinkSigner,
  MAX_LINK_SECONDS,
  signDepsFromConfig,
} from '../../../common/link-signer.ts';
import {
  generateLinkKey,
  linkKeyBytes,
  MAX_TOKEN_LENGTH,
  mintLinkToken,
} from '../../../common/link-token.ts';
import { type ParameterReader, SsmParameterReader } from '../../../common/parameters.ts';
import { type LocalS3, startLocalS3 } from '../../../local/s3-server.ts';
import {
  createLinksHandler,
  type LinkRequestEvent,
  type LinksDeps,
  linksDepsFromConfig,
  NOT_FOUND,
} from '../../../workflows/links/handler.ts';
import { type MotoServer, startMoto } from '../../support/moto.ts';
import { verifyPresignedUrl } from '../../support/sigv4.ts';

// Now, not a fixed date: s3rver refuses a presigned URL whose 7 days are over.
const NOW = new Date(Math.floor(Date.now() / 1000) * 1000);
const LATER = new Date(NOW.getTime() + 90 * 86_400_000);
const OBJECT = 'charts/2026/11/27/command-20261127-0800-a1b2c3.png';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex');
const SIGNER = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const config = loadConfig({ COSTBOT_BACKEND: 'aws', COSTBOT_BUCKET: 'costbot-charts' });
const names = config.parameterNames;
const LINK_KEY = generateLinkKey();

let moto: MotoServer | null;
let s3: LocalS3;
let dir: string;
/** Every parameter read the handler makes, by name. */
const reads: string[][] = [];
/** Every object the handler asked to sign. */
const signed: string[] = [];
let deps: LinksDeps;

const get = (rawPath: string, method = 'GET'): LinkRequestEvent => ({
  rawPath,
  requestContext: { http: { method } },
});
const token = (objectKey = OBJECT, expiresAt = LATER) =>
  mintLinkToken(linkKeyBytes(LINK_KEY, 'test'), { objectKey, expiresAt });

describe('Handler: workflows/links/handler.ts (moto_server SSM, s3rver)', () => {
  before(async () => {
    moto = await startMoto();
    dir = await mkdtemp(join(tmpdir(), 'costbot-links-'));
    s3 = await startLocalS3({ directory: dir, port: 0, bucket: config.bucket, keys: [SIGNER] });
    await new S3Client({
      ...s3Config({ AWS_ENDPOINT_URL_S3: s3.endpoint }),
      region: 'us-east-1',
      endpoint: s3.endpoint,
      credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    }).send(
      new PutObjectCommand({
        Bucket: config.bucket,
        Key: OBJECT,
        Body: PNG,
        ContentType: 'image/png',
      }),
    );
    if (!moto) return;
    const ssm = new SSMClient({
      region: 'us-east-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const values: [string, string][] = [
      [names.linkKey, LINK_KEY],
      [names.signerAccessKeyId, SIGNER.accessKeyId],
      [names.signerSecretAccessKey, SIGNER.secretAccessKey],
    ];
    for (const [Name, Value] of values) {
      await ssm.send(
        new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }),
      );
    }
    const ssmReader = new SsmParameterReader(ssm);
    const parameters: ParameterReader = {
      get: (requested) => {
        reads.push(requested);
        return ssmReader.get(requested);
      },
    };
    const signLink = createLinkSigner({
      ...signDepsFromConfig(config, {}, parameters),
      signingClient: (credentials) =>
        new S3Client({
          ...s3Config({ AWS_ENDPOINT_URL_S3: s3.endpoint }),
          region: 'us-east-1',
          endpoint: s3.endpoint,
          credentials,
        }),
      now: () => NOW,
    });
    deps = await linksDepsFromConfig(config, {}, parameters, {
      signLink: (chart) => {
        signed.push(chart.key);
        return signLink(chart);
      },
      now: () => NOW,
    });
  });

  after(async () => {
    await s3?.stop();
    await moto?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function ready(t: TestContext): boolean {
    if (!moto) t.skip('moto_server not installed');
    return !!moto;
  }

  it('reads only the HMAC key at start-up', (t) => {
    if (!ready(t)) return;
    // Assess
    assert.deepEqual(reads, [[names.linkKey]]);
  });

  const refused: [string, LinkRequestEvent | (() => LinkRequestEvent)][] = [
    ['an empty path', get('/')],
    ['no path at all', { requestContext: { http: { method: 'GET' } } }],
    ['a malformed token', get('/not-a-token')],
    ['a huge token', get(`/${'A'.repeat(MAX_TOKEN_LENGTH + 1)}`)],
    [
      'a tampered token',
      () => get(`/${token().replace(/\.(\d)/, (_, d) => `.${(Number(d) + 1) % 10}`)}`),
    ],
    ['an expired token', () => get(`/${token(OBJECT, new Date(NOW.getTime() - 1000))}`)],
    [
      'a token made with another key',
      () =>
        get(
          `/${mintLinkToken(linkKeyBytes(generateLinkKey(), 'x'), { objectKey: OBJECT, expiresAt: new Date('2027-01-01T00:00:00Z') })}`,
        ),
    ],
    ['an object outside the chart prefix', () => get(`/${token('deliveries/x/report.json')}`)],
    ['a token below another path', () => get(`/x/${token()}`)],
    ['a POST', () => get(`/${token()}`, 'POST')],
  ];
  for (const [what, event] of refused) {
    it(`answers ${what} with a bare 404 before any AWS call`, async (t) => {
      if (!ready(t)) return;
      // Prepare
      const handler = createLinksHandler(deps);
      const readsBefore = reads.length;
      const signedBefore = signed.length;
      // Act
      const response = await handler(typeof event === 'function' ? event() : event);
      // Assess
      assert.deepEqual(response, NOT_FOUND);
      assert.equal(reads.length, readsBefore, 'no parameter read');
      assert.equal(signed.length, signedBefore, 'nothing signed');
    });
  }

  it('redirects a good token to a 7-day URL signed with the SSM-held key, which opens the PNG', async (t) => {
    if (!ready(t)) return;
    // Prepare
    const handler = createLinksHandler(deps);
    // Act
    const response = await handler(get(`/${token()}`));
    // Assess
    assert.equal(response.statusCode, 302);
    const location = response.headers.location ?? '';
    const url = new URL(location);
    assert.equal(url.pathname, `/${config.bucket}/${OBJECT}`);
    assert.equal(url.searchParams.get('X-Amz-Expires'), String(MAX_LINK_SECONDS));
    assert.match(
      url.searchParams.get('X-Amz-Credential') ?? '',
      new RegExp(`^${SIGNER.accessKeyId}/`),
    );
    assert.equal(await verifyPresignedUrl(location, SIGNER.secretAccessKey), true);
    assert.equal(await verifyPresignedUrl(location, 'another-secret'), false);
    assert.match(response.headers['cache-control'] ?? '', /^private, max-age=\d+$/);
    assert.deepEqual(signed.at(-1), OBJECT);
    const png = await fetch(location);
    assert.equal(png.status, 200);
    assert.deepEqual(Buffer.from(await png.arrayBuffer()), PNG);
  });

  it('answers HEAD like GET (viewers probe images)', async (t) => {
    if (!ready(t)) return;
    // Act
    const response = await createLinksHandler(deps)(get(`/${token()}`, 'HEAD'));
    // Assess
    assert.equal(response.statusCode, 302);
  });
});
