/**
 * How checks write key ids and durations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration, maskKeyId } from '../../../doctor/checks/text.ts';

describe('Function: formatDuration', () => {
  it('says days and hours, hours, or minutes', () => {
    // Act
    const texts = [7 * 86_400_000, 3 * 86_400_000 + 4 * 3_600_000, 5 * 3_600_000, 60_000, -5].map(
      formatDuration,
    );

    // Assess
    assert.deepEqual(texts, ['7 days', '3 days 4 hours', '5 hours', '1 minute', '0 minutes']);
  });
});

describe('Function: maskKeyId', () => {
  it('keeps the first and last four characters of a key id, and nothing of a short one', () => {
    // Act
    const masked = [maskKeyId('AKIAIOSFODNN7EXAMPLE'), maskKeyId('AKIA1234')];

    // Assess
    assert.deepEqual(masked, ['AKIA…MPLE', '…']);
  });
});
