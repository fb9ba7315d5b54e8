/**
 * `npm run definition`: writes both definitions (`asl.ts`: stable links, and presigned links)
 * from fresh CDK synths of the state machine construct, and the hash of their sources beside
 * them. The local runner runs it by itself when the sources changed; a test fails when a file
 * differs from a fresh synth.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ASL_VARIANTS, aslFile, aslText, SOURCES_FILE, sourcesHash } from './asl.ts';
import { synthesizeDefinition } from './synth.ts';

for (const links of ASL_VARIANTS) {
  const file = aslFile(links);
  writeFileSync(file, aslText(synthesizeDefinition(links)));
  console.log(`wrote ${fileURLToPath(file)}`);
}
writeFileSync(SOURCES_FILE, `${sourcesHash()}\n`);
