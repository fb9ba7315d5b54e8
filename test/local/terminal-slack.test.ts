/**
 * The terminal's Slack stand-in: a channel is printed as Slack shows it, by name with `#`, by
 * id without.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { terminalDelivery } from '../../local/terminal-slack.ts';

const MESSAGE = {
  text: 'hello',
  blocks: [{ type: 'header' as const, text: { type: 'plain_text' as const, text: 'Title' } }],
};

describe('terminalDelivery', () => {
  for (const [channel, shown] of [
    ['costs', '#costs'],
    ['#costs', '#costs'],
    ['C0123ABCD', 'C0123ABCD'],
    ['G0PRIVATE1', 'G0PRIVATE1'],
  ] as const) {
    it(`prints ${channel} as ${shown}`, async () => {
      // Prepare
      const out: string[] = [];
      const slack = terminalDelivery((text) => out.push(text));
      // Act
      await slack.postMessage(channel, MESSAGE);
      // Assess
      assert.equal(out[0], `\n${shown}\n== Title ==\n`);
    });
  }
});
