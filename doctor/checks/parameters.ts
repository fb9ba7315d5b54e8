/**
 * Parameters: each of the five SSM parameters exists, decrypts, holds something of the right
 * shape, and is a SecureString. Read once per run (`readParameters`): the signer and Slack
 * checks use the values too.
 */
import type { ParameterNames } from '../../common/config.ts';
import { errorCode } from '../describe.ts';
import type { CheckResult } from '../types.ts';
import type { CheckContext, ParameterValues, ReadParameter } from './context.ts';

/** The setting that names each parameter, for fixes. */
const PARAMETER_SETTINGS: Record<keyof ParameterNames, string> = {
  signerAccessKeyId: 'COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID',
  signerSecretAccessKey: 'COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY',
  slackBotToken: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
  slackSigningSecret: 'COSTBOT_PARAM_SLACK_SIGNING_SECRET',
  linkKey: 'COSTBOT_PARAM_LINK_KEY',
};

const PARAMETER_KEYS = Object.keys(PARAMETER_SETTINGS) as (keyof ParameterNames)[];

/** Reads every parameter, each on its own, and its type when the store can say. */
export async function readParameters(ctx: CheckContext): Promise<ParameterValues> {
  const { parameterNames } = ctx.deps.config;
  const entries = await Promise.all(
    PARAMETER_KEYS.map(async (key): Promise<[keyof ParameterNames, ReadParameter]> => {
      const name = parameterNames[key];
      try {
        // One name per call: a missing one must not hide the others.
        const values = await ctx.call(ctx.deps.parameters.get([name]));
        const value = values[name] ?? '';
        const type = await ctx
          .call(ctx.deps.parameterType?.(name) ?? Promise.resolve(undefined))
          .catch(() => undefined);
        return [key, type ? { value, type } : { value }];
      } catch (error) {
        return [key, { error }];
      }
    }),
  );
  return new Map(entries);
}

/** Why a value read fine but is probably the wrong thing; null when it looks right. */
function shapeProblem(key: keyof ParameterNames, value: string): string | null {
  switch (key) {
    case 'signerAccessKeyId':
      return /^(AKIA|ASIA)[A-Z0-9]{16}$/.test(value)
        ? null
        : 'does not look like an AWS access key id (AKIA + 16 letters or digits)';
    case 'signerSecretAccessKey':
      return /^[A-Za-z0-9/+=]{40}$/.test(value)
        ? null
        : 'does not look like a secret access key (40 characters)';
    case 'slackBotToken':
      return value.startsWith('xoxb-') ? null : 'is not a Slack bot token (xoxb-…)';
    case 'slackSigningSecret':
      return null;
    case 'linkKey':
      return /^[A-Za-z0-9_-]{43,}$/.test(value)
        ? null
        : 'is not a stable-link key (32+ random bytes, base64url)';
  }
}

/** One result per parameter. */
export function parameterResults(ctx: CheckContext): CheckResult[] {
  return PARAMETER_KEYS.map((key) => {
    const name = ctx.deps.config.parameterNames[key];
    const id = `parameter.${key}`;
    const title = `Parameter ${name}`;
    const entry = ctx.parameters.get(key);
    if (!entry || 'error' in entry) {
      const error = entry?.error;
      if (
        errorCode(error) === 'ParameterNotFoundError' ||
        errorCode(error) === 'ParameterNotFound'
      ) {
        return {
          id,
          title,
          status: 'fail',
          detail: `${name} does not exist.`,
          fix:
            ctx.deps.missingParameterFix ??
            `Run \`npm run setup\` to create it, or set ${PARAMETER_SETTINGS[key]} to the name you used.`,
        };
      }
      return ctx.failed(id, title, error);
    }
    if (entry.value === '') {
      return {
        id,
        title,
        status: 'fail',
        detail: `${name} is empty.`,
        fix: 'Run `npm run setup` to store the value.',
      };
    }
    const problem = shapeProblem(key, entry.value);
    if (problem) {
      return {
        id,
        title,
        status: 'warn',
        detail: `${name} was read but ${problem}.`,
        fix: 'Check what was stored there (`npm run setup` writes the right values).',
      };
    }
    if (entry.type === 'String' || entry.type === 'StringList') {
      return {
        id,
        title,
        status: 'warn',
        detail: `${name} is a plain ${entry.type}: whoever may read the parameter sees the secret, and it is not encrypted at rest.`,
        fix: 'Store it as a SecureString (`npm run setup` does).',
      };
    }
    return {
      id,
      title,
      status: 'ok',
      detail: entry.type ? `Exists and decrypts (${entry.type}).` : 'Exists and was read.',
    };
  });
}
