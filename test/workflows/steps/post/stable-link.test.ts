/**
 * The Post step's stable links as the deploy configures them: with COSTBOT_LINKS_URL set the
 * step links each chart below it, with a token made from the HMAC key in the parameter store
 * and valid for COSTBOT_CHART_RETENTION_DAYS; without it, or with COSTBOT_STABLE_LINKS=false, it
 * makes none (the message carries the presigned link).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadConfig } from '../../../../common/config.ts';
import type { StoredChart } from '../../../../common/contract.ts';
import { generateLinkKey, linkKeyBytes, verifyLinkToken } from '../../../../common/link-token.ts';
import type { ParameterReader } from '../../../../common/parameters.ts';
import type { DeliveryRecords } from '../../../../workflows/steps/post/delivery-record.ts';
import { postDepsFromConfig } from '../../../../workflows/steps/post/handler.ts';

const KEY = generateLinkKey();
const LINKS_URL = 'https://abcdefghij.lambda-url.eu-west-1.on.aws/';
const CHART: StoredChart = {
  bucket: 'costbot-charts',
  key: 'charts/2026/11/27/digest-20261127-0900-abc123.png',
  bytes: 80_801,
  width: 1600,
  height: 800,
};
/** Never reached: these tests make links, they post nothing. */
const NO_RECORDS = {} as DeliveryRecords;

function parameters(reads: string[][]): ParameterReader {
  return {
    get: async (names) => {
      reads.push(names);
      return Object.fromEntries(names.map((name) => [name, KEY]));
    },
  };
}

describe('Function: postDepsFromConfig (stable links)', () => {
  it('links a chart below COSTBOT_LINKS_URL with the stored key, for the retention days', async () => {
    // Prepare
    const reads: string[][] = [];
    const config = loadConfig({
      COSTBOT_LINKS_URL: LINKS_URL,
      COSTBOT_CHART_RETENTION_DAYS: '30',
    });
    const deps = postDepsFromConfig(config, parameters(reads), NO_RECORDS);
    const before = Date.now();

    // Act
    const link = await deps.stableLink?.(CHART);

    // Assess
    assert.ok(link, 'stable links are on');
    assert.deepEqual(reads, [[config.parameterNames.linkKey]]);
    assert.ok(link.url.startsWith(LINKS_URL));
    const claims = verifyLinkToken(
      linkKeyBytes(KEY, 'test'),
      link.url.slice(LINKS_URL.length),
      new Date(),
    );
    assert.equal(claims?.objectKey, CHART.key);
    const days = ((claims?.expiresAt.getTime() ?? 0) - before) / 86_400_000;
    assert.ok(days > 29.99 && days <= 30, `${days} days`);
    assert.equal(claims?.expiresAt.toISOString(), link.expiresAt);
    assert.equal(typeof deps.probeLink, 'function', 'each link is checked before it is posted');
  });

  for (const [what, env] of [
    ['without COSTBOT_LINKS_URL', {}],
    [
      'with COSTBOT_STABLE_LINKS=false',
      { COSTBOT_LINKS_URL: LINKS_URL, COSTBOT_STABLE_LINKS: 'false' },
    ],
  ] as const) {
    it(`makes no stable link ${what}, and reads no key`, () => {
      // Prepare
      const reads: string[][] = [];
      // Act
      const deps = postDepsFromConfig(loadConfig(env), parameters(reads), NO_RECORDS);
      // Assess
      assert.equal(deps.stableLink, undefined);
      assert.equal(deps.probeLink, undefined);
      assert.deepEqual(reads, []);
    });
  }
});
