import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsAccessDeniedError, ParameterNotFoundError } from '../../common/errors.ts';
import { createLogger } from '../../common/log.ts';
import {
  CachedParameterReader,
  ExtensionParameterReader,
  FileParameterReader,
  type ParameterReader,
  SsmParameterReader,
  selectParameterReader,
} from '../../common/parameters.ts';

const ssmMock = mockClient(SSMClient);

/** A reader that records every call and answers from a fixed map. */
class RecordingReader implements ParameterReader {
  readonly calls: string[][] = [];

  constructor(private readonly values: Record<string, string>) {}

  async get(names: string[]): Promise<Record<string, string>> {
    this.calls.push([...names]);
    return Object.fromEntries(names.map((name) => [name, this.values[name] ?? '']));
  }
}

/** Log lines written by a logger built with a collecting `write`. */
function collectingLogger(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const log = createLogger({ test: 'parameters' }, { level: 'debug', write: (l) => lines.push(l) });
  return { lines, log };
}

describe('Class: SsmParameterReader', () => {
  afterEach(() => {
    ssmMock.reset();
  });

  describe('Method: get', () => {
    it('asks SSM for at most 10 names per call, with decryption', async () => {
      // Prepare
      const names = Array.from({ length: 12 }, (_, i) => `/costbot/test/p${i}`);
      ssmMock.on(GetParametersCommand).callsFake((input: { Names: string[] }) => ({
        Parameters: input.Names.map((Name) => ({ Name, Value: `value-of-${Name}` })),
        InvalidParameters: [],
      }));
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));

      // Act
      const values = await reader.get(names);

      // Assess
      const calls = ssmMock.commandCalls(GetParametersCommand);
      assert.equal(calls.length, 2);
      assert.deepEqual(calls[0]?.args[0].input, {
        Names: names.slice(0, 10),
        WithDecryption: true,
      });
      assert.deepEqual(calls[1]?.args[0].input, { Names: names.slice(10), WithDecryption: true });
      assert.equal(Object.keys(values).length, 12);
      assert.equal(values['/costbot/test/p11'], 'value-of-/costbot/test/p11');
    });

    it('throws ParameterNotFoundError naming every missing parameter', async () => {
      // Prepare
      ssmMock.on(GetParametersCommand).resolves({
        Parameters: [{ Name: '/costbot/a', Value: 'value-a-long-enough' }],
        InvalidParameters: ['/costbot/b', '/costbot/c'],
      });
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));

      // Act
      const result = reader.get(['/costbot/a', '/costbot/b', '/costbot/c']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof ParameterNotFoundError);
        assert.deepEqual(error.names, ['/costbot/b', '/costbot/c']);
        assert.match(error.message, /^Parameters not found: \/costbot\/b, \/costbot\/c\. /);
        return true;
      });
    });

    it('redacts the values it read from later log lines', async () => {
      // Prepare
      const secret = 'xoxb-ssm-secret-0123456789';
      ssmMock.on(GetParametersCommand).resolves({
        Parameters: [{ Name: '/costbot/slack/bot-token', Value: secret }],
      });
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));
      const { lines, log } = collectingLogger();

      // Act
      await reader.get(['/costbot/slack/bot-token']);
      log.error(`Slack refused token ${secret}`, { error: new Error(`bad ${secret}`) });

      // Assess
      assert.equal(lines.length, 1);
      const record = JSON.parse(lines[0] ?? '{}') as {
        message: string;
        error: { message: string };
      };
      assert.equal(record.message, 'Slack refused token [REDACTED]');
      assert.equal(record.error.message, 'bad [REDACTED]');
      assert.equal(lines[0]?.includes(secret), false);
    });
  });
});

describe('Class: CachedParameterReader', () => {
  describe('Method: get', () => {
    it('answers from the cache within the TTL without calling the inner reader', async () => {
      // Prepare
      const inner = new RecordingReader({ a: 'value-a', b: 'value-b' });
      let now = 1_000_000;
      const reader = new CachedParameterReader(inner, { ttlSeconds: 300, now: () => now });
      await reader.get(['a', 'b']);
      now += 299_999;

      // Act
      const values = await reader.get(['a', 'b']);

      // Assess
      assert.deepEqual(values, { a: 'value-a', b: 'value-b' });
      assert.deepEqual(inner.calls, [['a', 'b']]);
    });

    it('reads again once the TTL has passed', async () => {
      // Prepare
      const inner = new RecordingReader({ a: 'value-a' });
      let now = 1_000_000;
      const reader = new CachedParameterReader(inner, { ttlSeconds: 300, now: () => now });
      await reader.get(['a']);
      now += 300_000;

      // Act
      const values = await reader.get(['a']);

      // Assess
      assert.deepEqual(values, { a: 'value-a' });
      assert.deepEqual(inner.calls, [['a'], ['a']]);
    });

    it('asks the inner reader only for the names it has not cached', async () => {
      // Prepare
      const inner = new RecordingReader({ a: 'value-a', b: 'value-b' });
      const reader = new CachedParameterReader(inner, { ttlSeconds: 60, now: () => 5 });
      await reader.get(['a']);

      // Act
      const values = await reader.get(['a', 'b']);

      // Assess
      assert.deepEqual(values, { a: 'value-a', b: 'value-b' });
      assert.deepEqual(inner.calls, [['a'], ['b']]);
    });
  });
});

describe('Class: FileParameterReader', () => {
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-params-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('Method: get', () => {
    it('reads string values from the JSON file', async () => {
      // Prepare
      const path = join(dir, 'parameters.json');
      await writeFile(
        path,
        JSON.stringify({ '/costbot/a': 'file-value-a', '/costbot/b': 'file-value-b' }),
      );
      const reader = new FileParameterReader(path);

      // Act
      const values = await reader.get(['/costbot/b']);

      // Assess
      assert.deepEqual(values, { '/costbot/b': 'file-value-b' });
    });

    it('treats absent and non-string entries as missing', async () => {
      // Prepare
      const path = join(dir, 'partial.json');
      await writeFile(path, JSON.stringify({ '/costbot/a': 'file-value-a', '/costbot/n': 42 }));
      const reader = new FileParameterReader(path);

      // Act
      const result = reader.get(['/costbot/a', '/costbot/n', '/costbot/z']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof ParameterNotFoundError);
        assert.deepEqual(error.names, ['/costbot/n', '/costbot/z']);
        return true;
      });
    });

    it('redacts the values it read from later log lines', async () => {
      // Prepare
      const secret = 'file-signing-secret-abcdef';
      const path = join(dir, 'secret.json');
      await writeFile(path, JSON.stringify({ '/costbot/slack/signing-secret': secret }));
      const reader = new FileParameterReader(path);
      const { lines, log } = collectingLogger();

      // Act
      await reader.get(['/costbot/slack/signing-secret']);
      log.info(`signature check with ${secret} failed`);

      // Assess
      const record = JSON.parse(lines[0] ?? '{}') as { message: string };
      assert.equal(record.message, 'signature check with [REDACTED] failed');
    });
  });
});

describe('Class: ExtensionParameterReader', () => {
  const TOKEN = 'session-token-for-extension';
  const STORE: Record<string, string> = {
    '/costbot/slack/bot-token': 'xoxb-from-extension-123456',
    '/costbot/other': 'other-from-extension-123456',
  };
  let server: Server;
  let port = 0;
  const requests: { url: string; token: string | undefined }[] = [];

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const token = req.headers['x-aws-parameters-secrets-token'];
    requests.push({ url: req.url ?? '', token: typeof token === 'string' ? token : undefined });
    if (token !== TOKEN) {
      res.writeHead(401).end('bad session token or header key');
      return;
    }
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

  before(async () => {
    server = createServer(handle);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  afterEach(() => {
    requests.length = 0;
  });

  /** The extension listens on localhost; the test server on 127.0.0.1 (IPv4 only). */
  const ipv4Fetch: typeof fetch = (input, init) =>
    fetch(String(input).replace('//localhost:', '//127.0.0.1:'), init);

  describe('Method: get', () => {
    it('reads the value with the session token header and decryption', async () => {
      // Prepare
      const reader = new ExtensionParameterReader({ sessionToken: TOKEN, port, fetch: ipv4Fetch });

      // Act
      const values = await reader.get(['/costbot/slack/bot-token']);

      // Assess
      assert.deepEqual(values, { '/costbot/slack/bot-token': 'xoxb-from-extension-123456' });
      assert.deepEqual(requests, [
        {
          url: '/systemsmanager/parameters/get?name=%2Fcostbot%2Fslack%2Fbot-token&withDecryption=true',
          token: TOKEN,
        },
      ]);
    });

    it('rejects a wrong token with AwsAccessDeniedError carrying the extension body', async () => {
      // Prepare
      const reader = new ExtensionParameterReader({
        sessionToken: 'not-the-token',
        port,
        fetch: ipv4Fetch,
      });

      // Act
      const result = reader.get(['/costbot/slack/bot-token']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof AwsAccessDeniedError);
        assert.ok(error.message.includes('401'), error.message);
        assert.ok(error.message.includes('bad session token or header key'), error.message);
        return true;
      });
    });

    it('maps 400 ParameterNotFound to ParameterNotFoundError with the sorted names', async () => {
      // Prepare
      const reader = new ExtensionParameterReader({ sessionToken: TOKEN, port, fetch: ipv4Fetch });

      // Act
      const result = reader.get(['/costbot/zz', '/costbot/other', '/costbot/aa']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof ParameterNotFoundError);
        assert.deepEqual(error.names, ['/costbot/aa', '/costbot/zz']);
        return true;
      });
    });

    it('redacts the values it read from later log lines', async () => {
      // Prepare
      const reader = new ExtensionParameterReader({ sessionToken: TOKEN, port, fetch: ipv4Fetch });
      const { lines, log } = collectingLogger();

      // Act
      await reader.get(['/costbot/other']);
      log.warn('leaked', { detail: 'prefix other-from-extension-123456 suffix' });

      // Assess
      const record = JSON.parse(lines[0] ?? '{}') as { detail: string };
      assert.equal(record.detail, 'prefix [REDACTED] suffix');
    });
  });
});

describe('Function: selectParameterReader', () => {
  const ssm = new SSMClient({ region: 'us-east-1' });

  it('picks the extension when both its port and a session token are set', () => {
    // Prepare
    const env = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773', AWS_SESSION_TOKEN: 'tok' };

    // Act
    const reader = selectParameterReader(env, ssm);

    // Assess
    assert.ok(reader instanceof ExtensionParameterReader);
  });

  it('picks the SDK when the session token is missing', () => {
    // Prepare
    const env = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773' };

    // Act
    const reader = selectParameterReader(env, ssm);

    // Assess
    assert.ok(reader instanceof SsmParameterReader);
  });

  it('picks the SDK when the extension port is missing', () => {
    // Prepare
    const env = { AWS_SESSION_TOKEN: 'tok' };

    // Act
    const reader = selectParameterReader(env, ssm);

    // Assess
    assert.ok(reader instanceof SsmParameterReader);
  });
});
