/**
 * cdk-nag's AwsSolutions checks over both stacks (cdk-nag 3: a CDK validation plugin, findings
 * acknowledged in code with `Validations.of(scope).acknowledge`). No finding may stand
 * unacknowledged, and every acknowledgement has a reason listed in docs/least-privilege.md.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { type App, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import { REPO_ROOT } from '../../infra/paths.ts';
import { buildTestApp, defaultTestApp } from './support/synth.ts';

interface Violation {
  ruleName: string;
  violatingConstructs: { constructPath: string }[];
}

interface NagRun {
  app: App;
  error?: Error;
  violations: Violation[];
}

/**
 * Synthesizes with the AwsSolutions plugin (attached here unless the app has it already);
 * findings come from CDK's validation report.
 */
function runNag(app: App, attach = true): NagRun {
  if (attach) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  let error: Error | undefined;
  try {
    app.synth();
  } catch (e) {
    error = e as Error;
  }
  const report = JSON.parse(readFileSync(join(app.outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: { violations: Violation[] }[];
  };
  return {
    app,
    ...(error ? { error } : {}),
    violations: report.pluginReports.flatMap((r) => r.violations),
  };
}

/** Acknowledgements recorded on construct metadata: `[path, rule id, reason]`. */
function acknowledgements(app: App): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const construct of app.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push([construct.node.path, id.replace(/^Annotation::/, ''), reason]);
      }
    }
  }
  return out;
}

let run: NagRun;

describe('cdk-nag AwsSolutions', () => {
  before(() => {
    run = runNag(defaultTestApp().app, false);
  });

  it('finds nothing unacknowledged in the Costbot and reader stacks', () => {
    // Prepare / Act: synthesized with the plugin in before()
    // Assess
    const findings = run.violations.flatMap((v) =>
      v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`),
    );
    assert.deepEqual(findings, []);
    assert.equal(run.error, undefined);
  });

  it('gives every acknowledgement a reason, listed in docs/least-privilege.md', () => {
    // Prepare
    const doc = readFileSync(join(REPO_ROOT, 'docs/least-privilege.md'), 'utf8');
    // Act
    const acks = acknowledgements(run.app);
    // Assess
    assert.ok(acks.length >= 5, `found ${acks.length} acknowledgements`);
    const unlisted = acks
      .filter(([path, id, reason]) => {
        assert.ok(reason.length >= 40, `${path} ${id}: a real reason`);
        const row = doc
          .split('\n')
          .find((line) => line.includes(`\`${path}\``) && line.includes(`\`${id}\``));
        return !row;
      })
      .map(([path, id]) => `| \`${path}\` | \`${id}\` |`);
    assert.deepEqual(unlisted, [], 'add these rows to docs/least-privilege.md');
  });

  it('is live: an unacknowledged wildcard grant fails synthesis', () => {
    // Prepare
    const { app } = buildTestApp({ withBot: false });
    const stack = new Stack(app, 'Careless');
    const role = new Role(stack, 'Careless', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
    });
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['s3:*'], resources: ['*'] }));
    // Act
    const careless = runNag(app);
    // Assess
    assert.match(String(careless.error?.message), /Validation failed/);
    const rules = careless.violations
      .filter((v) => v.violatingConstructs.some((c) => c.constructPath.startsWith('Careless/')))
      .map((v) => v.ruleName);
    assert.ok(rules.includes('AwsSolutions-IAM5[Action::s3:*]'), rules.join(', '));
  });
});
