/**
 * 2. Cold start per Lambda bundle. Each entry is bundled with esbuild exactly as the stack's
 * NodejsFunction does (infra/constructs/costbot-function.ts: ESM, minified, keepNames, the
 * `require` banner, module-first main fields, AWS SDK bundled), then imported by fresh Node
 * processes that build the handler, as Lambda's init phase does. The bot's and the links
 * function's inits read their secrets through a local fake of the Parameters and Secrets
 * extension; the bot's first `/aws-cost` is answered through a local fake of Step Functions,
 * and the links function's first stable link is redirected: all on 127.0.0.1.
 */
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { generateLinkKey, linkKeyBytes, mintLinkToken } from '../common/link-token.ts';
import type { FunctionName } from '../common/report-cost.ts';
import { botBundleAliases } from '../infra/bot-bundle.ts';
import { lambdaBuildOptions } from '../infra/bundling.ts';
import { renderAssetPaths } from '../workflows/steps/chart/render.ts';
import { benchCommandBody } from './slash-command.ts';
import { median } from './stats.ts';
import { REPO_ROOT, runChild } from './support.ts';

/** Packages that must never be in the bot's bundle. */
const HEAVY = [
  'echarts',
  'zrender',
  '@resvg/resvg-wasm',
  'dejavu-fonts-ttf',
  'aws-cdk-lib',
  'constructs',
  'aws-local-stepfunctions',
  's3rver',
  '@cloud-copilot/iam-simulate',
];

/** What a cold function's first request must answer, checked in the child. */
interface Expectation {
  status: number;
  /** Where to look: a response header, or the body when unset. */
  header?: string;
  includes: string;
}

interface BundleSpec {
  label: string;
  fn: FunctionName;
  entry: string;
  alias?: Record<string, string>;
  /** The first request after init (a fresh event per run) and its expected answer. */
  firstRequest?: { event: (run: number) => unknown; expect: Expectation };
}

export interface BundleResult {
  label: string;
  fn: FunctionName;
  entry: string;
  bytes: number;
  /** Of which the AWS SDK (`@aws-sdk/*`, `@smithy/*`), bundled as the stack does. */
  sdkBytes: number;
  /** Files copied next to the bundle (the chart's font and wasm). */
  assetBytes: number;
  topPackages: { name: string; bytes: number }[];
  topFiles: { path: string; bytes: number }[];
  heavy: string[];
  /** Import of the bundle and building the handler, in a fresh process: each run, ms. */
  importMs: number[];
  /** Whole fresh process (spawn to exit), ms, median. */
  processMs: number;
  rssMb: number;
  /** Bot and links: the first request after init (a signed `/aws-cost`, a stable link), ms per run. */
  firstRequestMs?: number[];
}

export interface BundlesResult {
  bundles: BundleResult[];
  /** Whether the stack passes the bot's aliases to esbuild (read from infra's source). */
  stackUsesBotAliases: boolean;
}

const SIGNING_SECRET = 'bench-lambda-signing-secret-0123';
const LINK_KEY = generateLinkKey();
const SESSION_TOKEN = 'bench-session-token';
const STATE_MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:costbot';

const ACK: BundleSpec['firstRequest'] = {
  event: (run) => functionUrlEvent(run),
  expect: { status: 200, includes: 'Working on it' },
};

function specs(): BundleSpec[] {
  const step = (fn: FunctionName, dir = fn): BundleSpec => ({
    label: fn,
    fn,
    entry: `workflows/steps/${dir}/lambda.ts`,
  });
  return [
    { label: 'bot (stack options)', fn: 'bot', entry: 'bot/lambda.ts', firstRequest: ACK },
    {
      label: 'bot + infra/bot-bundle.ts aliases',
      fn: 'bot',
      entry: 'bot/lambda.ts',
      alias: botBundleAliases(REPO_ROOT),
      firstRequest: ACK,
    },
    step('fetch'),
    step('summarize'),
    step('chart'),
    step('sign'),
    step('post'),
    {
      label: 'links',
      fn: 'links',
      entry: 'workflows/links/lambda.ts',
      firstRequest: {
        event: (run) => linkEvent(run),
        expect: { status: 302, header: 'location', includes: 'X-Amz-Signature=' },
      },
    },
  ];
}

function packageOf(path: string): string {
  const parts = path.split('node_modules/');
  if (parts.length === 1) return path.split('/')[0] ?? path;
  const rest = (parts.at(-1) ?? '').split('/');
  return rest[0]?.startsWith('@') ? `${rest[0]}/${rest[1]}` : (rest[0] ?? path);
}

function analyse(metafile: Metafile) {
  const output = Object.values(metafile.outputs)[0];
  if (!output) throw new Error('esbuild wrote no output');
  const inputs = Object.entries(output.inputs).map(([path, i]) => ({
    path,
    bytes: i.bytesInOutput,
  }));
  const byPackage = new Map<string, number>();
  for (const i of inputs)
    byPackage.set(packageOf(i.path), (byPackage.get(packageOf(i.path)) ?? 0) + i.bytes);
  const packages = [...byPackage].map(([name, bytes]) => ({ name, bytes }));
  const bySize = <T extends { bytes: number }>(a: T, b: T) => b.bytes - a.bytes;
  return {
    bytes: output.bytes,
    sdkBytes: packages
      .filter((p) => /^@(aws-sdk|smithy)\//.test(p.name))
      .reduce((sum, p) => sum + p.bytes, 0),
    topPackages: packages.sort(bySize).slice(0, 5),
    topFiles: inputs.sort(bySize).slice(0, 5),
    heavy: HEAVY.filter((h) => byPackage.has(h)),
  };
}

/** A loopback stand-in for the Parameters and Secrets extension and for Step Functions. */
async function startFakeAws() {
  const parameters: Record<string, string> = {
    '/costbot/slack/bot-token': 'xoxb-bench-lambda-token',
    '/costbot/slack/signing-secret': SIGNING_SECRET,
    '/costbot/links/hmac-key': LINK_KEY,
    '/costbot/signer/access-key-id': 'AKIAIOSFODNN7EXAMPLE',
    '/costbot/signer/secret-access-key': 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  };
  const seen = { parameters: 0, startExecution: 0 };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (url.pathname === '/systemsmanager/parameters/get') {
      seen.parameters += 1;
      const name = url.searchParams.get('name') ?? '';
      if (req.headers['x-aws-parameters-secrets-token'] !== SESSION_TOKEN) {
        res.writeHead(401).end('bad session token or header key');
        return;
      }
      const value = parameters[name];
      if (value === undefined) {
        res.writeHead(400).end('ParameterNotFound');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ Parameter: { Name: name, Value: value, Type: 'SecureString' } }));
      return;
    }
    // Anything else is an AWS API call (AWS_ENDPOINT_URL points here): only StartExecution.
    req.resume();
    req.on('end', () => {
      if (req.headers['x-amz-target'] !== 'AWSStepFunctions.StartExecution') {
        res
          .writeHead(400)
          .end(`unexpected ${req.method} ${req.url} ${req.headers['x-amz-target']}`);
        return;
      }
      seen.startExecution += 1;
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ executionArn: `${STATE_MACHINE_ARN}:bench`, startDate: 0 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return { port, seen, stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** The environment a function's init sees: the stack's settings, and nothing leaves loopback. */
function lambdaEnv(fn: FunctionName, port: number): NodeJS.ProcessEnv {
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !/^(AWS_|COSTBOT_|NODE_OPTIONS$|SLACK_|PARAMETERS_SECRETS)/.test(k),
    ),
  );
  return {
    ...inherited,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'ASIABENCHFAKE0000000',
    AWS_SECRET_ACCESS_KEY: 'bench-secret',
    AWS_SESSION_TOKEN: SESSION_TOKEN,
    AWS_ENDPOINT_URL: `http://127.0.0.1:${port}`,
    AWS_EC2_METADATA_DISABLED: 'true',
    // Lambda runs Node 22; this machine's Node 20 would make the SDK print a warning.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    COSTBOT_BACKEND: 'aws',
    LOG_LEVEL: 'warn',
    PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: String(port),
    ...(fn === 'bot' ? { COSTBOT_STATE_MACHINE_ARN: STATE_MACHINE_ARN } : {}),
  };
}

/** What the fresh process runs: import the bundle, then answer its first request, if any. */
function coldStartScript(bundle: string, event: unknown, expect?: Expectation): string {
  return `
const t0 = performance.now();
const mod = await import(${JSON.stringify(bundle)});
const importMs = performance.now() - t0;
if (typeof mod.handler !== 'function') throw new Error('no handler exported');
let firstRequestMs;
const event = ${JSON.stringify(event)};
const expect = ${JSON.stringify(expect ?? null)};
if (event) {
  const t1 = performance.now();
  const res = await mod.handler(event, {});
  firstRequestMs = performance.now() - t1;
  const seen = expect.header ? res.headers?.[expect.header] : res.body;
  if (res.statusCode !== expect.status || !String(seen).includes(expect.includes)) {
    throw new Error('unexpected answer: ' + JSON.stringify(res));
  }
}
console.log(JSON.stringify({ importMs, firstRequestMs, rss: process.memoryUsage().rss }));
`;
}

/** A Function URL event opening a stable link to a chart, minted now with the fake's key. */
function linkEvent(run: number) {
  const token = mintLinkToken(linkKeyBytes(LINK_KEY, 'bench'), {
    objectKey: `charts/2026/11/23/bench-${run}.png`,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  return {
    version: '2.0',
    rawPath: `/${token}`,
    headers: {},
    requestContext: { http: { method: 'GET', path: `/${token}` } },
    isBase64Encoded: false,
  };
}

/** A Function URL event carrying a signed `/aws-cost`, signed now (Bolt refuses old ones). */
function functionUrlEvent(n: number) {
  const body = benchCommandBody(n);
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', SIGNING_SECRET).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return {
    version: '2.0',
    rawPath: '/',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(timestamp),
      'x-slack-signature': signature,
    },
    requestContext: { http: { method: 'POST', path: '/' } },
    body,
    isBase64Encoded: false,
  };
}

export async function benchBundles(options: { runs: number }): Promise<BundlesResult> {
  const out = mkdtempSync(join(tmpdir(), 'costbot-bench-bundles-'));
  const fake = await startFakeAws();
  const results: BundleResult[] = [];
  try {
    for (const [index, spec] of specs().entries()) {
      const outfile = join(out, String(index), 'index.mjs');
      const built = await build(lambdaBuildOptions(spec.entry, outfile, spec.alias));
      const analysis = analyse(built.metafile);
      const assets = spec.fn === 'chart' ? Object.values(renderAssetPaths({})) : [];
      const runs: { importMs: number; firstRequestMs?: number; rss: number; wallMs: number }[] = [];
      for (let run = 0; run < options.runs; run++) {
        const event = spec.firstRequest?.event(run) ?? null;
        const child = await runChild(
          ['--input-type=module', '-e', coldStartScript(outfile, event, spec.firstRequest?.expect)],
          { env: lambdaEnv(spec.fn, fake.port), cwd: join(out, String(index)), timeoutMs: 30_000 },
        );
        const line = child.stdout.trim().split('\n').pop() ?? '';
        if (child.code !== 0 || !line.startsWith('{')) {
          throw new Error(`cold start of ${spec.label} failed:\n${child.stderr.slice(-3000)}`);
        }
        const parsed = JSON.parse(line) as {
          importMs: number;
          firstRequestMs?: number;
          rss: number;
        };
        runs.push({ ...parsed, wallMs: child.wallMs });
      }
      results.push({
        label: spec.label,
        fn: spec.fn,
        entry: spec.entry,
        ...analysis,
        assetBytes: assets.reduce((sum, path) => sum + statSync(path).size, 0),
        importMs: runs.map((r) => r.importMs),
        processMs: median(runs.map((r) => r.wallMs)),
        rssMb: median(runs.map((r) => r.rss)) / 1_000_000,
        ...(spec.firstRequest
          ? { firstRequestMs: runs.map((r) => r.firstRequestMs ?? Number.NaN) }
          : {}),
      });
    }
  } finally {
    await fake.stop();
    rmSync(out, { recursive: true, force: true });
  }
  const botSource = readFileSync(join(REPO_ROOT, 'infra/constructs/bot.ts'), 'utf8');
  return {
    bundles: results,
    stackUsesBotAliases: /botBundle(Aliases|EsbuildArgs)/.test(botSource),
  };
}
