/**
 * The state machine definition exactly as CDK synthesizes it, as ASL JSON, for the local
 * runner and the tests. Lambda ARNs (tokens in a deployed stack) become fixed placeholders;
 * the local runner replaces every Task with a local handler by state name anyway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Function as LambdaFunction } from 'aws-cdk-lib/aws-lambda';
import type { AslDefinition, AslVariant } from './asl.ts';
import { type CostReportFunctions, CostReportStateMachine } from './definition.ts';

export const PLACEHOLDER_ACCOUNT = '123456789012';
export const PLACEHOLDER_REGION = 'us-east-1';

export function placeholderFunctionArn(name: string): string {
  return `arn:aws:lambda:${PLACEHOLDER_REGION}:${PLACEHOLDER_ACCOUNT}:function:${name}`;
}

type CfnValue = string | { [fn: string]: unknown };

/** Resolves a CloudFormation `DefinitionString`: a string, or `Fn::Join` of strings and ARNs. */
export function resolveDefinitionString(value: unknown): AslDefinition {
  const resolve = (part: CfnValue): string => {
    if (typeof part === 'string') return part;
    const getAtt = part['Fn::GetAtt'];
    if (Array.isArray(getAtt) && getAtt[1] === 'Arn')
      return placeholderFunctionArn(String(getAtt[0]));
    if (part.Ref === 'AWS::Partition') return 'aws';
    if (part.Ref === 'AWS::Region') return PLACEHOLDER_REGION;
    if (part.Ref === 'AWS::AccountId') return PLACEHOLDER_ACCOUNT;
    throw new Error(`Cannot resolve ${JSON.stringify(part)} in the state machine definition.`);
  };
  if (typeof value === 'string') return JSON.parse(value) as AslDefinition;
  const join = (value as { 'Fn::Join'?: [string, CfnValue[]] })['Fn::Join'];
  if (!join) throw new Error('DefinitionString is neither a string nor Fn::Join.');
  return JSON.parse(join[1].map(resolve).join(join[0])) as AslDefinition;
}

/** Finds the one state machine in a synthesized template and returns its definition. */
export function definitionFromTemplate(template: {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
}): AslDefinition {
  const machines = Object.values(template.Resources).filter(
    (r) => r.Type === 'AWS::StepFunctions::StateMachine',
  );
  if (machines.length !== 1)
    throw new Error(`Expected one state machine, found ${machines.length}.`);
  return resolveDefinitionString(machines[0]?.Properties?.DefinitionString);
}

const cached = new Map<boolean, AslDefinition>();

/**
 * Synthesizes the construct in a bare stack (imported functions) and returns its ASL: with
 * stable links, without the Sign state, as the stack builds it (`sign: !stableLinks`).
 */
export function synthesizeDefinition(links: AslVariant): AslDefinition {
  const done = cached.get(links.stableLinks);
  if (done) return done;
  const outdir = mkdtempSync(join(tmpdir(), 'costbot-synth-'));
  try {
    const app = new App({ outdir });
    const stack = new Stack(app, 'CostbotDefinition', {
      env: { account: PLACEHOLDER_ACCOUNT, region: PLACEHOLDER_REGION },
    });
    const fn = (name: string) =>
      LambdaFunction.fromFunctionAttributes(stack, name, {
        functionArn: placeholderFunctionArn(`costbot-${name}`),
        sameEnvironment: true,
      });
    const sign = !links.stableLinks;
    const functions: CostReportFunctions = {
      fetch: fn('fetch'),
      summarize: fn('summarize'),
      chart: fn('chart'),
      ...(sign ? { sign: fn('sign') } : {}),
      post: fn('post'),
    };
    new CostReportStateMachine(stack, 'CostReport', { functions, sign });
    const assembly = app.synth();
    const definition = definitionFromTemplate(
      assembly.getStackByName(stack.stackName).template as Parameters<
        typeof definitionFromTemplate
      >[0],
    );
    cached.set(links.stableLinks, definition);
    return definition;
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
