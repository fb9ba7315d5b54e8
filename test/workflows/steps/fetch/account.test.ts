/**
 * FetchAccount: one account's cost through its reader role (assumed with STS, sessions cached
 * per account until they expire) or from the payer's `LinkedAccount` view; and the fetch
 * handler serving both the Fetch and the FetchAccount states.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  CloudWatchClient,
  GetMetricDataCommand,
  type MetricDataQuery,
} from '@aws-sdk/client-cloudwatch';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { loadConfig } from '../../../../common/config.ts';
import type { ReportRequest } from '../../../../common/contract.ts';
import {
  AwsAccessDeniedError,
  AwsRequestError,
  InvalidRequestError,
} from '../../../../common/errors.ts';
import { explainThrown } from '../../../../common/failure-explanation.ts';
import { createLogger } from '../../../../common/log.ts';
import { fetchAccount } from '../../../../workflows/steps/fetch/account.ts';
import {
  createFetchHandler,
  fetchDepsFromConfig,
  readerSessionsFromConfig,
} from '../../../../workflows/steps/fetch/handler.ts';
import type {
  GetMetricDataInput,
  GetMetricDataOutput,
  ListMetricsInput,
  ListMetricsOutput,
  MetricsApi,
} from '../../../../workflows/steps/fetch/metrics-api.ts';
import {
  type AssumedCredentials,
  type AssumeRoleInput,
  RENEW_BEFORE_MS,
  ReaderSessions,
  type RoleAssumer,
  SESSION_SECONDS,
  sessionName,
  stsRoleAssumer,
} from '../../../../workflows/steps/fetch/reader-roles.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures

const AS_OF = new Date('2026-11-22T09:00:00Z');
const MEMBER = '222222222222';
const LINKED = '333333333333';
const ROLE_ARN = `arn:aws:iam::${MEMBER}:role/costbot-cloudwatch-reader`;
const DENIED =
  'User: arn:aws:sts::111111111111:assumed-role/Costbot-ReportFetchRole/costbot-fetch is not ' +
  `authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`;

/** Cumulative values on Nov 20 and 21: 10 and 25. */
const POINTS = {
  Timestamps: [new Date('2026-11-20T00:00:00Z'), new Date('2026-11-21T00:00:00Z')],
  Values: [10, 25],
};

/** Answers every query with POINTS, or nothing when `empty`; records every input. */
class RecordingMetrics implements MetricsApi {
  readonly gets: GetMetricDataInput[] = [];
  readonly lists: ListMetricsInput[] = [];

  constructor(private readonly empty = false) {}

  async listMetrics(input: ListMetricsInput): Promise<ListMetricsOutput> {
    this.lists.push(input);
    return { Metrics: [] };
  }

  async getMetricData(input: GetMetricDataInput): Promise<GetMetricDataOutput> {
    this.gets.push(input);
    return {
      MetricDataResults: (input.MetricDataQueries ?? []).map((q) => ({
        Id: q.Id,
        ...(this.empty ? { Timestamps: [], Values: [] } : POINTS),
      })),
    };
  }

  /** The dimensions of every query sent, as `Name=Value` lists. */
  dimensions(): string[][] {
    return this.gets.flatMap((g) =>
      (g.MetricDataQueries ?? []).map((q: MetricDataQuery) =>
        (q.MetricStat?.Metric?.Dimensions ?? []).map((d) => `${d.Name}=${d.Value}`),
      ),
    );
  }
}

/** An STS stand-in: records every AssumeRole, answers with credentials valid `seconds`. */
class FakeSts implements RoleAssumer {
  readonly inputs: AssumeRoleInput[] = [];
  fail: Error | undefined;

  constructor(private readonly clock: () => Date) {}

  async assumeRole(input: AssumeRoleInput): Promise<AssumedCredentials> {
    this.inputs.push(input);
    if (this.fail) throw this.fail;
    const n = this.inputs.length;
    return {
      accessKeyId: `ASIAREADER${n}`,
      secretAccessKey: `secret-${n}`,
      sessionToken: `token-${n}`,
      expiration: new Date(this.clock().getTime() + input.durationSeconds * 1000),
    };
  }
}

/** Reader sessions over a fake STS; `made` lists the credentials each client was built with. */
function readers(options: {
  clock?: () => Date;
  roles?: { accountId: string; roleArn: string }[];
}) {
  const clock = options.clock ?? (() => AS_OF);
  const sts = new FakeSts(clock);
  const made: { credentials: AssumedCredentials; api: RecordingMetrics }[] = [];
  const sessions = new ReaderSessions({
    roles: options.roles ?? [{ accountId: MEMBER, roleArn: ROLE_ARN }],
    externalId: 'test-external-id',
    sts,
    metricsFor: (credentials) => {
      const api = new RecordingMetrics();
      made.push({ credentials, api });
      return api;
    },
    now: clock,
  });
  return { sts, made, sessions };
}

function request(overrides: Partial<ReportRequest> = {}): ReportRequest {
  return {
    kind: 'digest',
    requestId: 'digest-20261122-0900-abc123',
    channel: '#costs',
    period: 'mtd',
    accounts: [MEMBER, LINKED],
    ...overrides,
  };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('expected a rejection');
}

// ---------------------------------------------------------------------------------------------

describe('Function: fetchAccount', () => {
  it('reads the payer view, LinkedAccount=<id> in USD, in one GetMetricData and no ListMetrics', async () => {
    // Prepare
    const billing = new RecordingMetrics();

    // Act
    const fetched = await fetchAccount(
      { clients: { billing, metrics: new RecordingMetrics() } },
      request(),
      LINKED,
      AS_OF,
    );

    // Assess
    assert.deepEqual(fetched, {
      accountId: LINKED,
      series: { name: LINKED, dates: ['2026-11-20', '2026-11-21'], values: [10, 25] },
      via: 'payer',
      // From the 1st of the month of the anomalies' baseline (the 28 days before Nov 21)
      from: '2026-10-01',
      to: '2026-11-22',
      asOf: AS_OF.toISOString(),
      newestBillingPoint: '2026-11-21T00:00:00.000Z',
      apiCalls: { getMetricData: 1, listMetrics: 0 },
    });
    // The series daily and, in the same call, hourly for the time of its newest point.
    const payer = ['Currency=USD', `LinkedAccount=${LINKED}`];
    assert.deepEqual(billing.dimensions(), [payer, payer]);
    const queries = billing.gets[0]?.MetricDataQueries ?? [];
    assert.deepEqual(
      queries.map((q) => [q.MetricStat?.Stat, q.MetricStat?.Period]),
      [
        ['Maximum', 86_400],
        ['Maximum', 3600],
      ],
    );
    assert.equal(billing.lists.length, 0);
  });

  it("reads a reader role's account's own USD total with the assumed credentials", async () => {
    // Prepare
    const billing = new RecordingMetrics();
    const { sts, made, sessions } = readers({});

    // Act
    const fetched = await fetchAccount(
      { clients: { billing, metrics: billing }, readers: sessions },
      request(),
      MEMBER,
      AS_OF,
    );

    // Assess
    assert.equal(fetched.via, 'reader-role');
    assert.deepEqual(fetched.series?.values, [10, 25]);
    assert.equal(fetched.series?.name, MEMBER);
    assert.deepEqual(sts.inputs, [
      {
        roleArn: ROLE_ARN,
        externalId: 'test-external-id',
        sessionName: 'costbot-digest-20261122-0900-abc123',
        durationSeconds: 900,
      },
    ]);
    assert.equal(made.length, 1);
    assert.equal(made[0]?.credentials.accessKeyId, 'ASIAREADER1');
    assert.deepEqual(made[0]?.api.dimensions(), [['Currency=USD'], ['Currency=USD']]);
    assert.equal(billing.gets.length, 0, "the payer's client is not used");
  });

  it('reads an account without a reader role from the payer view even when others have one', async () => {
    // Prepare
    const billing = new RecordingMetrics();
    const { sts, sessions } = readers({});

    // Act
    const fetched = await fetchAccount(
      { clients: { billing, metrics: billing }, readers: sessions },
      request(),
      LINKED,
      AS_OF,
    );

    // Assess
    assert.equal(fetched.via, 'payer');
    assert.equal(sts.inputs.length, 0);
    const payer = ['Currency=USD', `LinkedAccount=${LINKED}`];
    assert.deepEqual(billing.dimensions(), [payer, payer]);
  });

  it('returns a null series when the account has no billing data', async () => {
    // Prepare
    const billing = new RecordingMetrics(true);

    // Act
    const fetched = await fetchAccount(
      { clients: { billing, metrics: billing } },
      request(),
      LINKED,
      AS_OF,
    );

    // Assess
    assert.equal(fetched.series, null);
    assert.equal(fetched.apiCalls.getMetricData, 1);
  });

  it('refuses an account id that is not 12 digits, before any call', async () => {
    // Prepare
    const billing = new RecordingMetrics();
    const { sts, sessions } = readers({});

    // Act
    const error = await rejection(
      fetchAccount(
        { clients: { billing, metrics: billing }, readers: sessions },
        request(),
        '12345',
        AS_OF,
      ),
    );

    // Assess
    assert.ok(error instanceof InvalidRequestError);
    assert.match(error.message, /"12345"/);
    assert.equal(billing.gets.length + sts.inputs.length, 0);
  });

  it('surfaces a refused AssumeRole as AwsAccessDeniedError, without reading', async () => {
    // Prepare
    const billing = new RecordingMetrics();
    const { sts, made, sessions } = readers({});
    sts.fail = new AwsAccessDeniedError(`STS AssumeRole was denied (AccessDenied): ${DENIED}`);

    // Act
    const error = await rejection(
      fetchAccount(
        { clients: { billing, metrics: billing }, readers: sessions },
        request(),
        MEMBER,
        AS_OF,
      ),
    );

    // Assess
    assert.ok(error instanceof AwsAccessDeniedError);
    assert.equal(made.length, 0);
    assert.equal(billing.gets.length, 0, 'no fallback to the payer view');
  });
});

describe('Class: ReaderSessions', () => {
  it('assumes a role once and reuses the session until it nears expiry', async () => {
    // Prepare
    let now = AS_OF.getTime();
    const { sts, made, sessions } = readers({ clock: () => new Date(now) });

    // Act
    const first = await sessions.metrics(MEMBER, 'r1');
    now += SESSION_SECONDS * 1000 - RENEW_BEFORE_MS - 1;
    const second = await sessions.metrics(MEMBER, 'r2');
    now += 2;
    const third = await sessions.metrics(MEMBER, 'r3');

    // Assess
    assert.equal(sts.inputs.length, 2);
    assert.deepEqual(
      sts.inputs.map((i) => i.sessionName),
      ['costbot-r1', 'costbot-r3'],
    );
    assert.equal(first, second);
    assert.notEqual(second, third);
    assert.equal(third, made[1]?.api);
  });

  it('shares one AssumeRole between concurrent callers for one account', async () => {
    // Prepare
    const { sts, sessions } = readers({});

    // Act
    const apis = await Promise.all([1, 2, 3].map((n) => sessions.metrics(MEMBER, `r${n}`)));

    // Assess
    assert.equal(sts.inputs.length, 1);
    assert.equal(new Set(apis).size, 1);
  });

  it('keeps one session per account', async () => {
    // Prepare
    const other = 'arn:aws:iam::444444444444:role/costbot-cloudwatch-reader';
    const { sts, sessions } = readers({
      roles: [
        { accountId: MEMBER, roleArn: ROLE_ARN },
        { accountId: '444444444444', roleArn: other },
      ],
    });

    // Act
    const a = await sessions.metrics(MEMBER, 'r1');
    const b = await sessions.metrics('444444444444', 'r1');
    const c = await sessions.metrics(MEMBER, 'r2');

    // Assess
    assert.deepEqual(
      sts.inputs.map((i) => i.roleArn),
      [ROLE_ARN, other],
    );
    assert.notEqual(a, b);
    assert.equal(a, c);
  });

  it('does not keep a failed AssumeRole: the next call tries again', async () => {
    // Prepare
    const { sts, sessions } = readers({});
    sts.fail = new AwsAccessDeniedError('denied');
    await assert.rejects(sessions.metrics(MEMBER, 'r1'), AwsAccessDeniedError);
    sts.fail = undefined;

    // Act
    const api = await sessions.metrics(MEMBER, 'r2');

    // Assess
    assert.ok(api);
    assert.equal(sts.inputs.length, 2);
  });

  it('answers undefined, and calls nothing, for an account without a reader role', async () => {
    // Prepare
    const { sts, sessions } = readers({});

    // Act
    const api = await sessions.metrics(LINKED, 'r1');

    // Assess
    assert.equal(api, undefined);
    assert.equal(sts.inputs.length, 0);
  });
});

describe('Function: sessionName', () => {
  it('is costbot-<requestId>, cut to STS’s 64 characters of [\\w+=,.@-]', () => {
    // Prepare
    const long = 'x'.repeat(64);

    // Act
    const names = [sessionName('cmd-abc_123'), sessionName(long), sessionName('a b/c')];

    // Assess
    assert.deepEqual(names, ['costbot-cmd-abc_123', `costbot-${'x'.repeat(56)}`, 'costbot-a-b-c']);
    assert.equal(names[1]?.length, 64);
  });
});

/** One mock per client class for the whole file: a second mockClient would replace the first. */
const stsMock = mockClient(STSClient);
const cloudWatchMock = mockClient(CloudWatchClient);

describe('Function: stsRoleAssumer', () => {
  afterEach(() => {
    stsMock.reset();
  });

  it('sends AssumeRole with the ExternalId and returns the credentials', async () => {
    // Prepare
    const expiration = new Date('2026-11-22T09:15:00Z');
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAX',
        SecretAccessKey: 'secret',
        SessionToken: 'token',
        Expiration: expiration,
      },
    });
    const assumer = stsRoleAssumer(new STSClient({ region: 'us-east-1' }));

    // Act
    const credentials = await assumer.assumeRole({
      roleArn: ROLE_ARN,
      externalId: 'xid',
      sessionName: 'costbot-r1',
      durationSeconds: 900,
    });

    // Assess
    assert.deepEqual(credentials, {
      accessKeyId: 'ASIAX',
      secretAccessKey: 'secret',
      sessionToken: 'token',
      expiration,
    });
    assert.deepEqual(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input, {
      RoleArn: ROLE_ARN,
      RoleSessionName: 'costbot-r1',
      ExternalId: 'xid',
      DurationSeconds: 900,
    });
  });

  it("surfaces AccessDenied as AwsAccessDeniedError carrying AWS's message, which the failure notice explains", async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).rejects(
      Object.assign(new Error(DENIED), {
        name: 'AccessDenied',
        $fault: 'client',
        $metadata: { httpStatusCode: 403 },
      }),
    );
    const assumer = stsRoleAssumer(new STSClient({ region: 'us-east-1' }));

    // Act
    const error = await rejection(
      assumer.assumeRole({
        roleArn: ROLE_ARN,
        externalId: 'xid',
        sessionName: 'costbot-r1',
        durationSeconds: 900,
      }),
    );
    const notice = explainThrown(error);

    // Assess
    assert.ok(error instanceof AwsAccessDeniedError);
    assert.equal(error.message, `STS AssumeRole was denied (AccessDenied): ${DENIED}`);
    assert.equal(notice.name, 'AwsAccessDeniedError');
    assert.match(notice.text, /trust policy/);
    assert.ok(notice.text.includes(ROLE_ARN), notice.text);
    assert.ok(notice.text.includes('sts:AssumeRole'), notice.text);
  });

  it('refuses an answer without complete credentials', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves({ Credentials: undefined });
    const assumer = stsRoleAssumer(new STSClient({ region: 'us-east-1' }));

    // Act
    const error = await rejection(
      assumer.assumeRole({
        roleArn: ROLE_ARN,
        externalId: 'xid',
        sessionName: 'costbot-r1',
        durationSeconds: 900,
      }),
    );

    // Assess
    assert.ok(error instanceof AwsRequestError);
    assert.ok(error.message.includes(ROLE_ARN), error.message);
  });
});

describe('Function: readerSessionsFromConfig', () => {
  afterEach(() => {
    stsMock.reset();
    cloudWatchMock.reset();
  });

  it('reads CloudWatch in the billing region, signed with the assumed credentials', async () => {
    // Prepare
    stsMock.on(AssumeRoleCommand).resolves({
      Credentials: {
        AccessKeyId: 'ASIAMEMBER',
        SecretAccessKey: 'member-secret',
        SessionToken: 'member-token',
        Expiration: new Date(Date.now() + 900_000),
      },
    });
    cloudWatchMock.on(GetMetricDataCommand).resolves({ MetricDataResults: [] });
    const config = loadConfig({
      COSTBOT_READER_ROLE_ARNS: ROLE_ARN,
      COSTBOT_READER_EXTERNAL_ID: 'xid',
      COSTBOT_BILLING_REGION: 'us-east-1',
    });
    const sessions = readerSessionsFromConfig(config, new STSClient({ region: 'eu-west-1' }));

    // Act
    const api = await sessions.metrics(MEMBER, 'r1');
    await api?.getMetricData({ MetricDataQueries: [], StartTime: AS_OF, EndTime: AS_OF });

    // Assess
    const client = cloudWatchMock.commandCalls(GetMetricDataCommand)[0]?.thisValue as
      | CloudWatchClient
      | undefined;
    assert.ok(client);
    assert.equal(await client.config.region(), 'us-east-1');
    const identity = await client.config.credentials();
    assert.equal(identity.accessKeyId, 'ASIAMEMBER');
    assert.equal(identity.sessionToken, 'member-token');
    assert.equal(stsMock.commandCalls(AssumeRoleCommand)[0]?.args[0].input.ExternalId, 'xid');
  });
});

describe('Function: fetchDepsFromConfig', () => {
  it('assumes no role when none is configured, and knows each configured one', () => {
    // Prepare
    const none = loadConfig({});
    const some = loadConfig({ COSTBOT_READER_ROLE_ARNS: ROLE_ARN });

    // Act
    const without = fetchDepsFromConfig(none);
    const withRoles = fetchDepsFromConfig(some);

    // Assess
    assert.equal(without.readers, undefined);
    assert.equal(withRoles.readers?.roleFor(MEMBER), ROLE_ARN);
    assert.equal(withRoles.readers?.roleFor(LINKED), undefined);
  });
});

describe('Function: createFetchHandler', () => {
  const handler = (billing: MetricsApi) =>
    createFetchHandler({
      clients: { billing, metrics: billing },
      log: createLogger({ step: 'fetch' }, { level: 'error' }),
      now: () => AS_OF,
    });

  it('answers a FetchAccount input ({request, accountId}) with that account alone', async () => {
    // Prepare
    const billing = new RecordingMetrics();

    // Act
    const out = await handler(billing)({ request: request(), accountId: LINKED });

    // Assess
    assert.equal(out.accountId, LINKED);
    assert.equal(out.via, 'payer');
    assert.equal(out.asOf, AS_OF.toISOString());
    assert.equal(billing.lists.length, 0);
  });

  it('answers a Fetch input ({request}) with {request, fetched}, as before', async () => {
    // Prepare
    const billing = new RecordingMetrics();
    const req = request({ accounts: undefined });

    // Act
    const out = await handler(billing)({ request: req });

    // Assess
    assert.equal(out.request, req);
    assert.equal(out.fetched.breakdownBy, 'service');
    assert.equal(billing.lists.length, 1, 'the single Fetch walks ListMetrics');
  });
});
