/**
 * The parameter readers on Powertools Parameters: SSM (batched, decrypted, cached for the
 * TTL), the local file, and which one a deployed function picks. The extension reader and its
 * fallback are in `parameters-extension.e2e.test.ts`.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import { GetParametersCommand, SSMClient, SSMServiceException } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { explainAccessDenied } from '../../common/access-denied.ts';
import {
  AwsAccessDeniedError,
  AwsUnavailableError,
  ParameterNotFoundError,
} from '../../common/errors.ts';
import { createLogger } from '../../common/log.ts';
import {
  FallbackParameterReader,
  FileParameterReader,
  SsmParameterReader,
  selectParameterReader,
} from '../../common/parameters.ts';

const ssmMock = mockClient(SSMClient);

/** Log lines written by a logger built with a collecting `write`. */
function collectingLogger(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  const log = createLogger({ test: 'parameters' }, { level: 'debug', write: (l) => lines.push(l) });
  return { lines, log };
}

/** SSM answering every name with `value-of-<name>`. */
function ssmAnswersEveryName(): void {
  ssmMock.on(GetParametersCommand).callsFake((input: { Names: string[] }) => ({
    Parameters: input.Names.map((Name) => ({ Name, Value: `value-of-${Name}` })),
    InvalidParameters: [],
  }));
}

describe('Class: SsmParameterReader', () => {
  afterEach(() => {
    ssmMock.reset();
  });

  describe('Method: get', () => {
    it('asks SSM for at most 10 names per call, with decryption', async () => {
      // Prepare
      const names = Array.from({ length: 12 }, (_, i) => `/costbot/test/p${i}`);
      ssmAnswersEveryName();
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));

      // Act
      const values = await reader.get(names);

      // Assess
      const calls = ssmMock.commandCalls(GetParametersCommand);
      assert.equal(calls.length, 2);
      assert.deepEqual(calls[0]?.args[0].input, {
        Names: names.slice(0, 10),
        WithDecryption: true,
      });
      assert.deepEqual(calls[1]?.args[0].input, { Names: names.slice(10), WithDecryption: true });
      assert.equal(Object.keys(values).length, 12);
      assert.equal(values['/costbot/test/p11'], 'value-of-/costbot/test/p11');
    });

    it('throws ParameterNotFoundError naming every missing parameter', async () => {
      // Prepare
      ssmMock.on(GetParametersCommand).resolves({
        Parameters: [{ Name: '/costbot/a', Value: 'value-a-long-enough' }],
        InvalidParameters: ['/costbot/b', '/costbot/c'],
      });
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));

      // Act
      const result = reader.get(['/costbot/a', '/costbot/b', '/costbot/c']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof ParameterNotFoundError);
        assert.deepEqual(error.names, ['/costbot/b', '/costbot/c']);
        assert.match(error.message, /^Parameters not found: \/costbot\/b, \/costbot\/c\. /);
        return true;
      });
    });

    it('redacts the values it read from later log lines', async () => {
      // Prepare
      const secret = 'xoxb-ssm-secret-0123456789';
      ssmMock.on(GetParametersCommand).resolves({
        Parameters: [{ Name: '/costbot/slack/bot-token', Value: secret }],
      });
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));
      const { lines, log } = collectingLogger();

      // Act
      await reader.get(['/costbot/slack/bot-token']);
      log.error(`Slack refused token ${secret}`, { error: new Error(`bad ${secret}`) });

      // Assess
      assert.equal(lines.length, 1);
      const record = JSON.parse(lines[0] ?? '{}') as {
        message: string;
        error: { message: string };
      };
      assert.equal(record.message, 'Slack refused token [REDACTED]');
      assert.equal(record.error.message, 'bad [REDACTED]');
      assert.equal(lines[0]?.includes(secret), false);
    });

    it('reuses values for maxAgeSeconds, then reads them again', async () => {
      // Prepare
      mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-11-27T08:00:00Z') });
      ssmAnswersEveryName();
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }), {
        maxAgeSeconds: 300,
      });
      const names = ['/costbot/a', '/costbot/b'];

      // Act
      try {
        await reader.get(names);
        mock.timers.tick(300_000);
        await reader.get(names);
        await reader.get(['/costbot/a', '/costbot/c']);
        mock.timers.tick(1);
        await reader.get(names);
      } finally {
        mock.timers.reset();
      }

      // Assess
      assert.deepEqual(
        ssmMock.commandCalls(GetParametersCommand).map((c) => c.args[0].input.Names),
        [names, ['/costbot/c'], names],
      );
    });

    it('reads every time when maxAgeSeconds is 0 (the doctor must see a fix at once)', async () => {
      // Prepare
      ssmAnswersEveryName();
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));

      // Act
      await reader.get(['/costbot/a']);
      await reader.get(['/costbot/a']);

      // Assess
      assert.equal(ssmMock.commandCalls(GetParametersCommand).length, 2);
    });

    it('names AccessDenied with what the explainer needs (role, action, resource)', async () => {
      // Prepare
      const resource = 'arn:aws:ssm:us-east-1:123456789012:parameter/costbot/slack/bot-token';
      ssmMock.on(GetParametersCommand).rejects(
        new SSMServiceException({
          name: 'AccessDeniedException',
          $fault: 'client',
          $metadata: { httpStatusCode: 400 },
          message: `User: arn:aws:sts::123456789012:assumed-role/costbot-bot/fn is not authorized to perform: ssm:GetParameters on resource: ${resource} because no identity-based policy allows the ssm:GetParameters action`,
        }),
      );
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));

      // Act
      const result = reader.get(['/costbot/slack/bot-token']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof AwsAccessDeniedError);
        const explained = explainAccessDenied(error);
        assert.equal(explained?.action, 'ssm:GetParameters');
        assert.equal(explained?.role, 'arn:aws:iam::123456789012:role/costbot-bot');
        assert.equal(explained?.resource, resource);
        return true;
      });
    });

    it('makes a 5xx a retryable AwsUnavailableError', async () => {
      // Prepare
      ssmMock.on(GetParametersCommand).rejects(
        new SSMServiceException({
          name: 'InternalServerError',
          $fault: 'server',
          $metadata: { httpStatusCode: 500 },
          message: 'We encountered an internal error.',
        }),
      );
      const reader = new SsmParameterReader(new SSMClient({ region: 'us-east-1' }));

      // Act
      const result = reader.get(['/costbot/a']);

      // Assess
      await assert.rejects(result, AwsUnavailableError);
    });
  });
});

describe('Class: FileParameterReader', () => {
  let dir = '';

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-params-'));
  });

  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  describe('Method: get', () => {
    it('reads string values from the JSON file', async () => {
      // Prepare
      const path = join(dir, 'parameters.json');
      await writeFile(
        path,
        JSON.stringify({ '/costbot/a': 'file-value-a', '/costbot/b': 'file-value-b' }),
      );
      const reader = new FileParameterReader(path);

      // Act
      const values = await reader.get(['/costbot/b']);

      // Assess
      assert.deepEqual(values, { '/costbot/b': 'file-value-b' });
    });

    it('treats absent and non-string entries as missing', async () => {
      // Prepare
      const path = join(dir, 'partial.json');
      await writeFile(path, JSON.stringify({ '/costbot/a': 'file-value-a', '/costbot/n': 42 }));
      const reader = new FileParameterReader(path);

      // Act
      const result = reader.get(['/costbot/a', '/costbot/n', '/costbot/z']);

      // Assess
      await assert.rejects(result, (error: unknown) => {
        assert.ok(error instanceof ParameterNotFoundError);
        assert.deepEqual(error.names, ['/costbot/n', '/costbot/z']);
        return true;
      });
    });

    it('redacts the values it read from later log lines', async () => {
      // Prepare
      const secret = 'file-signing-secret-abcdef';
      const path = join(dir, 'secret.json');
      await writeFile(path, JSON.stringify({ '/costbot/slack/signing-secret': secret }));
      const reader = new FileParameterReader(path);
      const { lines, log } = collectingLogger();

      // Act
      await reader.get(['/costbot/slack/signing-secret']);
      log.info(`signature check with ${secret} failed`);

      // Assess
      const record = JSON.parse(lines[0] ?? '{}') as { message: string };
      assert.equal(record.message, 'signature check with [REDACTED] failed');
    });

    it('reuses what it read for maxAgeSeconds, so an edit shows after the TTL', async () => {
      // Prepare
      mock.timers.enable({ apis: ['Date'], now: Date.parse('2026-11-27T08:00:00Z') });
      const path = join(dir, 'edited.json');
      await writeFile(path, JSON.stringify({ '/costbot/a': 'first-value-aaaa' }));
      const reader = new FileParameterReader(path, { maxAgeSeconds: 60 });
      const seen: string[] = [];

      // Act
      try {
        seen.push((await reader.get(['/costbot/a']))['/costbot/a'] ?? '');
        await writeFile(path, JSON.stringify({ '/costbot/a': 'second-value-bbbb' }));
        seen.push((await reader.get(['/costbot/a']))['/costbot/a'] ?? '');
        mock.timers.tick(60_001);
        seen.push((await reader.get(['/costbot/a']))['/costbot/a'] ?? '');
      } finally {
        mock.timers.reset();
      }

      // Assess
      assert.deepEqual(seen, ['first-value-aaaa', 'first-value-aaaa', 'second-value-bbbb']);
    });
  });
});

describe('Function: selectParameterReader', () => {
  const ssm = new SSMClient({ region: 'us-east-1' });

  it('picks the extension, with SSM behind it, when its port and a session token are set', () => {
    // Prepare
    const env = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773', AWS_SESSION_TOKEN: 'tok' };

    // Act
    const reader = selectParameterReader(env, ssm);

    // Assess
    assert.ok(reader instanceof FallbackParameterReader);
  });

  it('picks the SDK when the session token is missing', () => {
    // Prepare
    const env = { PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773' };

    // Act
    const reader = selectParameterReader(env, ssm);

    // Assess
    assert.ok(reader instanceof SsmParameterReader);
  });

  it('picks the SDK when the extension port is missing', () => {
    // Prepare
    const env = { AWS_SESSION_TOKEN: 'tok' };

    // Act
    const reader = selectParameterReader(env, ssm);

    // Assess
    assert.ok(reader instanceof SsmParameterReader);
  });
});
