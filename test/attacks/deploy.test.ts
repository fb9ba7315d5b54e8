/**
 * Deploying to a region as a stranger would: regions without Lambda Function URLs or the
 * Parameters and Secrets extension layer (for the chosen architecture), outside the aws
 * partition, unknown, or not given at all (no silent us-east-1) are refused with the list of
 * supported regions. Then what the deployed template promises: throttled Lambda tasks retried,
 * the public function's concurrency reserved, the vended log group, the alarm and its e-mail.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { before, describe, it } from 'node:test';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { addCostbotStacks } from '../../infra/costbot-app.ts';
import { buildTestApp } from '../infra/support/synth.ts';
import { DEPLOY_CHECKS, INFRA_SETTING_CASES, REGION_CASES } from './cases.ts';

const ALARM_EMAIL = 'ops@example.com';

interface AslState {
  Type: string;
  Retry?: { ErrorEquals: string[] }[];
  ItemProcessor?: { States: Record<string, AslState> };
  Iterator?: { States: Record<string, AslState> };
}

/** Every Task state of the definition, Map bodies included. */
function tasks(states: Record<string, AslState>): [string, AslState][] {
  return Object.entries(states).flatMap(([name, state]): [string, AslState][] => {
    const inner = state.ItemProcessor?.States ?? state.Iterator?.States;
    return [
      ...(state.Type === 'Task' ? [[name, state] as [string, AslState]] : []),
      ...(inner ? tasks(inner) : []),
    ];
  });
}

describe('Attacks: deploying to a region', () => {
  for (const c of REGION_CASES) {
    it(`region ${c.region ?? '(none, CDK_DEFAULT_REGION=us-east-1)'} with ${c.architecture}: ${c.accepted ? 'accepted' : 'refused, listing the supported regions'}`, () => {
      // Prepare
      const app = new App({
        context: {
          'aws:cdk:bundling-stacks': [],
          architecture: c.architecture,
          withBot: false,
          ...(c.region ? { region: c.region } : {}),
        },
      });

      // Act: as infra/app.ts does, with the CDK CLI's fallback region in the environment.
      const act = () =>
        addCostbotStacks(app, { CDK_DEFAULT_REGION: 'us-east-1' }, { requireRegion: true });

      // Assess
      if (c.accepted) {
        const { costbot } = act();
        assert.equal(costbot.region, c.region);
        return;
      }
      assert.throws(act, (error: Error & { setting?: string }) => {
        assert.equal(error.name, 'ConfigError', error.message);
        assert.equal(error.setting, 'region');
        assert.match(error.message, /eu-west-1/, 'lists the supported regions');
        assert.doesNotMatch(error.message, /\n/);
        return true;
      });
    });
  }
});

describe('Attacks: bad deploy settings (CDK context)', () => {
  for (const c of INFRA_SETTING_CASES) {
    it(`-c ${c.key}=${c.value}: ConfigError naming ${c.key}`, () => {
      // Prepare
      const app = new App({
        context: {
          'aws:cdk:bundling-stacks': [],
          region: 'eu-west-1',
          withBot: false,
          [c.key]: c.value,
        },
      });

      // Act
      const act = () => addCostbotStacks(app, {}, { requireRegion: true });

      // Assess
      assert.throws(act, (error: Error & { setting?: string }) => {
        assert.equal(error.name, 'ConfigError', error.message);
        assert.equal(error.setting, c.key);
        return true;
      });
    });
  }
});

describe('Attacks: what the deployed template promises', () => {
  let template: Template;

  before(() => {
    const { costbot } = buildTestApp({ alarmEmail: ALARM_EMAIL });
    template = Template.fromStack(costbot);
  });

  const [throttled, reserved, logGroup, alarm] = DEPLOY_CHECKS;

  it(`${throttled?.label} ${throttled?.expected}`, async () => {
    // Prepare
    const definition = JSON.parse(
      await readFile(
        new URL('../../infra/state-machine/definition.asl.json', import.meta.url),
        'utf8',
      ),
    ) as { States: Record<string, AslState> };

    // Act
    const all = tasks(definition.States);
    const missing = all
      .filter(
        ([, state]) =>
          !state.Retry?.some((r) => r.ErrorEquals.includes('Lambda.TooManyRequestsException')),
      )
      .map(([name]) => name);

    // Assess
    assert.ok(all.length >= 6, `found ${all.length} tasks`);
    assert.deepEqual(missing, []);
  });

  it(`${reserved?.label} ${reserved?.expected}`, () => {
    // Act
    const urls = Object.values(template.findResources('AWS::Lambda::Url'));
    const functions = template.findResources('AWS::Lambda::Function');
    const targets = urls.map((u) => JSON.stringify(u.Properties.TargetFunctionArn));

    // Assess
    assert.ok(urls.length >= 1, 'a Function URL');
    for (const target of targets) {
      const [logicalId, fn] =
        Object.entries(functions).find(([id]) => target.includes(`"${id}"`)) ?? [];
      assert.ok(fn, `the URL's function ${target}`);
      const concurrency = fn.Properties.ReservedConcurrentExecutions as number | undefined;
      assert.ok(
        concurrency !== undefined && concurrency > 0,
        `${logicalId} has reserved concurrency`,
      );
    }
  });

  it(`${logGroup?.label} ${logGroup?.expected}`, () => {
    // Act
    const groups = Object.entries(template.findResources('AWS::Logs::LogGroup'));
    const machines = Object.values(template.findResources('AWS::StepFunctions::StateMachine'));
    const destinations = machines.map((m) => JSON.stringify(m.Properties.LoggingConfiguration));

    // Assess
    assert.equal(machines.length, 1);
    const [id, group] =
      groups.find(([logicalId]) => destinations[0]?.includes(`"${logicalId}"`)) ?? [];
    assert.ok(group, `the state machine logs to a log group of this stack: ${destinations[0]}`);
    assert.match(String(group.Properties.LogGroupName), /^\/aws\/vendedlogs\/states\//, String(id));
  });

  it(`${alarm?.label}: ${alarm?.expected}`, () => {
    // Act
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm'));
    const topics = Object.keys(template.findResources('AWS::SNS::Topic'));
    const subscriptions = Object.values(template.findResources('AWS::SNS::Subscription'));

    // Assess
    const failed = alarms.filter((a) => JSON.stringify(a.Properties).includes('ExecutionsFailed'));
    assert.ok(failed.length >= 1, 'an alarm on ExecutionsFailed');
    const actions = JSON.stringify(failed.map((a) => a.Properties.AlarmActions));
    assert.ok(
      topics.some((t) => actions.includes(`"${t}"`)),
      'it notifies an SNS topic',
    );
    assert.ok(
      subscriptions.some(
        (s) => s.Properties.Protocol === 'email' && s.Properties.Endpoint === ALARM_EMAIL,
      ),
      'the e-mail address is subscribed',
    );
  });
});
