import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { SETTINGS } from '../common/config.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  scripts: Record<string, string>;
};

describe('README', () => {
  it('documents every setting with its default', () => {
    // Prepare
    const rows = new Map(
      [...readme.matchAll(/^\| `([A-Z_0-9]+)` \| ([^|]+) \|/gm)].map((m) => [m[1], m[2]?.trim()]),
    );

    // Act
    const wrong = Object.entries(SETTINGS).filter(([name, s]) => {
      const expected = s.default === '' ? 'unset' : `\`${s.default}\``;
      return rows.get(name) !== expected;
    });

    // Assess
    assert.deepEqual(
      wrong.map(([name]) => name),
      [],
    );
  });

  it('shows commands that exist in package.json', () => {
    // Prepare
    const used = [...readme.matchAll(/npm run ([a-z0-9:]+)/g)].map((m) => m[1] as string);

    // Act
    const missing = [...new Set(used)].filter((name) => !(name in pkg.scripts));

    // Assess
    assert.ok(used.length > 0);
    assert.deepEqual(missing, []);
  });
});
