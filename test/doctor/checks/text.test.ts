/**
 * How checks write keys and durations.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDuration } from '../../../doctor/checks/text.ts';

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
