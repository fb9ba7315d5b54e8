/**
 * cfn-lint over every synthesized template (the Costbot and reader stacks) for every region
 * costbot deploys to, per architecture; and infra/regions.ts's Function URL regions checked
 * against cfn-lint's own region data, so the list cannot drift.
 *
 * Each stack is synthesized once, environment-agnostic, and linted with `--regions` for all
 * supported regions at once. That is faithful: a region-specific synthesis differs only in
 * writing the region where the agnostic template has `Ref AWS::Region` / `${AWS::Region}` (cfn-lint
 * resolves those per region) and the extension layer's ARN literally where the agnostic one has
 * `Fn::FindInMap` on CDK's region map. cfn-lint does not check map keys, so the map is checked
 * here to cover every supported region.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import {
  FUNCTION_URL_REGIONS,
  type LambdaArchitecture,
  supportedRegions,
} from '../../infra/regions.ts';
import { type CfnLint, type CfnLintFinding, findCfnLint } from './support/cfn-lint.ts';
import { buildTestApp } from './support/synth.ts';

const ARCHITECTURES: LambdaArchitecture[] = ['arm64', 'x86_64'];

interface Synthesized {
  /** Template files of the Costbot and reader stacks. */
  files: string[];
  /** Region keys of the extension layer's map in the Costbot template. */
  layerMapRegions: string[];
}

/** Both stacks, environment-agnostic, bundling off, for one architecture. */
function synthesize(architecture: LambdaArchitecture): Synthesized {
  const { app, costbot, reader } = buildTestApp({
    account: undefined,
    region: undefined,
    architecture,
  });
  assert.ok(reader, 'the reader stack is synthesized too');
  const assembly = app.synth();
  const files = [costbot, reader].map(
    (stack) => assembly.getStackByName(stack.stackName).templateFullPath,
  );
  const template = JSON.parse(readFileSync(files[0] as string, 'utf8')) as {
    Mappings?: Record<string, Record<string, unknown>>;
  };
  const layerMap = Object.entries(template.Mappings ?? {}).find(([name]) =>
    name.startsWith('Paramsandsecretslayer'),
  );
  assert.ok(layerMap, 'the Costbot template maps regions to the extension layer');
  return { files, layerMapRegions: Object.keys(layerMap[1]) };
}

/** The regions named by E3006 ("does not exist in '<region>'") for one resource. */
function e3006Regions(findings: CfnLintFinding[], resource: string): string[] {
  return findings
    .filter((f) => f.rule === 'E3006' && f.path[1] === resource)
    .map((f) => /'([^']+)'$/.exec(f.message)?.[1] ?? f.message)
    .sort();
}

let lint: CfnLint | null;

describe('cfn-lint', () => {
  before(async () => {
    lint = await findCfnLint();
  });

  it('knows Function URLs in exactly the regions infra/regions.ts lists', async (t) => {
    if (!lint) return t.skip('cfn-lint not installed');
    // Prepare: a Function URL, and a type that exists nowhere (E3006 in every region cfn-lint knows)
    const probe = join(mkdtempSync(join(tmpdir(), 'costbot-cfn-lint-')), 'probe.json');
    writeFileSync(
      probe,
      JSON.stringify({
        Resources: {
          Url: {
            Type: 'AWS::Lambda::Url',
            Properties: {
              AuthType: 'NONE',
              TargetFunctionArn: 'arn:aws:lambda:us-east-1:111111111111:function:probe',
            },
          },
          Nowhere: { Type: 'AWS::Costbot::Nowhere', Properties: {} },
        },
      }),
    );
    // Act
    const findings = await lint.run([probe], ['ALL_REGIONS']);
    // Assess
    const known = e3006Regions(findings, 'Nowhere');
    const withoutUrls = new Set(e3006Regions(findings, 'Url'));
    assert.ok(known.length > 30, `cfn-lint knows ${known.length} regions`);
    assert.ok(withoutUrls.has('ap-south-2'), 'the probe tells regions apart');
    assert.deepEqual(
      [...FUNCTION_URL_REGIONS].sort(),
      known.filter((region) => !withoutUrls.has(region)),
      `FUNCTION_URL_REGIONS differs from ${lint.version}`,
    );
  });

  describe('templates', () => {
    let synthesized: Map<LambdaArchitecture, Synthesized>;
    before(() => {
      synthesized = new Map(ARCHITECTURES.map((a) => [a, synthesize(a)]));
    });

    it('map the extension layer in every region supported for their architecture', () => {
      // Prepare / Act: synthesized in before()
      // Assess
      for (const [architecture, { layerMapRegions }] of synthesized) {
        const mapped = new Set(layerMapRegions);
        const unmapped = supportedRegions(architecture).filter((region) => !mapped.has(region));
        assert.deepEqual(unmapped, [], architecture);
      }
    });

    it('have no cfn-lint error in any supported region', async (t) => {
      if (!lint) return t.skip('cfn-lint not installed');
      // Prepare: one cfn-lint run (its start-up is most of its time) over every template, for
      // every region either architecture supports (arm64's templates get a superset)
      const regions = [...new Set(ARCHITECTURES.flatMap((a) => supportedRegions(a)))].sort();
      const files = [...synthesized.values()].flatMap((s) => s.files);
      // Act
      const findings = await lint.run(files, regions);
      // Assess
      const errors = findings
        .filter((f) => f.level === 'Error')
        .map((f) => `${f.file} ${f.rule} ${f.path.join('/')}: ${f.message}`);
      assert.deepEqual(errors, [], `${lint.version} over ${regions.length} regions`);
      assert.equal(files.length, 4);
      assert.ok(regions.length >= 20, `${regions.length} regions`);
    });
  });
});
