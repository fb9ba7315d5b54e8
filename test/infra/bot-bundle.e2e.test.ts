/**
 * The bot's Lambda bundle with the aliases of `infra/bot-bundle.ts`: the packages Bolt loads but the
 * Lambda never calls are really left out, and the bundle still verifies, acks and starts a
 * report, reading its secrets through (a loopback stand-in for) the Parameters and Secrets
 * extension and starting the execution on a loopback stand-in for Step Functions.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { build, type Metafile } from 'esbuild';
import notBundled from '../../bot/bundle-stub.ts';
import { botBundleAliases, NOT_BUNDLED_IN_BOT_LAMBDA } from '../../infra/bot-bundle.ts';
import { lambdaBuildOptions } from '../../infra/bundling.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { signedHeaders } from '../../local/console/signing.ts';
import { SIGNING_SECRET, slashCommandForm } from '../bot/support.ts';

const SESSION_TOKEN = 'bundle-test-session-token';

type Handler = (event: unknown, context: unknown) => Promise<{ statusCode: number; body: string }>;

/** The extension's parameter API and Step Functions' StartExecution, on 127.0.0.1. */
function fakeAws(): Promise<{ server: Server; port: number; started: string[] }> {
  const started: string[] = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/systemsmanager/parameters/get') {
      const name = url.searchParams.get('name') ?? '';
      const value = { '/costbot/slack/signing-secret': SIGNING_SECRET }[name] ?? 'xoxb-bundle';
      const ok = req.headers['x-aws-parameters-secrets-token'] === SESSION_TOKEN;
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Parameter: { Name: name, Value: value } }));
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      started.push(String(req.headers['x-amz-target']));
      const input = JSON.parse(Buffer.concat(chunks).toString()) as { name: string };
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ executionArn: `arn:aws:states:::execution:${input.name}` }));
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ server, port: (server.address() as AddressInfo).port, started }),
    ),
  );
}

let outdir: string;
let metafile: Metafile;
let aws: Awaited<ReturnType<typeof fakeAws>>;
let handler: Handler;

describe('bot Lambda bundle with infra/bot-bundle.ts aliases', () => {
  before(async () => {
    outdir = mkdtempSync(join(tmpdir(), 'costbot-bot-bundle-'));
    // The stack's esbuild options (infra/constructs/costbot-function.ts) plus the aliases.
    const result = await build(
      lambdaBuildOptions('bot/lambda.ts', join(outdir, 'index.mjs'), botBundleAliases(REPO_ROOT)),
    );
    metafile = result.metafile;
    aws = await fakeAws();
    // The entry reads its settings and secrets at import, as in Lambda's init.
    Object.assign(process.env, {
      COSTBOT_BACKEND: 'aws',
      COSTBOT_STATE_MACHINE_ARN: 'arn:aws:states:us-east-1:123456789012:stateMachine:costbot',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE000000000',
      AWS_SECRET_ACCESS_KEY: 'secret',
      AWS_SESSION_TOKEN: SESSION_TOKEN,
      AWS_ENDPOINT_URL: `http://127.0.0.1:${aws.port}`,
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(aws.port),
      LOG_LEVEL: 'error',
    });
    const mod = (await import(pathToFileURL(join(outdir, 'index.mjs')).href)) as {
      handler: Handler;
    };
    handler = mod.handler;
  });

  after(() => {
    aws?.server.close();
    rmSync(outdir, { recursive: true, force: true });
  });

  it('leaves out every listed package and stays under 1 MB', () => {
    // Prepare
    const inputs = Object.keys(metafile.inputs);
    // Act
    const present = NOT_BUNDLED_IN_BOT_LAMBDA.filter((name) =>
      inputs.some((path) => path.includes(`node_modules/${name}/`)),
    );
    const bytes = Object.values(metafile.outputs).reduce((sum, o) => sum + o.bytes, 0);
    // Assess
    assert.deepEqual(present, []);
    assert.ok(bytes < 1_000_000, `bundle is ${bytes} bytes`);
  });

  it('acks a signed /aws-cost and starts one execution', async () => {
    // Prepare
    const body = slashCommandForm({ triggerId: 'bundle-test-trigger' });
    const headers = Object.fromEntries(
      Object.entries(signedHeaders(SIGNING_SECRET, body)).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const event = {
      version: '2.0',
      rawPath: '/',
      headers,
      requestContext: { http: { method: 'POST', path: '/' } },
      body,
      isBase64Encoded: false,
    };
    // Act
    const res = await handler(event, {});
    // Assess
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /Working on it/);
    assert.deepEqual(aws.started, ['AWSStepFunctions.StartExecution']);
  });

  it('stands in with a stub that fails loudly if anything calls it', () => {
    assert.throws(() => notBundled(), /left out of the bot Lambda bundle/);
  });
});
