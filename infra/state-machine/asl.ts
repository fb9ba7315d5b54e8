/**
 * The state machine definition as CDK synthesizes it, read from the generated
 * `definition.asl.json` beside this file, so the local runner (`npm start`, `npm run digest`)
 * runs the very definition that deploys without loading aws-cdk-lib (seconds of start-up).
 *
 * The file is a cache keyed by the definition's sources: `definition.asl.sources` holds a hash
 * of the files the synthesized definition depends on and of aws-cdk-lib's version. When they
 * changed, the file is regenerated once (`npm run definition`, in a child process so this one
 * never loads CDK). A test proves the file equals a fresh synth.
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

export const ASL_FILE = new URL('./definition.asl.json', import.meta.url);
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

let loaded: AslDefinition | undefined;

/** The generated definition, regenerated first if its sources changed; read once per process. */
export function loadDefinition(): AslDefinition {
  if (loaded) return loaded;
  if (readIfExists(SOURCES_FILE)?.trim() !== sourcesHash()) {
    execFileSync(
      process.execPath,
      ['--import', 'tsx', fileURLToPath(new URL('./generate.ts', import.meta.url))],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
  }
  loaded = JSON.parse(readFileSync(ASL_FILE, 'utf8')) as AslDefinition;
  return loaded;
}

/** The file's exact text for a definition: what `npm run definition` writes. */
export function aslText(definition: AslDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}
