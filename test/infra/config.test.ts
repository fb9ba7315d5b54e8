/** Deploy-time settings from CDK context: documented defaults, and errors that name the key. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../common/errors.ts';
import { INFRA_DEFAULTS, loadInfraConfig } from '../../infra/config.ts';

function context(values: Record<string, unknown>) {
  return { tryGetContext: (key: string): unknown => values[key] };
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
    assert.equal(config.chartRetentionDays, 30);
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
