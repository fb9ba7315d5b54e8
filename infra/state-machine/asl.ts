/**
 * The state machine definition as CDK synthesizes it, read from the generated
 * `definition.asl.json` beside this file, so the local runner (`npm start`, `npm run digest`)
 * runs the very definition that deploys without loading aws-cdk-lib (seconds of start-up).
 * `npm run definition` regenerates the file; a test fails when it differs from a fresh synth.
 */
import { readFileSync } from 'node:fs';

export interface AslDefinition {
  StartAt: string;
  States: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export const ASL_FILE = new URL('./definition.asl.json', import.meta.url);

let loaded: AslDefinition | undefined;

/** The generated definition, read once per process; callers must not mutate it. */
export function loadDefinition(): AslDefinition {
  loaded ??= JSON.parse(readFileSync(ASL_FILE, 'utf8')) as AslDefinition;
  return loaded;
}

/** The file's exact text for a definition: what `npm run definition` writes. */
export function aslText(definition: AslDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}
