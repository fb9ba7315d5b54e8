/**
 * The runner: every group in a stable order, only the groups asked for, the bot's perspective,
 * time limits, and no throw whatever a check meets.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maskKeyId } from '../../doctor/checks/text.ts';
import { exitCode, runDoctor } from '../../doctor/run.ts';
import { BOT_CHECKS } from '../../doctor/types.ts';
import {
  BOT_TOKEN,
  byId,
  fakeIdentity,
  healthyDeps,
  KEY_ID,
  listMetricsDenied,
  SECRET,
  SIGNING_SECRET,
} from './support.ts';

describe('Function: runDoctor', () => {
  describe('a healthy setup', () => {
    it('passes every check, in a stable order, and exits 0', async () => {
      // Act
      const results = await runDoctor(healthyDeps());

      // Assess
      assert.deepEqual(
        results.filter((r) => r.status !== 'ok'),
        [],
      );
      assert.deepEqual(
        results.map((r) => r.id),
        [
          'parameter.signerAccessKeyId',
          'parameter.signerSecretAccessKey',
          'parameter.slackBotToken',
          'parameter.slackSigningSecret',
          'parameter.linkKey',
          'signer.key-type',
          'signer.key-active',
          'signer.key-age',
          'signer.link-lifetime',
          'billing.metrics',
          'readers',
          'bucket.put',
          'slack.auth',
          'slack.scopes',
          'slack.channel',
          'schedule.next',
          'bill.month',
        ],
      );
      assert.equal(exitCode(results), 0);
    });

    it('never shows a secret value, and the key id only masked', async () => {
      // Act
      const text = JSON.stringify(await runDoctor(healthyDeps()));

      // Assess
      for (const secret of [SECRET, BOT_TOKEN, SIGNING_SECRET, KEY_ID]) {
        assert.ok(!text.includes(secret), `leaked ${secret.slice(0, 6)}…`);
      }
      assert.ok(text.includes(maskKeyId(KEY_ID)));
    });
  });

  describe('robustness', () => {
    it('from the bot, reports a refusal of its least-privilege role as a warning without a statement', async () => {
      // Prepare
      const billing = listMetricsDenied('arn:aws:sts::123456789012:assumed-role/costbot-bot/fn');

      // Act
      const results = await runDoctor(healthyDeps({ billing }), {
        only: BOT_CHECKS,
        perspective: 'bot',
      });

      // Assess
      const result = byId(results, 'billing.metrics');
      assert.equal(result.status, 'warn');
      assert.match(result.detail, /^Not checked from the bot: AWS denied cloudwatch:ListMetrics/);
      assert.equal(result.statement, undefined);
      assert.match(result.fix ?? '', /npm run doctor/);
    });

    it('runs only the groups asked for', async () => {
      // Act
      const results = await runDoctor(healthyDeps(), { only: BOT_CHECKS });

      // Assess
      const groups = new Set(results.map((r) => r.id.split('.')[0]));
      assert.deepEqual([...groups], ['parameter', 'slack', 'bucket', 'billing', 'bill']);
    });

    it('fails a check that does not answer in time, and still reports the others', async () => {
      // Prepare
      const billing = { listMetrics: () => new Promise<never>(() => {}) };

      // Act
      const results = await runDoctor(healthyDeps({ billing, timeoutMs: 50 }));

      // Assess
      const result = byId(results, 'billing.metrics');
      assert.equal(result.status, 'fail');
      assert.equal(result.detail, 'No answer within 0.05 s.');
      assert.equal(byId(results, 'bucket.put').status, 'ok');
    });

    it('never throws, whatever a client throws', async () => {
      // Prepare
      const deps = healthyDeps({
        parameters: { get: () => Promise.reject('a string, not an Error') },
        billing: {
          listMetrics: () => {
            throw new TypeError('synchronous bug');
          },
        },
        identity: fakeIdentity({ accessKeyOwner: () => Promise.reject(null) }),
      });

      // Act
      const results = await runDoctor(deps);

      // Assess
      assert.equal(byId(results, 'parameter.slackBotToken').detail, 'a string, not an Error');
      assert.equal(byId(results, 'billing.metrics').detail, 'synchronous bug');
      assert.equal(exitCode(results), 1);
    });

    it('reports a check that throws as failed under its group, and still reports the others', async () => {
      // Prepare
      const slack = () => {
        throw new Error('no Slack client today');
      };

      // Act
      const results = await runDoctor(healthyDeps({ slack }));

      // Assess
      assert.deepEqual(byId(results, 'slack'), {
        id: 'slack',
        title: 'Check "slack"',
        status: 'fail',
        detail: 'no Slack client today',
      });
      assert.equal(byId(results, 'schedule.next').status, 'ok');
      assert.equal(exitCode(results), 1);
    });

    it('reads no parameter when no group needs one', async () => {
      // Prepare
      const asked: string[][] = [];
      const parameters = {
        get: async (names: string[]) => {
          asked.push(names);
          return {};
        },
      };

      // Act
      const results = await runDoctor(healthyDeps({ parameters }), {
        only: ['bucket', 'schedule'],
      });

      // Assess
      assert.deepEqual(asked, []);
      assert.deepEqual(
        results.map((r) => r.id),
        ['bucket.put', 'schedule.next'],
      );
    });
  });
});
