/**
 * "Last 30 days", called directly (no App): a valid value starts the same report over 30
 * days; a forged one (too many accounts, unknown keys, a bad name, not JSON) is refused
 * ephemerally and starts nothing.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { createLast30DaysAction } from '../../../../bot/listeners/actions/last-30-days.ts';
import { buttonValues, INVALID_BUTTON } from '../../../../bot/listeners/actions/values.ts';
import { slackRequestId } from '../../../../bot/starter.ts';
import { MAX_ACCOUNTS } from '../../../../common/contract-schema.ts';
import { ACTION_IDS } from '../../../../common/slack-message.ts';
import { directButtonArgs, memoryLogger, RecordingStarter } from '../../support.ts';

const accounts = (n: number) => Array.from({ length: n }, (_, i) => String(100000000000 + i));

describe('Listener: last30Days', () => {
  const starter = new RecordingStarter();
  const listener = createLast30DaysAction({
    starter,
    values: buttonValues('charts/'),
    log: memoryLogger().log,
  });
  beforeEach(() => starter.reset());

  const click = (value: string | undefined) =>
    directButtonArgs({
      actionId: ACTION_IDS.last30Days,
      value,
      responseUrl: 'https://hooks.slack.com/actions/T0TEAM01/1/abc',
      actionTs: '1736000100.654321',
    });

  const valid: { what: string; value: string; scope: Record<string, unknown> }[] = [
    { what: 'the whole bill', value: '{}', scope: {} },
    { what: 'one service', value: '{"service":"AmazonEC2"}', scope: { service: 'AmazonEC2' } },
    { what: 'an empty account list', value: '{"accounts":[]}', scope: { accounts: [] } },
    {
      what: `${MAX_ACCOUNTS} accounts (the most a request may name)`,
      value: JSON.stringify({ accounts: accounts(MAX_ACCOUNTS) }),
      scope: { accounts: accounts(MAX_ACCOUNTS) },
    },
  ];
  for (const { what, value, scope } of valid) {
    it(`starts the report over 30 days for ${what}`, async () => {
      // Prepare
      const { args, acks, replies } = click(value);

      // Act
      await listener(args);

      // Assess
      assert.equal(acks.length, 1);
      assert.deepEqual(replies, []);
      assert.deepEqual(
        starter.calls.map((c) => c.request),
        [
          {
            kind: 'command',
            requestId: slackRequestId('action', 'T0TEAM01', 'U0USER01', '1736000100.654321'),
            channel: 'C0CHANNEL1',
            responseUrl: 'https://hooks.slack.com/actions/T0TEAM01/1/abc',
            userId: 'U0USER01',
            period: '30d',
            ...scope,
          },
        ],
      );
    });
  }

  const forged: { what: string; value: string | undefined }[] = [
    { what: '300 accounts', value: JSON.stringify({ accounts: accounts(300) }) },
    {
      what: `${MAX_ACCOUNTS + 1} accounts`,
      value: JSON.stringify({ accounts: accounts(MAX_ACCOUNTS + 1) }),
    },
    { what: 'a repeated account', value: '{"accounts":["123456789012","123456789012"]}' },
    { what: 'an 11-digit account', value: '{"accounts":["12345678901"]}' },
    { what: 'an account as a number', value: '{"accounts":[123456789012]}' },
    { what: 'a service with a space', value: '{"service":"Amazon EC2"}' },
    { what: 'a mention as the service', value: '{"service":"<!channel>"}' },
    { what: 'a 65-character service', value: JSON.stringify({ service: 'A'.repeat(65) }) },
    {
      what: 'a service and accounts',
      value: '{"service":"AmazonEC2","accounts":["123456789012"]}',
    },
    { what: 'an unknown key (a metric)', value: '{"metric":{"namespace":"AWS/Lambda"}}' },
    { what: 'a period of its own', value: '{"period":"7d"}' },
    { what: 'a __proto__ key', value: '{"__proto__":{"service":"x"}}' },
    { what: 'not JSON', value: 'accounts=1' },
    { what: 'a JSON array', value: '[]' },
    { what: 'JSON null', value: 'null' },
    { what: 'an empty value', value: '' },
    { what: 'no value', value: undefined },
    { what: 'a value over 2000 characters', value: `{"service":"AmazonEC2"${' '.repeat(2000)}}` },
  ];
  for (const { what, value } of forged) {
    it(`refuses ${what}: ephemeral refusal, nothing started`, async () => {
      // Prepare
      const { args, acks, replies } = click(value);

      // Act
      await listener(args);

      // Assess
      assert.equal(acks.length, 1);
      assert.deepEqual(replies, [
        { response_type: 'ephemeral', replace_original: false, text: INVALID_BUTTON },
      ]);
      assert.equal(starter.calls.length, 0);
    });
  }

  it('tells the person when the report cannot start', async () => {
    // Prepare
    const failing = createLast30DaysAction({
      starter: {
        start: async () => {
          throw new Error('StartExecution unavailable');
        },
      },
      values: buttonValues('charts/'),
      log: memoryLogger().log,
    });
    const { args, replies } = click('{}');

    // Act
    await failing(args);

    // Assess
    assert.equal(replies.length, 1);
    assert.equal(replies[0]?.response_type, 'ephemeral');
    assert.match(replies[0]?.text ?? '', /could not be started[\s\S]*StartExecution unavailable/);
  });
});
