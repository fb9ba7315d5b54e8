/**
 * The esbuild settings of every Lambda bundle, in one place: CDK's NodejsFunction takes them
 * in its own spelling (`constructs/costbot-function.ts`), the bench and the bundle tests
 * through `lambdaBuildOptions`, so what is measured and tested is what deploys. No CDK import
 * here: the bench loads this without paying for aws-cdk-lib.
 */
import { join } from 'node:path';
import type { BuildOptions } from 'esbuild';
import { REPO_ROOT } from './paths.ts';

/** Defines `require` inside the ESM bundle for dependencies that still call it. */
export const ESM_REQUIRE_BANNER =
  "import { createRequire } from 'module';const require = createRequire(import.meta.url);";

export const LAMBDA_ESBUILD = {
  /** The runtime is nodejs22.x: change both together. */
  target: 'node22',
  /** Prefer packages' ESM builds, as the ESM output needs. */
  mainFields: ['module', 'main'],
  minify: true,
  /** Retry/Catch and the failure messages match errors by class `name`. */
  keepNames: true,
} as const;

/** esbuild API options for a Lambda entry, as the stack bundles it. */
export function lambdaBuildOptions(
  entry: string,
  outfile: string,
  alias?: Record<string, string>,
): BuildOptions & { metafile: true } {
  return {
    entryPoints: [join(REPO_ROOT, entry)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: LAMBDA_ESBUILD.target,
    mainFields: [...LAMBDA_ESBUILD.mainFields],
    banner: { js: ESM_REQUIRE_BANNER },
    minify: LAMBDA_ESBUILD.minify,
    keepNames: LAMBDA_ESBUILD.keepNames,
    sourcemap: false,
    tsconfig: join(REPO_ROOT, 'tsconfig.json'),
    metafile: true,
    logLevel: 'error',
    ...(alias ? { alias } : {}),
  };
}
