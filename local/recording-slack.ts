/**
 * A `SlackDelivery` that records what would have reached Slack, for tests of the Post step
 * and of whole local runs.
 *
 *   const slack = new RecordingSlack();
 *   slack.refuse = (call) => (call === 1 ? new SlackRateLimitedError(1) : undefined);
 *
 * A refused call throws the given error (as `webApiDelivery` throws Slack's refusals) and
 * records nothing: `messages` holds only what Slack accepted. `calls` counts every call.
 */
import type { Delivery } from '../common/contract.ts';
import type { SlackMessage } from '../common/slack-message.ts';
import type { SlackDelivery } from '../workflows/steps/post/delivery.ts';

export interface RecordedMessage {
  channel: string;
  via: 'postMessage' | 'response_url';
  message: SlackMessage;
  /** For `response_url` deliveries: the URL replied to. */
  responseUrl?: string;
}

/** Decides, per call (1-based, counting refused calls too), whether Slack refuses it. */
export type RefusalRule = (call: number, via: RecordedMessage['via']) => Error | undefined;

export class RecordingSlack implements SlackDelivery {
  readonly messages: RecordedMessage[] = [];
  /** Every call made, accepted or refused. */
  calls = 0;
  refuse: RefusalRule | undefined;

  constructor(refuse?: RefusalRule) {
    this.refuse = refuse;
  }

  /** Forgets what was recorded and the refusal rule, for the next test. */
  reset(refuse?: RefusalRule): void {
    this.messages.length = 0;
    this.calls = 0;
    this.refuse = refuse;
  }

  async postMessage(channel: string, message: SlackMessage): Promise<Delivery> {
    this.record({ channel, via: 'postMessage', message });
    return {
      via: 'postMessage',
      channel,
      ts: `1795330800.${String(this.messages.length).padStart(6, '0')}`,
    };
  }

  async respond(responseUrl: string, channel: string, message: SlackMessage): Promise<Delivery> {
    this.record({ channel, via: 'response_url', message, responseUrl });
    return { via: 'response_url', channel };
  }

  private record(entry: RecordedMessage): void {
    this.calls += 1;
    const refusal = this.refuse?.(this.calls, entry.via);
    if (refusal) throw refusal;
    // A copy: what was sent cannot change after the fact.
    this.messages.push(structuredClone(entry));
  }
}

/** The message's notification text and every text inside its blocks, one per line. */
export function messageText(message: SlackMessage): string {
  const texts: string[] = [message.text];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
    } else if (typeof node === 'object' && node !== null) {
      for (const [key, value] of Object.entries(node)) {
        if (key === 'text' && typeof value === 'string') texts.push(value);
        else walk(value);
      }
    }
  };
  walk(message.blocks);
  return texts.join('\n');
}
