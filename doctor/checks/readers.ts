/**
 * Reader roles in member accounts: each can be assumed (with the ExternalId). When STS refuses,
 * the trust policy says which side refused: the role's trust policy or the caller's own policy.
 */
import { describeError, errorMessage } from '../describe.ts';
import type { CheckResult, IdentityApi } from '../types.ts';
import type { CheckContext } from './context.ts';

/** `arn:aws:sts::A:assumed-role/R/S` → `arn:aws:iam::A:role/R`; other ARNs as they are. */
function principalOf(arn: string): string {
  const m = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  return m ? `arn:${m[1]}:iam::${m[2]}:role/${m[3]}` : arn;
}

/** AWS principals an Allow statement for sts:AssumeRole names in a trust policy. */
export function trustedPrincipals(policy: unknown): string[] {
  const doc = (typeof policy === 'string' ? JSON.parse(policy) : policy) as {
    Statement?: unknown;
  };
  const statements = Array.isArray(doc?.Statement) ? doc.Statement : [doc?.Statement];
  const out: string[] = [];
  for (const s of statements as { Effect?: string; Action?: unknown; Principal?: unknown }[]) {
    if (s?.Effect !== 'Allow') continue;
    const actions = ([] as unknown[]).concat(s.Action ?? []);
    if (!actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*')) continue;
    if (s.Principal === '*') {
      out.push('*');
      continue;
    }
    const aws = (s.Principal as { AWS?: unknown } | undefined)?.AWS;
    for (const p of ([] as unknown[]).concat(aws ?? [])) if (typeof p === 'string') out.push(p);
  }
  return out;
}

/** Whether a trust policy principal covers the caller (the account itself counts). */
function covers(principal: string, caller: string): boolean {
  if (principal === '*' || principal === caller) return true;
  const account = /^arn:aws[a-z-]*:(?:iam|sts)::(\d{12}):/.exec(caller)?.[1];
  if (!account) return false;
  if (principal === account || principal === `arn:aws:iam::${account}:root`) return true;
  // A role ARN in a policy may carry a path the session ARN does not show.
  const name = /:role\/(?:.*\/)?([^/]+)$/.exec(caller)?.[1];
  return (
    name !== undefined &&
    new RegExp(
      `^arn:aws[a-z-]*:iam::${account}:role/(?:.*/)?${name.replace(/[.+]/g, '\\$&')}$`,
    ).test(principal)
  );
}

/** `Reader role costbot-cloudwatch-reader (111111111111) can be assumed`: short enough for a table. */
function readerTitle(roleArn: string): string {
  const m = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(?:.*\/)?([^/]+)$/.exec(roleArn);
  return m
    ? `Reader role ${m[2]} (${m[1]}) can be assumed`
    : `Reader role ${roleArn} can be assumed`;
}

export async function readerResults(ctx: CheckContext): Promise<CheckResult[]> {
  const roles = ctx.deps.readerRoles?.arns ?? [];
  if (roles.length === 0) {
    return [
      {
        id: 'readers',
        title: 'Reader roles in member accounts',
        status: 'ok',
        detail: 'None configured (readerRoleArns): costs are read in this account only.',
      },
    ];
  }
  const identity = ctx.deps.identity;
  if (!identity) {
    return roles.map((arn) => ({
      id: `reader.${arn}`,
      title: readerTitle(arn),
      status: 'warn' as const,
      detail: `Cannot tell: ${ctx.deps.noIdentityReason ?? 'no STS access'}.`,
    }));
  }
  return Promise.all(roles.map((arn) => readerResult(ctx, identity, arn)));
}

async function readerResult(
  ctx: CheckContext,
  identity: IdentityApi,
  roleArn: string,
): Promise<CheckResult> {
  const id = `reader.${roleArn}`;
  const title = readerTitle(roleArn);
  const externalId = ctx.deps.readerRoles?.externalId;
  try {
    const assumed = await ctx.call(identity.assumeRole(roleArn, externalId));
    return { id, title, status: 'ok', detail: `Assumed as ${assumed.arn}.` };
  } catch (error) {
    const d = describeError(error);
    if (!d.denied) return ctx.failed(id, title, error);
    // Who asked: AWS names it in the refusal; else ask STS.
    const named = /User: (arn:\S+) is not authorized/.exec(errorMessage(error))?.[1];
    const caller = named ?? (await ctx.call(identity.callerArn()).catch(() => undefined));
    const trust = await ctx
      .call(identity.trustPolicy(roleArn))
      .then(trustedPrincipals)
      .catch(() => undefined);
    if (!caller || !trust) {
      return ctx.fromDescribed(
        id,
        title,
        {
          ...d,
          detail: `${d.detail} The trust policy of the role could not be read, so which side refused cannot be told.`,
        },
        'fail',
      );
    }
    const who = principalOf(caller);
    const external = externalId ? ' and the sts:ExternalId condition' : '';
    if (!trust.some((p) => covers(p, who))) {
      return ctx.fromDescribed(
        id,
        title,
        {
          denied: true,
          detail: `The trust policy of ${roleArn} trusts ${trust.join(', ') || 'no AWS principal'}, not ${who}: the role's trust policy refused the call, not the caller's own policy.`,
          fix: `Add ${who} as a Principal (with sts:AssumeRole${external}) to the trust policy of ${roleArn}. If the principal it trusts is costbot's fetch role, production is fine and only that role can check it.`,
        },
        'fail',
      );
    }
    return ctx.fromDescribed(
      id,
      title,
      {
        denied: true,
        detail: `The trust policy of ${roleArn} trusts ${who}, so the caller's own policy refused sts:AssumeRole${externalId ? ` (or the ExternalId "${externalId}" is not the one the role requires)` : ''}.`,
        fix: `Allow sts:AssumeRole on ${roleArn} in a policy attached to ${who}.`,
        statement: { Effect: 'Allow', Action: 'sts:AssumeRole', Resource: roleArn },
      },
      'fail',
    );
  }
}
