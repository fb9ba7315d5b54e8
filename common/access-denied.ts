/**
 * Turns AWS authorization errors into something a person can act on: who was refused, what
 * they tried, which kind of policy refused it, and the policy statement that would fix it.
 *
 * AWS says a lot in its AccessDenied messages ("User: X is not authorized to perform: A on
 * resource: R because no identity-based policy allows the A action"), but the sentence is long,
 * names an assumed-role session rather than the role you edit, and the fix differs by policy
 * type: an Allow fixes an implicit deny but never an explicit one or an SCP. This module reads
 * the message (and the SDK error around it) and says that plainly, for the Slack error reply
 * and for the logs.
 *
 * Pure: no AWS calls, no I/O. `explainAccessDenied` never throws, because it runs inside error
 * handlers where a second failure would hide the first.
 *
 * @example
 * const e = explainAccessDenied(error);
 * if (e) await say(formatExplanation(e));
 */
import { escapeMrkdwn } from './slack-message.ts';

export interface AccessDeniedExplanation {
  /** As given by AWS, e.g. arn:aws:sts::123456789012:assumed-role/costbot-fetch/costbot-fetch-fn. */
  principal: string | null;
  /** The IAM role behind an assumed-role principal (the thing you attach policies to); null if not a role. */
  role: string | null;
  /** e.g. ssm:GetParameter. */
  action: string | null;
  /** The resource AWS named; '*' when it named none; null when the message could not be read. */
  resource: string | null;
  cause:
    | 'no-identity-policy'
    | 'explicit-deny-identity'
    | 'explicit-deny-resource'
    | 'scp'
    | 'permissions-boundary'
    | 'session-policy'
    | 'resource-policy'
    | 'kms-key-policy'
    | 'trust-policy'
    | 'extension-token'
    | 'unknown';
  /** One plain sentence: why this happened. */
  causeText: string;
  /** One or two sentences: what to do. */
  fix: string;
  /** Minimal identity-policy statement that would allow the call; null when an Allow cannot fix it. */
  statement: { Effect: 'Allow'; Action: string; Resource: string } | null;
  /** The original message. */
  raw: string;
}

type Cause = AccessDeniedExplanation['cause'];
type Statement = NonNullable<AccessDeniedExplanation['statement']>;

/** Error names/codes that mean "authenticated, but not allowed". */
const AUTH_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AccessDeniedFault',
  'UnauthorizedOperation',
  'AuthorizationError',
  'AuthorizationErrorException',
  'AwsAccessDeniedError',
]);

/**
 * Codes that mean the credentials themselves are wrong (bad keys, expired token, clock skew).
 * No policy change fixes these, so they are not explained as access denied, even when a
 * wrapper (which maps every HTTP 403 to AwsAccessDeniedError) called them "denied".
 */
const CREDENTIAL_CODES = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidSignatureException',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'MissingAuthenticationTokenException',
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'RequestTimeTooSkewed',
  'InvalidToken',
  'TokenRefreshRequired',
  'CredentialsProviderError',
]);

/**
 * Action service → ARN services that are legitimately different (sts:AssumeRole acts on an IAM
 * role, ssm:StartSession on an EC2 instance). Any other mismatch is worth pointing out.
 */
const CROSS_SERVICE_OK: Record<string, readonly string[]> = {
  sts: ['iam'],
  ssm: ['ec2', 'ssm-contacts', 'ssm-incidents'],
  ssmmessages: ['ec2', 'ssm'],
  'ssm-guiconfig': ['ec2'],
  ebs: ['ec2'],
  'ec2-instance-connect': ['ec2'],
  'redshift-data': ['redshift', 'redshift-serverless'],
  'rds-data': ['rds'],
  'kafka-cluster': ['kafka'],
  'codestar-connections': ['codeconnections'],
  codeconnections: ['codestar-connections'],
  s3: ['s3-object-lambda', 's3express'],
};

/** Longer messages are cut before parsing: the part that matters comes first, and regexes stay cheap. */
const MAX_PARSE = 8_000;
/** Wrapped errors are followed this far through `cause`. */
const MAX_CAUSE_DEPTH = 5;

/** What one error (or one link of its `cause` chain) tells us. */
interface Facts {
  codes: string[];
  message: string;
  status: number | undefined;
}

/** What the "User: … is not authorized to perform: …" sentence says. */
interface Parsed {
  principal: string | null;
  action: string | null;
  resource: string | null;
  /** The policy type named after "because no" / "with an explicit deny in". */
  policy: PolicyKind | null;
  explicit: boolean;
  /** "with an explicit deny" without saying in which policy (older messages). */
  bareExplicit: boolean;
  /** KMS's "on the resource associated with this ciphertext" wording. */
  ciphertext: boolean;
}

type PolicyKind = 'identity' | 'resource' | 'scp' | 'rcp' | 'boundary' | 'session' | 'vpce';

/** Reads a property without trusting the object: getters and proxies may throw. */
function prop(value: unknown, key: string): unknown {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null)
    return undefined;
  try {
    return (value as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** `com.amazonaws.kms#AccessDeniedException` and `KMS.AccessDeniedException` → `AccessDeniedException`. */
function normalizeCode(code: string): string {
  const afterHash = code.slice(code.lastIndexOf('#') + 1);
  return afterHash.slice(afterHash.lastIndexOf('.') + 1).trim();
}

/** Codes quoted inside a message: CLI's "An error occurred (X) when calling" and our wrappers' "was denied (X):". */
function codesInMessage(message: string): string[] {
  const codes: string[] = [];
  for (const m of message.matchAll(
    /(?:An error occurred|was denied|failed) \(([A-Za-z][\w.#]*)\)/g,
  )) {
    if (m[1]) codes.push(normalizeCode(m[1]));
  }
  return codes;
}

function readFacts(node: unknown): Facts | null {
  if (typeof node === 'string') {
    return { codes: codesInMessage(node), message: node, status: undefined };
  }
  if (typeof node !== 'object' || node === null) return null;
  const codes: string[] = [];
  for (const key of ['name', 'Code', 'code', '__type']) {
    const value = str(prop(node, key));
    if (value !== undefined) codes.push(normalizeCode(value));
  }
  const message = str(prop(node, 'message')) ?? str(prop(node, 'Message')) ?? '';
  codes.push(...codesInMessage(message));
  const metadata = prop(node, '$metadata');
  const status = [
    prop(metadata, 'httpStatusCode'),
    prop(node, 'statusCode'),
    prop(node, 'status'),
  ].find((s): s is number => typeof s === 'number');
  return { codes, message, status };
}

/** The error and its `cause` chain, outermost first; stops on cycles. */
function chain(error: unknown): Facts[] {
  const out: Facts[] = [];
  const seen = new Set<unknown>();
  let node = error;
  for (let depth = 0; depth < MAX_CAUSE_DEPTH && node !== undefined && node !== null; depth++) {
    if (seen.has(node)) break;
    seen.add(node);
    const facts = readFacts(node);
    if (facts === null) break;
    out.push(facts);
    node = prop(node, 'cause');
  }
  return out;
}

const USER_CLAUSE = /(?:\bUser: (\S+)|(?:^|\s)(arn:\S+)) is not authorized to perform:? (\S+)/;

function policyKind(phrase: string): PolicyKind {
  const p = phrase.toLowerCase();
  if (p.startsWith('identity')) return 'identity';
  if (p.startsWith('resource-based')) return 'resource';
  if (p.startsWith('service control')) return 'scp';
  if (p.startsWith('resource control')) return 'rcp';
  if (p.startsWith('permissions boundary')) return 'boundary';
  if (p.startsWith('session')) return 'session';
  return 'vpce';
}

const POLICY_PHRASE =
  '(identity-based polic(?:y|ies)|resource-based polic(?:y|ies)|service control polic(?:y|ies)|resource control polic(?:y|ies)|permissions boundary|session polic(?:y|ies)|VPC endpoint polic(?:y|ies))';
const NO_ALLOW = new RegExp(`\\bbecause no ${POLICY_PHRASE} allows?\\b`, 'i');
const EXPLICIT = new RegExp(`\\bwith an explicit deny in (?:an? |the )?${POLICY_PHRASE}`, 'i');

function isValidAction(action: string): boolean {
  return /^[A-Za-z0-9-]+:[A-Za-z0-9*]+$/.test(action);
}

/** '*' or a full ARN: what an IAM policy's Resource accepts. */
function isPolicyResource(resource: string): boolean {
  return (
    resource === '*' || /^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(?:\d{12}|aws)?:\S+$/.test(resource)
  );
}

function parseUserClause(text: string): Parsed | null {
  const m = USER_CLAUSE.exec(text);
  if (!m) return null;
  const principal = m[1] ?? m[2] ?? null;
  let actionToken = m[3] ?? '';
  let sentenceEnded = false;
  const trailing = /[.,;]$/.exec(actionToken);
  if (trailing) {
    sentenceEnded = trailing[0] === '.';
    actionToken = actionToken.slice(0, -1);
  }
  const action = isValidAction(actionToken) ? actionToken : null;
  const rest = text.slice(m.index + m[0].length);

  let resource: string | null = null;
  let ciphertext = false;
  const onResource = /^\s+on resource:\s*(?:"([^"]*)"|(\S+))/.exec(rest);
  if (onResource) {
    if (onResource[1] !== undefined) resource = onResource[1];
    else {
      const token = (onResource[2] ?? '').replace(/[.,;]$/, '');
      // A lone opening quote means the message was cut inside the resource name.
      resource = token === '' || token.startsWith('"') ? null : token;
    }
  } else if (/^\s+on the resource associated with this ciphertext/i.test(rest)) {
    resource = '*';
    ciphertext = true;
  } else if (sentenceEnded || /^\s*$/.test(rest) || /^\s+(?:because|with)\b/.test(rest)) {
    resource = '*';
  }
  // Anything else ("... on resou") is a cut or unfamiliar message: better no resource than a wrong '*'.
  // A cut action ("ssm:") means the rest of the sentence is missing too.
  if (action === null) resource = null;

  const explicitMatch = EXPLICIT.exec(rest);
  const noAllowMatch = NO_ALLOW.exec(rest);
  const phrase = explicitMatch?.[1] ?? noAllowMatch?.[1];
  return {
    principal,
    action,
    resource,
    policy: phrase === undefined ? null : policyKind(phrase),
    explicit: explicitMatch !== null,
    bareExplicit: explicitMatch === null && /\bwith an explicit deny\b/i.test(rest),
    ciphertext,
  };
}

/** arn:P:sts::ACCT:assumed-role/NAME/SESSION → arn:P:iam::ACCT:role/NAME (the path is not in the ARN). */
function roleOf(principal: string | null): string | null {
  if (principal === null) return null;
  const assumed = /^arn:(aws[a-z-]*):sts::(\d{12}):assumed-role\/([^/\s]+)\/\S+$/.exec(principal);
  if (assumed) return `arn:${assumed[1]}:iam::${assumed[2]}:role/${assumed[3]}`;
  if (/^arn:aws[a-z-]*:iam::\d{12}:role\/\S+$/.test(principal)) return principal;
  return null;
}

function arnService(resource: string | null): string | null {
  if (resource === null) return null;
  const m = /^arn:aws[a-z-]*:([a-z0-9-]+):/.exec(resource);
  return m?.[1] ?? null;
}

function arnRegion(resource: string | null): string | null {
  if (resource === null) return null;
  const m = /^arn:aws[a-z-]*:[a-z0-9-]+:([a-z0-9-]+):/.exec(resource);
  return m?.[1] ?? null;
}

/** Text bits shared by the sentences below. */
interface Words {
  who: string;
  action: string;
  on: string;
}

function words(
  principal: string | null,
  role: string | null,
  action: string | null,
  resource: string | null,
): Words {
  return {
    who: role ?? principal ?? 'the caller',
    action: action ?? 'the action',
    on: resource === null || resource === '*' ? '' : ` on ${resource}`,
  };
}

/** The one-sentence hint added to a fix; the most specific one wins so fixes stay short. */
function hintFor(
  { cause, statementOk }: Draft,
  action: string | null,
  resource: string | null,
  principalWho: string,
  encoded: boolean,
): string | null {
  const actionService = action?.split(':')[0]?.toLowerCase() ?? null;
  const resourceService = arnService(resource);
  if (
    actionService !== null &&
    resourceService !== null &&
    actionService !== resourceService &&
    !(CROSS_SERVICE_OK[actionService] ?? []).includes(resourceService)
  ) {
    return (
      `Note the action is for ${actionService} but the resource is a ${resourceService} ARN: ` +
      'check the ARN the code asks for and the Resource in the policy for a wrong or misspelt service.'
    );
  }
  // Only when the caller's side may be at fault too; otherwise the fix already names the trust policy.
  const assumeRole = /^sts:AssumeRole/i.test(action ?? '') && statementOk;
  if (assumeRole && resource !== null && resource !== '*') {
    const target = resource.split('/').pop() ?? resource;
    return (
      `The trust policy of ${target} must also name ${principalWho} as Principal ` +
      '(the role ARN itself, not the account root and not the assumed-role session ARN).'
    );
  }
  if (cause === 'kms-key-policy') {
    const region = arnRegion(resource) ?? '<region>';
    return `To allow it only through Parameter Store, add the condition kms:ViaService = ssm.${region}.amazonaws.com.`;
  }
  if (/^iam:PassRole$/i.test(action ?? '') && statementOk) {
    return (
      'Allow it only toward the service that uses the role: add the condition iam:PassedToService = ' +
      "scheduler.amazonaws.com (costbot passes a role only when it creates a subscription's schedule)."
    );
  }
  if (encoded) {
    return 'Decode the details with `aws sts decode-authorization-message --encoded-message <message>` (needs sts:DecodeAuthorizationMessage).';
  }
  if (cause === 'no-identity-policy' && resource !== null && resource !== '*') {
    return (
      'If a policy already seems to allow this, compare its Resource with this ARN character by ' +
      'character: a misspelt service such as arn:aws:ksm: for kms matches nothing, and the error cannot show it.'
    );
  }
  return null;
}

interface Draft {
  cause: Cause;
  causeText: string;
  fix: string;
  statementOk: boolean;
}

/** Cause, sentences and whether an Allow can fix it, from a parsed "User: …" sentence. */
function draftFromClause(p: Parsed, role: string | null): Draft {
  const w = words(p.principal, role, p.action, p.resource);
  const isKms = p.action?.toLowerCase().startsWith('kms:') ?? false;
  const isAssumeRole = /^sts:AssumeRole/i.test(p.action ?? '');
  const statement = 'the statement below';

  if (p.ciphertext) {
    return kmsKeyDraft(w);
  }
  if (p.bareExplicit) {
    return {
      cause: 'unknown',
      causeText: `An explicit Deny blocks ${w.action}${w.on} for ${w.who}, and AWS does not say in which policy.`,
      fix: `Look for a Deny covering ${w.action} in the policies of ${w.who}, the resource's policy, its permissions boundary and your organization's SCPs; adding an Allow will not help.`,
      statementOk: false,
    };
  }
  switch (p.policy) {
    case 'identity':
      return p.explicit
        ? {
            cause: 'explicit-deny-identity',
            causeText: `A Deny statement in a policy attached to ${w.who} blocks ${w.action}${w.on}.`,
            fix: `Find the Deny covering ${w.action} in the policies attached to ${w.who} (inline, managed, and its groups for a user) and narrow or remove it; adding an Allow will not help.`,
            statementOk: false,
          }
        : {
            cause: 'no-identity-policy',
            causeText: `No policy attached to ${w.who} allows ${w.action}${w.on}.`,
            fix: `Add ${statement} to a policy attached to ${w.who}.`,
            statementOk: true,
          };
    case 'resource':
      if (isAssumeRole) {
        return {
          cause: 'trust-policy',
          causeText: p.explicit
            ? `The trust policy of ${p.resource ?? 'the target role'} explicitly denies ${w.who}.`
            : `The trust policy of ${p.resource ?? 'the target role'} does not let ${w.who} assume it.`,
          fix: p.explicit
            ? `Remove the Deny for ${w.who} from the trust policy of ${p.resource ?? 'the target role'}.`
            : `Add ${w.who} as Principal, with Action sts:AssumeRole, to the trust policy of ${p.resource ?? 'the target role'}.`,
          statementOk: false,
        };
      }
      if (p.explicit) {
        return {
          cause: 'explicit-deny-resource',
          causeText: isKms
            ? `A Deny statement in the KMS key policy${w.on} blocks ${w.action} for ${w.who}.`
            : `A Deny statement in the resource's own policy${w.on} blocks ${w.action} for ${w.who}.`,
          fix: `Find the Deny covering ${w.action} in the resource's policy (bucket policy, key policy, queue policy or similar)${w.on} and narrow or remove it; adding an Allow will not help.`,
          statementOk: false,
        };
      }
      if (isKms) return kmsKeyDraft(w);
      return {
        cause: 'resource-policy',
        causeText: `The policy on the resource${w.on} does not grant ${w.action} to ${w.who}.`,
        fix: `Add an Allow for ${w.action} with Principal ${w.who} to the resource's policy (for example the bucket policy); for cross-account access the caller also needs ${statement} in its own policy.`,
        statementOk: true,
      };
    case 'scp':
    case 'rcp': {
      const kind = p.policy === 'scp' ? 'service control policy' : 'resource control policy';
      return {
        cause: 'scp',
        causeText: p.explicit
          ? `A ${kind} of your AWS Organization explicitly denies ${w.action}${w.on}.`
          : `No ${kind} of your AWS Organization allows ${w.action}${w.on}.`,
        fix: `Ask your AWS Organizations administrator to change the ${kind} that blocks ${w.action}; no policy in this account can override it.`,
        statementOk: false,
      };
    }
    case 'boundary':
      return p.explicit
        ? {
            cause: 'permissions-boundary',
            causeText: `The permissions boundary on ${w.who} explicitly denies ${w.action}${w.on}.`,
            fix: `Remove or narrow the Deny for ${w.action} in the permissions boundary set on ${w.who}; adding an Allow will not help.`,
            statementOk: false,
          }
        : {
            cause: 'permissions-boundary',
            causeText: `The permissions boundary on ${w.who} does not allow ${w.action}${w.on}, so the role's own Allow has no effect.`,
            fix: `Add ${statement} to the permissions boundary policy set on ${w.who} as well as to its own policy, or remove the boundary.`,
            statementOk: true,
          };
    case 'session':
      return p.explicit
        ? {
            cause: 'session-policy',
            causeText: `The session policy passed when this session was created explicitly denies ${w.action}${w.on}.`,
            fix: `Remove the Deny for ${w.action} from the session policy passed to AssumeRole (or GetFederationToken); adding an Allow to the role will not help.`,
            statementOk: false,
          }
        : {
            cause: 'session-policy',
            causeText: `The session policy passed when this session was created does not allow ${w.action}${w.on}.`,
            fix: `Include ${statement} in the session policy passed to AssumeRole, or stop passing one; a session policy can only narrow the role's permissions.`,
            statementOk: true,
          };
    case 'vpce':
      return {
        cause: 'unknown',
        causeText: p.explicit
          ? `The VPC endpoint policy the request went through explicitly denies ${w.action}${w.on}.`
          : `The VPC endpoint policy the request went through does not allow ${w.action}${w.on}.`,
        fix: p.explicit
          ? `Remove or narrow the Deny for ${w.action} in the VPC endpoint's policy; adding an Allow to the role will not help.`
          : `Allow ${w.action}${w.on} in the policy of the VPC endpoint the function uses (or use the default full-access endpoint policy).`,
        statementOk: !p.explicit,
      };
    case null:
      break;
  }
  if (isAssumeRole) {
    // STS does not say which side refused: the caller's own policy or the target's trust policy.
    const target = p.resource ?? 'the target role';
    return {
      cause: 'trust-policy',
      causeText: `Either no policy of ${w.who} allows ${w.action} on ${target}, or the trust policy of ${target} does not trust ${w.who}; AWS does not say which.`,
      fix: `Allow ${w.action} on ${target} in a policy attached to ${w.who} (${statement}).`,
      statementOk: true,
    };
  }
  return {
    cause: 'unknown',
    causeText: `AWS denied ${w.action}${w.on} to ${w.who} without saying which policy was responsible.`,
    fix: `Check that a policy attached to ${w.who} allows it (${statement}); if one does, look for an explicit Deny, a permissions boundary, an SCP or the resource's own policy.`,
    statementOk: true,
  };
}

/** KMS refused to decrypt: usually the key policy, sometimes a key in another region. */
function kmsKeyDraft(w: Words): Draft {
  return {
    cause: 'kms-key-policy',
    causeText: `The KMS key${w.on} does not let ${w.who} decrypt with it: its key policy does not allow it, or the key does not exist in this region.`,
    fix:
      w.on === ''
        ? `Allow kms:Decrypt for ${w.who} in the key's policy or, if the key policy delegates to the account, in the role's policy (the statement below, with Resource narrowed to the key ARN).`
        : `Allow kms:Decrypt for ${w.who} in the key's policy or, if the key policy delegates to the account, in the role's policy (the statement below).`,
    statementOk: true,
  };
}

const EXTENSION_TOKEN = /bad session token or header key|X-Aws-Parameters-Secrets-Token/i;
const EXTENSION_HOST =
  /Parameters and Secrets (?:Lambda )?extension|(?:localhost|127\.0\.0\.1):2773/i;
const KMS_CIPHERTEXT =
  /ciphertext refers to a (?:customer master key|KMS key)|not allowed to access[^.]*\bkey\b/i;
const ENCODED = /Encoded authorization failure message/i;
const EC2_STYLE = /You are not authorized to perform this operation/i;
const GENERIC_AUTH = /\bnot authori[sz]ed\b|\baccess denied\b|\bAccessDenied/i;
/** Prefixes that wrap AWS's own text: the CLI's, our `awsCall` wrapper's, the SDK's `Code: `. */
const WRAPPER_PREFIX =
  /^(?:An error occurred \([^)]*\) when calling the \w+ operation(?: \([^)]*\))?: |.*?\bwas denied \([^)]*\): |(?:AccessDenied(?:Exception)?|Forbidden): )/s;

/** Explains one link of the chain, or null if it says nothing about authorization. */
function explainFacts(f: Facts): AccessDeniedExplanation | null {
  const raw = f.message;
  const text = raw.slice(0, MAX_PARSE);
  const isAuthCode = f.codes.some((c) => AUTH_CODES.has(c));
  const clause = parseUserClause(text);
  const encoded = ENCODED.test(text);

  if (clause !== null) {
    const role = roleOf(clause.principal);
    const d = draftFromClause(clause, role);
    const who = role ?? clause.principal ?? 'the caller';
    const hint = hintFor(d, clause.action, clause.resource, who, encoded);
    const { action, resource } = clause;
    return {
      principal: clause.principal,
      role,
      action,
      resource: clause.resource,
      cause: d.cause,
      causeText: d.causeText,
      fix: hint === null ? d.fix : `${d.fix} ${hint}`,
      statement:
        d.statementOk && action !== null && resource !== null && isPolicyResource(resource)
          ? allow(action, resource)
          : null,
      raw,
    };
  }

  if (
    EXTENSION_TOKEN.test(text) ||
    (EXTENSION_HOST.test(text) && (/\b401\b/.test(text) || f.status === 401))
  ) {
    return {
      ...empty(raw),
      cause: 'extension-token',
      causeText:
        "The Parameters and Secrets Lambda Extension on localhost:2773 rejected the request because the X-Aws-Parameters-Secrets-Token header was missing or was not this session's token.",
      fix: 'Send the header X-Aws-Parameters-Secrets-Token with the value of the AWS_SESSION_TOKEN environment variable on every request to the extension.',
    };
  }

  if (KMS_CIPHERTEXT.test(text)) {
    const w = words(null, null, 'kms:Decrypt', '*');
    const d = kmsKeyDraft(w);
    return {
      ...empty(raw),
      action: 'kms:Decrypt',
      resource: '*',
      cause: d.cause,
      causeText: d.causeText,
      fix: `${d.fix} ${hintFor(d, 'kms:Decrypt', '*', w.who, false) ?? ''}`.trim(),
      statement: allow('kms:Decrypt', '*'),
    };
  }

  const core = text.replace(WRAPPER_PREFIX, '').trim();
  if (/^Access Denied\.?$/i.test(core)) {
    return {
      ...empty(raw),
      causeText: 'S3 refused the request without saying which permission or policy was missing.',
      fix:
        "Check the role's policy allows s3:GetObject (reads) or s3:PutObject (writes) on arn:aws:s3:::BUCKET/PREFIX/* and that the bucket policy does not deny it. " +
        'If the objects use a KMS key, the role also needs kms:Decrypt (reads) or kms:GenerateDataKey (writes) on that key.',
    };
  }

  if (encoded || EC2_STYLE.test(text)) {
    return {
      ...empty(raw),
      causeText:
        'AWS refused the call and put the action, resource and refusing policy in an encoded message.',
      fix: encoded
        ? 'Decode it with `aws sts decode-authorization-message --encoded-message <message>` (the caller needs sts:DecodeAuthorizationMessage), then fix the policy it names.'
        : "Find the call in CloudTrail (errorCode UnauthorizedOperation) to see the action and resource, then allow that action in the caller's policy.",
    };
  }

  if (isAuthCode || GENERIC_AUTH.test(text) || f.status === 403) {
    return {
      ...empty(raw),
      causeText:
        'AWS refused the call without saying which action, resource or policy was involved.',
      fix: "Find the call in CloudTrail (errorCode AccessDenied) to see the action and resource, then check the caller's policies and the resource's policy for that action.",
    };
  }
  return null;
}

function allow(action: string, resource: string): Statement {
  return { Effect: 'Allow', Action: action, Resource: resource };
}

function empty(raw: string): AccessDeniedExplanation {
  return {
    principal: null,
    role: null,
    action: null,
    resource: null,
    cause: 'unknown',
    causeText: '',
    fix: '',
    statement: null,
    raw,
  };
}

/** How much an explanation tells; picks the most useful link of a `cause` chain. */
function score(e: AccessDeniedExplanation): number {
  return (
    (e.action !== null ? 4 : 0) + (e.principal !== null ? 2 : 0) + (e.cause !== 'unknown' ? 1 : 0)
  );
}

/**
 * Returns null when the error is not an authorization error. Never throws, whatever the input
 * (string, Error, SDK error object with name/Code/message/$metadata, undefined).
 */
export function explainAccessDenied(error: unknown): AccessDeniedExplanation | null {
  try {
    const links = chain(error);
    const hasClause = links.some((f) => USER_CLAUSE.test(f.message.slice(0, MAX_PARSE)));
    // Bad or expired credentials are not a policy problem, whatever a wrapper called them.
    if (!hasClause && links.some((f) => f.codes.some((c) => CREDENTIAL_CODES.has(c)))) return null;
    let best: AccessDeniedExplanation | null = null;
    for (const facts of links) {
      const e = explainFacts(facts);
      if (e !== null && (best === null || score(e) > score(best))) best = e;
    }
    return best;
  } catch {
    // A bug here must not replace the error being reported.
    return null;
  }
}

/** Inline code, unless the value itself has a backtick that would end the span early. */
function code(value: string | null, missing: string): string {
  if (value === null) return `_${missing}_`;
  return value.includes('`') ? escapeMrkdwn(value) : `\`${escapeMrkdwn(value)}\``;
}

/** Longest AWS message quoted back in Slack; the full one is in the logs. */
const MAX_RAW_IN_SLACK = 600;

/**
 * Slack mrkdwn text: principal/role, action, resource, cause, fix, and the statement as a JSON
 * code block. Escapes &, <, > in every interpolated value so nothing from the error can inject
 * mrkdwn mentions/links.
 */
export function formatExplanation(e: AccessDeniedExplanation): string {
  const lines = ['*AWS denied the request*'];
  lines.push(`*Principal:* ${code(e.principal, 'not named')}`);
  if (e.role !== null) lines.push(`*Role:* ${code(e.role, 'not a role')}`);
  lines.push(`*Action:* ${code(e.action, 'not named')}`);
  lines.push(`*Resource:* ${code(e.resource, 'not named')}`);
  lines.push(`*Cause:* ${code(e.cause, 'unknown')} ${escapeMrkdwn(e.causeText)}`);
  lines.push(`*Fix:* ${escapeMrkdwn(e.fix)}`);
  if (e.statement !== null) {
    // \u0060 is a valid JSON escape for a backtick, so a backtick in a value cannot close the block.
    const json = escapeMrkdwn(JSON.stringify(e.statement, null, 2)).replace(/`/g, '\\u0060');
    lines.push('*Statement that would allow it:*', `\`\`\`\n${json}\n\`\`\``);
  }
  if (e.raw !== '') {
    const raw = e.raw.length > MAX_RAW_IN_SLACK ? `${e.raw.slice(0, MAX_RAW_IN_SLACK)}…` : e.raw;
    lines.push(`*AWS said:* \`\`\`${escapeMrkdwn(raw).replace(/`/g, "'")}\`\`\``);
  }
  return lines.join('\n');
}
