/**
 * The Parameters and Secrets extension as a Powertools provider, against a loopback stand-in
 * (127.0.0.1, a port the OS picks): how its answers are classified, the brief retries a cold
 * start needs (Lambda starts init once the extension has registered, not once it serves), and
 * the fallback to SSM through the SDK, here moto_server.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, describe, it } from 'node:test';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { explainAccessDenied } from '../../common/access-denied.ts';
import {
  AwsAccessDeniedError,
  AwsUnavailableError,
  ParameterNotFoundError,
} from '../../common/errors.ts';
import { createLogger } from '../../common/log.ts';
import {
  ExtensionParameterReader,
  FallbackParameterReader,
  type ParameterReader,
  SsmParameterReader,
  selectParameterReader,
} from '../../common/parameters.ts';
import { type MotoServer, motoEnv, startMoto } from '../support/moto.ts';

const TOKEN = 'session-token-for-extension';
const STORE: Record<string, string> = {
  '/costbot/slack/bot-token': 'xoxb-from-extension-123456',
  '/costbot/other': 'other-from-extension-123456',
};
const DENIED =
  'AccessDeniedException: User: arn:aws:sts::123456789012:assumed-role/costbot-post/fn is not ' +
  'authorized to perform: ssm:GetParameter on resource: ' +
  'arn:aws:ssm:us-east-1:123456789012:parameter/costbot/slack/bot-token because no ' +
  'identity-based policy allows the ssm:GetParameter action';

/** What the stand-in does with one request: drop the connection, hang, answer, or serve. */
type Move = 'reset' | 'hang' | 'serve' | { status: number; body: string };

/** The extension's API on 127.0.0.1, following `script` request by request, then serving. */
class StandIn {
  readonly requests: { url: string; token: string | undefined }[] = [];
  script: Move[] = [];
  private server: Server | undefined;
  port = 0;

  async start(): Promise<void> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as AddressInfo).port;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const token = req.headers['x-aws-parameters-secrets-token'];
    this.requests.push({
      url: req.url ?? '',
      token: typeof token === 'string' ? token : undefined,
    });
    const move = this.script[this.requests.length - 1] ?? 'serve';
    if (move === 'reset') req.socket.destroy();
    else if (move === 'hang') return;
    else if (move !== 'serve') res.writeHead(move.status).end(move.body);
    else this.serve(req, res, token);
  }

  private serve(req: IncomingMessage, res: ServerResponse, token: unknown): void {
    if (token !== TOKEN) {
      res.writeHead(401).end('bad session token or header key');
      return;
    }
    const url = new URL(req.url ?? '/', 'http://localhost');
    const name = url.searchParams.get('name') ?? '';
    const value = STORE[name];
    if (url.pathname !== '/systemsmanager/parameters/get' || value === undefined) {
      res.writeHead(400).end(`ParameterNotFound: parameter ${name} not found.`);
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ Parameter: { Name: name, Type: 'SecureString', Value: value } }));
  }
}

/** The extension listens on localhost; the stand-in on 127.0.0.1 (IPv4 only). */
const ipv4Fetch: typeof fetch = (input, init) =>
  fetch(String(input).replace('//localhost:', '//127.0.0.1:'), init);

/** A reader that records every call and answers from a fixed map. */
class RecordingReader implements ParameterReader {
  readonly calls: string[][] = [];

  constructor(private readonly values: Record<string, string>) {}

  async get(names: string[]): Promise<Record<string, string>> {
    this.calls.push([...names]);
    return Object.fromEntries(names.map((name) => [name, this.values[name] ?? '']));
  }
}

const standIn = new StandIn();

function reader(options: { sessionToken?: string; timeoutMs?: number } = {}) {
  return new ExtensionParameterReader({
    sessionToken: TOKEN,
    port: standIn.port,
    fetch: ipv4Fetch,
    ...options,
  });
}

before(() => standIn.start());
after(() => standIn.stop());
afterEach(() => {
  standIn.requests.length = 0;
  standIn.script = [];
});

describe('Class: ExtensionParameterReader', () => {
  describe('Method: get', () => {
    it('reads the value with the session token header and decryption', async () => {
      // Act
      const values = await reader().get(['/costbot/slack/bot-token']);

      // Assess
      assert.deepEqual(values, { '/costbot/slack/bot-token': 'xoxb-from-extension-123456' });
      assert.deepEqual(standIn.requests, [
        {
          url: '/systemsmanager/parameters/get?name=%2Fcostbot%2Fslack%2Fbot-token&withDecryption=true',
          token: TOKEN,
        },
      ]);
    });

    it('rejects a wrong token with AwsAccessDeniedError carrying the extension body', async () => {
      // Act
      const result = reader({ sessionToken: 'not-the-token' }).get(['/costbot/slack/bot-token']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof AwsAccessDeniedError);
        assert.ok(error.message.includes('401'), error.message);
        assert.ok(error.message.includes('bad session token or header key'), error.message);
        assert.equal(explainAccessDenied(error)?.cause, 'extension-token');
        return true;
      });
      assert.equal(standIn.requests.length, 1, 'a refusal is not retried');
    });

    it('does not retry a 403 and names AccessDenied with the role, action and resource', async () => {
      // Prepare
      standIn.script = [{ status: 403, body: DENIED }];

      // Act
      const result = reader().get(['/costbot/slack/bot-token']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof AwsAccessDeniedError);
        const explained = explainAccessDenied(error);
        assert.equal(explained?.action, 'ssm:GetParameter');
        assert.equal(explained?.role, 'arn:aws:iam::123456789012:role/costbot-post');
        assert.equal(
          explained?.resource,
          'arn:aws:ssm:us-east-1:123456789012:parameter/costbot/slack/bot-token',
        );
        return true;
      });
      assert.equal(standIn.requests.length, 1);
    });

    it('maps ParameterNotFound to ParameterNotFoundError with the sorted names, untried again', async () => {
      // Act
      const result = reader().get(['/costbot/zz', '/costbot/other', '/costbot/aa']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof ParameterNotFoundError);
        assert.deepEqual(error.names, ['/costbot/aa', '/costbot/zz']);
        return true;
      });
      assert.equal(standIn.requests.length, 3, 'one request per name, none repeated');
    });

    for (const [label, script] of [
      ['drops the connection twice', ['reset', 'reset']],
      [
        'answers 400 (under load) then 503',
        [
          { status: 400, body: 'an unexpected error occurred' },
          { status: 503, body: 'Service Unavailable' },
        ],
      ],
    ] as [string, Move[]][]) {
      it(`reads the value on the third try when the extension ${label}`, async () => {
        // Prepare
        standIn.script = script;
        const started = performance.now();

        // Act
        const values = await reader().get(['/costbot/other']);

        // Assess
        assert.deepEqual(values, { '/costbot/other': 'other-from-extension-123456' });
        assert.equal(standIn.requests.length, 3);
        assert.ok(performance.now() - started < 1_000, 'the retries are brief');
      });
    }

    it('gives up after three tries with a retryable AwsUnavailableError', async () => {
      // Prepare
      standIn.script = Array(5).fill({ status: 503, body: 'Service Unavailable' });

      // Act
      const result = reader().get(['/costbot/other']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof AwsUnavailableError);
        assert.match(error.message, /answered 503 for \/costbot\/other/);
        return true;
      });
      assert.equal(standIn.requests.length, 3);
    });

    it('reuses a value for maxAgeSeconds without asking the extension again', async () => {
      // Prepare
      const cached = new ExtensionParameterReader({
        sessionToken: TOKEN,
        port: standIn.port,
        fetch: ipv4Fetch,
        maxAgeSeconds: 300,
      });

      // Act
      await cached.get(['/costbot/other']);
      const values = await cached.get(['/costbot/other']);

      // Assess
      assert.deepEqual(values, { '/costbot/other': 'other-from-extension-123456' });
      assert.equal(standIn.requests.length, 1);
    });

    it('redacts the values it read from later log lines', async () => {
      // Prepare
      const lines: string[] = [];
      const log = createLogger({ test: 'extension' }, { write: (l) => lines.push(l) });

      // Act
      await reader().get(['/costbot/other']);
      log.warn('leaked', { detail: 'prefix other-from-extension-123456 suffix' });

      // Assess
      const record = JSON.parse(lines[0] ?? '{}') as { detail: string };
      assert.equal(record.detail, 'prefix [REDACTED] suffix');
    });
  });
});

describe('Class: FallbackParameterReader', () => {
  it('does not fall back when the extension says access is denied', async () => {
    // Prepare
    standIn.script = [{ status: 403, body: DENIED }];
    const sdk = new RecordingReader({ '/costbot/slack/bot-token': 'from-sdk-value-000' });
    const both = new FallbackParameterReader(reader(), sdk);

    // Act
    const result = both.get(['/costbot/slack/bot-token']);

    // Assess
    await assert.rejects(result, AwsAccessDeniedError);
    assert.deepEqual(sdk.calls, []);
  });

  it('falls back when the extension hangs past its timeout, and says so in the logs', async () => {
    // Prepare
    standIn.script = ['hang', 'hang', 'hang'];
    const sdk = new RecordingReader({ '/costbot/other': 'from-sdk-value-111' });
    const lines: string[] = [];
    const log = createLogger({ test: 'fallback' }, { write: (l) => lines.push(l) });
    const both = new FallbackParameterReader(reader({ timeoutMs: 50 }), sdk, log);

    // Act
    const values = await both.get(['/costbot/other']);

    // Assess
    assert.deepEqual(values, { '/costbot/other': 'from-sdk-value-111' });
    assert.equal(standIn.requests.length, 3);
    assert.deepEqual(sdk.calls, [['/costbot/other']]);
    const warned = JSON.parse(lines[0] ?? '{}') as { level: string; error: { name: string } };
    assert.equal(warned.level, 'warn');
    assert.equal(warned.error.name, 'AwsUnavailableError');
  });
});

describe('Cold start: extension not serving, SSM through the SDK (moto_server)', () => {
  let moto: MotoServer | null = null;
  let ssm: SSMClient;
  const NAME = '/costbot/slack/signing-secret';
  const VALUE = 'signing-secret-from-moto-0123';

  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    const env = motoEnv(moto);
    ssm = new SSMClient({
      region: env.AWS_REGION,
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    });
    await ssm.send(
      new PutParameterCommand({ Name: NAME, Value: VALUE, Type: 'SecureString', Overwrite: true }),
    );
  });

  after(async () => {
    await moto?.stop();
  });

  it('reads the value from SSM when nothing listens on the extension port', async (t) => {
    if (!moto) return t.skip('moto_server not installed');
    // Prepare: a port that was free a moment ago, so connections are refused.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const env = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port), AWS_SESSION_TOKEN: TOKEN };
    const started = performance.now();

    // Act
    const values = await selectParameterReader(env, ssm).get([NAME]);

    // Assess
    assert.deepEqual(values, { [NAME]: VALUE });
    assert.ok(performance.now() - started < 2_000, 'retries and fallback stay well under 2 s');
  });

  it('reads the value from SSM when the extension keeps answering 503', async (t) => {
    if (!moto) return t.skip('moto_server not installed');
    // Prepare
    standIn.script = Array(5).fill({ status: 503, body: 'Service Unavailable' });
    const both = new FallbackParameterReader(reader(), new SsmParameterReader(ssm));

    // Act
    const values = await both.get([NAME]);

    // Assess
    assert.deepEqual(values, { [NAME]: VALUE });
    assert.equal(standIn.requests.length, 3);
  });
});
