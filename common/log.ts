/**
 * Structured JSON logs through Powertools Logger: one object per line, secrets redacted.
 *
 * Powertools gives every line the X-Ray trace id and, once `withLambdaContext` hands it an
 * invocation, the cold-start flag and request id; it also honours Lambda's advanced logging
 * controls and `POWERTOOLS_LOGGER_SAMPLE_RATE`. This module keeps costbot's own shape on top:
 * `level` in lower case then `message`, errors as `{ name, message, cause }`, and values
 * registered with `redact()` (tokens, secret keys, signing secrets) replaced by `[REDACTED]`
 * anywhere in the line, error messages included, so a secret that leaks into an error text
 * does not reach CloudWatch Logs. Lines go to stderr (stdout is for a command's own output;
 * on Lambda both reach CloudWatch Logs).
 *
 * @example
 * const log = createLogger({ step: 'sign' }, { level: config.logLevel });
 * log.info('link signed', { key, expiresAt });
 * export const handler = withLambdaContext(log, createSignHandler(deps));
 */
import { LogFormatter, LogItem, Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type {
  ConstructorOptions,
  LogAttributes,
  UnformattedAttributes,
} from '@aws-lambda-powertools/logger/types';
import { type LogLevel, readSetting } from './config.ts';

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

export type Fields = Record<string, unknown>;

/** The part of Lambda's context object the logs use. */
export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  awsRequestId: string;
}

export interface Logger {
  debug(message: string, fields?: Fields): void;
  info(message: string, fields?: Fields): void;
  warn(message: string, fields?: Fields): void;
  error(message: string, fields?: Fields): void;
  child(fields: Fields): Logger;
  /**
   * Starts an invocation: its context (cold start, request id, function) on every later line
   * of this logger, and a fresh debug-sampling decision, as Powertools' `injectLambdaContext`.
   */
  addContext(context: LambdaContext): void;
}

export interface LoggerOptions {
  level?: LogLevel;
  /** Where lines go; stderr by default so stdout stays for a command's own output. */
  write?: (line: string) => void;
}

/** costbot's line: `level` and `message` first, Powertools' Lambda keys, then the fields. */
class CostbotLogFormatter extends LogFormatter {
  override formatAttributes(attributes: UnformattedAttributes, fields: LogAttributes): LogItem {
    const context = attributes.lambdaContext;
    return new LogItem({
      attributes: {
        level: attributes.logLevel.toLowerCase(),
        message: attributes.message,
        timestamp: this.formatTimestamp(attributes.timestamp),
        service: attributes.serviceName,
        cold_start: context?.coldStart,
        function_name: context?.functionName,
        function_request_id: context?.awsRequestId,
        xray_trace_id: attributes.xRayTraceId,
        sampling_rate: attributes.sampleRateValue || undefined,
      },
    }).addAttributes(fields);
  }

  /** Name, message and cause only: stacks are long, and the message says what to do. */
  override formatError(error: Error): LogAttributes {
    const { cause } = error;
    return {
      name: error.name,
      message: error.message,
      cause: cause instanceof Error ? this.formatError(cause) : cause,
    };
  }
}

const toStderr = (line: string) => {
  process.stderr.write(`${line}\n`);
};

/** Powertools Logger writing scrubbed lines to one sink, and children that do the same. */
class RedactingLogger extends PowertoolsLogger {
  // Set after `super()`, which may already print (Powertools' own warnings): stderr then.
  // Not a #private field: those throw when read before the subclass constructor runs.
  private readonly write: ((line: string) => void) | undefined;

  constructor(options: ConstructorOptions, write: (line: string) => void) {
    super(options);
    this.write = write;
  }

  protected override printLog(_level: number, item: LogItem): void {
    item.prepareForPrint();
    const line = JSON.stringify(item.getAttributes(), this.getJsonReplacer());
    (this.write ?? toStderr)(scrub(line));
  }

  protected override createLogger(options: ConstructorOptions = {}): PowertoolsLogger {
    return new RedactingLogger(options, this.write ?? toStderr);
  }
}

function wrap(logger: PowertoolsLogger): Logger {
  return {
    debug: (message, fields) => logger.debug(message, fields ?? {}),
    info: (message, fields) => logger.info(message, fields ?? {}),
    warn: (message, fields) => logger.warn(message, fields ?? {}),
    error: (message, fields) => logger.error(message, fields ?? {}),
    child: (fields) => wrap(logger.createChild({ persistentKeys: fields })),
    addContext: (context) => {
      logger.refreshSampleRateCalculation();
      logger.addContext(context);
    },
  };
}

export function createLogger(base: Fields = {}, options: LoggerOptions = {}): Logger {
  const level = options.level ?? readSetting(process.env, 'LOG_LEVEL');
  return wrap(
    new RedactingLogger(
      {
        serviceName: 'costbot',
        logLevel: level.toUpperCase() as Uppercase<LogLevel>,
        logFormatter: new CostbotLogFormatter(),
        persistentKeys: base,
      },
      options.write ?? toStderr,
    ),
  );
}

/**
 * A Lambda entry's handler that first gives `log` the invocation's context (Powertools'
 * `addContext`: cold start, request id), so the entry stays one line.
 */
export function withLambdaContext<E, R>(
  log: Logger,
  handler: (event: E, context: LambdaContext) => Promise<R>,
): (event: E, context: LambdaContext) => Promise<R> {
  return (event, context) => {
    // Lambda always passes a context; a direct call (a test, a bundle check) may not.
    if (context) log.addContext(context);
    return handler(event, context);
  };
}
