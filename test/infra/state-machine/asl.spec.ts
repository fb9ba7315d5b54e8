/**
 * The generated definition that `npm start` runs is the definition that deploys: a fresh CDK
 * synth of the construct gives the file's exact text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  ASL_FILE,
  aslText,
  loadDefinition,
  SOURCES_FILE,
  sourcesHash,
} from '../../../infra/state-machine/asl.ts';
import { synthesizeDefinition } from '../../../infra/state-machine/synth.ts';

describe('File: infra/state-machine/definition.asl.json', () => {
  it('is exactly what a fresh synth of the construct writes (else: npm run definition)', () => {
    // Prepare
    const fresh = aslText(synthesizeDefinition());

    // Act
    const committed = readFileSync(ASL_FILE, 'utf8');

    // Assess
    assert.equal(committed, fresh, 'the definition changed: run `npm run definition` and commit');
  });

  it('is keyed by the hash of its current sources, so the local runner reads it as is', () => {
    assert.equal(readFileSync(SOURCES_FILE, 'utf8').trim(), sourcesHash());
  });

  it('is what loadDefinition() gives the local runner', () => {
    assert.deepEqual(loadDefinition(), synthesizeDefinition());
  });
});
