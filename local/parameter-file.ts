/**
 * The local stand-in for SSM Parameter Store: a JSON file of name → value, created on first
 * run with a generated signer key pair, Slack bot token and signing secret. Values can be
 * edited by hand; the file is git-ignored and readable by its owner only.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ParameterNames } from '../common/config.ts';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** An access key id shaped like an IAM user's (AKIA + 16 characters). */
export function generateAccessKeyId(): string {
  return `AKIA${[...randomBytes(16)].map((b) => KEY_ALPHABET[b % 32]).join('')}`;
}

export function generateSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** The default local signing secret, named in the README so a console can sign requests. */
export const LOCAL_SIGNING_SECRET = 'costbot-local-signing-secret';

export async function ensureParameterFile(
  path: string,
  names: ParameterNames,
): Promise<Record<string, string>> {
  let existing: Record<string, string> = {};
  try {
    existing = JSON.parse(await readFile(path, 'utf8')) as Record<string, string>;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const wanted: Record<string, string> = {
    [names.signerAccessKeyId]: generateAccessKeyId(),
    [names.signerSecretAccessKey]: generateSecretAccessKey(),
    [names.slackBotToken]: `xoxb-local-${randomBytes(12).toString('hex')}`,
    [names.slackSigningSecret]: LOCAL_SIGNING_SECRET,
  };
  const missing = Object.keys(wanted).filter((name) => existing[name] === undefined);
  if (missing.length === 0) return existing;
  const merged = { ...existing };
  for (const name of missing) merged[name] = wanted[name] as string;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, `${JSON.stringify(merged, null, 2)}\n`, { mode: 0o600 });
  return merged;
}
