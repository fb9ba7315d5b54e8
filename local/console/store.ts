/**
 * The console's memory of the workspace: one channel list and the history of what was
 * delivered into it, in the shape the page renders and tests assert on.
 */
import { createHash } from 'node:crypto';

/**
 * How a message reached the channel.
 *
 * - `postMessage`: `chat.postMessage` from the bot.
 * - `response_url`: an in-channel message through a response_url, or a slash command's
 *   in-channel ack (Slack treats both as "message responses" to the command).
 * - `ephemeral`: only visible to `user`: a command's ack, a response_url answer without
 *   `response_type: 'in_channel'`, `chat.postEphemeral`, or a notice from Slack itself.
 * - `update`: a channel message whose content was replaced in place, by `chat.update` or a
 *   response_url with `replace_original` (its `ts` stays the same, as in Slack). An ephemeral
 *   message that is replaced stays `ephemeral`: it is still only visible to its user.
 * - `command`: the slash command line the local user typed. Slack does not show it to the
 *   channel; the console keeps it so the history reads as a conversation. Its own via keeps
 *   it apart from the bot's `postMessage`s.
 */
export type ConsoleVia = 'postMessage' | 'response_url' | 'ephemeral' | 'update' | 'command';

export interface ConsoleMessage {
  /** Channel id (`C…`). */
  channel: string;
  /** Slack timestamp `<seconds>.<6 digits>`, unique and increasing: the message's id. */
  ts: string;
  text: string;
  blocks: unknown[];
  via: ConsoleVia;
  /** For `command`: who typed it. For `ephemeral`: who may see it. Absent on bot messages. */
  user?: string;
  thread_ts?: string;
  /**
   * `slack` on notices the console writes in Slack's place (a command the bot failed to
   * answer); absent on everything the bot sent.
   */
  from?: 'slack';
}

export interface ConsoleChannel {
  id: string;
  name: string;
}

/** Ids that never resolve, so tests can provoke Slack's `channel_not_found`. */
export const MISSING_CHANNEL = 'C0MISSING';

/**
 * Known channels. The default one exists from the start; any other `C…` id or `#name` the
 * bot posts to is created on first use, since the console cannot know a real workspace's
 * channels and refusing them would only get in the way.
 */
export class ChannelDirectory {
  private readonly byId = new Map<string, ConsoleChannel>();

  constructor(readonly defaultChannel: ConsoleChannel) {
    this.byId.set(defaultChannel.id, defaultChannel);
  }

  /** The channel for an id or `#name`; undefined for what Slack would not find. */
  resolve(idOrName: string): ConsoleChannel | undefined {
    if (idOrName === MISSING_CHANNEL) return undefined;
    if (idOrName.startsWith('#') && idOrName.length > 1) {
      const name = idOrName.slice(1);
      for (const channel of this.byId.values()) if (channel.name === name) return channel;
      // A stable made-up id, so the same name always maps to the same channel.
      const hash = createHash('sha1').update(name).digest('hex').slice(0, 8).toUpperCase();
      return this.add({ id: `C0${hash}`, name });
    }
    if (/^C[A-Z0-9]+$/.test(idOrName)) {
      return this.byId.get(idOrName) ?? this.add({ id: idOrName, name: idOrName.toLowerCase() });
    }
    return undefined;
  }

  get(id: string): ConsoleChannel | undefined {
    return this.byId.get(id);
  }

  private add(channel: ConsoleChannel): ConsoleChannel {
    this.byId.set(channel.id, channel);
    return channel;
  }
}

/** The delivered messages, oldest first. */
export class MessageStore {
  private readonly messages: ConsoleMessage[] = [];
  private lastMicros = 0;

  /**
   * A fresh Slack timestamp. Microseconds from the clock, bumped past the previous one:
   * messages posted in the same millisecond still get distinct, increasing ids.
   */
  nextTs(): string {
    const micros = Math.max(Date.now() * 1000, this.lastMicros + 1);
    this.lastMicros = micros;
    const seconds = Math.floor(micros / 1_000_000);
    return `${seconds}.${String(micros % 1_000_000).padStart(6, '0')}`;
  }

  add(message: Omit<ConsoleMessage, 'ts'>): ConsoleMessage {
    const stored: ConsoleMessage = { ...message, ts: this.nextTs() };
    this.messages.push(stored);
    return stored;
  }

  find(channel: string, ts: string): ConsoleMessage | undefined {
    return this.messages.find((m) => m.channel === channel && m.ts === ts);
  }

  /** Replaces a message's content in place, keeping its ts and position, as Slack does. */
  replace(
    target: ConsoleMessage,
    content: { text: string; blocks: unknown[] },
  ): ConsoleMessage | undefined {
    if (!this.messages.includes(target)) return undefined;
    target.text = content.text;
    target.blocks = content.blocks;
    if (target.via !== 'ephemeral') target.via = 'update';
    return target;
  }

  remove(target: ConsoleMessage): boolean {
    const index = this.messages.indexOf(target);
    if (index < 0) return false;
    this.messages.splice(index, 1);
    return true;
  }

  /** Deep copies, so callers cannot change the history by accident. */
  all(): ConsoleMessage[] {
    return structuredClone(this.messages);
  }
}
