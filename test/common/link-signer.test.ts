import assert from 'node:assert/strict';
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { SignatureV4 } from '@smithy/signature-v4';
import { s3Config } from '../../common/aws-clients.ts';
import { InvalidSignerKeyError, SessionCredentialsError } from '../../common/errors.ts';
import {
  assertPermanentKey,
  createLinkSigner,
  MAX_LINK_SECONDS,
  type SignerCredentials,
  signChartLink,
} from '../../common/link-signer.ts';

import { createLogger } from '../../common/log.ts';
import { generateAccessKeyId, generateSecretAccessKey } from '../../local/parameter-file.ts';

// AWS's documented example key pair: shaped like an IAM user's key, valid nowhere.
const KEYS: SignerCredentials = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
};
const SOURCE = '/costbot/signer/access-key-id';
const HOST = '127.0.0.1:4568';
const ENDPOINT = `http://${HOST}`;
const BUCKET = 'costbot-charts';
const KEY = 'charts/2026/11/22/digest-20261122-0900-a1b2c3.png';
const NOW = new Date('2026-11-22T09:00:00Z');
const WEEK = 604_800;

type SourceData = string | ArrayBuffer | ArrayBufferView;

function bytes(data: SourceData): Buffer {
  if (typeof data === 'string') return Buffer.from(data, 'utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

/** SHA-256 (or HMAC-SHA-256 with a secret) from node:crypto, in the shape SignatureV4 takes. */
class NodeSha256 {
  private hash: Hash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.create();
  }

  private create(): Hash | Hmac {
    return this.secret === undefined
      ? createHash('sha256')
      : createHmac('sha256', bytes(this.secret));
  }

  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }

  async digest(): Promise<Uint8Array> {
    return new Uint8Array(this.hash.digest());
  }

  reset(): void {
    this.hash = this.create();
  }
}

/** The signing client as the sign step builds it (`s3Config`), against a local endpoint. */
function s3Client(credentials: SignerCredentials): S3Client {
  return new S3Client({
    ...s3Config({ AWS_ENDPOINT_URL_S3: ENDPOINT }),
    region: 'us-east-1',
    endpoint: ENDPOINT,
    forcePathStyle: true,
    credentials,
  });
}

function sign(overrides: { credentials?: SignerCredentials; expiresInSeconds?: number } = {}) {
  const credentials = overrides.credentials ?? KEYS;
  return signChartLink({
    client: s3Client(credentials),
    credentials,
    source: SOURCE,
    bucket: BUCKET,
    key: KEY,
    expiresInSeconds: overrides.expiresInSeconds ?? WEEK,
    now: NOW,
  });
}

/**
 * Presigns the GET of the chart from scratch with @smithy/signature-v4, as S3's presigner
 * would: path-style, unsigned payload, only `host` signed, `x-id=GetObject` in the query.
 */
async function recompute(secretAccessKey: string): Promise<Record<string, string>> {
  const signer = new SignatureV4({
    service: 's3',
    region: 'us-east-1',
    credentials: { accessKeyId: KEYS.accessKeyId, secretAccessKey },
    sha256: NodeSha256,
    // S3 signs the path as sent, without escaping it a second time.
    uriEscapePath: false,
    applyChecksum: false,
  });
  const presigned = await signer.presign(
    {
      method: 'GET',
      protocol: 'http:',
      hostname: '127.0.0.1',
      port: 4568,
      path: `/${BUCKET}/${KEY}`,
      query: { 'x-id': 'GetObject' },
      // The presigner's header name, hoisted into the query as is (names are case-sensitive there).
      headers: { host: HOST, 'X-Amz-Content-Sha256': 'UNSIGNED-PAYLOAD' },
    },
    { signingDate: NOW, expiresIn: WEEK, unsignableHeaders: new Set(['content-type']) },
  );
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(presigned.query ?? {})) query[name] = String(value);
  return query;
}

/** RFC 3986 encoding, as SigV4's canonical query string wants it. */
function rfc3986(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** What S3 does on receiving the URL: recompute its SigV4 signature, with node:crypto only. */
function verifyAsServer(url: URL, secretAccessKey: string): string {
  const params = [...url.searchParams].filter(([name]) => name !== 'X-Amz-Signature');
  const canonicalQuery = params
    .map(([name, value]) => [rfc3986(name), rfc3986(value)])
    .sort(([a = ''], [b = '']) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join('&');
  const signedHeaders = url.searchParams.get('X-Amz-SignedHeaders') ?? '';
  const headers: Record<string, string> = { host: url.host };
  const canonicalHeaders = signedHeaders
    .split(';')
    .map((h) => `${h}:${headers[h] ?? ''}\n`)
    .join('');
  const canonicalRequest = [
    'GET',
    url.pathname,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    'UNSIGNED-PAYLOAD',
  ].join('\n');
  const date = url.searchParams.get('X-Amz-Date') ?? '';
  const scope = (url.searchParams.get('X-Amz-Credential') ?? '').split('/').slice(1).join('/');
  const stringToSign = [
    'AWS4-HMAC-SHA256',
    date,
    scope,
    createHash('sha256').update(canonicalRequest).digest('hex'),
  ].join('\n');
  const [day = '', region = '', service = '', terminator = ''] = scope.split('/');
  let key: Buffer = Buffer.from(`AWS4${secretAccessKey}`);
  for (const part of [day, region, service, terminator]) {
    key = createHmac('sha256', key).update(part).digest();
  }
  return createHmac('sha256', key).update(stringToSign).digest('hex');
}

describe("verifyAsServer (the test's own SigV4 check)", () => {
  it('reproduces the presigned-URL example of the S3 documentation', () => {
    // Prepare: "Authenticating Requests: Using Query Parameters (AWS Signature Version 4)".
    const url = new URL(
      'https://examplebucket.s3.amazonaws.com/test.txt?X-Amz-Algorithm=AWS4-HMAC-SHA256' +
        '&X-Amz-Credential=AKIAIOSFODNN7EXAMPLE%2F20130524%2Fus-east-1%2Fs3%2Faws4_request' +
        '&X-Amz-Date=20130524T000000Z&X-Amz-Expires=86400&X-Amz-SignedHeaders=host' +
        '&X-Amz-Signature=aeeed9bbccd4d02ee5c0109b86d86835f995330da4c265957d157751f604d404',
    );

    // Act
    const signature = verifyAsServer(url, KEYS.secretAccessKey);

    // Assess
    assert.equal(signature, url.searchParams.get('X-Amz-Signature'));
  });
});

describe('signChartLink', () => {
  it('signs a GET whose SigV4 signature recomputes identically with @smithy/signature-v4', async () => {
    // Prepare
    const expected = await recompute(KEYS.secretAccessKey);

    // Act
    const link = await sign();

    // Assess
    const url = new URL(link.url);
    assert.equal(`${url.protocol}//${url.host}${url.pathname}`, `${ENDPOINT}/${BUCKET}/${KEY}`);
    assert.equal(url.searchParams.get('X-Amz-Signature'), expected['X-Amz-Signature']);
    assert.match(expected['X-Amz-Signature'] ?? '', /^[0-9a-f]{64}$/);
    // Every parameter the signature covers is the same, not just the signature.
    assert.deepEqual(Object.fromEntries(url.searchParams), expected);
  });

  it('signs a signature S3 would accept: recomputed from the URL alone with node:crypto', async () => {
    // Act
    const link = await sign();

    // Assess
    const url = new URL(link.url);
    assert.equal(
      verifyAsServer(url, KEYS.secretAccessKey),
      url.searchParams.get('X-Amz-Signature'),
    );
  });

  it('is valid for 7 days from now: X-Amz-Expires=604800, X-Amz-Date is the signing time', async () => {
    // Act
    const link = await sign();

    // Assess
    const url = new URL(link.url);
    assert.equal(url.searchParams.get('X-Amz-Expires'), '604800');
    assert.equal(url.searchParams.get('X-Amz-Date'), '20261122T090000Z');
    assert.equal(url.searchParams.get('X-Amz-Algorithm'), 'AWS4-HMAC-SHA256');
    assert.equal(url.searchParams.get('X-Amz-SignedHeaders'), 'host');
    assert.equal(link.expiresInSeconds, WEEK);
    assert.equal(link.expiresAt, '2026-11-29T09:00:00.000Z');
  });

  it('signs with the permanent key itself and no session token', async () => {
    // Act
    const link = await sign();

    // Assess
    const url = new URL(link.url);
    const credential = url.searchParams.get('X-Amz-Credential') ?? '';
    assert.ok(credential.startsWith(`${KEYS.accessKeyId}/`), credential);
    assert.equal(credential, `${KEYS.accessKeyId}/20261122/us-east-1/s3/aws4_request`);
    assert.equal(url.searchParams.has('X-Amz-Security-Token'), false);
    assert.equal(link.accessKeyId, KEYS.accessKeyId);
  });

  it('gives a signature that a different secret does not reproduce', async () => {
    // Prepare
    const wrongSecret = `${KEYS.secretAccessKey.slice(0, -1)}X`;
    const wrong = await recompute(wrongSecret);

    // Act
    const link = await sign();

    // Assess
    const url = new URL(link.url);
    const signature = url.searchParams.get('X-Amz-Signature');
    assert.notEqual(signature, wrong['X-Amz-Signature']);
    assert.notEqual(verifyAsServer(url, wrongSecret), signature);
  });

  it('gives a different signature for a different key pair (the client’s credentials are used)', async () => {
    // Prepare
    const other: SignerCredentials = {
      accessKeyId: 'AKIAI44QHZDHBEXAMPLE',
      secretAccessKey: 'je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY',
    };

    // Act
    const ours = new URL((await sign()).url);
    const theirs = new URL((await sign({ credentials: other })).url);

    // Assess
    assert.notEqual(
      theirs.searchParams.get('X-Amz-Signature'),
      ours.searchParams.get('X-Amz-Signature'),
    );
    assert.equal(
      verifyAsServer(theirs, other.secretAccessKey),
      theirs.searchParams.get('X-Amz-Signature'),
    );
  });

  it('caps a lifetime above 604800 s at 604800 s', async () => {
    // Act
    const link = await sign({ expiresInSeconds: 30 * 86_400 });

    // Assess
    assert.equal(MAX_LINK_SECONDS, WEEK);
    assert.equal(link.expiresInSeconds, WEEK);
    assert.equal(link.expiresAt, '2026-11-29T09:00:00.000Z');
    assert.equal(new URL(link.url).searchParams.get('X-Amz-Expires'), '604800');
  });

  it('keeps a shorter lifetime as asked', async () => {
    // Act
    const link = await sign({ expiresInSeconds: 3600 });

    // Assess
    assert.equal(link.expiresInSeconds, 3600);
    assert.equal(link.expiresAt, '2026-11-22T10:00:00.000Z');
    assert.equal(new URL(link.url).searchParams.get('X-Amz-Expires'), '3600');
  });

  it('refuses to sign with a temporary key', async () => {
    // Prepare
    const temporary = { ...KEYS, accessKeyId: 'ASIAIOSFODNN7EXAMPLE' };

    // Act
    const signing = sign({ credentials: temporary });

    // Assess
    await assert.rejects(signing, SessionCredentialsError);
  });
});

describe('assertPermanentKey', () => {
  it('accepts an IAM user key (AKIA…) without a session token', () => {
    // Act
    const check = () => assertPermanentKey(KEYS, SOURCE);

    // Assess
    assert.doesNotThrow(check);
  });

  it('rejects an STS key (ASIA…), naming the parameter and `npm run setup`', () => {
    // Prepare
    const temporary = { ...KEYS, accessKeyId: 'ASIAIOSFODNN7EXAMPLE' };

    // Act
    const check = () => assertPermanentKey(temporary, SOURCE);

    // Assess
    assert.throws(check, (error: unknown) => {
      assert.ok(error instanceof SessionCredentialsError);
      assert.equal(error.name, 'SessionCredentialsError');
      assert.ok(error.message.includes(SOURCE), error.message);
      assert.ok(error.message.includes('npm run setup'), error.message);
      assert.match(error.message, /temporary session credential \(ASIA…\)/);
      // The whole key id is not repeated in the message.
      assert.ok(!error.message.includes(temporary.accessKeyId), error.message);
      return true;
    });
  });

  it('rejects an AKIA key that comes with a session token', () => {
    // Prepare
    const withToken = { ...KEYS, sessionToken: 'FwoGZXIvYXdzEXAMPLE' };

    // Act
    const check = () => assertPermanentKey(withToken, SOURCE);

    // Assess
    assert.throws(check, (error: unknown) => {
      assert.ok(error instanceof SessionCredentialsError);
      assert.ok(error.message.includes(SOURCE), error.message);
      assert.ok(error.message.includes('npm run setup'), error.message);
      return true;
    });
  });
});

describe('assertPermanentKey: the class of keys that must not sign', () => {
  const body = 'IOSFODNN7EXAMPLE';
  const refused: {
    what: string;
    accessKeyId: string;
    secret?: string;
    error: typeof SessionCredentialsError | typeof InvalidSignerKeyError;
  }[] = [
    { what: 'a session key ASIA…', accessKeyId: `ASIA${body}`, error: SessionCredentialsError },
    {
      what: 'asia… in lower case',
      accessKeyId: `asia${body.toLowerCase()}`,
      error: SessionCredentialsError,
    },
    { what: 'AsIa… in mixed case', accessKeyId: `AsIa${body}`, error: SessionCredentialsError },
    { what: '" ASIA…" with a space', accessKeyId: ` ASIA${body}`, error: SessionCredentialsError },
    { what: 'ASIA… with a newline', accessKeyId: `ASIA${body}\n`, error: SessionCredentialsError },
    { what: 'a role id AROA…', accessKeyId: `AROA${body}`, error: InvalidSignerKeyError },
    { what: 'a user id AIDA…', accessKeyId: `AIDA${body}`, error: InvalidSignerKeyError },
    {
      what: 'akia… in lower case',
      accessKeyId: `akia${body.toLowerCase()}`,
      error: InvalidSignerKeyError,
    },
    { what: '19 characters', accessKeyId: `AKIA${body.slice(1)}`, error: InvalidSignerKeyError },
    { what: '21 characters', accessKeyId: `AKIA${body}A`, error: InvalidSignerKeyError },
    {
      what: 'digits outside base 32 (0, 1, 8, 9)',
      accessKeyId: 'AKIA0189018901890189',
      error: InvalidSignerKeyError,
    },
    {
      what: 'a space inside',
      accessKeyId: `AKIA${body.slice(0, 8)} ${body.slice(9)}`,
      error: InvalidSignerKeyError,
    },
    { what: 'garbage', accessKeyId: 'not-a-key', error: InvalidSignerKeyError },
    { what: 'an empty id', accessKeyId: '', error: InvalidSignerKeyError },
    { what: 'only spaces', accessKeyId: '   ', error: InvalidSignerKeyError },
    {
      what: 'an empty secret',
      accessKeyId: `AKIA${body}`,
      secret: '',
      error: InvalidSignerKeyError,
    },
    {
      what: 'a secret with a trailing newline',
      accessKeyId: `AKIA${body}`,
      secret: `${KEYS.secretAccessKey}\n`,
      error: InvalidSignerKeyError,
    },
    {
      what: 'a secret with a space inside',
      accessKeyId: `AKIA${body}`,
      secret: 'wJalrXUtnFEMI/K7MDENG bPxRfiCYEXAMPLEKEY',
      error: InvalidSignerKeyError,
    },
  ];
  for (const { what, accessKeyId, secret, error } of refused) {
    it(`refuses ${what} with ${error.name}, saying what to do`, () => {
      // Prepare
      const credentials = { accessKeyId, secretAccessKey: secret ?? KEYS.secretAccessKey };

      // Act
      const check = () => assertPermanentKey(credentials, SOURCE);

      // Assess
      assert.throws(check, (thrown: unknown) => {
        assert.ok(thrown instanceof error, String(thrown));
        assert.ok((thrown as Error).message.includes(SOURCE), (thrown as Error).message);
        assert.match((thrown as Error).message, /npm run setup/);
        if (accessKeyId.trim().length > 4) {
          assert.ok(
            !(thrown as Error).message.includes(accessKeyId.trim()),
            'the id is not repeated',
          );
        }
        return true;
      });
    });
  }

  it('accepts an AKIA key with spaces around it, and gives it back trimmed', () => {
    // Act
    const checked = assertPermanentKey({ ...KEYS, accessKeyId: ` ${KEYS.accessKeyId}\n` }, SOURCE);
    // Assess
    assert.deepEqual(checked, {
      accessKeyId: KEYS.accessKeyId,
      secretAccessKey: KEYS.secretAccessKey,
    });
  });

  it('accepts every key the local parameter file generator makes', () => {
    for (let i = 0; i < 200; i++) {
      // Prepare
      const generated = {
        accessKeyId: generateAccessKeyId(),
        secretAccessKey: generateSecretAccessKey(),
      };
      // Act
      const checked = assertPermanentKey(generated, SOURCE);
      // Assess
      assert.deepEqual(checked, generated);
    }
  });
});

describe('createLinkSigner', () => {
  const names = { accessKeyId: SOURCE, secretAccessKey: '/costbot/signer/secret-access-key' };
  const quiet = createLogger({}, { write: () => {} });
  /** A signer over a parameter store holding `accessKeyId` and the secret `secret()` gives. */
  function signerWith(accessKeyId: string, clients: string[], secret = () => KEYS.secretAccessKey) {
    return createLinkSigner({
      parameters: {
        get: async () => ({
          [names.accessKeyId]: accessKeyId,
          [names.secretAccessKey]: secret(),
        }),
      },
      names,
      signingClient: (credentials) => {
        clients.push(credentials.accessKeyId);
        return s3Client(credentials);
      },
      expiresInSeconds: WEEK,
      log: quiet,
      now: () => NOW,
    });
  }

  it('signs with the trimmed id read from the parameter store', async () => {
    // Prepare
    const clients: string[] = [];
    // Act
    const link = await signerWith(`  ${KEYS.accessKeyId} `, clients)({ bucket: BUCKET, key: KEY });
    // Assess
    assert.deepEqual(clients, [KEYS.accessKeyId]);
    assert.equal(link.accessKeyId, KEYS.accessKeyId);
    assert.match(link.url, new RegExp(`X-Amz-Credential=${KEYS.accessKeyId}%2F`));
  });

  it('builds no client and signs nothing for a refused key', async () => {
    // Prepare
    const clients: string[] = [];
    // Act
    const signing = signerWith('AROAIOSFODNN7EXAMPLE', clients)({ bucket: BUCKET, key: KEY });
    // Assess
    await assert.rejects(signing, InvalidSignerKeyError);
    assert.deepEqual(clients, []);
  });

  it('signs with a corrected secret under the same key id at once, and reuses the client after', async () => {
    // Prepare: the stored secret is wrong, then corrected (a warm links function sees both).
    let secret = `${KEYS.secretAccessKey.slice(0, -1)}X`;
    const clients: string[] = [];
    const signLink = signerWith(KEYS.accessKeyId, clients, () => secret);
    await signLink({ bucket: BUCKET, key: KEY });
    secret = KEYS.secretAccessKey;

    // Act
    const link = new URL((await signLink({ bucket: BUCKET, key: KEY })).url);
    await signLink({ bucket: BUCKET, key: KEY });

    // Assess
    assert.equal(
      verifyAsServer(link, KEYS.secretAccessKey),
      link.searchParams.get('X-Amz-Signature'),
    );
    assert.deepEqual(
      clients,
      [KEYS.accessKeyId, KEYS.accessKeyId],
      'one client per key, secret included',
    );
  });
});
