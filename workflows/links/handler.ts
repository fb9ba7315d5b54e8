/**
 * The links endpoint: `GET /<token>` answers 302 to a freshly presigned URL of the chart the
 * token names (signed with the signer user's key, as the Sign step signs), so a chart posted
 * months ago still opens although a presigned URL lives 7 days at most.
 *
 * A token that is malformed, oversized, tampered, made with another key, expired, or names an
 * object outside the chart prefix gets the same bare 404, decided before any AWS call: the HMAC
 * key is read once when the function starts, and verifying is pure (`common/link-token.ts`).
 */
import type { CostbotConfig } from '../../common/config.ts';
import type { SignedLink } from '../../common/contract.ts';
import { createLinkSigner, signDepsFromConfig } from '../../common/link-signer.ts';
import { linkKeyBytes, verifyLinkToken } from '../../common/link-token.ts';
import { createLogger, type Logger } from '../../common/log.ts';
import type { ParameterReader } from '../../common/parameters.ts';

/** The parts of a Lambda Function URL event (payload format 2.0) the handler reads. */
export interface LinkRequestEvent {
  rawPath?: string;
  requestContext?: { http?: { method?: string } };
}

/** A Function URL response (payload format 2.0). */
export interface LinkResponse {
  statusCode: number;
  headers: Record<string, string>;
  body?: string;
}

export interface LinksDeps {
  /** The HMAC key, read once at start-up so a bad token costs no AWS call. */
  key: Uint8Array;
  /** Presigns a chart with the signer user's key (`createLinkSigner`). */
  signLink: (chart: { bucket: string; key: string }) => Promise<SignedLink>;
  bucket: string;
  /** Only objects below it are served (the signer user can read nothing else anyway). */
  chartPrefix: string;
  log: Logger;
  now?: () => Date;
}

/** The one answer to every refused request: nothing says why. */
export const NOT_FOUND: LinkResponse = {
  statusCode: 404,
  headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
  body: 'Not found\n',
};

/**
 * How long a viewer may reuse the redirect: well inside the presigned URL's 7 days, and
 * `private` so a shared cache never hands it to someone without the stable link.
 */
export const REDIRECT_CACHE_CONTROL = 'private, max-age=3600';

export function createLinksHandler(deps: LinksDeps) {
  return async function linksHandler(event: LinkRequestEvent): Promise<LinkResponse> {
    const method = event.requestContext?.http?.method;
    const path = event.rawPath;
    if ((method !== 'GET' && method !== 'HEAD') || typeof path !== 'string') return NOT_FOUND;
    const claims = verifyLinkToken(deps.key, path.slice(1), deps.now?.() ?? new Date());
    if (!claims || !path.startsWith('/') || !claims.objectKey.startsWith(deps.chartPrefix)) {
      // Debug only: a flood of bad tokens must not become a flood of log lines.
      deps.log.debug('link refused');
      return NOT_FOUND;
    }
    const link = await deps.signLink({ bucket: deps.bucket, key: claims.objectKey });
    deps.log.info('link resolved', { key: claims.objectKey, signedUntil: link.expiresAt });
    return {
      statusCode: 302,
      headers: {
        location: link.url,
        'cache-control': REDIRECT_CACHE_CONTROL,
        'referrer-policy': 'no-referrer',
      },
    };
  };
}

/**
 * The deployed (and `aws` backend) dependencies: the HMAC key read now from the parameter
 * store, links signed as the Sign step signs them.
 */
export async function linksDepsFromConfig(
  config: CostbotConfig,
  env: Record<string, string | undefined>,
  parameters: ParameterReader,
  overrides: Partial<Pick<LinksDeps, 'signLink' | 'now'>> = {},
): Promise<LinksDeps> {
  const name = config.parameterNames.linkKey;
  const values = await parameters.get([name]);
  return {
    key: linkKeyBytes(values[name] ?? '', name),
    signLink: createLinkSigner(signDepsFromConfig(config, env, parameters)),
    bucket: config.bucket,
    chartPrefix: config.chartPrefix,
    log: createLogger({ component: 'links' }, { level: config.logLevel }),
    ...overrides,
  };
}
