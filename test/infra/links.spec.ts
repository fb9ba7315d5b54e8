/**
 * The links function as synthesized: its own Function URL (auth NONE, the token is the auth)
 * with reserved concurrency, the post step told the URL and allowed the HMAC key, and one
 * setting (chartRetentionDays) for the bucket's lifecycle and the links' lifetime. With
 * stableLinks=false none of it exists and the post step reads no HMAC key.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { INFRA_DEFAULTS } from '../../infra/config.ts';
import { type CostbotStack, OUTPUTS } from '../../infra/stacks/costbot-stack.ts';
import { buildTestApp, defaultTestApp, presignedTestApp } from './support/synth.ts';

type Variables = Record<string, unknown>;

function logicalId(construct: IConstruct, stack: Stack): string {
  return stack.resolve(stack.getLogicalId(construct.node.defaultChild as CfnElement)) as string;
}

function properties(template: Template, stack: Stack, construct: IConstruct): Variables {
  const props = template.toJSON().Resources[logicalId(construct, stack)]?.Properties;
  assert.ok(props, `${construct.node.path} is in the template`);
  return props as Variables;
}

function environment(template: Template, stack: Stack, fn: IConstruct): Variables {
  return (properties(template, stack, fn).Environment as { Variables: Variables }).Variables;
}

/** Every SSM parameter ARN the role's policies name, as text. */
function parametersReadBy(template: Template, stack: Stack, role: IConstruct): string {
  const id = logicalId(role, stack);
  const policies = Object.values(template.toJSON().Resources).filter(
    (r) =>
      (r as { Type: string }).Type === 'AWS::IAM::Policy' &&
      (JSON.stringify((r as { Properties: { Roles?: unknown } }).Properties.Roles) ?? '').includes(
        id,
      ),
  );
  return JSON.stringify(policies);
}

let stack: CostbotStack;
let template: Template;

describe('Stable links in the Costbot stack', () => {
  before(() => {
    stack = defaultTestApp().costbot;
    template = Template.fromStack(stack);
  });

  it('serve the links function behind its own Function URL, auth NONE, with reserved concurrency', () => {
    // Prepare
    assert.ok(stack.links);
    const fn = logicalId(stack.links.function, stack);
    // Act
    const urls = template.findResources('AWS::Lambda::Url');
    const props = properties(template, stack, stack.links.function);
    // Assess
    const mine = Object.values(urls).filter((u) =>
      JSON.stringify(u.Properties?.TargetFunctionArn).includes(fn),
    );
    assert.equal(mine.length, 1);
    assert.equal(mine[0]?.Properties?.AuthType, 'NONE');
    assert.equal(props.ReservedConcurrentExecutions, INFRA_DEFAULTS.linksReservedConcurrency);
    assert.equal(INFRA_DEFAULTS.linksReservedConcurrency, 5);
    const env = environment(template, stack, stack.links.function);
    assert.equal(env.COSTBOT_PARAM_LINK_KEY, '/costbot/links/hmac-key');
    assert.equal(env.COSTBOT_CHART_PREFIX, 'charts/');
    template.hasOutput(OUTPUTS.linksUrl, {
      Value: { 'Fn::GetAtt': [logicalId(stack.links.url, stack), 'FunctionUrl'] },
    });
    template.hasOutput(OUTPUTS.linkKeyParameter, { Value: '/costbot/links/hmac-key' });
  });

  it('tell the post step the links URL and let it read the HMAC key; no other step', () => {
    // Prepare
    assert.ok(stack.links);
    const url = { 'Fn::GetAtt': [logicalId(stack.links.url, stack), 'FunctionUrl'] };
    const { post, ...others } = stack.report.roles;
    // Act
    const postEnv = environment(template, stack, stack.report.functions.post);
    // Assess
    assert.deepEqual(postEnv.COSTBOT_LINKS_URL, url);
    assert.match(parametersReadBy(template, stack, post), /links\/hmac-key/);
    for (const role of Object.values(others)) {
      assert.doesNotMatch(parametersReadBy(template, stack, role), /hmac-key/);
    }
  });

  it("leave the sign function, its role and its state out: the links function alone reads the signer's keys", () => {
    // Prepare
    assert.ok(stack.links);
    const links = stack.links.function.role;
    assert.ok(links);
    // Act
    const readers = Object.values(stack.report.roles).filter((role) =>
      /signer\/(access-key-id|secret-access-key)/.test(parametersReadBy(template, stack, role)),
    );
    // Assess
    assert.equal(stack.report.functions.sign, undefined);
    assert.equal(stack.report.roles.sign, undefined);
    assert.deepEqual(readers, []);
    assert.match(parametersReadBy(template, stack, links), /signer\/secret-access-key/);
    assert.doesNotMatch(JSON.stringify(template.toJSON()), /costbot: presign the chart link/);
    assert.doesNotMatch(
      JSON.stringify(template.findResources('AWS::StepFunctions::StateMachine')),
      /\\"Sign\\"/,
    );
  });

  it("take the bucket's lifecycle and the links' lifetime from one setting (default 90 days)", () => {
    // Prepare
    const other = buildTestApp({ chartRetentionDays: '120', linksReservedConcurrency: '2' });
    const tpl = Template.fromStack(other.costbot);
    // Act
    const days = (t: Template, s: CostbotStack) =>
      [
        environment(t, s, s.report.functions.post).COSTBOT_CHART_RETENTION_DAYS,
        JSON.stringify(t.findResources('AWS::S3::Bucket')).match(/"ExpirationInDays":(\d+)/)?.[1],
      ] as const;
    // Assess
    assert.deepEqual(days(template, stack), ['90', '90']);
    assert.deepEqual(days(tpl, other.costbot), ['120', '120']);
    assert.ok(other.costbot.links);
    assert.equal(
      properties(tpl, other.costbot, other.costbot.links.function).ReservedConcurrentExecutions,
      2,
    );
    assert.throws(() => buildTestApp({ chartRetentionDays: '6' }), /chartRetentionDays/);
  });

  it('are left out with stableLinks=false: no function, no URL for the post step, no HMAC key read', () => {
    // Prepare
    const off = presignedTestApp().costbot;
    // Act
    const tpl = Template.fromStack(off);
    // Assess
    assert.equal(off.links, undefined);
    // The sign function instead of the links function.
    tpl.resourceCountIs('AWS::Lambda::Function', 6);
    assert.ok(off.report.functions.sign && off.report.roles.sign);
    assert.match(parametersReadBy(tpl, off, off.report.roles.sign), /signer\/secret-access-key/);
    const sign = properties(tpl, off, off.report.functions.sign);
    assert.equal(
      environment(tpl, off, off.report.functions.sign).PARAMETERS_SECRETS_EXTENSION_HTTP_PORT,
      '2773',
    );
    assert.equal((sign.Layers as unknown[]).length, 1);
    assert.match(
      JSON.stringify(tpl.findResources('AWS::StepFunctions::StateMachine')),
      /\\"Sign\\"/,
    );
    tpl.resourceCountIs('AWS::Lambda::Url', 1);
    assert.equal(environment(tpl, off, off.report.functions.post).COSTBOT_LINKS_URL, undefined);
    assert.doesNotMatch(parametersReadBy(tpl, off, off.report.roles.post), /hmac-key/);
    assert.deepEqual(Object.keys(tpl.findOutputs(OUTPUTS.linksUrl)), []);
    // npm run setup still makes the key: turning stable links on later needs no second setup.
    tpl.hasOutput(OUTPUTS.linkKeyParameter, { Value: '/costbot/links/hmac-key' });
  });
});
