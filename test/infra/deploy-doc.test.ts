/**
 * docs/deploy.md stays true for a first-time deployer: the regions infra/regions.ts accepts,
 * every CDK context key infra/config.ts reads, the setup policy's stack name, and the bundle
 * sizes and state transitions as `npm run bench` measured them (docs/performance.md).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { INFRA_DEFAULTS } from '../../infra/config.ts';
import { REPO_ROOT } from '../../infra/paths.ts';
import { supportedRegions } from '../../infra/regions.ts';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
/** The guide with its line breaks folded, so a quoted phrase may wrap. */
const guide = read('docs/deploy.md').replace(/\s+/g, ' ');

describe('docs/deploy.md', () => {
  it('lists the supported regions of each architecture', () => {
    // Prepare
    const list = (regions: string[]) => regions.map((r) => `\`${r}\``).join(', ');
    const arm64 = supportedRegions('arm64');
    // Act
    const x86Only = supportedRegions('x86_64').filter((r) => !arm64.includes(r));
    // Assess
    assert.ok(guide.includes(list(arm64)), `docs/deploy.md lists ${list(arm64)}`);
    assert.ok(guide.includes(`x86_64 also ${list(x86Only)}`), `x86_64 also ${list(x86Only)}`);
  });

  it('documents every CDK context key infra/config.ts reads', () => {
    // Prepare
    const source = read('infra/config.ts');
    // Act
    const keys = [...source.matchAll(/\bread(?:Optional)?\(\s*(?:context,\s*)?'(\w+)'/g)].map(
      (m) => m[1] as string,
    );
    // Assess
    assert.ok(keys.includes('region') && keys.includes('alarmEmail'), keys.join(', '));
    const rows = read('docs/deploy.md')
      .split('\n')
      .filter((line) => line.startsWith('| `'));
    const undocumented = keys.filter((key) => !rows.some((row) => row.includes(`\`${key}\``)));
    assert.deepEqual(undocumented, []);
  });

  it("names the setup policy's stack and signer user as the default stack name makes them", () => {
    // Prepare
    const policy = read('setup/policies/setup-policy.json');
    const stack = INFRA_DEFAULTS.stackName;
    // Act
    const arns = [
      `arn:aws:cloudformation:*:*:stack/${stack}/*`,
      `arn:aws:iam::*:user/${stack}-SignerUser*`,
    ];
    // Assess
    for (const arn of arns) {
      assert.ok(policy.includes(`"${arn}"`), `setup-policy.json has ${arn}`);
      assert.ok(guide.includes(`\`${arn}\``), `docs/deploy.md names ${arn}`);
    }
  });

  it('quotes the bundle sizes and state transitions docs/performance.md measured', () => {
    // Prepare
    const performance = read('docs/performance.md');
    const size = (label: string) => {
      const row = performance.split('\n').find((line) => line.startsWith(`| ${label} (`));
      assert.ok(row, `docs/performance.md has a row for ${label}`);
      return row.split('|')[2]?.trim();
    };
    // A plain `/aws-cost` (one StartExecution): a scheduled digest adds its naming states.
    const transitions = /Step Functions StartExecution \/ state transitions \| 1 \/ (\d+) \|/.exec(
      performance,
    )?.[1];
    // Act
    const quoted = [
      `bot ${size('bot + infra/bot-bundle.ts aliases')}`,
      ...['fetch', 'summarize', 'chart', 'sign', 'post', 'links'].map(
        (name) => `${name} ${size(name)}`,
      ),
    ];
    // Assess
    for (const phrase of quoted) assert.ok(guide.includes(phrase), `docs/deploy.md: "${phrase}"`);
    assert.ok(transitions, 'docs/performance.md counts state transitions');
    assert.ok(guide.includes(`**${transitions} state transitions**`), `${transitions} transitions`);
  });
});
