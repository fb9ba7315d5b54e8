/**
 * The state machine definition as CDK synthesizes it, read from the generated files beside this
 * one, so the local runner (`npm start`, `npm run digest`) runs the very definition that deploys
 * without loading aws-cdk-lib (seconds of start-up). There are two, as the stack deploys one or
 * the other: `definition.asl.json` with stable links (no Sign state), `definition.presigned.asl.json`
 * with presigned links (COSTBOT_STABLE_LINKS=false, CDK context `stableLinks=false`).
 *
 * The files are a cache keyed by the definition's sources: `definition.asl.sources` holds a hash
 * of the files the synthesized definitions depend on and of aws-cdk-lib's version. When they
 * changed, both are regenerated once (`npm run definition`, in a child process so this one
 * never loads CDK). A test proves each file equals a fresh synth.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface AslDefinition {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

/** Which definition: the stack's `stableLinks` (the Post step mints the chart's link) or not. */
export interface AslVariant {
  stableLinks: boolean;
}

/** Both variants, for the generator and the tests. */
export const ASL_VARIANTS: readonly AslVariant[] = [{ stableLinks: true }, { stableLinks: false }];

/** The generated file of a variant. */
export function aslFile(links: AslVariant): URL {
  const name = links.stableLinks ? 'definition.asl.json' : 'definition.presigned.asl.json';
  return new URL(`./${name}`, import.meta.url);
}

export const SOURCES_FILE = new URL('./definition.asl.sources', import.meta.url);

/** What the synthesized definition depends on. */
const SOURCES = ['./definition.ts', './states.ts', './synth.ts', '../../common/errors.ts'];

/** A hash of the definition's sources and of the CDK version that synthesizes them. */
export function sourcesHash(): string {
  const hash = createHash('sha256');
  for (const source of SOURCES) hash.update(readFileSync(new URL(source, import.meta.url)));
  const cdk = createRequire(import.meta.url)('aws-cdk-lib/package.json') as { version: string };
  hash.update(cdk.version);
  return hash.digest('hex');
}

function readIfExists(url: URL): string | undefined {
  try {
    return readFileSync(url, 'utf8');
  } catch {
    return undefined;
  }
}

const loaded = new Map<boolean, AslDefinition>();

/**
 * The generated definition of a variant, regenerated first if its sources changed; read once per
 * process and variant.
 */
export function loadDefinition(links: AslVariant): AslDefinition {
  const done = loaded.get(links.stableLinks);
  if (done) return done;
  if (readIfExists(SOURCES_FILE)?.trim() !== sourcesHash()) {
    execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./generate.ts', import.meta.url))],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  const definition = JSON.parse(readFileSync(aslFile(links), 'utf8')) as AslDefinition;
  loaded.set(links.stableLinks, definition);
  return definition;
}

/** The file's exact text for a definition: what `npm run definition` writes. */
export function aslText(definition: AslDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}
