/**
 * Synthesizes costbot's stacks for tests: bundling off (`aws:cdk:bundling-stacks: []`, so no
 * esbuild run and no entry is read), a fixed placeholder account and region so ARNs are
 * literal, one reader role configured, and the reader stack included.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { addCostbotStacks, type CostbotApp } from '../../../infra/costbot-app.ts';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const READER_ROLE_ARN = 'arn:aws:iam::222222222222:role/costbot-cloudwatch-reader';
export const FETCH_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Costbot-ReportFetchRole-EXAMPLE`;
export const EXTERNAL_ID = 'test-external-id';

export function testContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'aws:cdk:bundling-stacks': [],
    account: ACCOUNT,
    region: REGION,
    readerRoleArns: [READER_ROLE_ARN],
    fetchRoleArn: FETCH_ROLE_ARN,
    readerExternalId: EXTERNAL_ID,
    withBot: true,
    ...overrides,
  };
}

/** A fresh app with costbot's stacks; nothing synthesized yet. */
export function buildTestApp(overrides: Record<string, unknown> = {}): { app: App } & CostbotApp {
  const app = new App({
    outdir: mkdtempSync(join(tmpdir(), 'costbot-cdk-')),
    context: testContext(overrides),
  });
  // No CDK_DEFAULT_* from the caller's shell: the context decides.
  return { app, ...addCostbotStacks(app, {}) };
}

let shared: ({ app: App } & CostbotApp) | undefined;

/**
 * The stacks with the default test context and cdk-nag's AwsSolutions plugin, built once per
 * process for every test that only reads them. The tests of the synthesized stacks run in one
 * process (`test/infra/stacks.e2e.test.ts`), so these are synthesized once per test run.
 */
export function defaultTestApp(): { app: App } & CostbotApp {
  if (!shared) {
    shared = buildTestApp();
    Validations.of(shared.app).addPlugins(new AwsSolutionsChecks(shared.app));
  }
  return shared;
}

let presigned: ({ app: App } & CostbotApp) | undefined;

/**
 * The stacks with stable links off (`stableLinks=false`): the sign function, its role and the
 * Sign state, which the default stacks leave out. Built once per process.
 */
export function presignedTestApp(): { app: App } & CostbotApp {
  presigned ??= buildTestApp({ stableLinks: 'false' });
  return presigned;
}
