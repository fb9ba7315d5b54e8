/**
 * What `npm run setup` does, with its AWS clients passed in (tests run it against moto_server).
 *
 * 1. The signer user's access key: created unless the parameters already hold one of the user's
 *    keys; with `rotate`, a new key is created and written while the previous key stays ACTIVE,
 *    because every link it signed (7 days) dies when it is deactivated. An IAM user has at most
 *    two keys, so rotating refuses while two exist.
 * 2. The two signer parameters and the Slack bot token and signing secret, written as SSM
 *    SecureString (`Overwrite`): CloudFormation cannot create SecureString parameters.
 * 3. The HMAC key of stable chart links, generated once and then kept: a new key would break
 *    every stable link already posted.
 *
 * No secret is ever printed: output names parameters and access key ids only.
 */
import { CreateAccessKeyCommand, type IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam';
import { GetParametersCommand, PutParameterCommand, type SSMClient } from '@aws-sdk/client-ssm';
import type { ParameterNames } from '../common/config.ts';
import { SetupError } from '../common/errors.ts';
import { generateLinkKey } from '../common/link-token.ts';

/** SigV4's maximum, the lifetime of a chart link. */
export const LINK_LIFETIME_SECONDS = 604_800;
/**
 * How long a function may keep signing with the previous key after the parameters change: the
 * code's cache (COSTBOT_PARAMETER_CACHE_TTL_SECONDS, 300 s) plus the Parameters and Secrets
 * extension's cache (300 s).
 */
export const PARAMETER_CACHE_SECONDS = 600;

export interface SetupClients {
  iam: Pick<IAMClient, 'send'>;
  ssm: Pick<SSMClient, 'send'>;
}

/** What the deployed stack tells setup (its outputs). */
export interface SetupTarget {
  signerUserName: string;
  parameters: ParameterNames;
}

export interface SetupOptions {
  rotate: boolean;
  /** New values; absent: keep what the parameter holds (it must exist). */
  slackBotToken?: string;
  slackSigningSecret?: string;
  now?: () => Date;
}

export interface SetupResult {
  /** The key now in the parameters. */
  accessKeyId: string;
  created: boolean;
  /** Rotation only: the previous key, still active, and when it may be deactivated. */
  previous?: { accessKeyId: string; deactivateAfter: Date };
  /** The Slack values given, and the link key when it was missing. */
  slackWritten: ('bot token' | 'signing secret' | 'link key')[];
}

async function readParameters(ssm: SetupClients['ssm'], names: string[]) {
  const out = await ssm.send(new GetParametersCommand({ Names: names, WithDecryption: true }));
  return Object.fromEntries(
    (out.Parameters ?? []).map((p) => [p.Name as string, p.Value as string]),
  );
}

async function putSecure(
  ssm: SetupClients['ssm'],
  name: string,
  value: string,
  description: string,
) {
  await ssm.send(
    new PutParameterCommand({
      Name: name,
      Value: value,
      Type: 'SecureString',
      Overwrite: true,
      Description: description,
    }),
  );
}

function checkSlackValues(options: SetupOptions): void {
  if (options.slackBotToken !== undefined && !/^xoxb-[\w-]+$/.test(options.slackBotToken)) {
    throw new SetupError('The Slack bot token must start with "xoxb-" (OAuth & Permissions page).');
  }
  if (
    options.slackSigningSecret !== undefined &&
    !/^[0-9a-f]{32}$/i.test(options.slackSigningSecret)
  ) {
    throw new SetupError('The Slack signing secret is 32 hex characters (Basic Information page).');
  }
}

export async function runSetup(
  clients: SetupClients,
  target: SetupTarget,
  options: SetupOptions,
  log: (line: string) => void,
): Promise<SetupResult> {
  checkSlackValues(options);
  const names = target.parameters;
  const current = await readParameters(clients.ssm, [
    names.signerAccessKeyId,
    names.slackBotToken,
    names.slackSigningSecret,
    names.linkKey,
  ]);
  const missingSlack = [
    ...(options.slackBotToken === undefined && !current[names.slackBotToken]
      ? [`${names.slackBotToken} (--slack-bot-token or SLACK_BOT_TOKEN)`]
      : []),
    ...(options.slackSigningSecret === undefined && !current[names.slackSigningSecret]
      ? [`${names.slackSigningSecret} (--slack-signing-secret or SLACK_SIGNING_SECRET)`]
      : []),
  ];
  if (missingSlack.length > 0) {
    throw new SetupError(
      `No value for ${missingSlack.join(' and ')}: pass it, nothing was changed.`,
    );
  }

  const keys =
    (await clients.iam.send(new ListAccessKeysCommand({ UserName: target.signerUserName })))
      .AccessKeyMetadata ?? [];
  const inUse = current[names.signerAccessKeyId];
  const inUseIsTheUsers = keys.some((k) => k.AccessKeyId === inUse);

  let result: SetupResult;
  if (inUse && inUseIsTheUsers && !options.rotate) {
    log(
      `Signer key ${inUse} of ${target.signerUserName} is already in ${names.signerAccessKeyId}; kept (--rotate replaces it).`,
    );
    result = { accessKeyId: inUse, created: false, slackWritten: [] };
  } else {
    if (keys.length >= 2) {
      const list = keys
        .map((k) => `${k.AccessKeyId} (${k.Status}, created ${k.CreateDate?.toISOString() ?? '?'})`)
        .join(', ');
      throw new SetupError(
        `${target.signerUserName} already has two access keys: ${list}. IAM allows two. Delete the one ` +
          `that is not in ${names.signerAccessKeyId} once its links have expired (7 days after it was ` +
          `replaced): aws iam delete-access-key --user-name ${target.signerUserName} --access-key-id <id>`,
      );
    }
    const created = (
      await clients.iam.send(new CreateAccessKeyCommand({ UserName: target.signerUserName }))
    ).AccessKey;
    if (!created?.AccessKeyId || !created.SecretAccessKey) {
      throw new SetupError(`CreateAccessKey for ${target.signerUserName} returned no key.`);
    }
    // Two writes, not atomic: a function reading between them pairs the old id with the new
    // secret for that read (the functions' cache makes it rare). The id, which links and logs
    // show, changes last.
    await putSecure(
      clients.ssm,
      names.signerSecretAccessKey,
      created.SecretAccessKey,
      'costbot: secret access key of the chart link signer',
    );
    await putSecure(
      clients.ssm,
      names.signerAccessKeyId,
      created.AccessKeyId,
      'costbot: access key id of the chart link signer',
    );
    log(
      `Created signer key ${created.AccessKeyId} for ${target.signerUserName}; wrote ${names.signerAccessKeyId} and ${names.signerSecretAccessKey}.`,
    );
    result = { accessKeyId: created.AccessKeyId, created: true, slackWritten: [] };
    const previous = keys.find(
      (k) => k.AccessKeyId !== created.AccessKeyId && k.Status === 'Active',
    );
    if (previous?.AccessKeyId) {
      const now = (options.now ?? (() => new Date()))();
      const deactivateAfter = new Date(
        now.getTime() + (LINK_LIFETIME_SECONDS + PARAMETER_CACHE_SECONDS) * 1000,
      );
      result.previous = { accessKeyId: previous.AccessKeyId, deactivateAfter };
      log(
        `Previous key ${previous.AccessKeyId} stays ACTIVE: links it signed work until 7 days after their signing. ` +
          `Deactivate it after ${deactivateAfter.toISOString()}: aws iam update-access-key --user-name ${target.signerUserName} ` +
          `--access-key-id ${previous.AccessKeyId} --status Inactive`,
      );
    }
  }

  const secrets = [
    { what: 'bot token', value: options.slackBotToken, name: names.slackBotToken },
    { what: 'signing secret', value: options.slackSigningSecret, name: names.slackSigningSecret },
    {
      what: 'link key',
      value: current[names.linkKey] ? undefined : generateLinkKey(),
      name: names.linkKey,
    },
  ] as const;
  for (const secret of secrets) {
    if (secret.value === undefined) continue;
    const what = secret.what === 'link key' ? 'stable chart link HMAC key' : `Slack ${secret.what}`;
    await putSecure(clients.ssm, secret.name, secret.value, `costbot: ${what}`);
    result.slackWritten.push(secret.what);
    log(`Wrote the ${what} to ${secret.name}.`);
  }
  return result;
}

/** The setup target from the Costbot stack's outputs (names from infra/stacks/costbot-stack.ts). */
export function targetFromOutputs(outputs: Record<string, string | undefined>): SetupTarget {
  const need = (key: string): string => {
    const value = outputs[key];
    if (!value)
      throw new SetupError(`The stack has no output ${key}: deploy it first (npm run deploy).`);
    return value;
  };
  return {
    signerUserName: need('SignerUserName'),
    parameters: {
      signerAccessKeyId: need('SignerAccessKeyIdParameter'),
      signerSecretAccessKey: need('SignerSecretAccessKeyParameter'),
      slackBotToken: need('SlackBotTokenParameter'),
      slackSigningSecret: need('SlackSigningSecretParameter'),
      linkKey: need('LinkKeyParameter'),
    },
  };
}
