/**
 * Structured JSON logs, one object per line, with secrets redacted.
 *
 * Values registered with `redact()` (tokens, secret keys, signing secrets) are replaced by
 * `[REDACTED]` wherever they appear in a log line, including inside error messages, so a
 * secret that leaks into an error text does not reach CloudWatch Logs.
 *
 * @example
 * const log = createLogger({ step: 'sign' });
 * log.info('link signed', { key, expiresAt });
 */
import type { LogLevel } from './config.ts';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** Secret values known to this process. Shorter strings are ignored: they would redact noise. */
const secrets = new Set<string>();

export function redact(...values: (string | undefined)[]): void {
  for (const value of values) {
    if (value && value.length >= 8) secrets.add(value);
  }
}

function scrub(line: string): string {
  let out = line;
  for (const secret of secrets) out = out.split(secret).join('[REDACTED]');
  return out;
}

function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return { name: error.name, message: error.message, cause: serializeError(error.cause) };
}

export type Fields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  child(fields: Fields): Logger;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so stdout stays for a command's own output. */
  write?: (line: string) => void;
}

export function createLogger(base: Fields = {}, options: LoggerOptions = {}): Logger {
  const level = options.level ?? (process.env.LOG_LEVEL as LogLevel | undefined) ?? 'info';
  const threshold = ORDER[level] ?? ORDER.info;
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const emit = (lvl: LogLevel, message: string, fields?: Fields) => {
    if (ORDER[lvl] < threshold) return;
    const record: Fields = { time: new Date().toISOString(), level: lvl, message, ...base };
    for (const [key, value] of Object.entries(fields ?? {})) record[key] = serializeError(value);
    write(scrub(JSON.stringify(record)));
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger({ ...base, ...fields }, { ...options, level }),
  };
}
