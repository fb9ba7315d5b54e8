/**
 * Shared pieces of the bot's receiver tests: a starter that behaves like Step Functions,
 * Slack's request bodies built field for field, a quiet Bolt logger, and a tiny HTTP server
 * standing in for a `response_url`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger as BoltLogger } from '@slack/bolt';
import {
  type AllMiddlewareArgs,
  type App,
  AwsLambdaReceiver,
  type BlockButtonAction,
  LogLevel,
  type RespondArguments,
  type SlackActionMiddlewareArgs,
} from '@slack/bolt';
import type { KnownBlock } from '@slack/types';
import { type BotDeps, createBotApp } from '../../bot/app.ts';
import { guardedExpressReceiver } from '../../bot/express-receiver.ts';
import { guardLambda } from '../../bot/request-guard.ts';
import type { ReportStarter, StartResult } from '../../bot/starter.ts';
import { loadConfig } from '../../common/config.ts';
import type { ReportRequest, SignedLink } from '../../common/contract.ts';
import { createLogger, type Logger } from '../../common/log.ts';
import { ACTION_IDS, BLOCK_IDS, linkBlock } from '../../common/slack-message.ts';
import type { Subscription, SubscriptionStore } from '../../common/subscription.ts';

export const SIGNING_SECRET = 'test-signing-secret-0123456789';
export const BOT_TOKEN = 'xoxb-test-bot-token';
export const SECRETS = { botToken: BOT_TOKEN, signingSecret: SIGNING_SECRET };

/**
 * A `ReportStarter` that records every call and, like a Standard state machine, refuses a
 * name it has already seen (`started: false`).
 */
export class RecordingStarter implements ReportStarter {
  readonly calls: { request: ReportRequest; result: StartResult }[] = [];
  private readonly names = new Set<string>();
  private readonly waiters: { count: number; resolve: () => void }[] = [];

  async start(request: ReportRequest): Promise<StartResult> {
    const started = !this.names.has(request.requestId);
    this.names.add(request.requestId);
    const result = { executionName: request.requestId, started };
    this.calls.push({ request: structuredClone(request), result });
    for (const waiter of this.waiters.filter((w) => this.calls.length >= w.count)) {
      waiter.resolve();
    }
    return result;
  }

  /** Executions actually started (new names). */
  get started(): ReportRequest[] {
    return this.calls.filter((c) => c.result.started).map((c) => c.request);
  }

  /** Resolves once `count` calls have been made; rejects after `timeoutMs`. */
  waitForCalls(count: number, timeoutMs = 2000): Promise<void> {
    if (this.calls.length >= count) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`expected ${count} start() calls, got ${this.calls.length}`)),
        timeoutMs,
      );
      this.waiters.push({
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      });
    });
  }

  reset(): void {
    this.calls.length = 0;
    this.names.clear();
  }
}

/** Lets whatever a listener does right after its ack happen before asserting it did not. */
export function settle(ms = 50): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A Bolt logger that keeps lines in memory instead of printing them. */
export function memoryBoltLogger(): BoltLogger & { lines: string[] } {
  const lines: string[] = [];
  let level = LogLevel.DEBUG;
  const at =
    (name: string) =>
    (...msg: unknown[]) => {
      lines.push(`${name} ${msg.map(String).join(' ')}`);
    };
  return {
    lines,
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    setLevel: (l: LogLevel) => {
      level = l;
    },
    getLevel: () => level,
    setName: () => {},
  };
}

/** costbot's logger writing to memory. */
export function memoryLogger(): { lines: string[]; log: Logger } {
  const lines: string[] = [];
  return { lines, log: createLogger({ test: 'bot' }, { write: (l) => lines.push(l) }) };
}

export interface CommandFields {
  text?: string;
  teamId?: string;
  channelId?: string;
  userId?: string;
  responseUrl?: string;
  triggerId?: string;
}

/** A slash command's form body, fields in the order Slack sends them. */
export function slashCommandForm(fields: CommandFields = {}): string {
  return new URLSearchParams([
    ['token', 'legacy-verification-token'],
    ['team_id', fields.teamId ?? 'T0TEAM01'],
    ['team_domain', 'acme'],
    ['channel_id', fields.channelId ?? 'C0CHANNEL1'],
    ['channel_name', 'costs'],
    ['user_id', fields.userId ?? 'U0USER01'],
    ['user_name', 'alice'],
    ['command', '/aws-cost'],
    ['text', fields.text ?? ''],
    ['api_app_id', 'A0COSTBOT'],
    ['is_enterprise_install', 'false'],
    ['response_url', fields.responseUrl ?? 'https://hooks.slack.com/commands/T0TEAM01/1/abc'],
    ['trigger_id', fields.triggerId ?? '1700000000123.456789.0123456789abcdef0123456789abcdef'],
  ]).toString();
}

export const CHART_KEY = 'charts/2025/01/02/cmd-0123456789abcdef01234567.png';
export const OLD_LINK: SignedLink = {
  url: 'https://costbot-charts.s3.amazonaws.com/charts/old?X-Amz-Signature=old',
  expiresAt: '2025-01-09T06:00:00.000Z',
  expiresInSeconds: 604_800,
  accessKeyId: 'AKIAOLD',
};

/** The blocks of a posted report, as Slack hands them back in an interaction. */
export function reportBlocks(key = CHART_KEY): KnownBlock[] {
  return [
    { type: 'header', text: { type: 'plain_text', text: 'AWS cost · Last 7 days' } },
    { type: 'section', text: { type: 'mrkdwn', text: '*Top services*\n1. AmazonEC2: $12.00' } },
    {
      type: 'image',
      block_id: BLOCK_IDS.image,
      image_url: OLD_LINK.url,
      alt_text: 'Daily cost',
    },
    linkBlock(OLD_LINK),
    {
      type: 'actions',
      block_id: BLOCK_IDS.actions,
      elements: [
        {
          type: 'button',
          action_id: ACTION_IDS.refreshLink,
          text: { type: 'plain_text', text: 'Refresh link' },
          value: key,
        },
      ],
    },
  ];
}

/** A `block_actions` payload for a click on the report's "Refresh link" button. */
export function refreshPayload(options: {
  value: string;
  responseUrl: string;
  blocks?: KnownBlock[];
}): Record<string, unknown> {
  return buttonPayload({
    ...options,
    blocks: options.blocks ?? reportBlocks(options.value),
    actionId: ACTION_IDS.refreshLink,
    label: 'Refresh link',
  });
}

/** A `block_actions` payload for a click on any button of a posted report. */
export function buttonPayload(options: {
  actionId: string;
  value: string | undefined;
  responseUrl: string;
  label?: string;
  blocks?: KnownBlock[];
  userId?: string;
  channelId?: string;
  actionTs?: string;
}): Record<string, unknown> {
  const userId = options.userId ?? 'U0USER01';
  const channelId = options.channelId ?? 'C0CHANNEL1';
  return {
    type: 'block_actions',
    user: { id: userId, username: 'alice', name: 'alice', team_id: 'T0TEAM01' },
    api_app_id: 'A0COSTBOT',
    token: 'legacy-verification-token',
    container: {
      type: 'message',
      message_ts: '1736000000.000100',
      channel_id: channelId,
      is_ephemeral: false,
    },
    trigger_id: '1700000000999.456789.fedcba9876543210fedcba9876543210',
    team: { id: 'T0TEAM01', domain: 'acme' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: channelId, name: 'costs' },
    message: {
      type: 'message',
      subtype: 'bot_message',
      text: 'AWS cost · Last 7 days: $40.00 month to date.',
      user: 'U0COSTBOT',
      bot_id: 'B0COSTBOT',
      ts: '1736000000.000100',
      blocks: options.blocks ?? reportBlocks(),
    },
    state: { values: {} },
    response_url: options.responseUrl,
    actions: [
      {
        action_id: options.actionId,
        block_id: BLOCK_IDS.actions,
        text: { type: 'plain_text', text: options.label ?? 'Button' },
        ...(options.value === undefined ? {} : { value: options.value }),
        type: 'button',
        action_ts: options.actionTs ?? '1736000100.123456',
      },
    ],
  };
}

/** Slack posts interactions as a form with one field, `payload`, holding the JSON. */
export function interactionForm(payload: Record<string, unknown>): string {
  return new URLSearchParams([['payload', JSON.stringify(payload)]]).toString();
}

/** A `response_url` stand-in: records every JSON body posted to it. */
export interface ResponseSink {
  url: string;
  posts: { path: string; contentType: string; body: Record<string, unknown> }[];
  waitForPosts(count: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function startResponseSink(): Promise<ResponseSink> {
  const posts: ResponseSink['posts'] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(text) as Record<string, unknown>;
      } catch {
        body = { unparsable: text };
      }
      posts.push({ path: req.url ?? '', contentType: req.headers['content-type'] ?? '', body });
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      for (const w of waiters.filter((w) => posts.length >= w.count)) w.resolve();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    posts,
    waitForPosts(count, timeoutMs = 2000) {
      if (posts.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} response_url posts, got ${posts.length}`)),
          timeoutMs,
        );
        waiters.push({
          count,
          resolve: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type Handler = ReturnType<AwsLambdaReceiver['toHandler']>;
export type LambdaEvent = Parameters<Handler>[0];
export type LambdaResult = Awaited<ReturnType<Handler>>;

/** Slack's headers, lower-cased as a Function URL delivers them. */
function lowerCase(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** A Lambda Function URL request (payload format 2.0). */
export function functionUrlEvent(
  body: string,
  headers: Record<string, string>,
  base64: boolean,
): LambdaEvent {
  const now = new Date();
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath: '/slack/events',
    rawQueryString: '',
    headers: {
      host: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
      'user-agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
      'x-forwarded-proto': 'https',
      'x-forwarded-for': '3.80.0.1',
      'x-amzn-trace-id': 'Root=1-00000000-000000000000000000000000',
      'accept-encoding': 'gzip,deflate',
      accept: 'application/json,*/*',
      'content-length': String(Buffer.byteLength(body)),
      ...lowerCase(headers),
    },
    requestContext: {
      accountId: 'anonymous',
      apiId: 'abcdefghijklmnopqrstuvwxyz012345',
      domainName: 'abcdefghijklmnopqrstuvwxyz012345.lambda-url.us-east-1.on.aws',
      domainPrefix: 'abcdefghijklmnopqrstuvwxyz012345',
      http: {
        method: 'POST',
        path: '/slack/events',
        protocol: 'HTTP/1.1',
        sourceIp: '3.80.0.1',
        userAgent: 'Slackbot 1.0 (+https://api.slack.com/robots)',
      },
      requestId: '11111111-2222-3333-4444-555555555555',
      routeKey: '$default',
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
    },
    body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: base64,
  };
}

/** An API Gateway REST API request (payload format 1.0), headers as Slack spells them. */
export function restApiEvent(
  body: string,
  headers: Record<string, string>,
  base64 = false,
): LambdaEvent {
  const all = {
    Host: 'abc123.execute-api.us-east-1.amazonaws.com',
    'User-Agent': 'Slackbot 1.0 (+https://api.slack.com/robots)',
    'X-Forwarded-Proto': 'https',
    ...headers,
  };
  return {
    resource: '/slack/events',
    path: '/slack/events',
    httpMethod: 'POST',
    headers: all,
    multiValueHeaders: Object.fromEntries(Object.entries(all).map(([k, v]) => [k, [v]])),
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    requestContext: {
      resourcePath: '/slack/events',
      httpMethod: 'POST',
      path: '/prod/slack/events',
      stage: 'prod',
      requestId: 'c6af9ac6-7b61-11e6-9a41-93e8deadbeef',
    },
    body: base64 ? Buffer.from(body, 'utf8').toString('base64') : body,
    isBase64Encoded: base64,
  };
}

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/**
 * The arguments Bolt hands a button listener, for calling it directly (no App): the body of
 * `buttonPayload`, with `ack` and `respond` recording what the listener said.
 */
export function directButtonArgs(options: Parameters<typeof buttonPayload>[0]): {
  args: ButtonArgs;
  acks: number[];
  replies: RespondArguments[];
} {
  const body = buttonPayload(options) as unknown as BlockButtonAction;
  const acks: number[] = [];
  const replies: RespondArguments[] = [];
  const args = {
    body,
    payload: body.actions[0],
    action: body.actions[0],
    ack: async () => {
      acks.push(Date.now());
    },
    respond: async (reply: string | RespondArguments) => {
      replies.push(typeof reply === 'string' ? { text: reply } : reply);
    },
  } as unknown as ButtonArgs;
  return { args, acks, replies };
}

/** The link every fake signer of these tests returns. */
export const FRESH_TEST_LINK: SignedLink = {
  url: 'https://costbot-charts.s3.amazonaws.com/charts/fresh?X-Amz-Signature=fresh',
  expiresAt: '2025-02-01T06:00:00.000Z',
  expiresInSeconds: 604_800,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
};

export interface LambdaBot {
  handler: Handler;
  app: App;
  starter: RecordingStarter;
  /** Charts the fake signer was asked to sign. */
  signed: { bucket: string; key: string }[];
}

/**
 * The bot as `bot/lambda.ts` builds it, behind AwsLambdaReceiver and `guardLambda`, in-process: settings from
 * `env`, Slack's Web API at `slackApiUrl` (a sink, so a call to it shows), a recording starter.
 */
export async function startLambdaBot(
  env: Record<string, string>,
  options: { subscriptions?: SubscriptionStore } = {},
): Promise<LambdaBot> {
  const starter = new RecordingStarter();
  const signed: LambdaBot['signed'] = [];
  const logger = memoryBoltLogger();
  const receiver = new AwsLambdaReceiver({ signingSecret: SIGNING_SECRET, logger });
  const app = createBotApp(
    {
      config: loadConfig(env),
      starter,
      signLink: async (chart) => {
        signed.push(chart);
        return FRESH_TEST_LINK;
      },
      log: memoryLogger().log,
      ...(options.subscriptions ? { subscriptions: options.subscriptions } : {}),
    },
    SECRETS,
    { receiver, logger },
  );
  const handler = guardLambda(await receiver.start(), { signingSecret: SIGNING_SECRET });
  return { handler: handler as Handler, app, starter, signed };
}

/** A bot over HTTP, as `npm start` runs it. */
export interface RunningBot {
  /** `http://127.0.0.1:<port>/slack/events` */
  events: string;
  starter: RecordingStarter;
  signed: { bucket: string; key: string }[];
  boltLog: string[];
  close(): Promise<void>;
}

/**
 * The bot behind Bolt's ExpressReceiver with `guardHttp` in front (`guardedExpressReceiver`)
 * on a free port of 127.0.0.1: settings from `env`, a recording starter, a fake signer unless
 * one is given.
 */
export async function startHttpBot(
  options: { env?: Record<string, string>; signLink?: BotDeps['signLink'] } = {},
): Promise<RunningBot> {
  const starter = new RecordingStarter();
  const signed: RunningBot['signed'] = [];
  const signLink =
    options.signLink ??
    (async (chart: { bucket: string; key: string }) => {
      signed.push(chart);
      return FRESH_TEST_LINK;
    });
  const logger = memoryBoltLogger();
  const receiver = guardedExpressReceiver({
    signingSecret: SIGNING_SECRET,
    processBeforeResponse: false,
    logger,
  });
  createBotApp(
    { config: loadConfig(options.env ?? {}), starter, signLink, log: memoryLogger().log },
    SECRETS,
    { receiver, logger },
  );
  const server = await receiver.start({ port: 0, host: '127.0.0.1' });
  const { port } = server.address() as AddressInfo;
  return {
    events: `http://127.0.0.1:${port}/slack/events`,
    starter,
    signed,
    boltLog: logger.lines,
    close: async () => {
      server.closeAllConnections();
      await receiver.stop();
    },
  };
}

/**
 * A `SubscriptionStore` in memory, keyed like the real ones (`<channel>.<id>`), that records
 * each call (`list C0CHANNEL1`, `remove C0CHANNEL1.k3m9x2qa`) and fails every call with `fail`
 * when it is set.
 */
export class MemorySubscriptionStore implements SubscriptionStore {
  readonly calls: string[] = [];
  readonly byName = new Map<string, Subscription>();
  fail: Error | undefined;

  constructor(subscriptions: Subscription[] = []) {
    for (const s of subscriptions) this.byName.set(`${s.channel}.${s.id}`, s);
  }

  private record(call: string): void {
    this.calls.push(call);
    if (this.fail) throw this.fail;
  }

  async create(subscription: Subscription): Promise<{ created: boolean }> {
    const name = `${subscription.channel}.${subscription.id}`;
    this.record(`create ${name}`);
    if (this.byName.has(name)) return { created: false };
    this.byName.set(name, structuredClone(subscription));
    return { created: true };
  }

  async list(channel: string): Promise<Subscription[]> {
    this.record(`list ${channel}`);
    return [...this.byName.values()].filter((s) => s.channel === channel);
  }

  async get(channel: string, id: string): Promise<Subscription | null> {
    this.record(`get ${channel}.${id}`);
    return structuredClone(this.byName.get(`${channel}.${id}`)) ?? null;
  }

  async count(channel?: string): Promise<number> {
    this.record(channel === undefined ? 'count' : `count ${channel}`);
    const all = [...this.byName.values()];
    return channel === undefined ? all.length : all.filter((s) => s.channel === channel).length;
  }

  async remove(channel: string, id: string): Promise<boolean> {
    this.record(`remove ${channel}.${id}`);
    return this.byName.delete(`${channel}.${id}`);
  }
}
