/**
 * The report through `COSTBOT_BACKEND=aws` against moto_server: SecureString parameters read
 * with decryption, billing metrics put with PutMetricData and read back by the fetch step,
 * the chart stored with PutObject, the link signed with the SSM-held IAM user key. The
 * state machine is the synthesized definition, run in-process; only Slack is recorded.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateBucketCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { loadConfig } from '../../common/config.ts';
import type { PostedState } from '../../common/contract.ts';
import { awsBackend } from '../../local/backend.ts';
import { messageText, RecordingSlack } from '../../local/recording-slack.ts';
import { runReport } from '../../local/report.ts';
import { type MotoServer, motoEnv, startMoto } from '../support/moto.ts';
import { verifyPresignedUrl } from '../support/sigv4.ts';

const AS_OF = new Date('2026-11-22T09:00:00Z');
const BUCKET = 'costbot-it-charts';

/** Cumulative month-to-date values, one reading at 18:00 UTC per day, Nov 12..21 and today. */
function billingData(service: string | null, perDay: number) {
  const dims = [
    { Name: 'Currency', Value: 'USD' },
    ...(service ? [{ Name: 'ServiceName', Value: service }] : []),
  ];
  return Array.from({ length: 11 }, (_, i) => {
    const day = 12 + i;
    const at = day === 22 ? '06:00' : '18:00';
    return {
      MetricName: 'EstimatedCharges',
      Dimensions: dims,
      Timestamp: new Date(`2026-11-${day}T${at}:00Z`),
      Value: perDay * (day === 22 ? 21.25 : day),
      Unit: 'None' as const,
    };
  });
}

describe('Integration: COSTBOT_BACKEND=aws against moto_server', () => {
  let moto: MotoServer | null = null;
  const saved = { ...process.env };
  let signer = { accessKeyId: '', secretAccessKey: '' };

  before(async () => {
    moto = await startMoto();
    if (!moto) return;
    // The SDK reads endpoint, region and credentials from the environment, as in production.
    Object.assign(process.env, motoEnv(moto));
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    const iam = new IAMClient({});
    await iam.send(new CreateUserCommand({ UserName: 'costbot-signer' }));
    const key = await iam.send(new CreateAccessKeyCommand({ UserName: 'costbot-signer' }));
    signer = {
      accessKeyId: key.AccessKey?.AccessKeyId ?? '',
      secretAccessKey: key.AccessKey?.SecretAccessKey ?? '',
    };
    const ssm = new SSMClient({});
    const put = (Name: string, Value: string) =>
      ssm.send(new PutParameterCommand({ Name, Value, Type: 'SecureString', Overwrite: true }));
    await put('/costbot/signer/access-key-id', signer.accessKeyId);
    await put('/costbot/signer/secret-access-key', signer.secretAccessKey);
    await put('/costbot/slack/bot-token', 'xoxb-moto-test-token');
    await new S3Client({ forcePathStyle: true }).send(new CreateBucketCommand({ Bucket: BUCKET }));
    const cloudwatch = new CloudWatchClient({ disableRequestCompression: true });
    for (const [service, perDay] of [
      [null, 30],
      ['AmazonEC2', 20],
      ['AmazonS3', 6],
      ['AWSLambda', 4],
    ] as const) {
      await cloudwatch.send(
        new PutMetricDataCommand({
          Namespace: 'AWS/Billing',
          MetricData: billingData(service, perDay),
        }),
      );
    }
  });

  after(async () => {
    process.env = saved;
    await moto?.stop();
  });

  it('runs the report: fetch reads the metrics back, the chart is stored, the link is signed with the SSM key', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const config = loadConfig({ ...process.env, COSTBOT_BACKEND: 'aws', COSTBOT_BUCKET: BUCKET });
    const slack = new RecordingSlack();
    const backend = awsBackend(config, process.env, { delivery: slack });
    const request = {
      kind: 'digest' as const,
      requestId: 'it-moto-1',
      channel: 'C0COSTS01',
      period: 'mtd' as const,
      asOf: AS_OF.toISOString(),
    };

    // Act
    const result = await runReport(backend, request, { retryIntervalMs: 0 });

    // Assess
    assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
    const out = result.output as PostedState;
    // 10 days of readings Nov 12..21 plus today's 06:00 reading: month to date = 30 * 21.25.
    assert.equal(out.summary.monthToDate, 637.5);
    // Yesterday (Nov 21) = 30*21 - 30*20 = 30.
    assert.deepEqual(out.summary.yesterday, { date: '2026-11-21', amount: 30 });
    assert.deepEqual(
      out.summary.top.slice(0, 3).map((i) => i.name),
      ['AmazonEC2', 'AmazonS3', 'AWSLambda'],
    );
    assert.equal(out.chart.key, 'charts/2026/11/22/it-moto-1.png');
    const head = await new S3Client({ forcePathStyle: true }).send(
      new HeadObjectCommand({ Bucket: BUCKET, Key: out.chart.key }),
    );
    assert.equal(head.ContentType, 'image/png');
    assert.equal(head.ContentLength, out.chart.bytes);
    // The link was signed with the decrypted secret held in SSM, for 7 days, no session token
    // (no COSTBOT_LINKS_URL here: the definition with Sign runs).
    assert.equal(backend.stableLinks, false);
    assert.ok(out.link);
    const url = new URL(out.link.url);
    assert.equal(url.searchParams.get('X-Amz-Expires'), '604800');
    assert.equal(url.searchParams.has('X-Amz-Security-Token'), false);
    assert.ok(url.searchParams.get('X-Amz-Credential')?.startsWith(`${signer.accessKeyId}/`));
    assert.equal(await verifyPresignedUrl(out.link.url, signer.secretAccessKey), true);
    assert.equal(await verifyPresignedUrl(out.link.url, `${signer.secretAccessKey}x`), false);
    assert.equal(slack.messages.length, 1);
    assert.match(messageText(slack.messages[0]?.message ?? { text: '', blocks: [] }), /\$637\.50/);
  });

  it('reports a missing SecureString parameter in the channel and fails the execution', async (t) => {
    if (!moto) return t.skip('moto_server is not installed');
    // Prepare
    const config = loadConfig({
      ...process.env,
      COSTBOT_BACKEND: 'aws',
      COSTBOT_BUCKET: BUCKET,
      COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY: '/costbot/signer/missing-secret',
    });
    const slack = new RecordingSlack();
    const backend = awsBackend(config, process.env, { delivery: slack });

    // Act
    const result = await runReport(
      backend,
      {
        kind: 'digest',
        requestId: 'it-moto-2',
        channel: 'C0COSTS01',
        period: '7d',
        asOf: AS_OF.toISOString(),
      },
      { retryIntervalMs: 0 },
    );

    // Assess
    assert.equal(result.status, 'FAILED');
    assert.equal(result.error, 'ParameterNotFoundError');
    assert.equal(slack.messages.length, 1);
    assert.match(
      messageText(slack.messages[0]?.message ?? { text: '', blocks: [] }),
      /\/costbot\/signer\/missing-secret/,
    );
  });
});
