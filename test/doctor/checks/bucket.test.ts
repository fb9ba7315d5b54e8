/**
 * The bucket check: the charts bucket takes an object below the chart prefix.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BUCKET_CHECK_KEY } from '../../../doctor/checks/bucket.ts';
import { runDoctor } from '../../../doctor/run.ts';
import { byId, fakeS3, healthyDeps, sdkError } from '../support.ts';

describe('Check: the bucket', () => {
  it('warns "not checked" without an S3 client', async () => {
    // Act
    const result = byId(await runDoctor(healthyDeps({ s3: undefined })), 'bucket.put');

    // Assess
    assert.equal(result.status, 'warn');
    assert.equal(result.title, 'Bucket costbot-charts accepts a chart');
    assert.equal(result.detail, 'Not checked: no S3 client.');
  });

  it(`puts <chartPrefix>${BUCKET_CHECK_KEY}, where the chart role may write`, async () => {
    // Prepare
    const s3 = fakeS3();

    // Act
    const result = byId(await runDoctor(healthyDeps({ s3: s3.client })), 'bucket.put');

    // Assess
    assert.equal(result.status, 'ok');
    assert.equal(s3.sent.length, 1);
    assert.equal(s3.sent[0]?.Bucket, 'costbot-charts');
    assert.equal(s3.sent[0]?.Key, 'charts/doctor-check.txt');
  });

  it('fails a missing bucket with what to do', async () => {
    // Prepare
    const s3 = fakeS3(() =>
      Promise.reject(sdkError('NoSuchBucket', 'The specified bucket does not exist', 404)),
    );

    // Act
    const result = byId(await runDoctor(healthyDeps({ s3: s3.client })), 'bucket.put');

    // Assess
    assert.equal(result.status, 'fail');
    assert.equal(
      result.detail,
      'The bucket costbot-charts does not exist (or not in this account and region).',
    );
    assert.match(result.fix ?? '', /npm run deploy.*COSTBOT_BUCKET/);
  });

  it("explains S3's bare Access Denied", async () => {
    // Prepare
    const s3 = fakeS3(() => Promise.reject(sdkError('AccessDenied', 'Access Denied', 403)));

    // Act
    const result = byId(await runDoctor(healthyDeps({ s3: s3.client })), 'bucket.put');

    // Assess
    assert.equal(result.status, 'fail');
    assert.match(result.detail, /^S3 refused the request without saying/);
    assert.match(result.fix ?? '', /s3:PutObject/);
  });
});
