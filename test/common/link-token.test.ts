/**
 * Stable-link tokens: a token made with the key verifies until its expiry and names its object;
 * any change to any part, another key, another object's token, a malformed, empty or huge
 * token, or an expired one is refused (null), without saying which.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidLinkKeyError } from '../../common/errors.ts';
import {
  createStableLinker,
  generateLinkKey,
  linkKeyBytes,
  MAX_TOKEN_LENGTH,
  mintLinkToken,
  stableLinkUrl,
  verifyLinkToken,
} from '../../common/link-token.ts';
import type { ParameterReader } from '../../common/parameters.ts';

const KEY = linkKeyBytes(generateLinkKey(), 'test');
const NOW = new Date('2026-11-27T08:00:00Z');
const EXPIRES = new Date('2027-02-25T08:00:00Z');
const OBJECT = 'charts/2026/11/27/command-20261127-0800-a1b2c3.png';

const token = (objectKey = OBJECT, expiresAt = EXPIRES, key: Uint8Array = KEY) =>
  mintLinkToken(key, { objectKey, expiresAt });

/** `token` with one character of part `index` (0: object, 1: expiry, 2: HMAC) changed. */
function tamper(value: string, index: number): string {
  const parts = value.split('.');
  const part = parts[index] as string;
  const at = Math.floor(part.length / 2);
  const swapped = part[at] === '1' ? '2' : part[at] === 'A' ? 'B' : index === 1 ? '1' : 'A';
  parts[index] = `${part.slice(0, at)}${swapped}${part.slice(at + 1)}`;
  return parts.join('.');
}

const BASE64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** The HMAC's last character with its two unused low bits set: same bytes, another spelling. */
function nonCanonical(value: string): string {
  const last = BASE64URL.indexOf(value.slice(-1));
  return `${value.slice(0, -1)}${BASE64URL[last | 1]}`;
}

describe('Module: common/link-token.ts', () => {
  describe('Function: verifyLinkToken', () => {
    it('accepts a token made with the key before its expiry and names its object', () => {
      // Prepare
      const made = token();
      // Act
      const claims = verifyLinkToken(KEY, made, NOW);
      // Assess
      assert.deepEqual(claims, { objectKey: OBJECT, expiresAt: EXPIRES });
      assert.ok(made.length < 200, `a chart's token stays short (${made.length})`);
    });

    for (const [index, part] of ['object key', 'expiry', 'HMAC'].entries()) {
      it(`refuses a token whose ${part} was changed`, () => {
        // Prepare
        const changed = tamper(token(), index);
        // Act
        const claims = verifyLinkToken(KEY, changed, NOW);
        // Assess
        assert.notEqual(changed, token());
        assert.equal(claims, null);
      });
    }

    it("refuses one object's HMAC on another object's key, and a later expiry", () => {
      // Prepare
      const [, , mac] = token().split('.');
      const other = token('charts/2026/11/27/digest-20261127-0900-ffffff.png');
      const [otherKey, otherExpiry] = other.split('.');
      const longer = token(OBJECT, new Date('2030-01-01T00:00:00Z')).split('.')[1];
      // Act
      const swapped = verifyLinkToken(KEY, `${otherKey}.${otherExpiry}.${mac}`, NOW);
      const extended = verifyLinkToken(KEY, `${token().split('.')[0]}.${longer}.${mac}`, NOW);
      // Assess
      assert.equal(swapped, null);
      assert.equal(extended, null);
      assert.equal(
        verifyLinkToken(KEY, other, NOW)?.objectKey,
        'charts/2026/11/27/digest-20261127-0900-ffffff.png',
      );
    });

    it('refuses a token at and after its expiry', () => {
      // Prepare
      const made = token();
      // Act
      const atExpiry = verifyLinkToken(KEY, made, EXPIRES);
      const after = verifyLinkToken(KEY, made, new Date(EXPIRES.getTime() + 1000));
      const before = verifyLinkToken(KEY, made, new Date(EXPIRES.getTime() - 1000));
      // Assess
      assert.equal(atExpiry, null);
      assert.equal(after, null);
      assert.ok(before);
    });

    it('refuses a token made with another key', () => {
      // Prepare
      const otherKey = linkKeyBytes(generateLinkKey(), 'test');
      // Act
      const claims = verifyLinkToken(KEY, token(OBJECT, EXPIRES, otherKey), NOW);
      // Assess
      assert.equal(claims, null);
    });

    const malformed: [string, unknown][] = [
      ['empty', ''],
      ['not a string', 42],
      ['one part', 'abc'],
      ['two parts', `${token().split('.').slice(0, 2).join('.')}`],
      ['four parts', `${token()}.x`],
      ['a short HMAC', token().slice(0, -1)],
      ['a long HMAC', `${token()}A`],
      ['the same HMAC spelt with non-zero padding bits', nonCanonical(token())],
      ['base64 padding', `${token()}=`],
      ['a slash', token().replace('.', '/')],
      ['a negative expiry', token().replace(/\.(\d+)\./, '.-$1.')],
      ['huge', `${'A'.repeat(MAX_TOKEN_LENGTH)}.${token().split('.').slice(1).join('.')}`],
      ['megabytes', 'A'.repeat(2_000_000)],
    ];
    for (const [what, value] of malformed) {
      it(`refuses a malformed token: ${what}`, () => {
        // Act
        const claims = verifyLinkToken(KEY, value, NOW);
        // Assess
        assert.equal(claims, null);
      });
    }
  });

  describe('Function: mintLinkToken', () => {
    it('refuses an empty or over-long object key', () => {
      // Act and Assess
      assert.throws(() => token(''), RangeError);
      assert.throws(() => token(`charts/${'x'.repeat(600)}`), RangeError);
    });
  });

  describe('Function: linkKeyBytes', () => {
    it('refuses a key shorter than 32 bytes or not base64url, without showing it', () => {
      // Prepare
      const short = Buffer.alloc(31, 7).toString('base64url');
      // Act and Assess
      assert.throws(
        () => linkKeyBytes(short, '/costbot/links/hmac-key'),
        (error: unknown) =>
          error instanceof InvalidLinkKeyError &&
          error.message.includes('/costbot/links/hmac-key') &&
          !error.message.includes(short),
      );
      assert.throws(() => linkKeyBytes(`${generateLinkKey()}!`, 'x'), InvalidLinkKeyError);
      assert.equal(linkKeyBytes(generateLinkKey(), 'x').length, 32);
    });
  });

  describe('Function: createStableLinker', () => {
    it('links below the base URL with the key from the parameters, for the retention days', async () => {
      // Prepare
      const stored = generateLinkKey();
      const reads: string[][] = [];
      const parameters: ParameterReader = {
        get: async (names) => {
          reads.push(names);
          return { '/costbot/links/hmac-key': stored };
        },
      };
      const link = createStableLinker({
        parameters,
        keyName: '/costbot/links/hmac-key',
        baseUrl: 'https://abc.lambda-url.eu-west-1.on.aws/',
        lifetimeDays: 90,
        now: () => NOW,
      });
      // Act
      const made = await link({ key: OBJECT });
      // Assess
      assert.deepEqual(reads, [['/costbot/links/hmac-key']]);
      assert.equal(made.expiresAt, EXPIRES.toISOString());
      const prefix = 'https://abc.lambda-url.eu-west-1.on.aws/';
      assert.ok(made.url.startsWith(prefix));
      const claims = verifyLinkToken(linkKeyBytes(stored, 'x'), made.url.slice(prefix.length), NOW);
      assert.deepEqual(claims, { objectKey: OBJECT, expiresAt: EXPIRES });
      assert.equal(stableLinkUrl('http://127.0.0.1:4569', 't'), 'http://127.0.0.1:4569/t');
    });
  });
});
