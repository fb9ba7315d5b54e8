/**
 * The Slack check: the token, its scopes and the bot's membership of the digest channel.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runDoctor } from '../../../doctor/run.ts';
import {
  BOT_TOKEN,
  byId,
  CONFIG,
  fakeParameters,
  fakeSlack,
  healthyDeps,
  NAMES,
  VALUES,
} from '../support.ts';

function slackError(code: string): Error {
  return Object.assign(new Error(`An API error occurred: ${code}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error: code },
  });
}

describe('Check: Slack', () => {
  it('passes a valid token with the bot scopes, in a channel the bot is a member of', async () => {
    // Act
    const results = await runDoctor(healthyDeps());

    // Assess
    assert.deepEqual(
      results.filter((r) => r.id.startsWith('slack.')).map((r) => [r.id, r.status, r.detail]),
      [
        ['slack.auth', 'ok', 'auth.test: bot user U0COSTBOT in workspace Acme.'],
        ['slack.scopes', 'ok', 'Granted: commands, chat:write.'],
        ['slack.channel', 'ok', 'The bot is a member of #costs (C0COSTS01).'],
      ],
    );
  });

  it('fails an archived digest channel, saying to choose another', async () => {
    // Prepare
    const slack = () =>
      fakeSlack({
        channelInfo: async (id) => ({ id, name: 'costs', isMember: true, isArchived: true }),
      });

    // Act
    const result = byId(await runDoctor(healthyDeps({ slack })), 'slack.channel');

    // Assess
    assert.equal(result.status, 'fail');
    assert.equal(
      result.detail,
      '#costs (C0COSTS01) is archived: the digest cannot be posted there.',
    );
    assert.match(result.fix ?? '', /COSTBOT_DIGEST_CHANNEL/);
  });

  it('warns "not checked", and calls no Slack, when the bot token could not be read', async () => {
    // Prepare
    const { [NAMES.slackBotToken]: _gone, ...rest } = VALUES;
    const tokens: string[] = [];
    const slack = (token: string) => {
      tokens.push(token);
      return fakeSlack();
    };

    // Act
    const results = await runDoctor(healthyDeps({ slack, parameters: fakeParameters(rest) }));

    // Assess
    assert.deepEqual(
      results.filter((r) => r.id.startsWith('slack.')).map((r) => [r.id, r.status, r.detail]),
      [
        [
          'slack.auth',
          'warn',
          `Not checked: ${NAMES.slackBotToken} could not be read (see the parameter check).`,
        ],
      ],
    );
    assert.deepEqual(tokens, []);
  });

  it('fails an invalid token with the hint', async () => {
    // Prepare
    const slack = () => fakeSlack({ authTest: () => Promise.reject(slackError('invalid_auth')) });

    // Act
    const results = await runDoctor(healthyDeps({ slack }));

    // Assess
    const auth = byId(results, 'slack.auth');
    assert.equal(auth.status, 'fail');
    assert.equal(auth.detail, 'Slack answered "invalid_auth".');
    assert.match(auth.fix ?? '', /bot token is invalid/);
    assert.ok(!results.some((r) => r.id === 'slack.channel'), 'nothing more with a bad token');
  });

  it('fails, naming the URL, when Slack cannot be reached, and warns when it rate-limits the check', async () => {
    // Prepare
    const unreachable = () =>
      fakeSlack({
        authTest: () =>
          Promise.reject(
            Object.assign(new Error('A request error occurred: fetch failed'), {
              code: 'slack_webapi_request_error',
            }),
          ),
      });
    const limited = () =>
      fakeSlack({
        authTest: () =>
          Promise.reject(
            Object.assign(new Error('A rate limit was exceeded'), {
              code: 'slack_webapi_rate_limited_error',
              retryAfter: 30,
            }),
          ),
      });

    // Act
    const a = byId(await runDoctor(healthyDeps({ slack: unreachable })), 'slack.auth');
    const b = byId(await runDoctor(healthyDeps({ slack: limited })), 'slack.auth');

    // Assess
    assert.equal(a.status, 'fail');
    assert.equal(
      a.detail,
      'Could not reach Slack at https://slack.com/api/: A request error occurred: fetch failed',
    );
    assert.match(a.fix ?? '', /SLACK_API_URL/);
    assert.equal(b.status, 'warn');
    assert.equal(b.detail, 'Cannot tell: Slack rate-limited the check.');
  });

  it('builds the client with the stored bot token', async () => {
    // Prepare
    const tokens: string[] = [];

    // Act
    await runDoctor(
      healthyDeps({
        slack: (token) => {
          tokens.push(token);
          return fakeSlack();
        },
      }),
    );

    // Assess
    assert.deepEqual(tokens, [BOT_TOKEN]);
  });

  it('fails missing scopes and warns when Slack does not say', async () => {
    // Prepare
    const missing = () => fakeSlack({ authTest: async () => ({ scopes: ['commands'] }) });
    const silent = () => fakeSlack({ authTest: async () => ({ scopes: null }) });

    // Act
    const a = byId(await runDoctor(healthyDeps({ slack: missing })), 'slack.scopes');
    const b = byId(await runDoctor(healthyDeps({ slack: silent })), 'slack.scopes');

    // Assess
    assert.equal(a.status, 'fail');
    assert.equal(a.detail, 'Missing: chat:write (granted: commands).');
    assert.equal(b.status, 'warn');
    assert.match(b.detail, /no x-oauth-scopes header/);
  });

  it('fails when the bot is not in the digest channel, saying how to invite it', async () => {
    // Prepare
    const slack = () =>
      fakeSlack({
        channelInfo: async (id) => ({ id, name: 'costs', isMember: false, isArchived: false }),
      });

    // Act
    const result = byId(await runDoctor(healthyDeps({ slack })), 'slack.channel');

    // Assess
    assert.equal(result.status, 'fail');
    assert.equal(
      result.detail,
      'The bot is not a member of #costs (C0COSTS01): the digest would fail with not_in_channel.',
    );
    assert.equal(result.fix, 'Invite it: type `/invite @costbot` in #costs.');
  });

  it('warns when channels:read is missing or the channel is given by name', async () => {
    // Prepare
    const noScope = () =>
      fakeSlack({ channelInfo: () => Promise.reject(slackError('missing_scope')) });
    const byName = () =>
      fakeSlack({ channelInfo: () => Promise.reject(slackError('channel_not_found')) });

    // Act
    const a = byId(await runDoctor(healthyDeps({ slack: noScope })), 'slack.channel');
    const b = byId(
      await runDoctor(
        healthyDeps({ slack: byName, config: { ...CONFIG, digestChannel: '#costs' } }),
      ),
      'slack.channel',
    );

    // Assess
    assert.equal(a.status, 'warn');
    assert.match(a.detail, /needs channels:read/);
    assert.equal(b.status, 'warn');
    assert.match(b.fix ?? '', /channel id/);
  });

  it('warns, with the reason, when there is no Slack', async () => {
    // Act
    const results = await runDoctor(
      healthyDeps({ slack: undefined, noSlackReason: 'No Slack here.' }),
    );

    // Assess
    assert.deepEqual(
      results.filter((r) => r.id.startsWith('slack.')),
      [
        {
          id: 'slack.auth',
          title: 'Slack token is valid',
          status: 'warn',
          detail: 'No Slack here.',
        },
      ],
    );
  });
});
