/**
 * The link-signing key: a permanent IAM user key (a session key's links die within hours),
 * active, not past its rotation, and so how long a link signed now really lives.
 */
import { MAX_LINK_SECONDS } from '../../common/link-signer.ts';
import { errorCode } from '../describe.ts';
import type { CheckResult, CheckStatus, DoctorDeps, IdentityApi } from '../types.ts';
import type { CheckContext } from './context.ts';
import { formatDuration, isoDay, maskKeyId, utc } from './text.ts';

const DAY_MS = 86_400_000;

/** The signer's key: permanent, active, not too old, and so how long a link signed now lives. */
export async function signerResults(ctx: CheckContext): Promise<CheckResult[]> {
  const paramName = ctx.deps.config.parameterNames.signerAccessKeyId;
  const keyId = ctx.parameter('signerAccessKeyId');
  if (keyId === undefined) {
    return [ctx.parameterUnread('signer.key', 'Link-signing key', 'signerAccessKeyId')];
  }
  const masked = maskKeyId(keyId);
  const configured = Math.min(ctx.deps.config.linkExpiresSeconds, MAX_LINK_SECONDS) * 1000;
  const results: CheckResult[] = [];
  const typeTitle = 'Link-signing key is a permanent IAM user key';
  const lifetimeTitle = 'Lifetime of a link signed now';

  if (keyId.startsWith('ASIA')) {
    results.push({
      id: 'signer.key-type',
      title: typeTitle,
      status: 'fail',
      detail: `${masked} in ${paramName} is a temporary session key (ASIA…): a link signed with it stops working when the session ends, within hours, whatever X-Amz-Expires says.`,
      fix: 'Store the access key of the dedicated IAM signer user (AKIA…) there: run `npm run setup`.',
    });
    results.push({
      id: 'signer.link-lifetime',
      title: lifetimeTitle,
      status: 'fail',
      detail: `Hours at most (until the session behind ${masked} ends), not ${formatDuration(configured)}.`,
    });
    return results;
  }
  if (!keyId.startsWith('AKIA')) {
    results.push({
      id: 'signer.key-type',
      title: typeTitle,
      status: 'warn',
      detail: `${paramName} does not hold an AWS access key id (AKIA…).`,
      fix: 'Run `npm run setup` to store the signer user’s key.',
    });
    return results;
  }
  results.push({
    id: 'signer.key-type',
    title: typeTitle,
    status: 'ok',
    detail: `${masked} is a long-term IAM user key: links can live the full ${formatDuration(configured)}.`,
  });

  const identity = ctx.deps.identity;
  const activeTitle = 'Link-signing key is active';
  const ageTitle = `Link-signing key age (rotation every ${ctx.rotationDays} days)`;
  let created: Date | undefined;
  let active: boolean | undefined;
  if (!identity) {
    const why = ctx.deps.noIdentityReason ?? 'no IAM access';
    results.push(
      {
        id: 'signer.key-active',
        title: activeTitle,
        status: 'warn',
        detail: `Cannot tell: ${why}.`,
      },
      { id: 'signer.key-age', title: ageTitle, status: 'warn', detail: `Cannot tell: ${why}.` },
    );
  } else {
    const activeResult = await keyStatus(ctx, identity, keyId);
    results.push(activeResult.result);
    created = activeResult.created;
    active = activeResult.active;
    results.push(ageResult(ctx, ageTitle, created, activeResult.result.status));
  }
  results.push(lifetimeResult(ctx, lifetimeTitle, { configured, created, active, masked }));
  return results;
}

async function keyStatus(
  ctx: CheckContext,
  identity: IdentityApi,
  keyId: string,
): Promise<{ result: CheckResult; created?: Date; active?: boolean }> {
  const id = 'signer.key-active';
  const title = 'Link-signing key is active';
  const masked = maskKeyId(keyId);
  let owner: { userName: string; lastUsed?: Date };
  try {
    owner = await ctx.call(identity.accessKeyOwner(keyId));
  } catch (error) {
    const code = errorCode(error);
    if (code === 'NoSuchEntity' || code === 'NoSuchEntityException') {
      return {
        active: false,
        result: {
          id,
          title,
          status: 'fail',
          detail: `${masked} does not exist in this account: it was deleted, or belongs to another account. Links signed with it do not open.`,
          fix: 'Create a key for the signer user and store it: `npm run setup`.',
        },
      };
    }
    return { result: ctx.cannotTell(id, title, error) };
  }
  let keys: Awaited<ReturnType<NonNullable<DoctorDeps['identity']>['listAccessKeys']>>;
  try {
    keys = await ctx.call(identity.listAccessKeys(owner.userName));
  } catch (error) {
    return { result: ctx.cannotTell(id, title, error) };
  }
  const key = keys.find((k) => k.accessKeyId === keyId);
  const used = owner.lastUsed ? `last used ${isoDay(owner.lastUsed)}` : 'never used yet';
  if (!key) {
    return {
      result: {
        id,
        title,
        status: 'warn',
        detail: `Cannot tell: ${masked} is not among the keys of IAM user ${owner.userName}.`,
      },
    };
  }
  if (key.status !== 'Active') {
    return {
      created: key.created,
      active: false,
      result: {
        id,
        title,
        status: 'fail',
        detail: `${masked} of IAM user ${owner.userName} is ${key.status}: links signed with it do not open.`,
        fix: `Activate it (\`aws iam update-access-key --user-name ${owner.userName} --access-key-id <id> --status Active\`) or store an active key with \`npm run setup\`.`,
      },
    };
  }
  return {
    created: key.created,
    active: true,
    result: {
      id,
      title,
      status: 'ok',
      detail: `${masked} of IAM user ${owner.userName} is active, ${used}.`,
    },
  };
}

function ageResult(
  ctx: CheckContext,
  title: string,
  created: Date | undefined,
  activeStatus: CheckStatus,
): CheckResult {
  const id = 'signer.key-age';
  if (!created) {
    return {
      id,
      title,
      status: 'warn',
      detail:
        activeStatus === 'ok'
          ? 'Cannot tell: IAM did not give the key’s creation date.'
          : 'Cannot tell: the key’s details could not be read (see above).',
    };
  }
  const age = ctx.now.getTime() - created.getTime();
  const due = new Date(created.getTime() + ctx.rotationDays * DAY_MS);
  const days = Math.floor(age / DAY_MS);
  if (due.getTime() <= ctx.now.getTime()) {
    return {
      id,
      title,
      status: 'warn',
      detail: `Created ${isoDay(created)}: ${days} days old, past the ${ctx.rotationDays}-day rotation (due ${isoDay(due)}).`,
      fix: 'Rotate: create a second key for the signer user, store it with `npm run setup`, keep the old one active 7 more days so links already posted keep opening, then deactivate it.',
    };
  }
  return {
    id,
    title,
    status: 'ok',
    detail: `Created ${isoDay(created)}: ${days} days old; rotation due ${isoDay(due)} (in ${formatDuration(due.getTime() - ctx.now.getTime())}).`,
  };
}

/**
 * A link dies when it expires or when its key stops working, whichever comes first. The key
 * is expected to be deactivated at its rotation date, so that bounds a link signed now.
 */
function lifetimeResult(
  ctx: CheckContext,
  title: string,
  key: { configured: number; created?: Date; active?: boolean; masked: string },
): CheckResult {
  const id = 'signer.link-lifetime';
  const expires = new Date(ctx.now.getTime() + key.configured);
  const full = `${formatDuration(key.configured)} (until ${utc(expires)})`;
  if (key.active === false) {
    return {
      id,
      title,
      status: 'fail',
      detail: `None: ${key.masked} does not work, so a link signed with it does not open.`,
    };
  }
  if (!key.created) {
    return {
      id,
      title,
      status: 'warn',
      detail: `${full}, if ${key.masked} stays active that long: its age could not be read.`,
    };
  }
  const due = key.created.getTime() + ctx.rotationDays * DAY_MS;
  const remaining = due - ctx.now.getTime();
  if (remaining <= 0) {
    return {
      id,
      title,
      status: 'warn',
      detail: `${full} only while the overdue key stays active: deactivating it ends every link signed with it.`,
      fix: 'Rotate now, and keep the old key active until its last link expires (7 days).',
    };
  }
  if (remaining < key.configured) {
    return {
      id,
      title,
      status: 'warn',
      detail: `${formatDuration(remaining)}, not ${formatDuration(key.configured)}, if ${key.masked} is deactivated on its rotation date (${isoDay(new Date(due))}).`,
      fix: `Rotate the key now, or keep it active until ${isoDay(expires)} so links posted today live their full ${formatDuration(key.configured)}.`,
    };
  }
  return { id, title, status: 'ok', detail: `${full}.` };
}
