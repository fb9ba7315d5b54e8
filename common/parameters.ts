/**
 * Reading secrets (signer keys, Slack token and signing secret) from a parameter store.
 *
 * Three sources behind one interface:
 * - `SsmParameterReader`: SSM `GetParameters` with decryption (one call for up to 10 names);
 * - `ExtensionParameterReader`: the AWS Parameters and Secrets Lambda Extension on
 *   localhost:2773, which caches in the execution environment and saves SSM calls;
 * - `FileParameterReader`: a JSON file, the local stand-in for SSM.
 * `CachedParameterReader` wraps any of them with a short TTL.
 *
 * @example
 * const params = new CachedParameterReader(new SsmParameterReader(ssm), { ttlSeconds: 300 });
 * const { '/costbot/slack/bot-token': token } = await params.get(['/costbot/slack/bot-token']);
 */
import { readFile } from 'node:fs/promises';
import { GetParametersCommand, type SSMClient } from '@aws-sdk/client-ssm';
import { ssmClient } from './aws-clients.ts';
import { awsCall } from './aws-errors.ts';
import type { CostbotConfig } from './config.ts';
import { AwsAccessDeniedError, ParameterNotFoundError } from './errors.ts';
import { redact } from './log.ts';

export interface ParameterReader {
  /** Values by name, decrypted. Throws `ParameterNotFoundError` naming every missing one. */
  get(names: string[]): Promise<Record<string, string>>;
}

/** SSM GetParameters accepts at most 10 names per call. */
const SSM_BATCH = 10;

export class SsmParameterReader implements ParameterReader {
  constructor(private readonly ssm: Pick<SSMClient, 'send'>) {}

  async get(names: string[]): Promise<Record<string, string>> {
    const values: Record<string, string> = {};
    const missing: string[] = [];
    for (let i = 0; i < names.length; i += SSM_BATCH) {
      const batch = names.slice(i, i + SSM_BATCH);
      const out = await awsCall({ service: 'SSM', operation: 'GetParameters' }, () =>
        this.ssm.send(new GetParametersCommand({ Names: batch, WithDecryption: true })),
      );
      for (const p of out.Parameters ?? []) {
        if (p.Name !== undefined && p.Value !== undefined) values[p.Name] = p.Value;
      }
      missing.push(...(out.InvalidParameters ?? []));
    }
    if (missing.length > 0) throw new ParameterNotFoundError(missing);
    redact(...Object.values(values));
    return values;
  }
}

/**
 * The Parameters and Secrets Lambda Extension. It authenticates callers with the function's
 * own session token: a wrong header gives "bad session token or header key".
 */
export class ExtensionParameterReader implements ParameterReader {
  constructor(
    private readonly options: {
      sessionToken: string;
      port?: number;
      fetch?: typeof fetch;
    },
  ) {}

  async get(names: string[]): Promise<Record<string, string>> {
    const port = this.options.port ?? 2773;
    const doFetch = this.options.fetch ?? fetch;
    const values: Record<string, string> = {};
    const missing: string[] = [];
    await Promise.all(
      names.map(async (name) => {
        const url = `http://localhost:${port}/systemsmanager/parameters/get?name=${encodeURIComponent(name)}&withDecryption=true`;
        const res = await doFetch(url, {
          headers: { 'X-Aws-Parameters-Secrets-Token': this.options.sessionToken },
        });
        const body = await res.text();
        if (res.status === 400 && /ParameterNotFound/.test(body)) {
          missing.push(name);
          return;
        }
        if (!res.ok) {
          throw new AwsAccessDeniedError(
            `Parameters and Secrets extension answered ${res.status} for ${name}: ${body.slice(0, 300)}`,
          );
        }
        const parsed = JSON.parse(body) as { Parameter?: { Value?: string } };
        const value = parsed.Parameter?.Value;
        if (value === undefined) missing.push(name);
        else values[name] = value;
      }),
    );
    if (missing.length > 0) throw new ParameterNotFoundError(missing.sort());
    redact(...Object.values(values));
    return values;
  }
}

/** A JSON object `{ "<name>": "<value>" }` on disk: the local backend's parameter store. */
export class FileParameterReader implements ParameterReader {
  constructor(private readonly path: string) {}

  async get(names: string[]): Promise<Record<string, string>> {
    const all = JSON.parse(await readFile(this.path, 'utf8')) as Record<string, unknown>;
    const values: Record<string, string> = {};
    const missing: string[] = [];
    for (const name of names) {
      const value = all[name];
      if (typeof value === 'string') values[name] = value;
      else missing.push(name);
    }
    if (missing.length > 0) throw new ParameterNotFoundError(missing);
    redact(...Object.values(values));
    return values;
  }
}

/** Reuses values for `ttlSeconds`, so a warm Lambda does not pay an SSM call per report. */
export class CachedParameterReader implements ParameterReader {
  private readonly cache = new Map<string, { value: string; until: number }>();

  constructor(
    private readonly inner: ParameterReader,
    private readonly options: { ttlSeconds: number; now?: () => number },
  ) {}

  async get(names: string[]): Promise<Record<string, string>> {
    const now = (this.options.now ?? Date.now)();
    const values: Record<string, string> = {};
    const stale: string[] = [];
    for (const name of names) {
      const hit = this.cache.get(name);
      if (hit && hit.until > now) values[name] = hit.value;
      else stale.push(name);
    }
    if (stale.length > 0) {
      const fresh = await this.inner.get(stale);
      const until = now + this.options.ttlSeconds * 1000;
      for (const [name, value] of Object.entries(fresh)) {
        this.cache.set(name, { value, until });
        values[name] = value;
      }
    }
    return values;
  }
}

/**
 * Picks the extension when the function has it (the deploy sets
 * PARAMETERS_SECRETS_EXTENSION_HTTP_PORT with the layer) and a session token to authenticate
 * with, else the SDK.
 */
export function selectParameterReader(
  env: Record<string, string | undefined>,
  ssm: Pick<SSMClient, 'send'>,
): ParameterReader {
  const port = env.PARAMETERS_SECRETS_EXTENSION_HTTP_PORT;
  const token = env.AWS_SESSION_TOKEN;
  if (port && token)
    return new ExtensionParameterReader({ sessionToken: token, port: Number(port) });
  return new SsmParameterReader(ssm);
}

/** The cached reader a Lambda (or the `aws` backend) uses: extension or SDK, then TTL cache. */
export function awsParameterReader(
  config: CostbotConfig,
  env: Record<string, string | undefined>,
): ParameterReader {
  return new CachedParameterReader(selectParameterReader(env, ssmClient({ maxAttempts: 1 })), {
    ttlSeconds: config.parameterCacheTtlSeconds,
  });
}
