/**
 * Slack requests as an attacker sends them, for both receivers: signed (or not) with any
 * timestamp header, a command or a button click from any user in any channel, and the checks
 * every receiver test shares. A `Target` is one receiver as deployed (`bot/lambda.ts`, or
 * `npm start`'s Express app); the checks only see what it answers and what it started.
 */
import assert from 'node:assert/strict';
import { createHmac, randomBytes } from 'node:crypto';
import { ACTION_IDS } from '../../common/slack-message.ts';
import {
  interactionForm,
  type ResponseSink,
  refreshPayload,
  slashCommandForm,
} from '../bot/support.ts';
import {
  ACCESS_CASES,
  type AccessCase,
  ALLOWED_CHANNEL,
  ALLOWED_USER,
  BUTTON_CASES,
  COMMAND_BOUND_CASES,
  GOOD_CHART_KEY,
  SIGNATURE_CASES,
  SLACK_RETRY_CASES,
  TIMESTAMP_CASES,
} from './cases.ts';

/** `v0=` + HMAC of `v0:<timestamp header>:<body>`, whatever the header holds. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
}

/** Slack's headers for `body`: the timestamp header as given (absent when undefined). */
export function headersFor(
  secret: string,
  body: string,
  timestamp: string | undefined = String(Math.floor(Date.now() / 1000)),
): Record<string, string> {
  return {
    'content-type': 'application/x-www-form-urlencoded',
    ...(timestamp === undefined
      ? {}
      : {
          'x-slack-request-timestamp': timestamp,
          'x-slack-signature': signature(secret, timestamp, body),
        }),
  };
}

export interface Answer {
  status: number;
  body: string;
}

/** One receiver as deployed, and what it has started and signed so far. */
export interface Target {
  secret: string;
  sink: ResponseSink;
  send(body: string, headers: Record<string, string>): Promise<Answer>;
  /** Executions started so far (names). */
  started(): Promise<string[]>;
  /** Lets a listener finish what it does after its ack. */
  settle(): Promise<void>;
}

const unique = () => randomBytes(6).toString('hex');

export function commandBody(options: {
  text?: string;
  user?: string | undefined;
  channel?: string;
  responseUrl: string;
}): string {
  const form = new URLSearchParams(
    slashCommandForm({
      text: options.text ?? '7d',
      userId: options.user ?? ALLOWED_USER,
      channelId: options.channel ?? ALLOWED_CHANNEL,
      responseUrl: options.responseUrl,
      triggerId: `1700000000123.1.${unique()}`,
    }),
  );
  if (options.user === undefined && 'user' in options) form.delete('user_id');
  return form.toString();
}

/** A `block_actions` click on `actionId` carrying `value`, by `user` in `channel`. */
export function clickBody(options: {
  actionId: string;
  value: string | undefined;
  user?: string | undefined;
  channel?: string;
  responseUrl: string;
}): string {
  const payload = refreshPayload({ value: GOOD_CHART_KEY, responseUrl: options.responseUrl });
  const channel = options.channel ?? ALLOWED_CHANNEL;
  const user = 'user' in options ? options.user : ALLOWED_USER;
  const [action] = payload.actions as Record<string, unknown>[];
  const { value: _, ...rest } = action ?? {};
  return interactionForm({
    ...payload,
    ...(user === undefined
      ? { user: undefined }
      : { user: { id: user, username: 'x', name: 'x', team_id: 'T0TEAM01' } }),
    channel: { id: channel, name: 'costs' },
    container: { ...(payload.container as object), channel_id: channel },
    actions: [
      {
        ...rest,
        action_id: options.actionId,
        action_ts: `${Math.floor(Date.now() / 1000)}.${unique()}`,
        ...(options.value === undefined ? {} : { value: options.value }),
      },
    ],
  });
}

/** A fresh path on the sink, so each attack reads only its own replies. */
export function replyPath(sink: ResponseSink): {
  url: string;
  posts: () => Record<string, unknown>[];
} {
  const path = `/r/${unique()}`;
  return {
    url: `${sink.url}${path}`,
    posts: () => sink.posts.filter((p) => p.path === path).map((p) => p.body),
  };
}

function isRefusal(post: Record<string, unknown>): boolean {
  return post.response_type === 'ephemeral' && post.replace_original !== true;
}

/** What the tests of one receiver share: every case of `cases.ts` about Slack requests. */
export function describeSlackRequestAttacks(
  it: (name: string, fn: () => Promise<void>) => unknown,
  target: () => Target,
): void {
  async function startedDuring(act: () => Promise<Answer>) {
    const t = target();
    const before = (await t.started()).length;
    const answer = await act();
    await t.settle();
    return { answer, started: (await t.started()).length - before };
  }

  for (const c of TIMESTAMP_CASES) {
    it(`timestamp ${c.label}: ${c.accepted ? 'accepted' : '401, nothing started'}`, async () => {
      // Prepare
      const t = target();
      const reply = replyPath(t.sink);
      const body = commandBody({ responseUrl: reply.url });
      const header = c.header(Date.now() / 1000);
      const headers = {
        'content-type': 'application/x-www-form-urlencoded',
        ...(header === undefined
          ? {}
          : {
              'x-slack-request-timestamp': header,
              'x-slack-signature': signature(t.secret, header, body),
            }),
      };

      // Act
      const { answer, started } = await startedDuring(() => t.send(body, headers));

      // Assess
      assert.equal(answer.status, c.accepted ? 200 : 401, answer.body);
      assert.equal(started, c.accepted ? 1 : 0);
    });
  }

  for (const c of SIGNATURE_CASES) {
    it(`signature ${c.label}: 401, nothing started`, async () => {
      // Prepare
      const t = target();
      const reply = replyPath(t.sink);
      const body = commandBody({ responseUrl: reply.url });
      const timestamp = String(Math.floor(Date.now() / 1000));
      const right = signature(t.secret, timestamp, body);
      const wrong = signature('not-the-signing-secret', timestamp, body);
      const header = c.header(right, wrong);
      const sent = c.tamper ? body.replace('text=7d', 'text=30d') : body;

      // Act
      const { answer, started } = await startedDuring(() =>
        t.send(sent, {
          'content-type': 'application/x-www-form-urlencoded',
          'x-slack-request-timestamp': timestamp,
          ...(header === undefined ? {} : { 'x-slack-signature': header }),
        }),
      );

      // Assess
      assert.equal(answer.status, 401, answer.body);
      assert.equal(started, 0);
    });
  }

  for (const c of ACCESS_CASES) {
    it(`access ${c.label}: ${c.allowed ? 'proceeds' : 'refused, nothing started or signed'}`, async () => {
      // Prepare
      const t = target();
      const reply = replyPath(t.sink);
      const body = accessBody(c, reply.url);

      // Act
      const { answer, started } = await startedDuring(() =>
        t.send(body, headersFor(t.secret, body)),
      );

      // Assess
      assert.ok(answer.status < 500, `HTTP ${answer.status}: ${answer.body}`);
      const posts = reply.posts();
      const signed = posts.filter((p) => p.replace_original === true);
      if (c.allowed) {
        assert.equal(answer.status, 200, answer.body);
        assert.equal(started, c.surface === 'refresh_link' ? 0 : 1);
        assert.equal(signed.length, c.surface === 'refresh_link' ? 1 : 0);
        return;
      }
      assert.equal(started, 0, 'nothing started');
      assert.equal(signed.length, 0, 'no link signed');
      // A payload without a user may be refused outright (4xx); otherwise the refusal names the list.
      if (answer.status === 200) {
        const refusal = c.surface === 'command' ? answer.body : JSON.stringify(posts);
        assert.match(refusal, /COSTBOT_ALLOWED_(USERS|CHANNELS)/);
      }
    });
  }

  for (const c of BUTTON_CASES) {
    it(`button ${c.actionId} ${c.label}: ${c.valid ? 'proceeds' : 'refused, nothing started or signed'}`, async () => {
      // Prepare
      const t = target();
      const reply = replyPath(t.sink);
      const body = clickBody({ actionId: c.actionId, value: c.value, responseUrl: reply.url });

      // Act
      const { answer, started } = await startedDuring(() =>
        t.send(body, headersFor(t.secret, body)),
      );

      // Assess
      assert.ok(answer.status < 500, `HTTP ${answer.status}`);
      const posts = reply.posts();
      const signed = posts.filter((p) => p.replace_original === true).length;
      if (c.valid) {
        const refresh = c.actionId === ACTION_IDS.refreshLink;
        assert.deepEqual(
          { started, signed },
          { started: refresh ? 0 : 1, signed: refresh ? 1 : 0 },
        );
        return;
      }
      assert.deepEqual({ started, signed }, { started: 0, signed: 0 });
      assert.equal(posts.length, 1, `one ephemeral refusal: ${JSON.stringify(posts)}`);
      assert.ok(isRefusal(posts[0] ?? {}), JSON.stringify(posts[0]));
    });
  }

  for (const c of SLACK_RETRY_CASES) {
    it(`Slack retry: ${c.label}: one execution`, async () => {
      // Prepare
      const t = target();
      const reply = replyPath(t.sink);
      const body =
        c.surface === 'command'
          ? commandBody({ responseUrl: reply.url })
          : clickBody({
              actionId: c.surface,
              value: '{"service":"AmazonEC2"}',
              responseUrl: reply.url,
            });

      // Act: the first delivery, then Slack's retries of the very same request.
      const { started } = await startedDuring(async () => {
        let last = await t.send(body, headersFor(t.secret, body));
        for (let n = 1; n <= c.retries; n++) {
          last = await t.send(body, {
            ...headersFor(t.secret, body),
            'x-slack-retry-num': String(n),
            'x-slack-retry-reason': 'http_timeout',
          });
        }
        return last;
      });

      // Assess
      assert.equal(started, 1);
    });
  }

  for (const c of COMMAND_BOUND_CASES) {
    it(`/aws-cost with ${c.label}: usage reply, nothing started`, async () => {
      // Prepare
      const t = target();
      const reply = replyPath(t.sink);
      const body = commandBody({ text: c.text, responseUrl: reply.url });

      // Act
      const { answer, started } = await startedDuring(() =>
        t.send(body, headersFor(t.secret, body)),
      );

      // Assess
      assert.equal(answer.status, 200);
      assert.equal(started, 0);
      assert.match(answer.body, /ephemeral/);
    });
  }
}

function accessBody(c: AccessCase, responseUrl: string): string {
  const who = { user: c.user, channel: c.channel, responseUrl };
  if (c.surface === 'command') return commandBody(who);
  const value = c.surface === 'refresh_link' ? GOOD_CHART_KEY : '{"service":"AmazonEC2"}';
  return clickBody({ ...who, actionId: c.surface, value });
}
