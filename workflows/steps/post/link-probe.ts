/**
 * Opens a chart's stable link as Slack will, before Post posts it: GET the link without
 * following redirects (the links function answers 302 to a freshly presigned S3 URL), then GET
 * that URL for its first byte (a presigned GET URL does not accept HEAD). The links function
 * signs on each view, so a bad signer key (temporary, revoked, a wrong secret) fails no step
 * of its own: this check is where it shows, before anyone sees a broken image.
 *
 * Needs no AWS permission: the Function URL is public by design. The verdicts are pure
 * (`linksVerdict`, `storageVerdict`); `createLinkProbe` does the two calls, each bounded.
 *
 * @example
 * const probeLink = createLinkProbe();
 * await probeLink(stableLink.url); // { linksStatus: 302, storageStatus: 206 } or throws
 */
import { ChartLinkBrokenError, ChartLinkUnavailableError } from '../../../common/errors.ts';

/** Each call's limit: two calls stay far inside Post's 30 s task timeout with Slack's 10 s. */
export const LINK_PROBE_TIMEOUT_MS = 2_000;

/**
 * What one hop answered: usable, or why not, whether trying again may help and, when it is not
 * the signer key's doing, what to do instead of checking and rotating the key.
 */
export type ProbeVerdict =
  | { ok: true }
  | { ok: false; transient: boolean; reason: string; whatToDo?: string };

/** How the checked link answered. */
export interface LinkProbeResult {
  linksStatus: number;
  storageStatus: number;
}

/** What the links endpoint's answer to the stable link means. */
export function linksVerdict(status: number, location: string | null): ProbeVerdict {
  if (status >= 300 && status < 400 && location) return { ok: true };
  if (status === 429) {
    return { ok: false, transient: true, reason: 'the links endpoint is throttled (HTTP 429)' };
  }
  // 502 is a Function URL's answer when the function itself failed: the links function's key
  // reads retry on their own, so what is left is its signer key or a bug, and it repeats.
  if (status >= 500 && status !== 502) {
    return { ok: false, transient: true, reason: `the links endpoint answered HTTP ${status}` };
  }
  return {
    ok: false,
    transient: false,
    reason: `the links endpoint answered HTTP ${status}${LINKS_DETAIL[status] ?? ' instead of a redirect to the chart'}`,
  };
}

const LINKS_DETAIL: Record<number, string> = {
  404: ': it refused the token (the Post step and the links function read different stable-link keys?)',
  502: ': the links function failed (its log says why; a signer key that is not an IAM user key does this)',
};

/** S3's error code in its XML error body (`<Code>SignatureDoesNotMatch</Code>`), if any. */
export function s3ErrorCode(body: string): string | undefined {
  return /<Code>([A-Za-z.]{1,64})<\/Code>/.exec(body)?.[1];
}

/** S3 codes that are S3's own passing trouble, not the link's. */
const TRANSIENT_S3_CODES = new Set(['SlowDown', 'ServiceUnavailable', 'InternalError']);

/**
 * A 404 NoSuchKey comes after S3 accepted the signature (a key without s3:ListBucket gets 403
 * AccessDenied for a missing object instead), so the key is fine and the object is not there.
 */
const MISSING_CHART =
  'The signer key is not at fault (S3 accepted its signature): the chart object is missing from the bucket the links function signs for. It was deleted, or the links function reads another bucket or prefix than the Render step stores charts in (compare their settings).';

/** What S3's answer to a ranged GET of the presigned URL means. */
export function storageVerdict(status: number, body: string): ProbeVerdict {
  if (status === 206 || status === 200) return { ok: true };
  const code = s3ErrorCode(body);
  const answer = `HTTP ${status}${code ? ` ${code}` : ''}`;
  if (status === 404 && code === 'NoSuchKey') {
    return {
      ok: false,
      transient: false,
      reason: `S3 has no chart object where the link points (${answer})`,
      whatToDo: MISSING_CHART,
    };
  }
  const reason = `S3 refused the presigned URL it redirects to (${answer})`;
  return { ok: false, transient: status >= 500 || TRANSIENT_S3_CODES.has(code ?? ''), reason };
}

const WHAT_TO_DO =
  '`npm run doctor` checks the signer key the links function signs with; `npm run setup -- --rotate` replaces it.';

/** The error for a verdict that is not ok: retried when it may pass, else the failure notice. */
export function probeError(
  verdict: Extract<ProbeVerdict, { ok: false }>,
  options?: { cause?: unknown },
): ChartLinkBrokenError | ChartLinkUnavailableError {
  return verdict.transient
    ? new ChartLinkUnavailableError(
        `The chart's link could not be checked: ${verdict.reason}. It is retried; if it keeps failing, ${WHAT_TO_DO}`,
        options,
      )
    : new ChartLinkBrokenError(
        `The chart's link does not open, so the report was not posted with a broken chart: ${verdict.reason}. ${verdict.whatToDo ?? WHAT_TO_DO}`,
        options,
      );
}

export interface LinkProbeDeps {
  fetch?: typeof globalThis.fetch;
  /** Limit of each of the two calls, headers and body; default `LINK_PROBE_TIMEOUT_MS`. */
  timeoutMs?: number;
}

/** The longest S3 error body read for its code (S3's are a few hundred bytes). */
const MAX_ERROR_BODY_CHARS = 4096;

/**
 * The check of a stable link, throwing `ChartLinkBrokenError` or `ChartLinkUnavailableError`.
 * Their messages name the hop and its status, never the link or the presigned URL (its token
 * and signature are secrets).
 */
export function createLinkProbe(deps: LinkProbeDeps = {}) {
  const fetch = deps.fetch ?? globalThis.fetch;
  const timeoutMs = deps.timeoutMs ?? LINK_PROBE_TIMEOUT_MS;

  async function call(hop: string, url: string, headers: Record<string, string>) {
    try {
      const response = await fetch(url, {
        headers,
        redirect: 'manual',
        signal: AbortSignal.timeout(timeoutMs),
      });
      const body = response.ok ? '' : (await response.text()).slice(0, MAX_ERROR_BODY_CHARS);
      if (response.ok) await response.body?.cancel();
      return { response, body };
    } catch (error) {
      const timedOut = error instanceof Error && error.name === 'TimeoutError';
      const code = (error as { cause?: { code?: unknown } }).cause?.code;
      const reason = timedOut
        ? `${hop} did not answer within ${timeoutMs} ms`
        : `${hop} could not be reached${typeof code === 'string' ? ` (${code})` : ''}`;
      throw probeError({ ok: false, transient: true, reason }, { cause: error });
    }
  }

  return async function probeLink(link: string): Promise<LinkProbeResult> {
    const links = await call('the links endpoint', link, {});
    const location = links.response.headers.get('location');
    const fromLinks = linksVerdict(links.response.status, location);
    if (!fromLinks.ok) throw probeError(fromLinks);
    const storage = await call('S3', new URL(location as string, link).href, {
      range: 'bytes=0-0',
    });
    const fromStorage = storageVerdict(storage.response.status, storage.body);
    if (!fromStorage.ok) throw probeError(fromStorage);
    return { linksStatus: links.response.status, storageStatus: storage.response.status };
  };
}
