/**
 * The local stand-in for SSM Parameter Store: a JSON object of name → value in
 * COSTBOT_LOCAL_DIR, created on first run with a generated signer key pair, Slack bot token,
 * signing secret and stable-link HMAC key. Values can be edited by hand; the file is git-ignored and kept readable by
 * its owner only (mode 0600, tightened with a log line if it was looser). A file costbot
 * cannot parse is reported, never rewritten.
 */
import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ParameterNames } from '../common/config.ts';
import { ConfigError, LocalFileError } from '../common/errors.ts';
import { generateLinkKey } from '../common/link-token.ts';
import type { Logger } from '../common/log.ts';

const KEY_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** Owner read and write only: the mode of every file costbot writes secrets to. */
export const SECRET_FILE_MODE = 0o600;

/** An access key id shaped like an IAM user's (AKIA + 16 characters). */
export function generateAccessKeyId(): string {
  return `AKIA${[...randomBytes(16)].map((b) => KEY_ALPHABET[b % 32]).join('')}`;
}

export function generateSecretAccessKey(): string {
  return randomBytes(30).toString('base64');
}

/** The default local signing secret, named in the README so a console can sign requests. */
export const LOCAL_SIGNING_SECRET = 'costbot-local-signing-secret';

const SILENT: Pick<Logger, 'info' | 'warn'> = { info: () => {}, warn: () => {} };

/** What a JSON value is, in words, for a message that says what was found instead. */
function jsonKind(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * COSTBOT_LOCAL_DIR as a directory this user can read and write, created (owner only) when
 * absent. Throws `ConfigError` naming the setting when it is a file or cannot be used.
 */
export async function ensureLocalDir(dir: string): Promise<void> {
  const fix = 'or point COSTBOT_LOCAL_DIR at another directory (default .costbot)';
  try {
    if (!(await stat(dir)).isDirectory()) {
      throw new ConfigError('COSTBOT_LOCAL_DIR', `"${dir}" is not a directory: move it ${fix}.`);
    }
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (errnoCode(error) !== 'ENOENT') {
      throw new ConfigError(
        'COSTBOT_LOCAL_DIR',
        `"${dir}" cannot be used (${errnoCode(error)}) ${fix}.`,
        {
          cause: error,
        },
      );
    }
    try {
      await mkdir(dir, { recursive: true, mode: 0o700 });
    } catch (cause) {
      throw new ConfigError(
        'COSTBOT_LOCAL_DIR',
        `cannot create "${dir}" (${errnoCode(cause)}): create it yourself ${fix}.`,
        { cause },
      );
    }
    return;
  }
  try {
    await access(dir, constants.R_OK | constants.W_OK | constants.X_OK);
  } catch (cause) {
    throw new ConfigError(
      'COSTBOT_LOCAL_DIR',
      `"${dir}" is not readable and writable by you (${errnoCode(cause)}): chmod u+rwx it ${fix}.`,
      { cause },
    );
  }
}

/**
 * Makes a secrets file that others may read owner-only (SECRET_FILE_MODE) and says so: an
 * existing file keeps its mode through writeFile, so a loose one must be tightened.
 */
async function keepPrivate(path: string, log: Pick<Logger, 'warn'>): Promise<void> {
  const mode = (await stat(path)).mode & 0o777;
  if ((mode & ~SECRET_FILE_MODE) === 0) return;
  const octal = (m: number) => `0${m.toString(8).padStart(3, '0')}`;
  try {
    await chmod(path, SECRET_FILE_MODE);
  } catch (cause) {
    throw new LocalFileError(
      path,
      `holds secrets but is mode ${octal(mode)} and cannot be made ${octal(SECRET_FILE_MODE)} (${errnoCode(cause)}): chmod 600 it.`,
      { cause },
    );
  }
  log.warn('secrets file was readable by others: now owner-only', {
    file: path,
    from: octal(mode),
    to: octal(SECRET_FILE_MODE),
  });
}

/** The file's parameters; undefined when it does not exist. Never changes the file. */
async function readParameterFile(path: string): Promise<Record<string, string> | undefined> {
  const fresh = 'delete it to have fresh local secrets generated';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const code = errnoCode(cause);
    if (code === 'ENOENT') return undefined;
    if (code === 'EISDIR') {
      throw new LocalFileError(
        path,
        `is a directory, not a file: remove it (costbot then writes the file).`,
        { cause },
      );
    }
    if (code === 'EACCES' || code === 'EPERM') {
      throw new LocalFileError(path, `cannot be read (${code}): chmod 600 it, or ${fresh}.`, {
        cause,
      });
    }
    throw new LocalFileError(path, `cannot be read (${code}): fix it, or ${fresh}.`, { cause });
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (cause) {
    // V8 quotes the text around the error; that text may be a secret, so only say where.
    const message = cause instanceof Error ? cause.message : '';
    const position = /position (\d+)/.exec(message)?.[1];
    const truncated =
      /end of JSON input/.test(message) || Number(position) >= text.trimEnd().length;
    const why = truncated
      ? 'it ends early'
      : `syntax error${position ? ` at character ${position}` : ''}`;
    throw new LocalFileError(path, `is not valid JSON (${why}): fix it by hand, or ${fresh}.`, {
      cause,
    });
  }
  const shape =
    'a JSON object of parameter name → string value, e.g. {"/costbot/slack/bot-token": "xoxb-…"}';
  if (jsonKind(parsed) !== 'an object') {
    throw new LocalFileError(path, `holds ${jsonKind(parsed)}, not ${shape}: fix it, or ${fresh}.`);
  }
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (typeof value !== 'string') {
      throw new LocalFileError(
        path,
        `key "${name}" holds ${jsonKind(value)}, not a string: quote its value, or remove the key to have it generated.`,
      );
    }
  }
  return parsed as Record<string, string>;
}

/**
 * The local parameters: read from `path` (its directory checked, or created), with any of the five costbot needs that are missing
 * generated and written back (each one logged by name). Throws `LocalFileError` naming the
 * file when it exists but is not a JSON object of strings; such a file is left as it is.
 */
export async function ensureParameterFile(
  path: string,
  names: ParameterNames,
  log: Pick<Logger, 'info' | 'warn'> = SILENT,
): Promise<Record<string, string>> {
  await ensureLocalDir(dirname(path));
  const read = await readParameterFile(path);
  if (read) await keepPrivate(path, log);
  const existing = read ?? {};
  const generated: Record<string, string> = {
    [names.signerAccessKeyId]: generateAccessKeyId(),
    [names.signerSecretAccessKey]: generateSecretAccessKey(),
    [names.slackBotToken]: `xoxb-local-${randomBytes(12).toString('hex')}`,
    [names.slackSigningSecret]: LOCAL_SIGNING_SECRET,
    [names.linkKey]: generateLinkKey(),
  };
  const missing = Object.keys(generated).filter((name) => !Object.hasOwn(existing, name));
  if (missing.length === 0) return existing;
  const merged = { ...existing };
  for (const name of missing) merged[name] = generated[name] as string;
  await writeFile(path, `${JSON.stringify(merged, null, 2)}\n`, { mode: SECRET_FILE_MODE });
  log.info('generated local parameters', { file: path, names: missing });
  return merged;
}
