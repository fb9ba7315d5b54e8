import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';
import { AwsAccessDeniedError, InvalidRequestError } from '../../../../common/errors.ts';
import { chartKey, storeChart } from '../../../../workflows/steps/chart/store.ts';

describe('Function: chartKey', () => {
  it('dates the key by the UTC day of asOf', () => {
    // Prepare
    const asOf = new Date('2026-11-05T23:59:00Z');

    // Act
    const key = chartKey('charts/', asOf, 'abc');

    // Assess
    assert.equal(key, 'charts/2026/11/05/abc.png');
  });

  it('uses the UTC day even when the offset of asOf points to the next day', () => {
    // Prepare
    const asOf = new Date('2026-11-05T20:30:00-05:00');

    // Act
    const key = chartKey('reports/', asOf, 'cmd_01-X');

    // Assess
    assert.equal(key, 'reports/2026/11/06/cmd_01-X.png');
  });

  it('accepts an id of 64 characters', () => {
    // Prepare
    const id = 'a'.repeat(64);

    // Act
    const key = chartKey('charts/', new Date('2026-01-02T00:00:00Z'), id);

    // Assess
    assert.equal(key, `charts/2026/01/02/${id}.png`);
  });

  const invalid: [string, string][] = [
    ['a path traversal', '../x'],
    ['an empty id', ''],
    ['an id of 65 characters', 'a'.repeat(65)],
    ['an id with spaces', 'my chart'],
    ['an id with a slash', 'a/b'],
  ];
  for (const [name, id] of invalid) {
    it(`rejects ${name}`, () => {
      // Prepare
      const asOf = new Date('2026-11-05T12:00:00Z');

      // Act
      const act = () => chartKey('charts/', asOf, id);

      // Assess
      assert.throws(act, (error: unknown) => {
        assert.ok(error instanceof InvalidRequestError);
        assert.equal(error.message, `Chart id must match [A-Za-z0-9_-]{1,64}; got "${id}".`);
        return true;
      });
    });
  }
});

describe('Function: storeChart', () => {
  const s3Mock = mockClient(S3Client);

  afterEach(() => {
    s3Mock.reset();
  });

  it('puts the PNG with its content type under the key', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).resolves({ ETag: '"etag"' });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const s3 = new S3Client({ region: 'us-east-1' });

    // Act
    await storeChart(s3, { bucket: 'costbot-charts', key: 'charts/2026/11/05/abc.png', png });

    // Assess
    const calls = s3Mock.commandCalls(PutObjectCommand);
    assert.equal(calls.length, 1);
    assert.deepEqual(calls[0]?.args[0].input, {
      Bucket: 'costbot-charts',
      Key: 'charts/2026/11/05/abc.png',
      Body: png,
      ContentType: 'image/png',
      CacheControl: 'private, max-age=604800, immutable',
    });
  });

  it('rethrows an S3 refusal as a named error naming S3 PutObject', async () => {
    // Prepare
    s3Mock.on(PutObjectCommand).rejects(
      Object.assign(new Error('Access Denied'), {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const s3 = new S3Client({ region: 'us-east-1' });

    // Act
    const result = storeChart(s3, { bucket: 'b-1', key: 'k', png: new Uint8Array([1]) });

    // Assess
    await assert.rejects(result, (error: unknown) => {
      assert.ok(error instanceof AwsAccessDeniedError);
      assert.equal(error.message, 'S3 PutObject was denied (AccessDenied): Access Denied');
      return true;
    });
  });
});
