/**
 * The house rule, kept true: imports flow one way.
 *
 * - `common/` is a leaf: it imports nothing of this repository outside itself.
 * - Runtime code (`workflows/`, `bot/`) and `infra/` may import `common/`; the bot may also
 *   use the doctor's checks (`/aws-cost doctor`), the doctor may use the steps' AWS adapters.
 * - Tooling (the doctor's CLI, `local/`, `setup/`, `bench/`) may import anything; nothing
 *   imports tooling, and no source file imports `test/`.
 * - `npm start` and `npm run digest` never load aws-cdk-lib (seconds of start-up).
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SOURCE_DIRS = ['common', 'workflows', 'bot', 'infra', 'doctor', 'local', 'setup', 'bench'];
const TOOLING_FILES = new Set(['doctor/cli.ts', 'doctor/main.ts']);

/** What each layer may import from this repository (by layer name). */
const ALLOWED: Record<string, readonly string[]> = {
  common: ['common'],
  workflows: ['common', 'workflows'],
  doctor: ['common', 'workflows', 'doctor'],
  bot: ['common', 'bot', 'doctor'],
  infra: ['common', 'infra'],
  tooling: ['common', 'workflows', 'doctor', 'bot', 'infra', 'tooling'],
};

export function layerOf(file: string): string {
  const top = file.split('/')[0] ?? '';
  if (TOOLING_FILES.has(file) || ['local', 'setup', 'bench'].includes(top)) return 'tooling';
  if (top === 'test') return 'test';
  return top;
}

/** Static, re-export, side-effect and dynamic import specifiers of a module's text. */
export function importSpecifiers(text: string): string[] {
  const found: string[] = [];
  const patterns = [
    /(?:^|\n)\s*(?:import|export)\s[^;'"`]*?\sfrom\s*['"]([^'"]+)['"]/g,
    /(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g,
    /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const pattern of patterns) {
    for (const match of text.matchAll(pattern)) if (match[1]) found.push(match[1]);
  }
  return found;
}

interface Edge {
  from: string;
  to: string;
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const path = join(dir, name);
    if (statSync(join(ROOT, path)).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|mts|js|mjs)$/.test(name)) out.push(path);
  }
  return out;
}

/** Every import of the repository's source, relative ones resolved to repo paths. */
function edges(files: string[]): Edge[] {
  return files.flatMap((from) =>
    importSpecifiers(readFileSync(join(ROOT, from), 'utf8')).map((spec) => ({
      from,
      to: spec.startsWith('.') ? normalize(join(dirname(from), spec)) : spec,
    })),
  );
}

/** The imports that break the rule, as `from -> to (why)`. */
export function violations(all: Edge[]): string[] {
  const bad: string[] = [];
  for (const { from, to } of all) {
    if (!to.includes('/') || !SOURCE_DIRS.concat('test').includes(to.split('/')[0] ?? '')) continue;
    if (!/\.(ts|mts|js|mjs|json)$/.test(to)) continue;
    const source = layerOf(from);
    const target = layerOf(to);
    if (target === 'test') bad.push(`${from} -> ${to} (source must not import test/)`);
    else if (!(ALLOWED[source] ?? []).includes(target))
      bad.push(`${from} -> ${to} (${source} may not import ${target})`);
  }
  return bad;
}

/** Packages reached from `entry` through the repository's own imports. */
function packagesReachedFrom(entry: string, all: Edge[]): Set<string> {
  const byFile = new Map<string, string[]>();
  for (const { from, to } of all) byFile.set(from, [...(byFile.get(from) ?? []), to]);
  const seen = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const to of byFile.get(file) ?? []) {
      if (to.endsWith('.ts') || to.endsWith('.js')) visit(to);
      else if (!to.startsWith('node:')) packages.add(to);
    }
  };
  visit(entry);
  return packages;
}

const files = SOURCE_DIRS.flatMap(sourceFiles);
const graph = edges(files);

describe('House rule: imports flow one way', () => {
  it('finds the imports of every kind of import statement', () => {
    const text = [
      "import { a } from '../common/a.ts';",
      'import {\n  b,\n  c,\n} from "../bot/b.ts";',
      "export { d } from './d.ts';",
      "import './side-effect.ts';",
      "const e = await import('../local/e.ts');",
    ].join('\n');
    assert.deepEqual(importSpecifiers(text).sort(), [
      '../bot/b.ts',
      '../common/a.ts',
      '../local/e.ts',
      './d.ts',
      './side-effect.ts',
    ]);
  });

  it('reports an upward import, an import of tooling and an import of test/', () => {
    const bad = violations([
      { from: 'common/x.ts', to: 'workflows/steps/post/delivery.ts' },
      { from: 'bot/app.ts', to: 'local/demo-metrics.ts' },
      { from: 'bot/app.ts', to: 'doctor/cli.ts' },
      { from: 'bench/cost.ts', to: 'test/support/x.ts' },
      { from: 'workflows/steps/a.ts', to: 'common/errors.ts' },
    ]);
    assert.deepEqual(bad, [
      'common/x.ts -> workflows/steps/post/delivery.ts (common may not import workflows)',
      'bot/app.ts -> local/demo-metrics.ts (bot may not import tooling)',
      'bot/app.ts -> doctor/cli.ts (bot may not import tooling)',
      'bench/cost.ts -> test/support/x.ts (source must not import test/)',
    ]);
  });

  it('holds for the whole repository', () => {
    assert.ok(files.length > 50, `only ${files.length} source files found`);
    assert.deepEqual(violations(graph), []);
  });

  it('keeps aws-cdk-lib out of npm start and npm run digest', () => {
    for (const entry of ['local/start.ts', 'local/digest.ts']) {
      const packages = [...packagesReachedFrom(entry, graph)];
      assert.ok(packages.includes('@slack/bolt') || entry !== 'local/start.ts', entry);
      assert.deepEqual(
        packages.filter((p) => p === 'constructs' || p.startsWith('aws-cdk-lib')),
        [],
        `${entry} reaches CDK`,
      );
    }
  });
});
