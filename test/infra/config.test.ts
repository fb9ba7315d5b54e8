/** Deploy-time settings from CDK context: documented defaults, and errors that name the key. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readSetting, type SettingName } from '../../common/config.ts';
import { ConfigError } from '../../common/errors.ts';
import { INFRA_DEFAULTS, loadInfraConfig } from '../../infra/config.ts';

function context(values: Record<string, unknown>) {
  return { tryGetContext: (key: string): unknown => values[key] };
}

/** Runs `load` expecting a `ConfigError`, and returns it. */
function caught(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected a ConfigError, got none');
}

describe('Function: loadInfraConfig', () => {
  it('works offline with no context at all: documented defaults, environment-agnostic', () => {
    // Prepare
    const ctx = context({});
    // Act
    const config = loadInfraConfig(ctx, {});
    // Assess
    assert.equal(config.account, undefined);
    assert.equal(config.region, undefined);
    assert.equal(config.stackName, 'Costbot');
    assert.equal(config.digestChannel, '#costs');
    assert.equal(config.scheduleCron, 'cron(0 9 ? * MON-FRI *)');
    assert.equal(config.scheduleTimeZone, 'UTC');
    assert.equal(config.chartRetentionDays, 90);
    assert.equal(config.stableLinks, true);
    assert.equal(config.linksReservedConcurrency, 5);
    assert.deepEqual(config.readerRoleArns, []);
    assert.equal(config.bootstrapQualifier, 'hnb659fds');
    assert.equal(config.withBot, true);
    assert.equal(config.architecture, INFRA_DEFAULTS.architecture);
  });

  it('reads -c values (strings) and cdk.json values (arrays, numbers, booleans)', () => {
    // Prepare
    const ctx = context({
      account: '111111111111',
      region: 'eu-west-1',
      chartRetentionDays: '14',
      readerRoleArns: 'arn:aws:iam::222222222222:role/a, arn:aws:iam::333333333333:role/b',
      allowedChannels: ['C0123ABCD'],
      withBot: false,
      parametersExtension: 'false',
    });
    // Act
    const config = loadInfraConfig(ctx, { CDK_DEFAULT_ACCOUNT: '999999999999' });
    // Assess
    assert.equal(config.account, '111111111111');
    assert.equal(config.chartRetentionDays, 14);
    assert.deepEqual(config.readerRoleArns, [
      'arn:aws:iam::222222222222:role/a',
      'arn:aws:iam::333333333333:role/b',
    ]);
    assert.deepEqual(config.allowedChannels, ['C0123ABCD']);
    assert.equal(config.withBot, false);
    assert.equal(config.parametersExtension, false);
  });

  it('takes the region from context or AWS_REGION, never from the CLI default CDK_DEFAULT_REGION', () => {
    // Prepare
    const cliDefault = { CDK_DEFAULT_REGION: 'us-east-1' };
    // Act
    const unset = loadInfraConfig(context({}), cliDefault);
    const fromEnv = loadInfraConfig(context({}), { ...cliDefault, AWS_REGION: 'eu-central-1' });
    const fromContext = loadInfraConfig(context({ region: 'eu-west-1' }), {
      AWS_REGION: 'eu-central-1',
    });
    const x86 = loadInfraConfig(context({ region: 'ap-northeast-3', architecture: 'x86_64' }), {});
    // Assess
    assert.equal(unset.region, undefined);
    assert.equal(fromEnv.region, 'eu-central-1');
    assert.equal(fromContext.region, 'eu-west-1');
    assert.equal(x86.region, 'ap-northeast-3');
  });

  it('refuses bad values, naming the key', () => {
    // Prepare
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ chartRetentionDays: '3' }, /"chartRetentionDays" must be an integer from 7/],
      [{ scheduleTimeZone: 'Mars/Olympus' }, /"scheduleTimeZone" must be an IANA time zone/],
      [{ scheduleCron: '0 9 * * *' }, /"scheduleCron" must be an EventBridge Scheduler cron/],
      [{ readerRoleArns: 'arn:aws:iam::222222222222:root' }, /"readerRoleArns" has a bad role ARN/],
      [{ logRetentionDays: '4' }, /"logRetentionDays" must be one of/],
      [{ digestChannel: 'costs' }, /"digestChannel"/],
      [{ withBot: 'yes' }, /"withBot" must be true or false/],
      [{ alarmEmail: 'ops' }, /"alarmEmail" must be an e-mail address/],
      [
        { region: 'ap-south-2' },
        /"region" is "ap-south-2", which has no Lambda Function URLs .* Supported regions: af-south-1, .*, us-west-2\.$/,
      ],
      [
        { region: 'ap-northeast-3' },
        /no Parameters and Secrets extension layer for arm64, .*\(with -c architecture=x86_64 it can\)/,
      ],
    ];
    for (const [values, message] of bad) {
      // Act / Assess
      assert.throws(
        () => loadInfraConfig(context(values), {}),
        (e: unknown) => {
          assert.ok(e instanceof ConfigError);
          assert.match(e.message, message);
          return true;
        },
      );
    }
  });
});

describe('Schema: one rule per kind of value, for the environment and CDK context alike', () => {
  const pairs: { env: string; key: string; bad: string }[] = [
    { env: 'COSTBOT_DIGEST_CHANNEL', key: 'digestChannel', bad: 'costs' },
    { env: 'COSTBOT_ALLOWED_CHANNELS', key: 'allowedChannels', bad: 'U0123ABCD' },
    { env: 'COSTBOT_ALLOWED_USERS', key: 'allowedUsers', bad: 'alice' },
    { env: 'COSTBOT_ADMIN_USERS', key: 'adminUsers', bad: 'alice' },
    {
      env: 'COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL',
      key: 'maxSubscriptionsPerChannel',
      bad: '21',
    },
    { env: 'COSTBOT_MAX_SUBSCRIPTIONS', key: 'maxSubscriptions', bad: '0' },
    {
      env: 'COSTBOT_READER_ROLE_ARNS',
      key: 'readerRoleArns',
      bad: 'arn:aws:iam::222222222222:user/reader',
    },
    { env: 'COSTBOT_READER_EXTERNAL_ID', key: 'readerExternalId', bad: 'costbot reader' },
    { env: 'COSTBOT_BILLING_REGION', key: 'region', bad: 'us_east_1' },
    { env: 'COSTBOT_STACK', key: 'stackName', bad: '1-stack' },
  ];
  for (const { env, key, bad } of pairs) {
    it(`refuses "${bad}" as ${env} and as -c ${key} with the same sentence`, () => {
      // Prepare
      const fromEnv = () => readSetting({ [env]: bad }, env as SettingName);
      const fromContext = () => loadInfraConfig(context({ [key]: bad }), {});

      // Act
      const runtime = caught(fromEnv);
      const infra = caught(fromContext);

      // Assess
      assert.equal(runtime.source, 'environment');
      assert.equal(infra.source, 'CDK context');
      assert.equal(runtime.setting, env);
      assert.equal(infra.setting, key);
      assert.ok(runtime.message.startsWith(`${env}: `), runtime.message);
      assert.ok(infra.message.startsWith(`CDK context "${key}" `), infra.message);
      assert.equal(
        runtime.message.slice(`${env}: `.length),
        infra.message.slice(`CDK context "${key}" `.length),
      );
    });
  }

  it('checks parameterPrefix by the SSM naming rules the runtime uses for parameter names', () => {
    // Prepare
    const bad: [string, string][] = [
      ['costbot', 'must begin with "/"'],
      ['/costbot/', 'must not end with "/"'],
      ['/costbot//team', 'must not have empty segments'],
      ['/aws/costbot', 'must not begin with "aws" or "ssm"'],
      ['/ssm', 'must not begin with "aws" or "ssm"'],
      ['/cost bot', 'may hold only letters, digits and _ . - /'],
    ];

    // Act
    const errors = bad.map(([prefix]) =>
      caught(() => loadInfraConfig(context({ parameterPrefix: prefix }), {})),
    );
    const good = loadInfraConfig(context({ parameterPrefix: '/teams/finance/costbot' }), {});

    // Assess
    errors.forEach((error, i) => {
      const [prefix, rule] = bad[i] as [string, string];
      assert.equal(error.setting, 'parameterPrefix');
      assert.ok(error.message.includes(rule) && error.message.includes(prefix), error.message);
    });
    assert.equal(good.parameterPrefix, '/teams/finance/costbot');
  });

  it('refuses two reader roles for one account at synth, as the fetch step would', () => {
    // Prepare
    const roles = ['arn:aws:iam::222222222222:role/a', 'arn:aws:iam::222222222222:role/b'];

    // Act
    const error = caught(() => loadInfraConfig(context({ readerRoleArns: roles }), {}));

    // Assess
    assert.equal(error.setting, 'readerRoleArns');
    assert.match(error.message, /names two roles for account 222222222222/);
  });

  it('reads a list as a JSON array from -c, and names the key when it is not one', () => {
    // Prepare
    const good = context({ allowedUsers: '["U0123ABCD", "W0456EFGH"]' });
    const broken = context({ allowedUsers: '["U0123ABCD"' });

    // Act
    const config = loadInfraConfig(good, {});
    const error = caught(() => loadInfraConfig(broken, {}));

    // Assess
    assert.deepEqual(config.allowedUsers, ['U0123ABCD', 'W0456EFGH']);
    assert.equal(error.setting, 'allowedUsers');
    assert.ok(error.cause instanceof SyntaxError);
  });

  it('takes the account from CDK_DEFAULT_ACCOUNT and checks it like a context value', () => {
    // Prepare
    const good = { CDK_DEFAULT_ACCOUNT: '123456789012' };
    const bad = { CDK_DEFAULT_ACCOUNT: '1234' };

    // Act
    const config = loadInfraConfig(context({}), good);
    const error = caught(() => loadInfraConfig(context({}), bad));

    // Assess
    assert.equal(config.account, '123456789012');
    assert.equal(error.message, 'CDK context "account" must be a 12-digit account id; got "1234".');
  });
});
