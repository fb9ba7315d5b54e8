/**
 * Nothing faked: only a permanent IAM user key signs a link. Each signer key of `cases.ts` is
 * put in the local parameter store (the file), then a full local run (s3rver, loopback Slack)
 * and a "Refresh link" click through `npm start`'s receiver: a key that is not `AKIA` + 16
 * base-32 characters after trimming posts a named error saying what to do, never a link.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runReport } from '../../local/report.ts';
import { type ResponseSink, settle, startResponseSink } from '../bot/support.ts';
import { digest, editParameters, type Rig, startRig, texts } from '../faults/support.ts';
import { GOOD_CHART_KEY, SIGNER_KEY_CASES } from './cases.ts';
import { parameterFile, type Running, startBot } from './local-bot.ts';
import { clickBody, headersFor, replyPath } from './slack-requests.ts';

const NAMED = /^(InvalidSignerKeyError|SessionCredentialsError)$/;
/** What the person is told to do about the key. */
const WHAT_TO_DO = /npm run setup|AKIA/;

describe('Attacks: signer keys in a full local run', () => {
  let rig: Rig;

  before(async () => {
    // Presigned links in the message, so the test reads which key signed them.
    rig = await startRig({
      COSTBOT_PARAMETER_CACHE_TTL_SECONDS: '0',
      COSTBOT_STABLE_LINKS: 'false',
    });
  });

  after(async () => {
    await rig?.stop();
  });

  for (const c of SIGNER_KEY_CASES) {
    it(`signer key ${c.label}: ${c.accepted ? 'link posted' : 'named error, no link posted'}`, async () => {
      // Prepare
      rig.slack.reset();
      const names = rig.config.parameterNames;
      await editParameters(rig, {
        [names.signerAccessKeyId]: c.accessKeyId,
        [names.signerSecretAccessKey]:
          c.secretAccessKey ?? rig.parameters[names.signerSecretAccessKey] ?? null,
      });

      // Act
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: 10 });

      // Assess
      const posted = texts(rig.slack);
      assert.equal(posted.length, 1, `one message: ${JSON.stringify(posted)}`);
      const message = posted[0] ?? '';
      if (c.accepted) {
        assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
        const credential = /X-Amz-Credential=([A-Z0-9]+)%2F/.exec(message)?.[1];
        assert.equal(credential, c.accessKeyId.trim(), 'signed with the trimmed key');
        return;
      }
      assert.equal(result.status, 'FAILED');
      assert.match(result.error ?? '', NAMED);
      assert.doesNotMatch(message, /X-Amz-/, 'no link posted');
      assert.match(message, /could not be produced/);
      assert.match(message, WHAT_TO_DO);
    });
  }
});

describe('Attacks: signer keys on "Refresh link" (npm start)', () => {
  let running: Running;
  let sink: ResponseSink;
  let secret = '';
  let original: Record<string, string>;

  before(async () => {
    sink = await startResponseSink();
    running = await startBot({ COSTBOT_PARAMETER_CACHE_TTL_SECONDS: '0' });
    original = await parameterFile(running);
    secret = original[running.bot.config.parameterNames.slackSigningSecret] ?? '';
  });

  after(async () => {
    await running?.stop();
    await sink?.close();
  });

  for (const c of SIGNER_KEY_CASES) {
    it(`Refresh link with signer key ${c.label}: ${c.accepted ? 'fresh link' : 'ephemeral error, message untouched'}`, async () => {
      // Prepare
      const names = running.bot.config.parameterNames;
      await writeFile(
        join(running.dir, 'parameters.json'),
        JSON.stringify({
          ...original,
          [names.signerAccessKeyId]: c.accessKeyId,
          ...(c.secretAccessKey === undefined
            ? {}
            : { [names.signerSecretAccessKey]: c.secretAccessKey }),
        }),
      );
      const reply = replyPath(sink);
      const body = clickBody({
        actionId: 'refresh_link',
        value: GOOD_CHART_KEY,
        responseUrl: reply.url,
      });

      // Act
      const answer = await running.post(body, headersFor(secret, body));
      await settle(200);

      // Assess
      assert.equal(answer.status, 200);
      const posts = reply.posts();
      assert.equal(posts.length, 1, JSON.stringify(posts));
      const post = posts[0] ?? {};
      if (c.accepted) {
        assert.equal(post.replace_original, true);
        assert.match(JSON.stringify(post), new RegExp(`X-Amz-Credential=${c.accessKeyId.trim()}`));
        return;
      }
      assert.notEqual(post.replace_original, true, 'the message is not replaced');
      assert.doesNotMatch(JSON.stringify(post), /X-Amz-/);
      assert.match(String(post.text), WHAT_TO_DO);
    });
  }
});
