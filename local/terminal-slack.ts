/**
 * A Slack delivery that prints the message in the terminal: what the local backend uses
 * when no Slack console or workspace is connected.
 */
import type { KnownBlock } from '@slack/types';
import type { SlackMessage } from '../common/slack-message.ts';
import type { SlackDelivery } from '../workflows/steps/post/delivery.ts';

function blockText(block: KnownBlock): string[] {
  switch (block.type) {
    case 'header':
      return [`== ${block.text.text} ==`];
    case 'section':
      return [
        ...(block.text ? [block.text.text] : []),
        ...(block.fields ?? []).map((f) => f.text.replaceAll('\n', ' ')),
      ];
    case 'image':
      return [`[chart] ${'image_url' in block ? block.image_url : ''}`];
    case 'context':
      return block.elements.map((e) => ('text' in e ? e.text : ''));
    default:
      return [];
  }
}

/** Plain text of a Block Kit message, for terminals and logs. */
export function renderForTerminal(message: SlackMessage): string {
  return message.blocks.flatMap(blockText).join('\n');
}

/** `#costs` for a channel given by name, `C0123ABCD` for one given by id, as Slack shows them. */
function channelLabel(channel: string): string {
  return /^[CGD][A-Z0-9]+$/.test(channel) ? channel : `#${channel.replace(/^#/, '')}`;
}

export function terminalDelivery(write: (text: string) => void): SlackDelivery {
  let ts = 0;
  return {
    async postMessage(channel, message) {
      write(`\n${channelLabel(channel)}\n${renderForTerminal(message)}\n`);
      ts += 1;
      return {
        via: 'terminal',
        channel,
        ts: `${Math.floor(Date.now() / 1000)}.${String(ts).padStart(6, '0')}`,
      };
    },
    async respond(_responseUrl, channel, message) {
      write(`\n${channelLabel(channel)} (reply)\n${renderForTerminal(message)}\n`);
      return { via: 'terminal', channel };
    },
  };
}
