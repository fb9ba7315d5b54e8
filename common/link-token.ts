/**
 * Stable chart links: `<links endpoint>/<token>`, where the token names a chart object and an
 * expiry and carries an HMAC-SHA256 of both. The links endpoint (`workflows/links/`) checks it
 * and redirects to a freshly presigned S3 URL, so a chart message's image never breaks while
 * the chart object exists, although a presigned URL lives 7 days at most.
 *
 * Token: `<object key, base64url>.<expiry, Unix seconds>.<HMAC-SHA256, base64url>`, the HMAC
 * taken over `costbot-link-v1.<first two parts as written>`. Verification is pure: no clock but
 * the one passed, no I/O, so a bad token is refused before any AWS call.
 *
 * @example
 * const token = mintLinkToken(key, { objectKey: 'charts/2026/11/27/x.png', expiresAt });
 * verifyLinkToken(key, token, new Date()); // { objectKey, expiresAt } or null
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { StableLink } from './contract.ts';
import { InvalidLinkKeyError } from './errors.ts';
import type { ParameterReader } from './parameters.ts';

/** Bytes of a generated HMAC key (SHA-256's block is 64; its output 32). */
export const LINK_KEY_BYTES = 32;
/** The longest object key a token names: chart keys are ~50 characters. */
export const MAX_OBJECT_KEY_BYTES = 512;
/** base64url of 512 bytes, a dot, 12 digits, a dot, 43 characters of HMAC. */
export const MAX_TOKEN_LENGTH = 800;

const DOMAIN = 'costbot-link-v1.';
const TOKEN = /^([A-Za-z0-9_-]{1,683})\.(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

export interface LinkClaims {
  /** Key of the chart object in the charts bucket. */
  objectKey: string;
  /** When the link stops working; whole seconds. */
  expiresAt: Date;
}

/** A new random HMAC key, as stored in the parameter (base64url). */
export function generateLinkKey(): string {
  return randomBytes(LINK_KEY_BYTES).toString('base64url');
}

/**
 * The key bytes of a stored HMAC key. Throws `InvalidLinkKeyError` naming `source` when it is
 * not base64url of at least 32 bytes (the value is never shown).
 */
export function linkKeyBytes(value: string, source: string): Buffer {
  const bytes = Buffer.from(value, 'base64url');
  if (!/^[A-Za-z0-9_-]+$/.test(value) || bytes.length < LINK_KEY_BYTES) {
    throw new InvalidLinkKeyError(
      `The stable-link key in ${source} must be at least ${LINK_KEY_BYTES} random bytes, base64url-encoded (the value is not shown): run \`npm run setup\`, which makes one.`,
    );
  }
  return bytes;
}

function mac(key: Uint8Array, signed: string): Buffer {
  return createHmac('sha256', key).update(DOMAIN).update(signed).digest();
}

/** A token for `claims`; throws `RangeError` for an object key longer than 512 bytes. */
export function mintLinkToken(key: Uint8Array, claims: LinkClaims): string {
  const objectKey = Buffer.from(claims.objectKey, 'utf8');
  if (objectKey.length === 0 || objectKey.length > MAX_OBJECT_KEY_BYTES) {
    throw new RangeError(`A stable link names an object key of 1-${MAX_OBJECT_KEY_BYTES} bytes.`);
  }
  const signed = `${objectKey.toString('base64url')}.${Math.floor(claims.expiresAt.getTime() / 1000)}`;
  return `${signed}.${mac(key, signed).toString('base64url')}`;
}

/**
 * The claims of a token made with `key` that has not expired at `now`; null for anything
 * else (malformed, oversized, tampered, made with another key, expired). Which of these it
 * was is deliberately not said.
 */
export function verifyLinkToken(key: Uint8Array, token: unknown, now: Date): LinkClaims | null {
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) return null;
  const parts = TOKEN.exec(token);
  if (!parts) return null;
  const [, encodedKey = '', seconds = '', encodedMac = ''] = parts;
  const expiresAt = new Date(Number(seconds) * 1000);
  if (expiresAt.getTime() <= now.getTime()) return null;
  const given = Buffer.from(encodedMac, 'base64url');
  // 43 characters hold 258 bits: only the canonical spelling of the 32 bytes is accepted.
  if (given.toString('base64url') !== encodedMac) return null;
  const expected = mac(key, `${encodedKey}.${seconds}`);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  const objectKey = Buffer.from(encodedKey, 'base64url').toString('utf8');
  return { objectKey, expiresAt };
}

/** `<base>/<token>`: the base URL ends in `/` (`httpUrl` settings do). */
export function stableLinkUrl(baseUrl: string, token: string): string {
  return `${baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`}${token}`;
}

export interface StableLinkerDeps {
  parameters: ParameterReader;
  /** Name of the HMAC key parameter (`COSTBOT_PARAM_LINK_KEY`). */
  keyName: string;
  /** Base URL of the links endpoint (`COSTBOT_LINKS_URL`). */
  baseUrl: string;
  /** Days a link works: the charts' retention (`COSTBOT_CHART_RETENTION_DAYS`). */
  lifetimeDays: number;
  now?: () => Date;
}

/**
 * Makes the stable link of a stored chart, reading the HMAC key through the parameter reader
 * (and its cache) on each call, so a key written by `npm run setup` is picked up.
 */
export function createStableLinker(deps: StableLinkerDeps) {
  return async function stableLink(chart: { key: string }): Promise<StableLink> {
    const values = await deps.parameters.get([deps.keyName]);
    const key = linkKeyBytes(values[deps.keyName] ?? '', deps.keyName);
    const now = deps.now?.() ?? new Date();
    const expiresAt = new Date(
      Math.floor(now.getTime() / 1000) * 1000 + deps.lifetimeDays * 86_400_000,
    );
    const token = mintLinkToken(key, { objectKey: chart.key, expiresAt });
    return { url: stableLinkUrl(deps.baseUrl, token), expiresAt: expiresAt.toISOString() };
  };
}
