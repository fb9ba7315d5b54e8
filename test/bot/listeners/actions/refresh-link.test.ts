/**
 * "Refresh link", called directly (no App): a chart key under the prefix is re-signed and the
 * message replaced; any other value is refused before the signer is asked; a signer that
 * refuses its key is explained to the person, and nothing is replaced.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRefreshLinkAction } from '../../../../bot/listeners/actions/refresh-link.ts';
import { buttonValues, INVALID_BUTTON } from '../../../../bot/listeners/actions/values.ts';
import type { SignedLink } from '../../../../common/contract.ts';
import { SessionCredentialsError } from '../../../../common/errors.ts';
import { ACTION_IDS } from '../../../../common/slack-message.ts';
import { CHART_KEY, directButtonArgs, memoryLogger } from '../../support.ts';

const FRESH: SignedLink = {
  url: 'https://costbot-charts.s3.amazonaws.com/charts/fresh?X-Amz-Signature=f',
  expiresAt: '2025-02-01T06:00:00.000Z',
  expiresInSeconds: 604_800,
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
};

function listenerWith(signLink: (chart: { bucket: string; key: string }) => Promise<SignedLink>) {
  return createRefreshLinkAction({
    bucket: 'costbot-charts',
    values: buttonValues('charts/'),
    signLink,
    log: memoryLogger().log,
  });
}

const click = (value: string | undefined) =>
  directButtonArgs({
    actionId: ACTION_IDS.refreshLink,
    value,
    responseUrl: 'https://hooks.slack.com/actions/T0TEAM01/1/abc',
  });

describe('Listener: refreshLink', () => {
  it('re-signs the chart and replaces the message', async () => {
    // Prepare
    const signed: { bucket: string; key: string }[] = [];
    const listener = listenerWith(async (chart) => {
      signed.push(chart);
      return FRESH;
    });
    const { args, acks, replies } = click(CHART_KEY);

    // Act
    await listener(args);

    // Assess
    assert.equal(acks.length, 1);
    assert.deepEqual(signed, [{ bucket: 'costbot-charts', key: CHART_KEY }]);
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.replace_original, true);
    assert.ok(JSON.stringify(replies[0]).includes(FRESH.url));
  });

  for (const value of [
    undefined,
    '',
    'secrets/2025/01/02/key.png',
    'charts/../secrets/x.png',
    'charts/2025/01/02/../../x.png',
    'charts/2025/01/02/a b.png',
    `charts/2025/01/02/${'a'.repeat(65)}.png`,
    `charts/2025/01/02/x.png${'?'.repeat(3000)}`,
  ]) {
    it(`refuses ${JSON.stringify(value)?.slice(0, 40)} without asking the signer`, async () => {
      // Prepare
      let asked = 0;
      const listener = listenerWith(async () => {
        asked += 1;
        return FRESH;
      });
      const { args, replies } = click(value);

      // Act
      await listener(args);

      // Assess
      assert.equal(asked, 0);
      assert.deepEqual(replies, [
        { response_type: 'ephemeral', replace_original: false, text: INVALID_BUTTON },
      ]);
    });
  }

  it('explains a refused signer key and replaces nothing', async () => {
    // Prepare
    const listener = listenerWith(async () => {
      throw new SessionCredentialsError('The link-signing key is a temporary session credential.');
    });
    const { args, replies } = click(CHART_KEY);

    // Act
    await listener(args);

    // Assess
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.response_type, 'ephemeral');
    assert.notEqual(replies[0]?.replace_original, true);
    assert.match(replies[0]?.text ?? '', /could not be refreshed[\s\S]*temporary session/);
  });
});
