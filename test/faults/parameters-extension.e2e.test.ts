/**
 * A cold start never fails because the Parameters and Secrets extension is not ready: a
 * loopback stand-in of the extension that answers 400 to its first requests (registered, not
 * yet serving; elastic/docs-builder#2501), then serves; and one that never listens, where the
 * reader falls back to SSM through the SDK (moto_server). The reader is the one Lambda uses.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { selectParameterReader } from '../../common/parameters.ts';
import { EXTENSION_CASES } from '../attacks/cases.ts';
import { type MotoServer, startMoto } from '../support/moto.ts';

const TOKEN = 'session-token-of-the-function';
const VALUES: Record<string, string> = {
  '/costbot/slack/bot-token': 'xoxb-from-the-parameter-store',
  '/costbot/slack/signing-secret': 'signing-secret-from-the-parameter-store',
};

interface StandIn {
  port: number;
  requests: { name: string; token: string | undefined; status: number }[];
  close(): Promise<void>;
}

/** The extension's GET /systemsmanager/parameters/get, refusing its first `refusals` requests. */
async function startExtension(refusals: number): Promise<StandIn> {
  const requests: StandIn['requests'] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const name = url.searchParams.get('name') ?? '';
    const token = req.headers['x-aws-parameters-secrets-token'] as string | undefined;
    const status = requests.length < refusals ? 400 : token === TOKEN ? 200 : 401;
    requests.push({ name, token, status });
    if (status !== 200) {
      res.writeHead(status).end(status === 401 ? 'bad session token or header key' : '');
      return;
    }
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ Parameter: { Name: name, Value: VALUES[name] } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('Faults: the Parameters and Secrets extension is not ready', () => {
  let moto: MotoServer | null;
  let ssm: SSMClient;

  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    ssm = new SSMClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      maxAttempts: 1,
    });
    for (const [Name, Value] of Object.entries(VALUES)) {
      await ssm.send(
        new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }),
      );
    }
  });

  after(async () => {
    await moto?.stop();
  });

  const [notServing, notListening] = EXTENSION_CASES;

  it(`the extension ${notServing?.label}: values read after brief retries`, async () => {
    // Prepare
    const extension = await startExtension(notServing?.refusals ?? 0);
    const reader = selectParameterReader(
      { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(extension.port), AWS_SESSION_TOKEN: TOKEN },
      ssm,
    );

    // Act
    const values = await reader.get(Object.keys(VALUES)).finally(() => extension.close());

    // Assess
    assert.deepEqual(values, VALUES);
    assert.ok(
      extension.requests.filter((r) => r.status === 400).length >= 1,
      'the stand-in refused first',
    );
    assert.ok(
      extension.requests.every((r) => r.token === TOKEN),
      'authenticated with the token',
    );
  });

  it(`the extension ${notListening?.label}: values read from SSM`, async (t) => {
    if (!moto) return t.skip('moto_server not installed');
    // Prepare
    const reader = selectParameterReader(
      {
        PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(await closedPort()),
        AWS_SESSION_TOKEN: TOKEN,
      },
      ssm,
    );

    // Act
    const started = performance.now();
    const values = await reader.get(Object.keys(VALUES));

    // Assess
    assert.deepEqual(values, VALUES);
    assert.ok(performance.now() - started < 3000, 'a cold start is not held for long');
  });
});
