/**
 * Synthesizes costbot's stacks for tests: bundling off (`aws:cdk:bundling-stacks: []`, so no
 * esbuild run and no entry is read), a fixed placeholder account and region so ARNs are
 * literal, one reader role configured, and the reader stack included.
 *
 * The bot's entry `bot/lambda.ts` is written by another change; until it exists the tests
 * point `botEntry` at a stand-in file (with bundling off only its existence matters), so the
 * bot's role is still proved least-privilege.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { addCostbotStacks, type CostbotApp } from '../../../infra/costbot-app.ts';
import { REPO_ROOT } from '../../../infra/paths.ts';

export const ACCOUNT = '111111111111';
export const REGION = 'eu-west-1';
export const READER_ROLE_ARN = 'arn:aws:iam::222222222222:role/costbot-cloudwatch-reader';
export const FETCH_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/Costbot-ReportFetchRole-EXAMPLE`;
export const EXTERNAL_ID = 'test-external-id';

const BOT_ENTRY = join(REPO_ROOT, 'bot/lambda.ts');
/** Stand-in bot entry while `bot/lambda.ts` does not exist (bundling is off in tests). */
const BOT_STAND_IN = join(REPO_ROOT, 'test/infra/support/bot-stand-in.ts');
export const BOT_ENTRY_USED = existsSync(BOT_ENTRY) ? BOT_ENTRY : BOT_STAND_IN;

export function testContext(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'aws:cdk:bundling-stacks': [],
    account: ACCOUNT,
    region: REGION,
    readerRoleArns: [READER_ROLE_ARN],
    fetchRoleArn: FETCH_ROLE_ARN,
    readerExternalId: EXTERNAL_ID,
    withBot: true,
    botEntry: BOT_ENTRY_USED,
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
