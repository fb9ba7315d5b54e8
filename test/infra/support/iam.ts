/**
 * Evaluates the IAM policies of a synthesized template with `@cloud-copilot/iam-simulate`
 * (AGPL-3.0: a test-only dev dependency, never bundled into a Lambda).
 */
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { type CfnTemplate, type Pseudo, resolve } from './cfn.ts';

export interface Statement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Action?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
  Principal?: unknown;
}

export interface PolicyDocument {
  Version: string;
  Statement: Statement[];
}

export type Decision = 'Allowed' | 'ImplicitlyDenied' | 'ExplicitlyDenied';

/** Every identity policy of a role or user (inline `Policies` and attached `AWS::IAM::Policy`). */
export function identityPolicies(
  template: CfnTemplate,
  principalId: string,
  p: Pseudo,
): PolicyDocument[] {
  const principal = template.Resources[principalId];
  if (!principal) throw new Error(`No resource ${principalId}`);
  if (principal.Properties?.ManagedPolicyArns) {
    throw new Error(
      `${principalId} has managed policies: ${JSON.stringify(principal.Properties.ManagedPolicyArns)}`,
    );
  }
  const docs: PolicyDocument[] = [];
  const inline = (principal.Properties?.Policies ?? []) as { PolicyDocument: unknown }[];
  for (const policy of inline)
    docs.push(resolve(template, policy.PolicyDocument, p) as PolicyDocument);
  const key = principal.Type === 'AWS::IAM::User' ? 'Users' : 'Roles';
  for (const r of Object.values(template.Resources)) {
    if (r.Type !== 'AWS::IAM::Policy' && r.Type !== 'AWS::IAM::ManagedPolicy') continue;
    const attached = (r.Properties?.[key] ?? []) as { Ref?: string }[];
    if (attached.some((a) => a.Ref === principalId)) {
      docs.push(resolve(template, r.Properties?.PolicyDocument, p) as PolicyDocument);
    }
  }
  return docs;
}

/**
 * iam-simulate 0.1.173 ignores `kms:EncryptionContext:<key>` request context (its match for
 * keys with a variable part only handles `/`-separated keys such as `aws:PrincipalTag/x`), so
 * a statement conditioned on it never matches. The simulation runs without that condition;
 * the tests check the condition's values on the template instead.
 */
export const UNSIMULATED_CONDITION_KEY = 'kms:EncryptionContext:PARAMETER_ARN';

export function withoutUnsimulatedConditions(policies: PolicyDocument[]): PolicyDocument[] {
  return policies.map((doc) => ({
    ...doc,
    Statement: doc.Statement.map((statement) => {
      if (!statement.Condition) return statement;
      const Condition = Object.fromEntries(
        Object.entries(statement.Condition).map(([operator, keys]) => [
          operator,
          Object.fromEntries(
            Object.entries(keys).filter(([key]) => key !== UNSIMULATED_CONDITION_KEY),
          ),
        ]),
      );
      return { ...statement, Condition };
    }),
  }));
}

export interface Request {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** The resource's own policy, e.g. a role's trust policy for sts:AssumeRole. */
  resourcePolicy?: PolicyDocument;
}

/** The account id in an ARN; S3 object ARNs have none, they belong to `fallback`. */
function accountOf(arn: string, fallback: string): string {
  const account = arn.split(':')[4];
  return account && /^\d{12}$/.test(account) ? account : fallback;
}

/**
 * KMS decides with the key policy first: the simulation uses the default key policy of a
 * customer managed key, which delegates to the account's IAM policies, so the identity policy
 * decides. (With the AWS managed `aws/ssm` key, the key policy itself lets every principal of
 * the account decrypt through SSM: there, `ssm:GetParameter` on the parameter is the gate.)
 */
function defaultKeyPolicy(account: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'Enable IAM User Permissions',
        Effect: 'Allow',
        Principal: { AWS: `arn:aws:iam::${account}:root` },
        Action: 'kms:*',
        Resource: '*',
      },
    ],
  };
}

/** Allowed or denied, by identity policies (no SCP; a KMS key has its default key policy). */
export async function decide(
  policies: PolicyDocument[],
  principalArn: string,
  request: Request,
  account: string,
): Promise<Decision> {
  const result = await runSimulation(
    {
      request: {
        principal: principalArn,
        action: request.action,
        resource: { resource: request.resource, accountId: accountOf(request.resource, account) },
        contextVariables: request.context ?? {},
      },
      identityPolicies: withoutUnsimulatedConditions(policies).map((policy, i) => ({
        name: `policy${i}`,
        policy,
      })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      ...(request.resourcePolicy
        ? { resourcePolicy: request.resourcePolicy }
        : request.action.startsWith('kms:')
          ? { resourcePolicy: defaultKeyPolicy(account) }
          : {}),
    },
    {},
  );
  if (result.resultType === 'error') {
    throw new Error(
      `Simulation of ${request.action} on ${request.resource} failed: ${JSON.stringify(result.errors)}`,
    );
  }
  return result.overallResult as Decision;
}

/** Every statement of every IAM policy (identity, trust, bucket) in the template. */
export function allStatements(template: CfnTemplate): { where: string; statement: Statement }[] {
  const out: { where: string; statement: Statement }[] = [];
  const add = (where: string, doc: unknown) => {
    const statements = (doc as { Statement?: Statement[] } | undefined)?.Statement ?? [];
    for (const statement of statements) out.push({ where, statement });
  };
  for (const [id, r] of Object.entries(template.Resources)) {
    const props = r.Properties ?? {};
    if ('PolicyDocument' in props) add(id, props.PolicyDocument);
    if ('AssumeRolePolicyDocument' in props) add(`${id} (trust)`, props.AssumeRolePolicyDocument);
    for (const inline of (props.Policies ?? []) as { PolicyDocument?: unknown }[]) {
      add(id, inline.PolicyDocument);
    }
  }
  return out;
}
