/**
 * Where costbot deploys: Function URLs (cfn-lint's data, checked in cfn-lint.e2e.test.ts) and the
 * Parameters and Secrets extension layer (aws-cdk-lib's table) in the aws partition; the CLI
 * entry refuses to run without an explicit region (docs/deploy.md's list: deploy-doc.test.ts).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { REPO_ROOT } from '../../infra/paths.ts';
import { regionRefusal, supportedRegions } from '../../infra/regions.ts';

describe('Module: infra/regions', () => {
  describe('Function: supportedRegions', () => {
    it('keeps to the aws partition, with Function URLs and the layer', () => {
      // Prepare / Act
      const arm64 = supportedRegions('arm64');
      const x86 = supportedRegions('x86_64');
      // Assess
      assert.ok(arm64.includes('us-east-1') && arm64.includes('eu-west-1'));
      for (const region of ['ap-south-2', 'il-central-1', 'cn-north-1', 'us-gov-west-1']) {
        assert.ok(!arm64.includes(region) && !x86.includes(region), region);
      }
      assert.deepEqual(
        x86.filter((r) => !arm64.includes(r)),
        ['ap-northeast-3'],
      );
    });
  });

  describe('Function: regionRefusal', () => {
    it('says what a region lacks and lists the supported ones', () => {
      // Prepare
      const cases: [string, 'arm64' | 'x86_64', RegExp][] = [
        ['ap-south-2', 'arm64', /has no Lambda Function URLs and has no Parameters and Secrets/],
        ['ap-northeast-3', 'arm64', /layer for arm64.*\(with -c architecture=x86_64 it can\)/],
        ['cn-north-1', 'x86_64', /is outside the aws partition, so costbot \(x86_64\)/],
        ['xx-nowhere-1', 'arm64', /is not a region aws-cdk-lib knows/],
      ];
      for (const [region, architecture, reason] of cases) {
        // Act
        const refusal = regionRefusal(region, architecture);
        // Assess
        assert.match(String(refusal), reason);
        assert.ok(
          String(refusal).endsWith(
            `Supported regions: ${supportedRegions(architecture).join(', ')}.`,
          ),
        );
      }
      assert.equal(regionRefusal('eu-west-1', 'arm64'), undefined);
      assert.equal(regionRefusal('ap-northeast-3', 'x86_64'), undefined);
    });
  });

  describe('CLI entry infra/app.ts', () => {
    it('refuses to synthesize without an explicit region, in one line, exit 2', () => {
      // Prepare: what the CDK CLI passes when nothing is configured (its us-east-1 fallback)
      const env: NodeJS.ProcessEnv = {
        ...process.env,
        CDK_DEFAULT_REGION: 'us-east-1',
        CDK_OUTDIR: mkdtempSync(join(tmpdir(), 'costbot-app-')),
        CDK_CONTEXT_JSON: JSON.stringify({ withBot: false }),
      };
      delete env.AWS_REGION;
      // Act
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
        cwd: REPO_ROOT,
        env,
        encoding: 'utf8',
      });
      // Assess
      assert.equal(run.status, 2, run.stderr);
      assert.match(
        run.stderr,
        /^CDK context "region" is required: pass -c region=<region> or set AWS_REGION\. Supported regions \(arm64\): af-south-1, /,
      );
      assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
    });
  });
});
