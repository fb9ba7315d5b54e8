/**
 * The Lambda bundles as CDK really builds them (local esbuild, no Docker), run in this Node:
 * the chart step's bundle is ESM with the `require` banner, carries the font and the resvg
 * WebAssembly next to `index.mjs`, renders a PNG and PUTs it to S3, and its errors keep their
 * names through minification (Retry/Catch match on them).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { Architecture } from 'aws-cdk-lib/aws-lambda';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { loadConfig } from '../../common/config.ts';
import { generateLinkKey, linkKeyBytes, mintLinkToken } from '../../common/link-token.ts';
import { ESM_REQUIRE_BANNER } from '../../infra/bundling.ts';
import {
  CostbotFunction,
  type CostbotFunctionProps,
} from '../../infra/constructs/costbot-function.ts';
import { LINKS_ENTRY } from '../../infra/constructs/links.ts';
import { chartAssets, LAMBDA_TASK_ROOT } from '../../infra/constructs/report-functions.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { type MotoServer, startMoto } from '../support/moto.ts';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

type Handler = (
  state: unknown,
) => Promise<{ chart: { bucket: string; key: string; bytes: number } }>;

/** A stand-in S3 endpoint on loopback that accepts PutObject and keeps the bodies. */
function fakeS3(): Promise<{ server: Server; endpoint: string; puts: Map<string, Buffer> }> {
  const puts = new Map<string, Buffer>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '').split('?')[0] ?? '');
      if (req.method === 'PUT') puts.set(path, Buffer.concat(chunks));
      res.writeHead(200, { ETag: '"0"' }).end();
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, endpoint: `http://127.0.0.1:${port}`, puts });
    }),
  );
}

function chartState(requestId: string) {
  const dates = ['2024-11-28', '2024-11-29', '2024-11-30'];
  return {
    request: { kind: 'digest', requestId, channel: '#costs', period: 'mtd' },
    summary: {
      currency: 'USD',
      asOf: '2024-11-30T09:00:00.000Z',
      period: { preset: 'mtd', label: 'Month to date', from: '2024-11-01', to: '2024-11-30' },
      monthToDate: 412.5,
      yesterday: { date: '2024-11-29', amount: 16.5 },
      changeVsDayBefore: null,
      sevenDayAverage: null,
      changeVsSevenDayAverage: null,
      periodTotal: 412.5,
      top: [{ name: 'Amazon EC2', amount: 39.75, share: 0.8 }],
      topBy: 'service',
      forecast: null,
      anomalies: [],
      chart: {
        title: 'AWS spend by service',
        unit: 'USD per day',
        dates,
        series: [
          { name: 'Amazon EC2', values: [12.5, 14, 13.25] },
          { name: 'Other', values: [3, 2.5, 4] },
        ],
        style: 'stacked',
      },
    },
  };
}

/**
 * Bundles `entry` as the stack does (a `CostbotFunction`, synthesized) and returns the
 * directory of the built asset.
 */
function bundle(entry: string, props: Pick<CostbotFunctionProps, 'assets'> = {}): string {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'costbot-bundle-')),
    // As the CDK CLI sets it: templates name each asset's directory.
    context: { 'aws:cdk:enable-asset-metadata': true },
  });
  const stack = new Stack(app, 'Bundles');
  const fn = new CostbotFunction(stack, 'Function', {
    entry: join(REPO_ROOT, entry),
    description: `${entry} under test`,
    environment: {},
    timeout: Duration.seconds(30),
    logRetention: RetentionDays.ONE_DAY,
    architecture: Architecture.ARM_64,
    ...props,
  });
  const assembly = app.synth();
  const template = assembly.getStackByName('Bundles').template as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const lambda = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
  const path = lambda?.Metadata?.['aws:asset:path'];
  assert.ok(path, `asset path of ${fn.node.path}`);
  return join(assembly.directory, path);
}

let assetDir: string;
let s3: Awaited<ReturnType<typeof fakeS3>>;
let handler: Handler;

describe('Lambda bundles (real local esbuild bundling)', () => {
  before(async () => {
    assetDir = bundle('workflows/steps/chart/lambda.ts', { assets: chartAssets() });

    s3 = await fakeS3();
    // The entry reads its settings at import, as in Lambda.
    Object.assign(process.env, {
      COSTBOT_BACKEND: 'aws',
      COSTBOT_BUCKET: 'charts-under-test',
      COSTBOT_ASSETS_DIR: assetDir,
      AWS_ENDPOINT_URL: s3.endpoint,
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIAEXAMPLE000000000',
      AWS_SECRET_ACCESS_KEY: 'secret',
      LOG_LEVEL: 'error',
    });
    const mod = (await import(pathToFileURL(join(assetDir, 'index.mjs')).href)) as {
      handler: Handler;
    };
    handler = mod.handler;
  });

  after(() => s3?.server.close());

  it('is one ESM file that defines require, with the font and wasm next to it', () => {
    // Prepare
    const code = readFileSync(join(assetDir, 'index.mjs'), 'utf8');
    // Act
    const files = ['DejaVuSans.ttf', 'DejaVuSans-Bold.ttf', 'index_bg.wasm'].map((f) =>
      existsSync(join(assetDir, f)),
    );
    // Assess
    assert.ok(code.startsWith(ESM_REQUIRE_BANNER), 'banner first');
    assert.deepEqual(files, [true, true, true]);
    assert.equal(LAMBDA_TASK_ROOT, '/var/task', 'Lambda unpacks the bundle in /var/task');
    assert.doesNotMatch(code, /sourceMappingURL/);
    assert.doesNotMatch(
      code,
      /@cloud-copilot|iam-simulate/,
      'the AGPL test dependency is never bundled',
    );
  });

  it('renders the chart and stores it below charts/', async () => {
    // Prepare
    const state = chartState('bundle-test-1');
    // Act
    const out = await handler(state);
    // Assess
    assert.equal(out.chart.key, 'charts/2024/11/30/bundle-test-1.png');
    const body = s3.puts.get('/charts-under-test/charts/2024/11/30/bundle-test-1.png');
    assert.ok(body, `PUT received: ${[...s3.puts.keys()].join(', ')}`);
    assert.ok(body.subarray(0, 8).equals(PNG_SIGNATURE));
    assert.equal(body.byteLength, out.chart.bytes);
  });

  it('keeps error names through minification', async () => {
    // Prepare
    const state = chartState('not a valid id!');
    // Act
    const error = await handler(state).then(
      () => assert.fail('should reject'),
      (e: unknown) => e as Error,
    );
    // Assess
    assert.equal(error.name, 'InvalidEventError');
    assert.equal(error.constructor.name, 'InvalidEventError');
  });
});

describe('The links bundle (real local esbuild bundling, moto_server SSM)', () => {
  let moto: MotoServer | null;
  let links: (
    event: unknown,
    context: unknown,
  ) => Promise<{ statusCode: number; headers: Record<string, string> }>;
  const LAMBDA_CONTEXT = {
    functionName: 'links',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:links',
    awsRequestId: 'bundle-test',
  };
  const key = generateLinkKey();

  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    const dir = bundle(LINKS_ENTRY);
    const ssm = new SSMClient({
      region: 'eu-west-1',
      endpoint: moto.endpoint,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    });
    const names = loadConfig({}).parameterNames;
    const values: [string, string][] = [
      [names.linkKey, key],
      [names.signerAccessKeyId, 'AKIAIOSFODNN7EXAMPLE'],
      [names.signerSecretAccessKey, 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
    ];
    for (const [Name, Value] of values) {
      await ssm.send(
        new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }),
      );
    }
    // The entry reads the HMAC key at import (top-level await), as in Lambda's init.
    Object.assign(process.env, {
      COSTBOT_BACKEND: 'aws',
      COSTBOT_BUCKET: 'charts-under-test',
      AWS_ENDPOINT_URL_SSM: moto.endpoint,
      AWS_REGION: 'eu-west-1',
      LOG_LEVEL: 'error',
    });
    const mod = (await import(pathToFileURL(join(dir, 'index.mjs')).href)) as {
      handler: typeof links;
    };
    links = mod.handler;
  });

  after(() => moto?.stop());

  it('reads the key at init and redirects a good token, 404s a bad one', async (t) => {
    if (!moto) return t.skip('moto_server not installed');
    // Prepare
    const token = mintLinkToken(linkKeyBytes(key, 'test'), {
      objectKey: 'charts/2026/11/27/bundle.png',
      expiresAt: new Date(Date.now() + 86_400_000),
    });
    const event = (path: string) => ({
      rawPath: path,
      requestContext: { http: { method: 'GET' } },
    });
    // Act
    const good = await links(event(`/${token}`), LAMBDA_CONTEXT);
    const bad = await links(event(`/${token.slice(0, -2)}AA`), LAMBDA_CONTEXT);
    // Assess
    assert.equal(good.statusCode, 302);
    assert.match(
      good.headers.location ?? '',
      /\/charts-under-test\/charts\/2026\/11\/27\/bundle\.png\?.*X-Amz-Expires=604800/,
    );
    assert.equal(bad.statusCode, 404);
  });
});
