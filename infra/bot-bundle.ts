/**
 * What the bot's Lambda bundle leaves out. `@slack/bolt` is CommonJS and requires every
 * receiver when it loads, so a bundle of `bot/lambda.ts` carries the Socket Mode client (with
 * undici), Express, raw-body (with iconv-lite) and the OAuth installer, although
 * `AwsLambdaReceiver` with a single-workspace token never calls any of them: 2.3 MB of
 * minified code parsed on every cold start instead of 0.8 MB (`npm run bench`,
 * docs/performance.md). The bundler replaces them with `bundle-stub.ts`, which throws if
 * anything ever calls it.
 *
 * @example
 * // esbuild API
 * await build({ entryPoints: ['bot/lambda.ts'], alias: botBundleAliases(REPO_ROOT), ... });
 * // CDK NodejsFunction
 * bundling: { esbuildArgs: botBundleEsbuildArgs(REPO_ROOT), ... }
 */
import { join } from 'node:path';

/** Packages Bolt loads that the bot on Lambda never calls. */
export const NOT_BUNDLED_IN_BOT_LAMBDA = [
  '@slack/socket-mode',
  '@slack/oauth',
  'express',
  'raw-body',
] as const;

/** The stand-in for each of them, relative to the repository root. */
export const BOT_BUNDLE_STUB = 'bot/bundle-stub.ts';

/** esbuild's `alias` option: each left-out package resolved to the stub (absolute path). */
export function botBundleAliases(repoRoot: string): Record<string, string> {
  const stub = join(repoRoot, BOT_BUNDLE_STUB);
  return Object.fromEntries(NOT_BUNDLED_IN_BOT_LAMBDA.map((name) => [name, stub]));
}

/** The same as esbuild CLI arguments, the form CDK's `bundling.esbuildArgs` takes. */
export function botBundleEsbuildArgs(repoRoot: string): Record<string, string> {
  return Object.fromEntries(
    Object.entries(botBundleAliases(repoRoot)).map(([name, stub]) => [`--alias:${name}`, stub]),
  );
}
