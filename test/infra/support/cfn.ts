/**
 * Turns a synthesized CloudFormation template's intrinsic functions into the literal strings
 * they become once deployed, with deterministic fake physical names (the logical id), so IAM
 * policies can be evaluated offline.
 */
export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs?: Record<string, { Value: unknown }>;
}

export interface Pseudo {
  account: string;
  region: string;
}

/** The fake physical name of a resource: its logical id (lower-cased for buckets). */
function physicalName(id: string, type: string): string {
  return type === 'AWS::S3::Bucket' ? id.toLowerCase() : id;
}

export function refOf(template: CfnTemplate, id: string, p: Pseudo): string {
  const r = template.Resources[id];
  if (!r) throw new Error(`Ref to unknown resource ${id}`);
  switch (r.Type) {
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${p.region}:${p.account}:stateMachine:${id}`;
    default:
      return physicalName(id, r.Type);
  }
}

export function arnOf(template: CfnTemplate, id: string, p: Pseudo): string {
  const r = template.Resources[id];
  if (!r) throw new Error(`GetAtt of unknown resource ${id}`);
  const name = physicalName(id, r.Type);
  switch (r.Type) {
    case 'AWS::S3::Bucket':
      return `arn:aws:s3:::${name}`;
    case 'AWS::IAM::Role':
      return `arn:aws:iam::${p.account}:role/${name}`;
    case 'AWS::IAM::User':
      return `arn:aws:iam::${p.account}:user/${name}`;
    case 'AWS::Logs::LogGroup':
      return `arn:aws:logs:${p.region}:${p.account}:log-group:${name}:*`;
    case 'AWS::Lambda::Function':
      return `arn:aws:lambda:${p.region}:${p.account}:function:${name}`;
    case 'AWS::StepFunctions::StateMachine':
      return `arn:aws:states:${p.region}:${p.account}:stateMachine:${name}`;
    default:
      throw new Error(`No ARN rule for ${r.Type} (${id})`);
  }
}

/** Deeply replaces Ref, Fn::GetAtt Arn and Fn::Join with strings. */
export function resolve(template: CfnTemplate, value: unknown, p: Pseudo): unknown {
  if (Array.isArray(value)) return value.map((v) => resolve(template, v, p));
  if (value === null || typeof value !== 'object') return value;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1) {
    if ('Ref' in obj) {
      const ref = String(obj.Ref);
      if (ref === 'AWS::Partition') return 'aws';
      if (ref === 'AWS::Region') return p.region;
      if (ref === 'AWS::AccountId') return p.account;
      if (ref === 'AWS::URLSuffix') return 'amazonaws.com';
      return refOf(template, ref, p);
    }
    if ('Fn::GetAtt' in obj) {
      const [id, attr] = obj['Fn::GetAtt'] as [string, string];
      if (attr !== 'Arn') throw new Error(`Unsupported GetAtt ${id}.${attr}`);
      return arnOf(template, id, p);
    }
    if ('Fn::Join' in obj) {
      const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
      return parts.map((part) => String(resolve(template, part, p))).join(sep);
    }
  }
  return Object.fromEntries(keys.map((k) => [k, resolve(template, obj[k], p)]));
}
