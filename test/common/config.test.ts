import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  awsEnvironment,
  loadConfig,
  loadDotEnv,
  readSetting,
  slackSecretsFromEnv,
} from '../../common/config.ts';
import { ConfigError, LocalFileError } from '../../common/errors.ts';

/** Runs `loadConfig(env)` expecting a `ConfigError`, and returns it. */
function configError(env: Record<string, string>): ConfigError {
  let caught: unknown;
  try {
    loadConfig(env);
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${String(caught)}`);
  return caught;
}

describe('Function: loadConfig', () => {
  it('returns every default for an empty environment', () => {
    // Prepare
    const env = {};

    // Act
    const config = loadConfig(env);

    // Assess
    assert.deepEqual(config, {
      backend: 'local',
      bucket: 'costbot-charts',
      chartPrefix: 'charts/',
      parameterNames: {
        signerAccessKeyId: '/costbot/signer/access-key-id',
        signerSecretAccessKey: '/costbot/signer/secret-access-key',
        slackBotToken: '/costbot/slack/bot-token',
        slackSigningSecret: '/costbot/slack/signing-secret',
        linkKey: '/costbot/links/hmac-key',
      },
      parameterCacheTtlSeconds: 300,
      linkExpiresSeconds: 604_800,
      chartRetentionDays: 90,
      stableLinks: true,
      linksUrl: null,
      localLinksPort: 4569,
      billingRegion: 'us-east-1',
      billingCacheSeconds: 14400,
      topN: 5,
      digestChannel: '#costs',
      localDir: '.costbot',
      localS3Port: 4568,
      slackApiUrl: 'https://slack.com/api/',
      stateMachineArn: null,
      schedulerRoleArn: null,
      timeZone: 'UTC',
      allowedChannels: [],
      allowedUsers: [],
      adminUsers: [],
      maxSubscriptionsPerChannel: 10,
      maxSubscriptions: 200,
      port: 3000,
      logLevel: 'info',
      readerRoles: [],
      readerExternalId: 'costbot-reader',
    });
  });

  it('treats blank values as unset', () => {
    // Prepare
    const env = { COSTBOT_BACKEND: '   ', COSTBOT_TOP_N: '' };

    // Act
    const config = loadConfig(env);

    // Assess
    assert.equal(config.backend, 'local');
    assert.equal(config.topN, 5);
  });

  it('applies every override', () => {
    // Prepare
    const env = {
      COSTBOT_BACKEND: 'aws',
      COSTBOT_BUCKET: 'my-charts.example',
      COSTBOT_CHART_PREFIX: 'reports/charts/',
      COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID: '/other/signer/id',
      COSTBOT_PARAM_SIGNER_SECRET_ACCESS_KEY: '/other/signer/secret',
      COSTBOT_PARAM_SLACK_BOT_TOKEN: 'plain-token-name',
      COSTBOT_PARAM_SLACK_SIGNING_SECRET: '/other/slack/signing.secret',
      COSTBOT_PARAM_LINK_KEY: '/other/links/key',
      COSTBOT_PARAMETER_CACHE_TTL_SECONDS: '0',
      COSTBOT_LINK_EXPIRES_SECONDS: '3600',
      COSTBOT_CHART_RETENTION_DAYS: '400',
      COSTBOT_STABLE_LINKS: 'false',
      COSTBOT_LINKS_URL: 'https://abc.lambda-url.eu-west-1.on.aws',
      COSTBOT_LOCAL_LINKS_PORT: '0',
      COSTBOT_BILLING_REGION: 'eu-west-1',
      COSTBOT_BILLING_CACHE_SECONDS: '0',
      COSTBOT_TOP_N: '20',
      COSTBOT_DIGEST_CHANNEL: 'C0123ABCD',
      COSTBOT_LOCAL_DIR: '/tmp/costbot-data',
      COSTBOT_LOCAL_S3_PORT: '0',
      SLACK_API_URL: 'http://127.0.0.1:3999/api',
      COSTBOT_STATE_MACHINE_ARN:
        'arn:aws:states:us-east-1:123456789012:stateMachine:costbot-report',
      COSTBOT_SCHEDULER_ROLE_ARN: 'arn:aws:iam::123456789012:role/costbot-scheduler',
      COSTBOT_TIME_ZONE: 'Europe/Paris',
      COSTBOT_ALLOWED_CHANNELS: 'C0123ABCD, G0456EFGH',
      COSTBOT_ALLOWED_USERS: 'U0123ABCD',
      COSTBOT_ADMIN_USERS: 'U0ADMIN01',
      COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: '3',
      COSTBOT_MAX_SUBSCRIPTIONS: '50',
      PORT: '8080',
      LOG_LEVEL: 'debug',
      COSTBOT_READER_ROLE_ARNS:
        'arn:aws:iam::222222222222:role/costbot-cloudwatch-reader, arn:aws:iam::333333333333:role/ops/reader',
      COSTBOT_READER_EXTERNAL_ID: 'org-wide:costbot',
    };

    // Act
    const config = loadConfig(env);

    // Assess
    assert.deepEqual(config, {
      backend: 'aws',
      bucket: 'my-charts.example',
      chartPrefix: 'reports/charts/',
      parameterNames: {
        signerAccessKeyId: '/other/signer/id',
        signerSecretAccessKey: '/other/signer/secret',
        slackBotToken: 'plain-token-name',
        slackSigningSecret: '/other/slack/signing.secret',
        linkKey: '/other/links/key',
      },
      parameterCacheTtlSeconds: 0,
      linkExpiresSeconds: 3600,
      chartRetentionDays: 400,
      stableLinks: false,
      linksUrl: 'https://abc.lambda-url.eu-west-1.on.aws/',
      localLinksPort: 0,
      billingRegion: 'eu-west-1',
      billingCacheSeconds: 0,
      topN: 20,
      digestChannel: 'C0123ABCD',
      localDir: '/tmp/costbot-data',
      localS3Port: 0,
      // A trailing slash is added so relative method names resolve below it.
      slackApiUrl: 'http://127.0.0.1:3999/api/',
      stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:costbot-report',
      schedulerRoleArn: 'arn:aws:iam::123456789012:role/costbot-scheduler',
      timeZone: 'Europe/Paris',
      allowedChannels: ['C0123ABCD', 'G0456EFGH'],
      allowedUsers: ['U0123ABCD'],
      adminUsers: ['U0ADMIN01'],
      maxSubscriptionsPerChannel: 3,
      maxSubscriptions: 50,
      port: 8080,
      logLevel: 'debug',
      // The account a role reads is the one in its ARN.
      readerRoles: [
        {
          accountId: '222222222222',
          roleArn: 'arn:aws:iam::222222222222:role/costbot-cloudwatch-reader',
        },
        { accountId: '333333333333', roleArn: 'arn:aws:iam::333333333333:role/ops/reader' },
      ],
      readerExternalId: 'org-wide:costbot',
    });
  });

  it('accepts the limits of the link lifetime, 1 and 604800 seconds', () => {
    // Prepare
    const low = { COSTBOT_LINK_EXPIRES_SECONDS: '1' };
    const high = { COSTBOT_LINK_EXPIRES_SECONDS: '604800' };

    // Act
    const lowConfig = loadConfig(low);
    const highConfig = loadConfig(high);

    // Assess
    assert.equal(lowConfig.linkExpiresSeconds, 1);
    assert.equal(highConfig.linkExpiresSeconds, 604_800);
  });

  const invalid: { name: string; env: Record<string, string>; setting: string }[] = [
    { name: 'an unknown backend', env: { COSTBOT_BACKEND: 'gcp' }, setting: 'COSTBOT_BACKEND' },
    {
      name: 'a bucket name with upper case and underscores',
      env: { COSTBOT_BUCKET: 'My_Bucket' },
      setting: 'COSTBOT_BUCKET',
    },
    { name: 'a two-letter bucket name', env: { COSTBOT_BUCKET: 'ab' }, setting: 'COSTBOT_BUCKET' },
    {
      name: 'a prefix without a trailing slash',
      env: { COSTBOT_CHART_PREFIX: 'charts' },
      setting: 'COSTBOT_CHART_PREFIX',
    },
    {
      name: 'a prefix starting with a slash',
      env: { COSTBOT_CHART_PREFIX: '/charts/' },
      setting: 'COSTBOT_CHART_PREFIX',
    },
    {
      name: 'a link lifetime of 0 seconds',
      env: { COSTBOT_LINK_EXPIRES_SECONDS: '0' },
      setting: 'COSTBOT_LINK_EXPIRES_SECONDS',
    },
    {
      name: 'a link lifetime of 604801 seconds (over the SigV4 maximum)',
      env: { COSTBOT_LINK_EXPIRES_SECONDS: '604801' },
      setting: 'COSTBOT_LINK_EXPIRES_SECONDS',
    },
    {
      name: 'a non-integer link lifetime',
      env: { COSTBOT_LINK_EXPIRES_SECONDS: '1.5' },
      setting: 'COSTBOT_LINK_EXPIRES_SECONDS',
    },
    { name: 'a topN of 0', env: { COSTBOT_TOP_N: '0' }, setting: 'COSTBOT_TOP_N' },
    { name: 'a topN of 21', env: { COSTBOT_TOP_N: '21' }, setting: 'COSTBOT_TOP_N' },
    {
      name: 'a cache TTL that is negative',
      env: { COSTBOT_PARAMETER_CACHE_TTL_SECONDS: '-1' },
      setting: 'COSTBOT_PARAMETER_CACHE_TTL_SECONDS',
    },
    {
      name: 'a channel name without #',
      env: { COSTBOT_DIGEST_CHANNEL: 'costs' },
      setting: 'COSTBOT_DIGEST_CHANNEL',
    },
    {
      name: 'a channel name with upper case',
      env: { COSTBOT_DIGEST_CHANNEL: '#Costs' },
      setting: 'COSTBOT_DIGEST_CHANNEL',
    },
    {
      name: 'a region that is not a region name',
      env: { COSTBOT_BILLING_REGION: 'us_east_1' },
      setting: 'COSTBOT_BILLING_REGION',
    },
    {
      name: 'a Slack API URL that is not a URL',
      env: { SLACK_API_URL: 'slack.com/api' },
      setting: 'SLACK_API_URL',
    },
    {
      name: 'a Slack API URL with a non-http protocol',
      env: { SLACK_API_URL: 'ftp://slack.com/api/' },
      setting: 'SLACK_API_URL',
    },
    {
      name: 'a parameter name with //',
      env: { COSTBOT_PARAM_SLACK_BOT_TOKEN: '/costbot//slack/bot-token' },
      setting: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
    },
    {
      name: 'a parameter name with a space',
      env: { COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID: '/costbot/signer/access key' },
      setting: 'COSTBOT_PARAM_SIGNER_ACCESS_KEY_ID',
    },
    {
      name: 'a state machine ARN of another service',
      env: { COSTBOT_STATE_MACHINE_ARN: 'arn:aws:lambda:us-east-1:123456789012:function:x' },
      setting: 'COSTBOT_STATE_MACHINE_ARN',
    },
    {
      name: 'an allowed channel that is not a channel id',
      env: { COSTBOT_ALLOWED_CHANNELS: 'U0123ABCD' },
      setting: 'COSTBOT_ALLOWED_CHANNELS',
    },
    {
      name: 'an allowed user that is not a user id',
      env: { COSTBOT_ALLOWED_USERS: 'alice' },
      setting: 'COSTBOT_ALLOWED_USERS',
    },
    {
      name: 'an admin that is not a user id',
      env: { COSTBOT_ADMIN_USERS: 'bob' },
      setting: 'COSTBOT_ADMIN_USERS',
    },
    {
      name: 'no subscriptions per channel',
      env: { COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: '0' },
      setting: 'COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL',
    },
    {
      name: 'more subscriptions per channel than one list message holds',
      env: { COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: '21' },
      setting: 'COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL',
    },
    {
      name: 'more subscriptions than the bot counts within 3 s',
      env: { COSTBOT_MAX_SUBSCRIPTIONS: '1001' },
      setting: 'COSTBOT_MAX_SUBSCRIPTIONS',
    },
    {
      name: 'an unknown log level',
      env: { LOG_LEVEL: 'verbose' },
      setting: 'LOG_LEVEL',
    },
    {
      name: 'a port above 65535',
      env: { COSTBOT_LOCAL_S3_PORT: '65536' },
      setting: 'COSTBOT_LOCAL_S3_PORT',
    },
    {
      name: 'a reader role ARN that names a user',
      env: { COSTBOT_READER_ROLE_ARNS: 'arn:aws:iam::222222222222:user/reader' },
      setting: 'COSTBOT_READER_ROLE_ARNS',
    },
    {
      name: 'a reader role ARN with an 11-digit account',
      env: { COSTBOT_READER_ROLE_ARNS: 'arn:aws:iam::22222222222:role/reader' },
      setting: 'COSTBOT_READER_ROLE_ARNS',
    },
    {
      name: 'an ExternalId with a space',
      env: { COSTBOT_READER_EXTERNAL_ID: 'costbot reader' },
      setting: 'COSTBOT_READER_EXTERNAL_ID',
    },
  ];

  it('accepts the subscription limits at their bounds and a list of admins', () => {
    // Prepare
    const low = {
      COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: '1',
      COSTBOT_MAX_SUBSCRIPTIONS: '1',
      COSTBOT_ADMIN_USERS: 'U0123ABCD, W0123ABCD',
    };
    const high = { COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL: '20', COSTBOT_MAX_SUBSCRIPTIONS: '1000' };

    // Act
    const [a, b] = [loadConfig(low), loadConfig(high)];

    // Assess
    assert.deepEqual(
      [a.maxSubscriptionsPerChannel, a.maxSubscriptions, a.adminUsers],
      [1, 1, ['U0123ABCD', 'W0123ABCD']],
    );
    assert.deepEqual([b.maxSubscriptionsPerChannel, b.maxSubscriptions], [20, 1000]);
  });

  it('refuses two reader roles for one account, naming both', () => {
    // Prepare
    const first = 'arn:aws:iam::222222222222:role/costbot-cloudwatch-reader';
    const second = 'arn:aws:iam::222222222222:role/other-reader';

    // Act
    const error = configError({ COSTBOT_READER_ROLE_ARNS: `${first},${second}` });

    // Assess
    assert.equal(error.setting, 'COSTBOT_READER_ROLE_ARNS');
    assert.ok(error.message.includes(first) && error.message.includes(second), error.message);
  });

  for (const c of invalid) {
    it(`rejects ${c.name} with a ConfigError naming ${c.setting}`, () => {
      // Prepare
      const value = Object.values(c.env)[0] ?? '';

      // Act
      const error = configError(c.env);

      // Assess
      assert.equal(error.setting, c.setting);
      assert.equal(error.name, 'ConfigError');
      assert.ok(error.message.startsWith(`${c.setting}: `), error.message);
      assert.ok(error.message.includes(value.trim()), error.message);
    });
  }
});

describe('Function: readSetting', () => {
  it('reads one setting by its kind, with its default when unset', () => {
    // Prepare
    const env = { LOG_LEVEL: 'warn', COSTBOT_ASSETS_DIR: '/var/task' };

    // Act
    const level = readSetting(env, 'LOG_LEVEL');
    const assets = readSetting(env, 'COSTBOT_ASSETS_DIR');
    const unsetLevel = readSetting({}, 'LOG_LEVEL');
    const unsetAssets = readSetting({}, 'COSTBOT_ASSETS_DIR');
    const stack = readSetting({}, 'COSTBOT_STACK');

    // Assess
    assert.equal(level, 'warn');
    assert.equal(assets, '/var/task');
    assert.equal(unsetLevel, 'info');
    assert.equal(unsetAssets, null);
    assert.equal(stack, 'Costbot');
  });

  it('refuses a bad value with the same ConfigError as loadConfig', () => {
    // Prepare
    const env = { LOG_LEVEL: 'verbose' };

    // Act
    const one = (() => {
      try {
        readSetting(env, 'LOG_LEVEL');
      } catch (error) {
        return error;
      }
    })();
    const all = configError(env);

    // Assess
    assert.ok(one instanceof ConfigError);
    assert.equal(one.message, all.message);
  });
});

describe('Function: awsEnvironment', () => {
  it("names AWS's own variables and leaves unset ones undefined", () => {
    // Prepare
    const env = {
      AWS_REGION: 'eu-west-1',
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_SSM: 'http://127.0.0.1:5001',
      AWS_SESSION_TOKEN: 'token',
      PARAMETERS_SECRETS_EXTENSION_HTTP_PORT: '2773',
    };

    // Act
    const aws = awsEnvironment(env);

    // Assess
    assert.deepEqual(aws, {
      region: 'eu-west-1',
      defaultRegion: undefined,
      endpointUrl: 'http://127.0.0.1:5000',
      s3EndpointUrl: undefined,
      ssmEndpointUrl: 'http://127.0.0.1:5001',
      sessionToken: 'token',
      parametersExtensionPort: '2773',
      cdkDefaultAccount: undefined,
    });
  });
});

describe('Rules: each setting is checked by the rules of what it names', () => {
  /** Bad values, grouped by the rule they break; each gives one line naming the setting. */
  const bad: { setting: string; rule: string; values: string[] }[] = [
    {
      setting: 'COSTBOT_BUCKET',
      rule: 'must be 3-63 characters long',
      values: ['ab', 'a', 'a'.repeat(64), `b${'-'.repeat(62)}b`],
    },
    {
      setting: 'COSTBOT_BUCKET',
      rule: 'may hold only lowercase letters, digits, dots and hyphens',
      values: ['My-bucket', 'my_bucket', 'my bucket', 'bucket!', 'bücket'],
    },
    {
      setting: 'COSTBOT_BUCKET',
      rule: 'must begin and end with a letter or digit',
      values: ['-bucket', 'bucket-', '.bucket', 'bucket.'],
    },
    {
      setting: 'COSTBOT_BUCKET',
      rule: 'must not hold two adjacent dots',
      values: ['my..bucket', 'a..b', 'my.bucket..x'],
    },
    {
      setting: 'COSTBOT_BUCKET',
      rule: 'must not look like an IP address',
      values: ['192.168.5.4', '10.0.0.1', '999.999.999.999'],
    },
    {
      setting: 'COSTBOT_BUCKET',
      rule: 'must not begin with xn--, sthree- or amzn-s3-demo-',
      values: ['xn--bucket', 'sthree-bucket', 'sthree-configurator', 'amzn-s3-demo-bucket'],
    },
    {
      setting: 'COSTBOT_BUCKET',
      rule: 'must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3',
      values: [
        'bucket-s3alias',
        'bucket--ol-s3',
        'bucket.mrap',
        'bucket--x-s3',
        'bucket--table-s3',
      ],
    },
    {
      setting: 'COSTBOT_CHART_PREFIX',
      rule: 'must not begin with "/"',
      values: ['/charts/', '/', '//charts/'],
    },
    {
      setting: 'COSTBOT_CHART_PREFIX',
      rule: 'must end with "/"',
      values: ['charts', 'a/b', 'charts/..'],
    },
    {
      setting: 'COSTBOT_CHART_PREFIX',
      rule: 'may hold only letters, digits and _ . - /',
      values: ['char ts/', 'charts\\x/', 'charts*/', 'chärts/'],
    },
    {
      setting: 'COSTBOT_CHART_PREFIX',
      rule: 'must not have empty segments',
      values: ['a//b/', 'charts//'],
    },
    {
      setting: 'COSTBOT_CHART_PREFIX',
      rule: 'must not have "." or ".." segments',
      values: ['../../x/', '../', './', 'charts/../x/', 'charts/./', 'a/../'],
    },
    {
      setting: 'COSTBOT_LOCAL_DIR',
      rule: 'must not hold a NUL byte',
      values: ['.costbot\0', 'a\0b'],
    },
    {
      setting: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
      rule: 'must be at most 1011 characters long',
      values: [`/${'a'.repeat(1011)}`, 'b'.repeat(1012)],
    },
    {
      setting: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
      rule: 'may hold only letters, digits and _ . - /',
      values: ['/costbot/slack/bot token', '/costbot/slack/bot*token', '/costbot/slack/bot:token'],
    },
    {
      setting: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
      rule: 'must begin with "/" when it has a path',
      values: ['costbot/slack/bot-token', 'a/b'],
    },
    {
      setting: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
      rule: 'must not end with "/"',
      values: ['/costbot/slack/', '/'],
    },
    {
      setting: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
      rule: 'must not have empty segments',
      values: ['/costbot//slack/bot-token', '//costbot'],
    },
    {
      setting: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
      rule: 'must not begin with "aws" or "ssm"',
      values: ['/aws/service/x', 'awsToken', '/SSM/x', 'ssm-token', '/AwS'],
    },
    {
      setting: 'COSTBOT_PARAM_SLACK_BOT_TOKEN',
      rule: 'must have at most 15 levels',
      values: [`/${Array.from({ length: 16 }, (_, i) => `l${i}`).join('/')}`],
    },
    {
      setting: 'PORT',
      rule: 'must be a port number from 0 to 65535',
      values: ['65536', '-1', '80.5', 'http', '1e3', '0x50', '3000x', '123456'],
    },
    {
      setting: 'COSTBOT_LOCAL_S3_PORT',
      rule: 'must be a port number from 0 to 65535',
      values: ['65536', '99999', '-0', 'four'],
    },
  ];

  for (const { setting, rule, values } of bad) {
    for (const value of values) {
      it(`${setting}: refuses ${JSON.stringify(value)} (${rule})`, () => {
        // Act
        const error = configError({ [setting]: value });

        // Assess
        assert.equal(error.setting, setting);
        assert.ok(error.message.startsWith(`${setting}: `), error.message);
        assert.ok(error.message.includes(rule), error.message);
        assert.ok(error.message.includes(JSON.stringify(value)), error.message);
        assert.ok(!error.message.includes('\n'), 'one line');
      });
    }
  }

  /** Good values next to the rules: each must be accepted as given. */
  const good: {
    setting: 'COSTBOT_BUCKET' | 'COSTBOT_CHART_PREFIX' | 'COSTBOT_LOCAL_DIR';
    values: string[];
  }[] = [
    {
      setting: 'COSTBOT_BUCKET',
      values: [
        'abc',
        'a'.repeat(63),
        'my.bucket',
        'my-bucket-1',
        '1.2.3',
        '192.168.5.4x',
        'xn-bucket',
        'bucket-s3aliasx',
        'three-bucket',
      ],
    },
    {
      setting: 'COSTBOT_CHART_PREFIX',
      values: ['charts/', 'team/charts/', '..charts/', 'charts.v2/', 'a.../', '2026_11/'],
    },
    {
      setting: 'COSTBOT_LOCAL_DIR',
      values: ['.costbot', '/tmp/costbot data', '../shared/.costbot'],
    },
  ];
  const configKey = {
    COSTBOT_BUCKET: 'bucket',
    COSTBOT_CHART_PREFIX: 'chartPrefix',
    COSTBOT_LOCAL_DIR: 'localDir',
  } as const;

  for (const { setting, values } of good) {
    for (const value of values) {
      it(`${setting}: accepts ${JSON.stringify(value)}`, () => {
        // Act
        const config = loadConfig({ [setting]: value });

        // Assess
        assert.equal(config[configKey[setting]], value);
      });
    }
  }

  it('accepts SSM names at the limits: plain, 15 levels, 1011 characters, aws inside', () => {
    // Prepare
    const names = [
      'plain-name',
      `/${Array.from({ length: 15 }, (_, i) => `l${i}`).join('/')}`,
      `/${'a'.repeat(1010)}`,
      '/costbot/aws/ssm',
      '/my-aws/token',
    ];

    // Act
    const read = names.map(
      (name) => loadConfig({ COSTBOT_PARAM_SLACK_BOT_TOKEN: name }).parameterNames.slackBotToken,
    );

    // Assess
    assert.deepEqual(read, names);
  });

  it('accepts ports 0 and 65535, and falls back to the default for a blank directory', () => {
    // Act
    const low = loadConfig({ PORT: '0', COSTBOT_LOCAL_S3_PORT: '0' });
    const high = loadConfig({ PORT: '65535', COSTBOT_LOCAL_S3_PORT: '65535' });
    const blank = loadConfig({ COSTBOT_LOCAL_DIR: '   ' });

    // Assess
    assert.deepEqual(
      [low.port, low.localS3Port, high.port, high.localS3Port],
      [0, 0, 65_535, 65_535],
    );
    assert.equal(blank.localDir, '.costbot');
  });
});

describe('Function: slackSecretsFromEnv', () => {
  it("gives Bolt's three variables when set, and nothing for unset ones", () => {
    // Prepare
    const env = { SLACK_BOT_TOKEN: 'xoxb-1-2-abc', SLACK_SIGNING_SECRET: 'ab'.repeat(16) };

    // Act
    const some = slackSecretsFromEnv(env);
    const none = slackSecretsFromEnv({ SLACK_APP_TOKEN: '  ' });

    // Assess
    assert.deepEqual(some, { botToken: 'xoxb-1-2-abc', signingSecret: 'ab'.repeat(16) });
    assert.deepEqual(none, {});
  });

  const bad: [string, string][] = [
    ['SLACK_BOT_TOKEN', 'xapp-1-swapped-with-the-app-token'],
    ['SLACK_BOT_TOKEN', 'xoxp-a-user-token'],
    ['SLACK_SIGNING_SECRET', 'ab'.repeat(15)],
    ['SLACK_SIGNING_SECRET', 'zz'.repeat(16)],
    ['SLACK_APP_TOKEN', 'xoxb-1-2-the-bot-token'],
  ];
  for (const [setting, value] of bad) {
    it(`refuses a malformed ${setting} in one line that does not show the value`, () => {
      // Act
      let caught: unknown;
      try {
        slackSecretsFromEnv({ [setting]: value });
      } catch (error) {
        caught = error;
      }

      // Assess
      assert.ok(caught instanceof ConfigError);
      assert.equal(caught.setting, setting);
      assert.ok(caught.message.startsWith(`${setting}: must be `), caught.message);
      assert.ok(!caught.message.includes(value), caught.message);
      assert.ok(!caught.message.includes('\n'));
    });
  }
});

describe('Function: loadDotEnv', () => {
  const names = ['COSTBOT_TEST_DOTENV_A', 'COSTBOT_TEST_DOTENV_B', 'COSTBOT_TEST_DOTENV_C'];
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'costbot-dotenv-'));
  });
  afterEach(async () => {
    for (const name of names) delete process.env[name];
    await rm(dir, { recursive: true, force: true });
  });

  it('loads NAME=value lines, comments, export and quoted multi-line values; the environment wins', async () => {
    // Prepare
    const file = join(dir, '.env');
    await writeFile(
      file,
      '# a comment\n\nexport COSTBOT_TEST_DOTENV_A=from-file\nCOSTBOT_TEST_DOTENV_B="line 1\nline 2"\nCOSTBOT_TEST_DOTENV_C=file\n',
    );
    process.env.COSTBOT_TEST_DOTENV_C = 'environment';

    // Act
    const loaded = loadDotEnv(file);

    // Assess
    assert.equal(loaded, true);
    assert.equal(process.env.COSTBOT_TEST_DOTENV_A, 'from-file');
    assert.equal(process.env.COSTBOT_TEST_DOTENV_B, 'line 1\nline 2');
    assert.equal(process.env.COSTBOT_TEST_DOTENV_C, 'environment');
  });

  it('is no error when there is no .env', () => {
    // Act
    const loaded = loadDotEnv(join(dir, 'missing.env'));

    // Assess
    assert.equal(loaded, false);
  });

  const unparsable: [string, string, number][] = [
    ['a line without =', 'COSTBOT_TEST_DOTENV_A=1\nxoxb-pasted-alone\n', 2],
    ['a name with a space', 'COSTBOT TEST=1\n', 1],
    ['a name starting with a digit', '1COSTBOT=1\n', 1],
    ['a quote never closed', 'COSTBOT_TEST_DOTENV_A="open\nstill open\n', 3],
    ['a NUL byte', 'COSTBOT_TEST_DOTENV_A=a\0b\n', 1],
  ];
  for (const [what, content, line] of unparsable) {
    it(`refuses a .env with ${what}, naming the file and line ${line}, loading nothing`, async () => {
      // Prepare
      const file = join(dir, '.env');
      await writeFile(file, content);

      // Act
      let caught: unknown;
      try {
        loadDotEnv(file);
      } catch (error) {
        caught = error;
      }

      // Assess
      assert.ok(caught instanceof LocalFileError, String(caught));
      assert.equal(caught.path, file);
      assert.ok(
        caught.message.startsWith(`${file} cannot be parsed: line ${line} `),
        caught.message,
      );
      assert.ok(!caught.message.includes('\n'));
      assert.equal(process.env.COSTBOT_TEST_DOTENV_A, undefined);
    });
  }

  it('refuses a .env that is a directory, naming it', () => {
    // Act
    let caught: unknown;
    try {
      loadDotEnv(dir);
    } catch (error) {
      caught = error;
    }

    // Assess
    assert.ok(caught instanceof LocalFileError, String(caught));
    assert.match(caught.message, /cannot be read \(EISDIR\)/);
  });
});
