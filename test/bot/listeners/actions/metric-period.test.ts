/**
 * A metric chart's neighbouring-period buttons, called directly (no App): a valid value starts
 * the same metric over the button's period; a forged one is refused ephemerally and starts
 * nothing.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { createMetricPeriodAction } from '../../../../bot/listeners/actions/metric-period.ts';
import { buttonValues, INVALID_BUTTON } from '../../../../bot/listeners/actions/values.ts';
import { slackRequestId } from '../../../../bot/starter.ts';
import { ACTION_IDS } from '../../../../common/slack-message.ts';
import { directButtonArgs, memoryLogger, RecordingStarter } from '../../support.ts';

const METRIC = {
  namespace: 'AWS/Lambda',
  metricName: 'Errors',
  dimensions: [{ name: 'Resource', value: 'live' }],
  split: { name: 'FunctionName', values: ['api', 'worker'] },
  stat: 'p99',
  period: '7d',
};

describe('Listener: metricPeriod', () => {
  const starter = new RecordingStarter();
  const values = buttonValues('charts/');
  const listener = createMetricPeriodAction(
    { starter, values, log: memoryLogger().log },
    values.longerPeriod,
  );
  beforeEach(() => starter.reset());

  const click = (value: string | undefined) =>
    directButtonArgs({
      actionId: ACTION_IDS.longerPeriod,
      value,
      responseUrl: 'https://hooks.slack.com/actions/T0TEAM01/1/abc',
      actionTs: '1736000100.654321',
    });

  it('starts the same metric over the button period', async () => {
    // Prepare
    const { args, acks, replies } = click(JSON.stringify(METRIC));

    // Act
    await listener(args);

    // Assess
    assert.deepEqual(
      { acks: acks.length, replies, starts: starter.calls.length },
      { acks: 1, replies: [], starts: 1 },
    );
    const started = starter.calls[0]?.request;
    assert.deepEqual(started?.metric, METRIC);
    assert.equal(started?.period, 'mtd', 'the cost period, not read for a metric chart');
    const clicked = slackRequestId('action', 'T0TEAM01', 'U0USER01', '1736000100.654321');
    assert.equal(started?.requestId, clicked, 'one execution per click');
    assert.equal(started?.responseUrl, 'https://hooks.slack.com/actions/T0TEAM01/1/abc');
  });

  const forged: { what: string; value: string | undefined }[] = [
    { what: 'a cost period', value: JSON.stringify({ ...METRIC, period: 'mtd' }) },
    { what: 'no period', value: JSON.stringify({ ...METRIC, period: undefined }) },
    {
      what: '11 split values',
      value: JSON.stringify({
        ...METRIC,
        split: { name: 'FunctionName', values: Array.from({ length: 11 }, (_, i) => `f${i}`) },
      }),
    },
    {
      what: 'a split dimension also given one value',
      value: JSON.stringify({ ...METRIC, split: { name: 'Resource', values: ['a', 'b'] } }),
    },
    {
      what: 'a repeated split value',
      value: JSON.stringify({ ...METRIC, split: { name: 'FunctionName', values: ['a', 'a'] } }),
    },
    { what: 'a mention as a value', value: JSON.stringify({ ...METRIC, stat: '<!channel>' }) },
    { what: 'a bad namespace', value: JSON.stringify({ ...METRIC, namespace: ':x' }) },
    { what: 'not JSON', value: 'metric=Errors' },
    { what: 'a JSON array', value: '[]' },
    { what: 'no value', value: undefined },
    { what: 'a value over 2000 characters', value: `${JSON.stringify(METRIC)}${' '.repeat(2000)}` },
  ];
  for (const { what, value } of forged) {
    it(`refuses ${what}: ephemeral refusal, nothing started`, async () => {
      // Prepare
      const { args, acks, replies } = click(value);

      // Act
      await listener(args);

      // Assess
      const refusal = { response_type: 'ephemeral', replace_original: false, text: INVALID_BUTTON };
      assert.deepEqual(
        { acks: acks.length, replies, starts: starter.calls.length },
        { acks: 1, replies: [refusal], starts: 0 },
      );
    });
  }
});
