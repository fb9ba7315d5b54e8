/**
 * The generated definitions that `npm start` runs are the definitions that deploy: a fresh CDK
 * synth of the construct gives each file's exact text, with stable links (no Sign state) and
 * with presigned links.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  ASL_VARIANTS,
  aslFile,
  aslText,
  loadDefinition,
  SOURCES_FILE,
  sourcesHash,
} from '../../../infra/state-machine/asl.ts';
import { STATES } from '../../../infra/state-machine/states.ts';
import { synthesizeDefinition } from '../../../infra/state-machine/synth.ts';

for (const links of ASL_VARIANTS) {
  const file = aslFile(links).pathname.split('/').pop();
  describe(`File: infra/state-machine/${file} (stableLinks: ${links.stableLinks})`, () => {
    it('is exactly what a fresh synth of the construct writes (else: npm run definition)', () => {
      // Prepare
      const fresh = aslText(synthesizeDefinition(links));

      // Act
      const committed = readFileSync(aslFile(links), 'utf8');

      // Assess
      assert.equal(committed, fresh, 'the definition changed: run `npm run definition` and commit');
    });

    it('is what loadDefinition() gives the local runner for that setting', () => {
      assert.deepEqual(loadDefinition(links), synthesizeDefinition(links));
    });

    it(`has a Sign state only with presigned links (${links.stableLinks ? 'none' : 'one'})`, () => {
      // Act
      const states = Object.keys(loadDefinition(links).States);

      // Assess
      assert.equal(states.includes(STATES.sign), !links.stableLinks);
    });
  });
}

describe('File: infra/state-machine/definition.asl.sources', () => {
  it('is the hash of the current sources of both files, so the local runner reads them as is', () => {
    assert.equal(readFileSync(SOURCES_FILE, 'utf8').trim(), sourcesHash());
  });
});
