/**
 * S3 and SSM faults in full local runs: a put into a bucket that is gone, S3 refusing or
 * slowing down, a parameter that does not exist (file or SSM), SSM throttling. Transient ones
 * are retried and the report is posted once; the others are explained in the channel (through
 * the AccessDenied explainer when AWS refused) and the execution fails naming the cause.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { S3Client } from '@aws-sdk/client-s3';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { signDepsFromConfig } from '../../common/link-signer.ts';
import { createLogger } from '../../common/log.ts';
import { SsmParameterReader } from '../../common/parameters.ts';
import { STATES } from '../../infra/state-machine/states.ts';
import type { Backend } from '../../local/backend.ts';
import { runReport } from '../../local/report.ts';
import { createChartHandler } from '../../workflows/steps/chart/handler.ts';
import { createSignHandler } from '../../workflows/steps/sign/handler.ts';
import { sdkError } from '../doctor/support.ts';
import {
  assertOutcome,
  digest,
  editParameters,
  entered,
  FROZEN_NOW,
  type Rig,
  retries,
  startRig,
  texts,
} from './support.ts';

describe('Faults: S3 and SSM', () => {
  let rig: Rig;

  before(async () => {
    // No parameter cache: a parameter removed from the file must be missed at once. Presigned
    // links: the SSM cases break the Sign step's reads, and only that definition has Sign.
    rig = await startRig({
      COSTBOT_PARAMETER_CACHE_TTL_SECONDS: '0',
      COSTBOT_STABLE_LINKS: 'false',
    });
  });

  after(async () => {
    await rig?.stop();
  });

  beforeEach(async () => {
    rig.slack.reset();
    await editParameters(rig, {});
  });

  /** The local backend with the chart step storing through `s3` into `bucket`. */
  function withChartStore(s3: Pick<S3Client, 'send'>, bucket = rig.config.bucket): Backend {
    return {
      ...rig.backend,
      handlers: {
        ...rig.backend.handlers,
        chart: createChartHandler({
          s3,
          bucket,
          prefix: rig.config.chartPrefix,
          log: createLogger({ step: 'chart' }, { level: 'error' }),
        }),
      },
    };
  }

  /** The local S3 server's client, as the chart step gets it, optionally failing some calls. */
  function localS3(fail: (call: number) => Error | undefined = () => undefined) {
    const real = rig.backend.signingClient?.({ accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' });
    assert.ok(real, 'the local backend has an S3 client');
    const state = { calls: 0 };
    const client = {
      send: async (command: Parameters<S3Client['send']>[0]) => {
        state.calls += 1;
        const error = fail(state.calls);
        if (error) throw error;
        return real.send(command);
      },
    } as unknown as Pick<S3Client, 'send'>;
    return { client, state };
  }

  describe('S3', () => {
    it('a bucket that is gone: the local S3 server answers NoSuchBucket, the channel is told, the execution fails', async () => {
      // Prepare
      const backend = withChartStore(localS3().client, 'costbot-deleted-bucket');

      // Act
      const result = await runReport(backend, digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'FAILED');
      assert.equal(result.error, 'AwsRequestError');
      assert.deepEqual(
        retries(result.events, STATES.chart),
        [],
        'not retried: it would fail again',
      );
      assertOutcome(result, rig.slack);
      assert.equal(rig.slack.messages.length, 1);
      assert.match(texts(rig.slack)[0] ?? '', /S3 PutObject failed \(NoSuchBucket\)/);
    });

    it('SlowDown once: RenderAndStore is retried, then the report is posted once', async () => {
      // Prepare
      const s3 = localS3((call) =>
        call === 1 ? sdkError('SlowDown', 'Please reduce your request rate.', 503) : undefined,
      );

      // Act
      const result = await runReport(withChartStore(s3.client), digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.deepEqual(retries(result.events, STATES.chart), [
        { error: 'AwsThrottledError', attempt: 1 },
      ]);
      assert.equal(s3.state.calls, 2);
      assertOutcome(result, rig.slack);
    });

    it('AccessDenied on the put: explained in the channel with the statement that would allow it', async () => {
      // Prepare
      const message =
        'User: arn:aws:sts::123456789012:assumed-role/costbot-chart/costbot-chart-fn is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::costbot-charts/charts/2026/11/22/x.png" because no identity-based policy allows the s3:PutObject action';
      const s3 = localS3(() => sdkError('AccessDenied', message, 403));

      // Act
      const result = await runReport(withChartStore(s3.client), digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'FAILED');
      assert.equal(result.error, 'AwsAccessDeniedError');
      assertOutcome(result, rig.slack);
      const text = texts(rig.slack)[0] ?? '';
      assert.match(text, /\*AWS denied the request\*/);
      assert.ok(text.includes('*Role:* `arn:aws:iam::123456789012:role/costbot-chart`'), text);
      assert.ok(text.includes('*Action:* `s3:PutObject`'), text);
      assert.match(text, /"Resource": "arn:aws:s3:::costbot-charts\/charts\/2026\/11\/22\/x\.png"/);
    });
  });

  describe('SSM', () => {
    it('ParameterNotFound (parameter file): Sign fails unretried, the channel is told which parameter, the execution fails', async () => {
      // Prepare
      const name = rig.config.parameterNames.signerSecretAccessKey;
      await editParameters(rig, { [name]: null });

      // Act
      const result = await runReport(rig.backend, digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'FAILED');
      assert.equal(result.error, 'ParameterNotFoundError');
      assert.deepEqual(retries(result.events, STATES.sign), []);
      assert.deepEqual(entered(result.events).slice(-4), [
        STATES.sign,
        STATES.failure,
        STATES.reportDelivered,
        STATES.failed,
      ]);
      assertOutcome(result, rig.slack);
      const text = texts(rig.slack)[0] ?? '';
      assert.match(text, /could not be produced \(ParameterNotFoundError\)/);
      assert.ok(text.includes(`Parameter not found: ${name}`), text);
      assert.match(text, /npm run setup/);
    });

    /** Sign reading through the SSM reader (the `aws` backend's) on a fake SSM client. */
    function withSsm(
      send: (input: { Names?: string[] }, call: number) => Promise<unknown>,
    ): Backend {
      let calls = 0;
      // A real client, as Powertools' SSMProvider wants one, answering here.
      const ssm = new SSMClient({ region: 'us-east-1' });
      ssm.send = ((command: GetParametersCommand) => {
        calls += 1;
        assert.ok(command instanceof GetParametersCommand);
        return send(command.input, calls);
      }) as SSMClient['send'];
      const s3Env = { AWS_ENDPOINT_URL_S3: rig.backend.s3?.endpoint ?? '' };
      const signingClient = rig.backend.signingClient;
      assert.ok(signingClient);
      return {
        ...rig.backend,
        handlers: {
          ...rig.backend.handlers,
          sign: createSignHandler({
            ...signDepsFromConfig(rig.config, s3Env, new SsmParameterReader(ssm)),
            signingClient,
            now: () => new Date(FROZEN_NOW),
          }),
        },
      };
    }

    const answer = (names: string[] = []) => ({
      Parameters: names.map((Name) => ({
        Name,
        Value: rig.parameters[Name],
        Type: 'SecureString',
      })),
      InvalidParameters: [],
    });

    it('ParameterNotFound (SSM answers InvalidParameters): the same notice and failure', async () => {
      // Prepare
      const missing = rig.config.parameterNames.signerAccessKeyId;
      const backend = withSsm(async (input) => {
        const names = input.Names ?? [];
        return { ...answer(names.filter((n) => n !== missing)), InvalidParameters: [missing] };
      });

      // Act
      const result = await runReport(backend, digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'FAILED');
      assert.equal(result.error, 'ParameterNotFoundError');
      assertOutcome(result, rig.slack);
      assert.ok((texts(rig.slack)[0] ?? '').includes(`Parameter not found: ${missing}`));
    });

    it('SSM throttling once: Sign is retried, then the report is posted once', async () => {
      // Prepare
      const backend = withSsm(async (input, call) => {
        if (call === 1) throw sdkError('ThrottlingException', 'Rate exceeded', 400);
        return answer(input.Names);
      });

      // Act
      const result = await runReport(backend, digest(), { retryIntervalMs: 0 });

      // Assess
      assert.equal(result.status, 'SUCCEEDED', `${result.error}: ${result.cause}`);
      assert.deepEqual(retries(result.events, STATES.sign), [
        { error: 'AwsThrottledError', attempt: 1 },
      ]);
      assertOutcome(result, rig.slack);
    });
  });
});
