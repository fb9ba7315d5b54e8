/**
 * `npm run definition`: writes `definition.asl.json` from a fresh CDK synth of the state
 * machine construct, and the hash of its sources beside it. The local runner runs it by itself
 * when the sources changed; a test fails when the file differs from a fresh synth.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ASL_FILE, aslText, SOURCES_FILE, sourcesHash } from './asl.ts';
import { synthesizeDefinition } from './synth.ts';

writeFileSync(ASL_FILE, aslText(synthesizeDefinition()));
writeFileSync(SOURCES_FILE, `${sourcesHash()}\n`);
console.log(`wrote ${fileURLToPath(ASL_FILE)}`);
