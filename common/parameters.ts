/**
 * Reading secrets (signer keys, Slack token and signing secret) from a parameter store, through
 * Powertools Parameters: its providers keep each value for `maxAgeSeconds`
 * (`COSTBOT_PARAMETER_CACHE_TTL_SECONDS`), so a warm Lambda does not pay a call per report.
 *
 * Three sources behind one interface, `ParameterReader`:
 * - `SsmParameterReader`: Powertools' `SSMProvider.getParametersByName`, decrypted, up to 10
 *   names per `GetParameters` call;
 * - `ExtensionParameterReader`: the AWS Parameters and Secrets Lambda Extension on
 *   localhost:2773 (`ParametersExtensionProvider`, a Powertools `BaseProvider`), retried briefly
 *   because Lambda starts init once the extension has registered, not once it serves;
 * - `FileParameterReader`: a JSON file, the local stand-in for SSM.
 * `selectParameterReader` puts the extension first and SSM behind it (`FallbackParameterReader`),
 * so a cold start never fails because the extension is not ready.
 *
 * Answers are classified as the state machine retries them: denied (HTTP 401/403, SSM
 * AccessDenied) is `AwsAccessDeniedError`, with AWS's text for the explainer
 * (`access-denied.ts`); 5xx, 400 under load, refused connections and timeouts are
 * `AwsUnavailableError`; a missing name is `ParameterNotFoundError`.
 *
 * @example
 * const params = awsParameterReader(config, process.env);
 * const { '/costbot/slack/bot-token': token } = await params.get(['/costbot/slack/bot-token']);
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { BaseProvider } from '@aws-lambda-powertools/parameters/base';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { ssmClient } from './aws-clients.ts';
import { awsCall } from './aws-errors.ts';
import { awsEnvironment, type CostbotConfig } from './config.ts';
import {
  AwsAccessDeniedError,
  AwsRequestError,
  AwsThrottledError,
  AwsUnavailableError,
  ParameterNotFoundError,
  RETRYABLE_AWS_ERRORS,
} from './errors.ts';
import { createLogger, type Logger, redact } from './log.ts';

export interface ParameterReader {
  /** Values by name, decrypted. Throws `ParameterNotFoundError` naming every missing one. */
  get(names: string[]): Promise<Record<string, string>>;
}

export interface CacheOptions {
  /** Seconds a value read is reused; 0 (the default) reads every time. */
  maxAgeSeconds?: number;
}

/** Every value found, registered for redaction; or `ParameterNotFoundError` naming the rest. */
function found(values: Record<string, string>, missing: string[]): Record<string, string> {
  if (missing.length > 0) throw new ParameterNotFoundError([...missing].sort());
  redact(...Object.values(values));
  return values;
}

/**
 * Each name through a provider's `get` (and so its cache), at once. Powertools wraps what a
 * provider throws in `GetParameterError`: callers get the classified error itself.
 */
async function readEach(
  provider: BaseProvider,
  names: string[],
  options: CacheOptions,
): Promise<Record<string, string>> {
  const values: Record<string, string> = {};
  const missing: string[] = [];
  await Promise.all(
    names.map(async (name) => {
      const value = await provider
        .get(name, { maxAge: options.maxAgeSeconds ?? 0 })
        .catch((error: unknown) => {
          throw error instanceof GetParameterError && error.cause !== undefined
            ? error.cause
            : error;
        });
      if (typeof value === 'string') values[name] = value;
      else missing.push(name);
    }),
  );
  return found(values, missing);
}

/** SSM through Powertools' `SSMProvider`: batched `GetParameters` with decryption. */
export class SsmParameterReader implements ParameterReader {
  private readonly provider: SSMProvider;

  constructor(
    ssm: SSMClient,
    private readonly options: CacheOptions = {},
  ) {
    this.provider = new SSMProvider({ awsSdkV3Client: ssm });
  }

  async get(names: string[]): Promise<Record<string, string>> {
    const maxAge = this.options.maxAgeSeconds ?? 0;
    // getParametersByName caches a maxAge of 0 for its 5 s default: uncached means empty.
    if (maxAge === 0) this.provider.clearCache();
    const { _errors: missing = [], ...values } = await awsCall(
      { service: 'SSM', operation: 'GetParameters' },
      () =>
        this.provider.getParametersByName<string>(
          Object.fromEntries(names.map((name) => [name, {}])),
          { decrypt: true, maxAge, throwOnError: false },
        ),
    );
    return found(values as Record<string, string>, missing);
  }
}

export interface ExtensionOptions {
  /** The function's `AWS_SESSION_TOKEN`: the extension refuses any other. */
  sessionToken: string;
  /** `PARAMETERS_SECRETS_EXTENSION_HTTP_PORT`; 2773 by default. */
  port?: number;
  /**
   * Per request; 300 ms by default, so three tries and their waits end within about a second
   * (the extension answers from its cache in a few ms, from SSM in tens).
   */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

const EXTENSION = 'Parameters and Secrets extension';

/** What the extension's answer means: the value, missing (undefined), or a classified error. */
function extensionAnswer(name: string, status: number, body: string): string | undefined {
  if (status === 200)
    return (JSON.parse(body) as { Parameter?: { Value?: string } }).Parameter?.Value;
  const what = `${EXTENSION} answered ${status} for ${name}: ${body.slice(0, 600)}`;
  // SSM's refusals reach the caller as 400 with SSM's text; the extension's own as 401.
  if (status === 401 || status === 403 || /AccessDenied|is not authorized to perform/.test(body)) {
    throw new AwsAccessDeniedError(what);
  }
  if (/ParameterNotFound/.test(body)) return undefined;
  if (status === 429) throw new AwsThrottledError(what);
  // 400 without a reason is the extension under load (elastic/docs-builder#2501).
  if (status === 400 || status >= 500) throw new AwsUnavailableError(what);
  throw new AwsRequestError(what);
}

/**
 * A Powertools provider for the AWS Parameters and Secrets Lambda Extension: one
 * `GET /systemsmanager/parameters/get` per name, authenticated with the session token.
 */
export class ParametersExtensionProvider extends BaseProvider {
  constructor(private readonly options: ExtensionOptions) {
    super({});
  }

  protected async _get(name: string): Promise<string | undefined> {
    const url = `http://localhost:${this.options.port ?? 2773}/systemsmanager/parameters/get?name=${encodeURIComponent(name)}&withDecryption=true`;
    let status: number;
    let body: string;
    try {
      const res = await (this.options.fetch ?? fetch)(url, {
        headers: { 'X-Aws-Parameters-Secrets-Token': this.options.sessionToken },
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 300),
      });
      status = res.status;
      body = await res.text();
    } catch (error) {
      // Not listening yet, reset, or timed out.
      throw new AwsUnavailableError(`${EXTENSION} did not answer for ${name}: ${String(error)}`, {
        cause: error,
      });
    }
    return extensionAnswer(name, status, body);
  }

  protected _getMultiple(path: string): Promise<undefined> {
    return Promise.reject(new AwsRequestError(`${EXTENSION} cannot read a path (${path}).`));
  }
}

function isRetryable(error: unknown): boolean {
  return error instanceof Error && RETRYABLE_AWS_ERRORS.includes(error.name);
}

export interface RetryOptions {
  /** Tries in all; 3 by default. */
  attempts?: number;
  /** Wait before the second try, doubled before each next one; 50 ms by default. */
  backoffMs?: number;
}

/**
 * The extension, retried briefly on unavailable answers (3 tries, 50 then 100 ms apart by
 * default): a cold start can find it registered but not yet serving.
 */
export class ExtensionParameterReader implements ParameterReader {
  private readonly provider: ParametersExtensionProvider;

  constructor(private readonly options: ExtensionOptions & CacheOptions & RetryOptions) {
    this.provider = new ParametersExtensionProvider(options);
  }

  async get(names: string[]): Promise<Record<string, string>> {
    const attempts = this.options.attempts ?? 3;
    for (let attempt = 1; ; attempt++) {
      try {
        return await readEach(this.provider, names, this.options);
      } catch (error) {
        if (attempt >= attempts || !isRetryable(error)) throw error;
        await sleep((this.options.backoffMs ?? 50) * 2 ** (attempt - 1));
      }
    }
  }
}

/**
 * Reads through `primary`; when it is still unavailable after its own retries, through
 * `fallback`. Denied and missing are answers, not outages: they are thrown as they are.
 */
export class FallbackParameterReader implements ParameterReader {
  constructor(
    private readonly primary: ParameterReader,
    private readonly fallback: ParameterReader,
    private readonly log?: Logger,
  ) {}

  async get(names: string[]): Promise<Record<string, string>> {
    try {
      return await this.primary.get(names);
    } catch (error) {
      if (!isRetryable(error)) throw error;
      this.log?.warn('parameter store unavailable: reading through the fallback', { error });
      return this.fallback.get(names);
    }
  }
}

/** A JSON object `{ "<name>": "<value>" }` on disk, as a Powertools provider. */
class FileProvider extends BaseProvider {
  constructor(private readonly path: string) {
    super({});
  }

  protected async _get(name: string): Promise<string | undefined> {
    const all = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, unknown>;
    const value = all[name];
    return typeof value === 'string' ? value : undefined;
  }

  protected _getMultiple(): Promise<undefined> {
    return Promise.reject(new Error('A parameter file is read by name.'));
  }
}

/** The local backend's parameter store: a JSON file (`parameters.json`). */
export class FileParameterReader implements ParameterReader {
  private readonly provider: FileProvider;

  constructor(
    path: string,
    private readonly options: CacheOptions = {},
  ) {
    this.provider = new FileProvider(path);
  }

  get(names: string[]): Promise<Record<string, string>> {
    return readEach(this.provider, names, this.options);
  }
}

/**
 * The extension when the function has it (the deploy sets PARAMETERS_SECRETS_EXTENSION_HTTP_PORT
 * with the layer) and a session token to authenticate with, falling back to the SDK; else the
 * SDK alone. Uncached unless `maxAgeSeconds` says otherwise.
 */
export function selectParameterReader(
  env: Record<string, string | undefined>,
  ssm: SSMClient,
  options: CacheOptions & { log?: Logger } = {},
): ParameterReader {
  const sdk = new SsmParameterReader(ssm, options);
  const { parametersExtensionPort: port, sessionToken: token } = awsEnvironment(env);
  if (!port || !token) return sdk;
  const extension = new ExtensionParameterReader({
    ...options,
    sessionToken: token,
    port: Number(port),
  });
  return new FallbackParameterReader(extension, sdk, options.log);
}

/** The reader a Lambda (or the `aws` backend) uses: extension then SDK, cached for the TTL. */
export function awsParameterReader(
  config: CostbotConfig,
  env: Record<string, string | undefined>,
): ParameterReader {
  return selectParameterReader(env, ssmClient({ maxAttempts: 1 }), {
    maxAgeSeconds: config.parameterCacheTtlSeconds,
    log: createLogger({ component: 'parameters' }, { level: config.logLevel }),
  });
}
