/**
 * Fakes for the doctor's clients: a healthy setup by default, each piece replaceable, so a
 * test breaks exactly one thing and reads the one result that should say so.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import { awsCall } from '../../common/aws-errors.ts';
import { loadConfig } from '../../common/config.ts';
import { ParameterNotFoundError } from '../../common/errors.ts';
import type { ParameterReader } from '../../common/parameters.ts';
import type {
  BillingMetricsApi,
  CheckResult,
  DoctorDeps,
  IdentityApi,
  SlackApi,
} from '../../doctor/types.ts';

export const NOW = new Date('2026-11-22T12:00:00Z');
export const KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
export const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
export const BOT_TOKEN = 'xoxb-1234-5678-abcdefabcdef';
export const SIGNING_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
export const LINK_KEY = 'c3RhYmxlLWxpbmsta2V5LWZvci10aGUtZG9jdG9yLXRlc3Rz';
export const CONFIG = loadConfig({ COSTBOT_DIGEST_CHANNEL: 'C0COSTS01' });
export const NAMES = CONFIG.parameterNames;
/** Who runs `npm run doctor` in these tests. */
export const DEPLOYER = 'arn:aws:iam::123456789012:user/deployer';

export const VALUES: Record<string, string> = {
  [NAMES.signerAccessKeyId]: KEY_ID,
  [NAMES.signerSecretAccessKey]: SECRET,
  [NAMES.slackBotToken]: BOT_TOKEN,
  [NAMES.slackSigningSecret]: SIGNING_SECRET,
  [NAMES.linkKey]: LINK_KEY,
};

/** A parameter store holding `values`; a missing name throws as every reader does. */
export function fakeParameters(values: Record<string, string> = VALUES): ParameterReader {
  return {
    async get(names) {
      const missing = names.filter((n) => values[n] === undefined);
      if (missing.length > 0) throw new ParameterNotFoundError(missing);
      return Object.fromEntries(names.map((n) => [n, values[n] as string]));
    },
  };
}

/** An SDK-shaped error, as the SDK throws it (name, $fault, $metadata). */
export function sdkError(name: string, message: string, status = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status },
  });
}

export function fakeIdentity(overrides: Partial<IdentityApi> = {}): IdentityApi {
  return {
    callerArn: async () => DEPLOYER,
    accessKeyOwner: async () => ({
      userName: 'costbot-signer',
      lastUsed: new Date('2026-11-21T06:00:00Z'),
    }),
    listAccessKeys: async () => [
      { accessKeyId: KEY_ID, status: 'Active', created: new Date('2026-10-01T00:00:00Z') },
    ],
    assumeRole: async (arn) => ({ arn: `${arn.replace(':iam:', ':sts:')}/costbot-doctor` }),
    trustPolicy: async () => ({ Statement: [] }),
    ...overrides,
  };
}

export function fakeBilling(
  metrics: NonNullable<Awaited<ReturnType<BillingMetricsApi['listMetrics']>>['Metrics']> = [
    { Dimensions: [{ Name: 'Currency', Value: 'USD' }] },
    {
      Dimensions: [
        { Name: 'Currency', Value: 'USD' },
        { Name: 'ServiceName', Value: 'AmazonEC2' },
      ],
    },
  ],
): BillingMetricsApi & { inputs: unknown[] } {
  const inputs: unknown[] = [];
  return {
    inputs,
    listMetrics: async (input) => {
      inputs.push(input);
      return { Metrics: metrics };
    },
  };
}

/** CloudWatch refusing ListMetrics to `principal`, as AWS says it and the SDK adapter wraps it. */
export function listMetricsDenied(principal: string): BillingMetricsApi {
  return {
    listMetrics: () =>
      awsCall({ service: 'CloudWatch', operation: 'ListMetrics' }, () =>
        Promise.reject(
          sdkError(
            'AccessDenied',
            `User: ${principal} is not authorized to perform: cloudwatch:ListMetrics because no identity-based policy allows the cloudwatch:ListMetrics action`,
            403,
          ),
        ),
      ),
  };
}

/** An S3 client whose `send` records commands and answers with `answer`. */
export function fakeS3(answer: () => Promise<unknown> = async () => ({})) {
  const sent: { Bucket?: string; Key?: string; Body?: unknown }[] = [];
  const client = {
    send: async (command: { input: { Bucket?: string; Key?: string; Body?: unknown } }) => {
      sent.push(command.input);
      return answer();
    },
  } as unknown as Pick<S3Client, 'send'>;
  return { client, sent };
}

export function fakeSlack(overrides: Partial<SlackApi> = {}): SlackApi {
  return {
    authTest: async () => ({
      team: 'Acme',
      userId: 'U0COSTBOT',
      scopes: ['commands', 'chat:write'],
    }),
    channelInfo: async (channel) => ({
      id: channel,
      name: 'costs',
      isMember: true,
      isArchived: false,
    }),
    ...overrides,
  };
}

/** Healthy deps: every check passes. */
export function healthyDeps(overrides: Partial<DoctorDeps> = {}): DoctorDeps {
  return {
    config: CONFIG,
    parameters: fakeParameters(),
    parameterType: async () => 'SecureString',
    identity: fakeIdentity(),
    billing: fakeBilling(),
    s3: fakeS3().client,
    slack: () => fakeSlack(),
    readerRoles: { arns: [] },
    schedule: { cron: 'cron(0 9 ? * MON-FRI *)', timeZone: 'Europe/Berlin' },
    now: () => NOW,
    ...overrides,
  };
}

export function byId(results: CheckResult[], id: string): CheckResult {
  const found = results.find((r) => r.id === id);
  if (!found) throw new Error(`no result ${id} in ${results.map((r) => r.id).join(', ')}`);
  return found;
}
