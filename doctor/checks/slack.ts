/**
 * Slack: the stored bot token works (auth.test), carries the bot's scopes, and the bot is a
 * member of the digest channel.
 */
import { slackHint } from '../../workflows/steps/post/delivery.ts';
import { errorCode, errorMessage } from '../describe.ts';
import type { CheckResult, DoctorDeps } from '../types.ts';
import type { CheckContext } from './context.ts';

/** The scopes the bot uses (`bot/manifest.json`): the slash command and posting. */
export const REQUIRED_SCOPES = ['commands', 'chat:write'] as const;

export async function slackResults(ctx: CheckContext): Promise<CheckResult[]> {
  const authTitle = 'Slack token is valid';
  if (!ctx.deps.slack) {
    return [
      {
        id: 'slack.auth',
        title: authTitle,
        status: 'warn',
        detail: ctx.deps.noSlackReason ?? 'No Slack configured.',
      },
    ];
  }
  const token = ctx.parameter('slackBotToken');
  if (token === undefined) return [ctx.parameterUnread('slack.auth', authTitle, 'slackBotToken')];
  const slack = ctx.deps.slack(token);
  let auth: Awaited<ReturnType<typeof slack.authTest>>;
  try {
    auth = await ctx.call(slack.authTest());
  } catch (error) {
    return [slackFailure(ctx, 'slack.auth', authTitle, error)];
  }
  const results: CheckResult[] = [
    {
      id: 'slack.auth',
      title: authTitle,
      status: 'ok',
      detail: `auth.test: bot user ${auth.userId ?? '?'} in workspace ${auth.team ?? '?'}.`,
    },
  ];
  const scopesTitle = `Slack token has the bot's scopes (${REQUIRED_SCOPES.join(', ')})`;
  if (auth.scopes === null) {
    results.push({
      id: 'slack.scopes',
      title: scopesTitle,
      status: 'warn',
      detail: 'Cannot tell: Slack sent no x-oauth-scopes header.',
    });
  } else {
    const missing = REQUIRED_SCOPES.filter((s) => !auth.scopes?.includes(s));
    results.push(
      missing.length === 0
        ? {
            id: 'slack.scopes',
            title: scopesTitle,
            status: 'ok',
            detail: `Granted: ${auth.scopes.join(', ')}.`,
          }
        : {
            id: 'slack.scopes',
            title: scopesTitle,
            status: 'fail',
            detail: `Missing: ${missing.join(', ')} (granted: ${auth.scopes.join(', ') || 'none'}).`,
            fix: 'Add them under oauth_config.scopes.bot in the app manifest (bot/manifest.json), reinstall the app, and store the new token with `npm run setup`.',
          },
    );
  }
  results.push(await channelResult(ctx, slack));
  return results;
}

function slackFailure(ctx: CheckContext, id: string, title: string, error: unknown): CheckResult {
  const code = errorCode(error);
  if (code === 'slack_webapi_rate_limited_error') {
    return {
      id,
      title,
      status: 'warn',
      detail: 'Cannot tell: Slack rate-limited the check.',
      fix: 'Run the doctor again in a minute.',
    };
  }
  if (/^[a-z_]+$/.test(code) && !code.startsWith('slack_webapi_')) {
    return { id, title, status: 'fail', detail: `Slack answered "${code}".`, fix: slackHint(code) };
  }
  return {
    id,
    title,
    status: 'fail',
    detail: `Could not reach Slack at ${ctx.deps.config.slackApiUrl}: ${errorMessage(error)}`,
    fix: 'Check SLACK_API_URL and that this machine can reach it.',
  };
}

async function channelResult(
  ctx: CheckContext,
  slack: ReturnType<NonNullable<DoctorDeps['slack']>>,
): Promise<CheckResult> {
  const channel = ctx.deps.config.digestChannel;
  const id = 'slack.channel';
  const title = `Bot is in the digest channel ${channel}`;
  try {
    const info = await ctx.call(slack.channelInfo(channel));
    const name = info.name ? `#${info.name} (${info.id})` : info.id;
    if (info.isArchived) {
      return {
        id,
        title,
        status: 'fail',
        detail: `${name} is archived: the digest cannot be posted there.`,
        fix: 'Choose another channel: set COSTBOT_DIGEST_CHANNEL (and digestChannel for the deploy).',
      };
    }
    if (!info.isMember) {
      return {
        id,
        title,
        status: 'fail',
        detail: `The bot is not a member of ${name}: the digest would fail with not_in_channel.`,
        fix: `Invite it: type \`/invite @costbot\` in ${info.name ? `#${info.name}` : name}.`,
      };
    }
    return { id, title, status: 'ok', detail: `The bot is a member of ${name}.` };
  } catch (error) {
    const code = errorCode(error);
    if (code === 'missing_scope') {
      return {
        id,
        title,
        status: 'warn',
        detail:
          'Cannot tell: conversations.info needs channels:read (groups:read for a private channel), which the app does not ask for.',
        fix: 'Add channels:read to the manifest to let the doctor check membership, or invite the bot (`/invite @costbot`) and watch the first digest.',
      };
    }
    if (code === 'channel_not_found' && channel.startsWith('#')) {
      return {
        id,
        title,
        status: 'warn',
        detail: `Cannot tell: Slack looks channels up by id, and ${channel} is a name (posting by name still works).`,
        fix: 'Set COSTBOT_DIGEST_CHANNEL to the channel id (C0…, under the channel name → About) to let the doctor check it.',
      };
    }
    return slackFailure(ctx, id, title, error);
  }
}
