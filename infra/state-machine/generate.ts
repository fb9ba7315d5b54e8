/**
 * `npm run definition`: writes `definition.asl.json` from a fresh CDK synth of the state
 * machine construct. Run it after changing the definition; `npm test` fails until you do.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ASL_FILE, aslText } from './asl.ts';
import { synthesizeDefinition } from './synth.ts';

writeFileSync(ASL_FILE, aslText(synthesizeDefinition()));
console.log(`wrote ${fileURLToPath(ASL_FILE)}`);
