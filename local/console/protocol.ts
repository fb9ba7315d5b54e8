/**
 * What Slack sends to an app, built field for field as Slack builds it: slash command
 * requests and `block_actions` interactions. Kept apart from the HTTP plumbing so the
 * shapes can be read (and compared with Slack's documentation) in one place.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import type { ConsoleChannel, ConsoleMessage } from './store.ts';

/** Who is who in the pretend workspace. */
export interface Workspace {
  teamId: string;
  teamDomain: string;
  userId: string;
  userName: string;
  appId: string;
  botUserId: string;
  botId: string;
  /**
   * Slack's legacy verification token, still sent in every request. Bolt ignores it (it
   * checks the signature), so any string does.
   */
  verificationToken: string;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Slack's `<digits>.<digits>.<hex>` trigger id; random, so unique per request. */
export function newTriggerId(): string {
  const seconds = Math.floor(Date.now() / 1000);
  return `${seconds}${randomInt(100_000, 999_999)}.${randomInt(100_000_000, 999_999_999)}.${randomBytes(16).toString('hex')}`;
}

/** The secret part of a response_url. Unguessable, as Slack's are. */
export function newResponseId(): string {
  return randomBytes(18).toString('base64url');
}

/** An `action_ts`: the click time as a Slack timestamp. */
export function actionTs(now = Date.now()): string {
  return (now / 1000).toFixed(6);
}

/**
 * Blocks as Slack stores them: a block the app sent without `block_id` gets one made up by
 * Slack, and interactions report that id. Derived from the message ts and position so the
 * same message always yields the same ids (Slack's are random but fixed per message).
 */
export function withBlockIds(blocks: unknown[], ts: string): unknown[] {
  return blocks.map((block, index) => {
    if (!isRecord(block) || typeof block.block_id === 'string') return block;
    const id = createHash('sha1').update(`${ts}:${index}`).digest('base64url').slice(0, 5);
    return { ...block, block_id: id };
  });
}

export interface FoundElement {
  element: Record<string, unknown>;
  blockId: string;
}

/**
 * The interactive element with `actionId`: in an actions block, or a section's accessory. Action
 * ids are unique within a block, not a message (a list repeats its buttons), so `blockId`, when
 * given, names the block.
 */
export function findElement(
  blocks: unknown[],
  actionId: string,
  blockId?: string,
): FoundElement | undefined {
  for (const block of blocks) {
    if (!isRecord(block) || typeof block.block_id !== 'string') continue;
    if (blockId !== undefined && block.block_id !== blockId) continue;
    const candidates = [
      ...(Array.isArray(block.elements) ? block.elements : []),
      ...(block.accessory === undefined ? [] : [block.accessory]),
    ];
    for (const element of candidates) {
      if (isRecord(element) && element.action_id === actionId) {
        return { element, blockId: block.block_id };
      }
    }
  }
  return undefined;
}

/** A message as Slack's Web API answers and interaction payloads show it. */
export function slackMessage(
  workspace: Workspace,
  message: ConsoleMessage,
): Record<string, unknown> {
  const fromUser = message.via === 'command';
  return {
    type: 'message',
    ...(fromUser
      ? {}
      : { subtype: 'bot_message', bot_id: workspace.botId, app_id: workspace.appId }),
    text: message.text,
    user: fromUser ? message.user : workspace.botUserId,
    ts: message.ts,
    team: workspace.teamId,
    blocks: withBlockIds(message.blocks, message.ts),
    ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}),
  };
}

/** The form body of a slash command, fields in the order Slack sends them. */
export function slashCommandBody(
  workspace: Workspace,
  input: {
    command: string;
    text: string;
    channel: ConsoleChannel;
    responseUrl: string;
    triggerId: string;
  },
): string {
  return new URLSearchParams([
    ['token', workspace.verificationToken],
    ['team_id', workspace.teamId],
    ['team_domain', workspace.teamDomain],
    ['channel_id', input.channel.id],
    ['channel_name', input.channel.name],
    ['user_id', workspace.userId],
    ['user_name', workspace.userName],
    ['command', input.command],
    ['text', input.text],
    ['api_app_id', workspace.appId],
    ['is_enterprise_install', 'false'],
    ['response_url', input.responseUrl],
    ['trigger_id', input.triggerId],
  ]).toString();
}

/**
 * The `block_actions` payload for a button click. Slack leaves `message` out when the
 * message is ephemeral (the app never had it) and says so in `container.is_ephemeral`.
 */
export function blockActionsPayload(
  workspace: Workspace,
  input: {
    channel: ConsoleChannel;
    message: ConsoleMessage;
    found: FoundElement;
    responseUrl: string;
    triggerId: string;
    actionTs: string;
  },
): Record<string, unknown> {
  const { element, blockId } = input.found;
  const ephemeral = input.message.via === 'ephemeral';
  return {
    type: 'block_actions',
    user: {
      id: workspace.userId,
      username: workspace.userName,
      name: workspace.userName,
      team_id: workspace.teamId,
    },
    api_app_id: workspace.appId,
    token: workspace.verificationToken,
    container: {
      type: 'message',
      message_ts: input.message.ts,
      channel_id: input.channel.id,
      is_ephemeral: ephemeral,
    },
    trigger_id: input.triggerId,
    team: { id: workspace.teamId, domain: workspace.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: input.channel.id, name: input.channel.name },
    ...(ephemeral ? {} : { message: slackMessage(workspace, input.message) }),
    state: { values: {} },
    response_url: input.responseUrl,
    actions: [
      {
        action_id: element.action_id,
        block_id: blockId,
        ...(isRecord(element.text) ? { text: element.text } : {}),
        ...(element.value === undefined ? {} : { value: element.value }),
        ...(element.style === undefined ? {} : { style: element.style }),
        type: element.type,
        action_ts: input.actionTs,
      },
    ],
  };
}

/** Slack posts interactions as a form with one field, `payload`, holding the JSON. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams([['payload', JSON.stringify(payload)]]).toString();
}
