import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AccessDeniedExplanation,
  explainAccessDenied,
  formatExplanation,
} from '../../common/access-denied.ts';
import { AwsAccessDeniedError } from '../../common/errors.ts';

const ROLE_ARN = 'arn:aws:iam::123456789012:role/costbot-fetch';
const SESSION_ARN = 'arn:aws:sts::123456789012:assumed-role/costbot-fetch/costbot-fetch-fn';
const PARAM_ARN = 'arn:aws:ssm:us-east-1:123456789012:parameter/costbot/signer/access-key-id';

/** An SDK v3 service exception as the client throws it. */
function sdkError(name: string, message: string, httpStatusCode = 400): Error {
  return Object.assign(new Error(message), {
    name,
    $fault: 'client',
    $metadata: { httpStatusCode, requestId: '5f1b6c1e-8d2a-4f3e-9b7a-0c6d2e1f4a3b', attempts: 1 },
  });
}

interface Case {
  name: string;
  input: unknown;
  /** Fields that must be exactly equal. */
  expected: Partial<AccessDeniedExplanation>;
  /** Substrings the fix must contain. */
  fixIncludes?: string[];
  /** Substrings the causeText must contain. */
  causeIncludes?: string[];
}

const CASES: Case[] = [
  {
    name: 'CloudWatch GetMetricData with no resource named',
    input: sdkError(
      'AccessDeniedException',
      `User: ${SESSION_ARN} is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action`,
    ),
    expected: {
      principal: SESSION_ARN,
      role: ROLE_ARN,
      action: 'cloudwatch:GetMetricData',
      resource: '*',
      cause: 'no-identity-policy',
      statement: { Effect: 'Allow', Action: 'cloudwatch:GetMetricData', Resource: '*' },
    },
    fixIncludes: [ROLE_ARN],
  },
  {
    name: 'SSM GetParameter on a named parameter',
    input: sdkError(
      'AccessDeniedException',
      `User: ${SESSION_ARN} is not authorized to perform: ssm:GetParameter on resource: ${PARAM_ARN} because no identity-based policy allows the ssm:GetParameter action`,
    ),
    expected: {
      principal: SESSION_ARN,
      role: ROLE_ARN,
      action: 'ssm:GetParameter',
      resource: PARAM_ARN,
      cause: 'no-identity-policy',
      statement: { Effect: 'Allow', Action: 'ssm:GetParameter', Resource: PARAM_ARN },
    },
    fixIncludes: [ROLE_ARN, 'arn:aws:ksm:'],
  },
  {
    name: 'GovCloud: explicit deny in an identity-based policy',
    input: sdkError(
      'AccessDeniedException',
      'User: arn:aws-us-gov:sts::987654321098:assumed-role/costbot-render/costbot-render-fn is not authorized to perform: ssm:GetParameters on resource: arn:aws-us-gov:ssm:us-gov-west-1:987654321098:parameter/costbot/slack/bot-token with an explicit deny in an identity-based policy',
    ),
    expected: {
      principal: 'arn:aws-us-gov:sts::987654321098:assumed-role/costbot-render/costbot-render-fn',
      role: 'arn:aws-us-gov:iam::987654321098:role/costbot-render',
      action: 'ssm:GetParameters',
      resource: 'arn:aws-us-gov:ssm:us-gov-west-1:987654321098:parameter/costbot/slack/bot-token',
      cause: 'explicit-deny-identity',
      statement: null,
    },
    fixIncludes: ['Deny', 'will not help'],
  },
  {
    name: 'S3 enhanced message: explicit deny in the bucket policy, quoted resource',
    input: sdkError(
      'AccessDenied',
      'User: arn:aws:sts::123456789012:assumed-role/costbot-render/costbot-render-fn is not authorized to perform: s3:PutObject on resource: "arn:aws:s3:::costbot-charts-123456789012/charts/2024-06/daily.png" with an explicit deny in a resource-based policy',
      403,
    ),
    expected: {
      role: 'arn:aws:iam::123456789012:role/costbot-render',
      action: 's3:PutObject',
      resource: 'arn:aws:s3:::costbot-charts-123456789012/charts/2024-06/daily.png',
      cause: 'explicit-deny-resource',
      statement: null,
    },
    fixIncludes: ['bucket policy'],
  },
  {
    name: 'China partition: explicit deny in a service control policy',
    input:
      'An error occurred (AccessDeniedException) when calling the GetCostAndUsage operation: User: arn:aws-cn:sts::210987654321:assumed-role/costbot-fetch/costbot-fetch-fn is not authorized to perform: ce:GetCostAndUsage on resource: arn:aws-cn:ce:cn-northwest-1:210987654321:/GetCostAndUsage with an explicit deny in a service control policy',
    expected: {
      role: 'arn:aws-cn:iam::210987654321:role/costbot-fetch',
      action: 'ce:GetCostAndUsage',
      resource: 'arn:aws-cn:ce:cn-northwest-1:210987654321:/GetCostAndUsage',
      cause: 'scp',
      statement: null,
    },
    fixIncludes: ['Organizations administrator'],
  },
  {
    name: 'no service control policy allows (implicit SCP deny still needs the org admin)',
    input: `User: ${SESSION_ARN} is not authorized to perform: ce:GetCostAndUsage on resource: arn:aws:ce:us-east-1:123456789012:/GetCostAndUsage because no service control policy allows the ce:GetCostAndUsage action`,
    expected: { cause: 'scp', statement: null },
  },
  {
    name: 'resource control policy is reported with the SCPs',
    input: `User: ${SESSION_ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::costbot-cur-123456789012/cur/x.parquet" with an explicit deny in a resource control policy`,
    expected: { cause: 'scp', statement: null },
    fixIncludes: ['resource control policy'],
  },
  {
    name: 'no permissions boundary allows: the statement goes into the boundary',
    input: `User: ${SESSION_ARN} is not authorized to perform: states:StartExecution on resource: arn:aws:states:eu-west-1:123456789012:stateMachine:costbot-digest because no permissions boundary allows the states:StartExecution action`,
    expected: {
      action: 'states:StartExecution',
      resource: 'arn:aws:states:eu-west-1:123456789012:stateMachine:costbot-digest',
      cause: 'permissions-boundary',
      statement: {
        Effect: 'Allow',
        Action: 'states:StartExecution',
        Resource: 'arn:aws:states:eu-west-1:123456789012:stateMachine:costbot-digest',
      },
    },
    fixIncludes: ['permissions boundary'],
  },
  {
    name: 'explicit deny in a permissions boundary',
    input: `User: ${SESSION_ARN} is not authorized to perform: logs:PutLogEvents on resource: arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/costbot-fetch:log-stream:x with an explicit deny in a permissions boundary`,
    expected: { cause: 'permissions-boundary', statement: null },
  },
  {
    name: 'no session policy allows',
    input: `User: ${SESSION_ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::costbot-charts-123456789012/charts/a.png" because no session policy allows the s3:GetObject action`,
    expected: {
      cause: 'session-policy',
      statement: {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::costbot-charts-123456789012/charts/a.png',
      },
    },
    fixIncludes: ['session policy'],
  },
  {
    name: 'explicit deny in a session policy',
    input: `User: ${SESSION_ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" with an explicit deny in a session policy`,
    expected: { cause: 'session-policy', statement: null },
  },
  {
    name: 'no resource-based policy allows (cross-account bucket)',
    input: sdkError(
      'AccessDenied',
      'User: arn:aws:sts::111111111111:assumed-role/costbot-fetch/costbot-fetch-fn is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::billing-exports-222222222222/cur/2024-06.csv.gz" because no resource-based policy allows the s3:GetObject action',
      403,
    ),
    expected: {
      cause: 'resource-policy',
      statement: {
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: 'arn:aws:s3:::billing-exports-222222222222/cur/2024-06.csv.gz',
      },
    },
    fixIncludes: ['arn:aws:iam::111111111111:role/costbot-fetch', 'bucket policy'],
  },
  {
    name: 'KMS Decrypt with no identity-based policy',
    input: sdkError(
      'AccessDeniedException',
      `User: ${SESSION_ARN} is not authorized to perform: kms:Decrypt on resource: arn:aws:kms:us-east-1:123456789012:key/1f2e3d4c-5b6a-4789-8a0b-1c2d3e4f5a6b because no identity-based policy allows the kms:Decrypt action`,
    ),
    expected: {
      action: 'kms:Decrypt',
      resource: 'arn:aws:kms:us-east-1:123456789012:key/1f2e3d4c-5b6a-4789-8a0b-1c2d3e4f5a6b',
      cause: 'no-identity-policy',
      statement: {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource: 'arn:aws:kms:us-east-1:123456789012:key/1f2e3d4c-5b6a-4789-8a0b-1c2d3e4f5a6b',
      },
    },
  },
  {
    name: 'KMS Decrypt refused by the key policy (no resource-based policy allows)',
    input: `User: arn:aws-us-gov:sts::987654321098:assumed-role/costbot-fetch/fn is not authorized to perform: kms:Decrypt on resource: arn:aws-us-gov:kms:us-gov-east-1:987654321098:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d because no resource-based policy allows the kms:Decrypt action`,
    expected: {
      cause: 'kms-key-policy',
      statement: {
        Effect: 'Allow',
        Action: 'kms:Decrypt',
        Resource:
          'arn:aws-us-gov:kms:us-gov-east-1:987654321098:key/0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d',
      },
    },
    fixIncludes: ['key policy', 'kms:ViaService = ssm.us-gov-east-1.amazonaws.com'],
  },
  {
    name: 'iam:PassRole of the scheduler role (a subscription being created)',
    input: `User: arn:aws:sts::123456789012:assumed-role/Costbot-SlackBotRole-ABC/Costbot-Bot is not authorized to perform: iam:PassRole on resource: arn:aws:iam::123456789012:role/Costbot-SchedulerRole-XYZ because no identity-based policy allows the iam:PassRole action`,
    expected: {
      action: 'iam:PassRole',
      cause: 'no-identity-policy',
      statement: {
        Effect: 'Allow',
        Action: 'iam:PassRole',
        Resource: 'arn:aws:iam::123456789012:role/Costbot-SchedulerRole-XYZ',
      },
    },
    fixIncludes: ['iam:PassedToService = scheduler.amazonaws.com'],
  },
  {
    name: 'SSM GetParameter with decryption: the ciphertext message',
    input: sdkError(
      'AccessDeniedException',
      'The ciphertext refers to a customer master key that does not exist, does not exist in this region, or you are not allowed to access.',
    ),
    expected: {
      principal: null,
      role: null,
      action: 'kms:Decrypt',
      resource: '*',
      cause: 'kms-key-policy',
      statement: { Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' },
    },
    fixIncludes: ['kms:ViaService = ssm.<region>.amazonaws.com'],
    causeIncludes: ['region'],
  },
  {
    name: 'KMS: "the resource associated with this ciphertext"',
    input: `User: ${SESSION_ARN} is not authorized to perform: kms:Decrypt on the resource associated with this ciphertext because the resource does not exist in this Region, no resource-based policies allow access, or a resource-based policy explicitly denies access`,
    expected: { action: 'kms:Decrypt', resource: '*', cause: 'kms-key-policy', role: ROLE_ARN },
  },
  {
    name: 'STS AssumeRole across accounts: caller policy or trust policy',
    input: sdkError(
      'AccessDenied',
      'User: arn:aws:sts::111111111111:assumed-role/costbot-fetch/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/costbot-reader',
      403,
    ),
    expected: {
      role: 'arn:aws:iam::111111111111:role/costbot-fetch',
      action: 'sts:AssumeRole',
      resource: 'arn:aws:iam::222222222222:role/costbot-reader',
      cause: 'trust-policy',
      statement: {
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Resource: 'arn:aws:iam::222222222222:role/costbot-reader',
      },
    },
    fixIncludes: [
      'trust policy of costbot-reader',
      'arn:aws:iam::111111111111:role/costbot-fetch as Principal',
      'not the account root',
    ],
    causeIncludes: ['Either', 'trust policy'],
  },
  {
    name: 'STS AssumeRole refused by the trust policy: an Allow on the caller cannot fix it',
    input:
      'User: arn:aws:sts::111111111111:assumed-role/costbot-fetch/x is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role/costbot-reader because no resource-based policy allows the sts:AssumeRole action',
    expected: { cause: 'trust-policy', statement: null },
    fixIncludes: ['arn:aws:iam::111111111111:role/costbot-fetch as Principal'],
  },
  {
    name: 'EC2 UnauthorizedOperation with only an encoded message',
    input: sdkError(
      'UnauthorizedOperation',
      'You are not authorized to perform this operation. Encoded authorization failure message: 4cNdnYtMXJ1OSvW_tTd8yZGjAGkGmUtVLTsCKpaRnBSKW2',
      403,
    ),
    expected: { principal: null, action: null, resource: null, cause: 'unknown', statement: null },
    fixIncludes: ['aws sts decode-authorization-message'],
  },
  {
    name: 'EC2 with a User sentence and an encoded message',
    input:
      'You are not authorized to perform this operation. User: arn:aws:iam::123456789012:user/deploy is not authorized to perform: ec2:DescribeRegions because no identity-based policy allows the ec2:DescribeRegions action. Encoded authorization failure message: abcDEF123',
    expected: {
      principal: 'arn:aws:iam::123456789012:user/deploy',
      role: null,
      action: 'ec2:DescribeRegions',
      resource: '*',
      cause: 'no-identity-policy',
      statement: { Effect: 'Allow', Action: 'ec2:DescribeRegions', Resource: '*' },
    },
    fixIncludes: ['arn:aws:iam::123456789012:user/deploy', 'decode-authorization-message'],
  },
  {
    name: "S3's plain Access Denied",
    input: sdkError('AccessDenied', 'Access Denied', 403),
    expected: { principal: null, action: null, resource: null, cause: 'unknown', statement: null },
    fixIncludes: ['s3:GetObject', 's3:PutObject', 'bucket policy'],
  },
  {
    name: "S3's plain Access Denied as the CLI prints it",
    input: 'An error occurred (AccessDenied) when calling the GetObject operation: Access Denied',
    expected: { action: null, resource: null, cause: 'unknown', statement: null },
    fixIncludes: ['s3:GetObject'],
  },
  {
    name: 'Parameters and Secrets extension: bad session token',
    input: new AwsAccessDeniedError(
      'Parameters and Secrets extension answered 401 for /costbot/slack/bot-token: bad session token or header key',
    ),
    expected: { cause: 'extension-token', action: null, statement: null },
    fixIncludes: ['X-Aws-Parameters-Secrets-Token', 'AWS_SESSION_TOKEN'],
  },
  {
    name: "the extension's body alone, as a 400",
    input: { name: 'Error', message: 'bad session token or header key', status: 400 },
    expected: { cause: 'extension-token', statement: null, raw: 'bad session token or header key' },
  },
  {
    name: 'extension 401 with an empty body',
    input: 'Parameters and Secrets extension answered 401 for /costbot/signer/secret-key: ',
    expected: { cause: 'extension-token', statement: null },
  },
  {
    name: 'SNS AuthorizationError with an upper-case service prefix, IAM user principal',
    input: sdkError(
      'AuthorizationErrorException',
      'User: arn:aws:iam::123456789012:user/costbot-ci is not authorized to perform: SNS:Publish on resource: arn:aws:sns:us-east-1:123456789012:costbot-alerts because no identity-based policy allows the SNS:Publish action',
      403,
    ),
    expected: {
      principal: 'arn:aws:iam::123456789012:user/costbot-ci',
      role: null,
      action: 'SNS:Publish',
      cause: 'no-identity-policy',
      statement: {
        Effect: 'Allow',
        Action: 'SNS:Publish',
        Resource: 'arn:aws:sns:us-east-1:123456789012:costbot-alerts',
      },
    },
  },
  {
    name: 'role ARN with a path as principal is its own role',
    input:
      'User: arn:aws:iam::123456789012:role/service-role/costbot-sfn is not authorized to perform: lambda:InvokeFunction on resource: arn:aws:lambda:us-east-1:123456789012:function:costbot-fetch because no identity-based policy allows the lambda:InvokeFunction action',
    expected: {
      principal: 'arn:aws:iam::123456789012:role/service-role/costbot-sfn',
      role: 'arn:aws:iam::123456789012:role/service-role/costbot-sfn',
      cause: 'no-identity-policy',
    },
  },
  {
    name: 'ssm action on a logs ARN gets a service-mismatch hint',
    input: `User: ${SESSION_ARN} is not authorized to perform: ssm:GetParameter on resource: arn:aws:logs:us-east-1:123456789012:log-group:/costbot/signer because no identity-based policy allows the ssm:GetParameter action`,
    expected: { cause: 'no-identity-policy', action: 'ssm:GetParameter' },
    fixIncludes: ['for ssm but the resource is a logs ARN'],
  },
  {
    name: 'older message: explicit deny without the policy type',
    input: `User: ${SESSION_ARN} is not authorized to perform: s3:PutObject on resource: arn:aws:s3:::costbot-charts/x.png with an explicit deny`,
    expected: { cause: 'unknown', statement: null, action: 's3:PutObject' },
  },
  {
    name: 'older message without a reason: unknown, but an Allow is suggested',
    input: `User: ${SESSION_ARN} is not authorized to perform: states:DescribeExecution on resource: arn:aws:states:us-east-1:123456789012:execution:costbot-digest:run-1`,
    expected: {
      cause: 'unknown',
      statement: {
        Effect: 'Allow',
        Action: 'states:DescribeExecution',
        Resource: 'arn:aws:states:us-east-1:123456789012:execution:costbot-digest:run-1',
      },
    },
  },
  {
    name: 'VPC endpoint policy',
    input: `User: ${SESSION_ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no VPC endpoint policy allows the s3:GetObject action`,
    expected: { cause: 'unknown' },
    fixIncludes: ['VPC endpoint'],
  },
  {
    name: 'awsCall wrapper around an SDK error: parsed from the wrapper message',
    input: new AwsAccessDeniedError(
      `SSM GetParameters was denied (AccessDeniedException): User: ${SESSION_ARN} is not authorized to perform: ssm:GetParameters on resource: ${PARAM_ARN} because no identity-based policy allows the ssm:GetParameters action`,
      { cause: sdkError('AccessDeniedException', 'irrelevant') },
    ),
    expected: {
      role: ROLE_ARN,
      action: 'ssm:GetParameters',
      resource: PARAM_ARN,
      cause: 'no-identity-policy',
    },
  },
  {
    name: 'generic wrapper whose cause is the SDK error',
    input: new Error('fetch step failed', {
      cause: sdkError(
        'AccessDeniedException',
        `User: ${SESSION_ARN} is not authorized to perform: cloudwatch:GetMetricData because no identity-based policy allows the cloudwatch:GetMetricData action`,
      ),
    }),
    expected: { action: 'cloudwatch:GetMetricData', resource: '*', cause: 'no-identity-policy' },
  },
  // Malformed inputs that still look like authorization errors: raw message, nulls, no guessing.
  {
    name: 'random text containing "not authorized"',
    input: 'sorry, this bot is not authorized to do that right now',
    expected: {
      principal: null,
      role: null,
      action: null,
      resource: null,
      cause: 'unknown',
      statement: null,
      raw: 'sorry, this bot is not authorized to do that right now',
    },
  },
  {
    name: 'truncated after the action',
    input: `User: ${SESSION_ARN} is not authorized to perform: ssm:GetParameter on resou`,
    expected: {
      principal: SESSION_ARN,
      action: 'ssm:GetParameter',
      resource: null,
      statement: null,
    },
  },
  {
    name: 'truncated inside a quoted S3 resource',
    input: `User: ${SESSION_ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::costbot-ch`,
    expected: { action: 's3:GetObject', resource: null, statement: null },
  },
  {
    name: 'truncated inside the action',
    input: `User: ${SESSION_ARN} is not authorized to perform: ssm:`,
    expected: { principal: SESSION_ARN, action: null, resource: null, statement: null },
  },
  {
    name: 'AccessDenied object without a message',
    input: { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } },
    expected: { principal: null, action: null, resource: null, cause: 'unknown', raw: '' },
  },
  {
    name: 'AccessDeniedException whose message is not a string',
    input: { name: 'AccessDeniedException', message: 42 },
    expected: { action: null, cause: 'unknown', statement: null, raw: '' },
  },
];

/** Inputs that are not authorization errors. */
const NOT_ACCESS_DENIED: { name: string; input: unknown }[] = [
  { name: 'undefined', input: undefined },
  { name: 'null', input: null },
  { name: 'a number', input: 403 },
  { name: 'an empty string', input: '' },
  { name: 'an empty object', input: {} },
  { name: 'a symbol', input: Symbol('AccessDenied') },
  { name: 'an unrelated error', input: new Error('socket hang up') },
  {
    name: 'bad keys (UnrecognizedClientException)',
    input: sdkError(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    ),
  },
  {
    name: 'a 403 SignatureDoesNotMatch that the wrapper called "denied"',
    input: new AwsAccessDeniedError(
      'S3 PutObject was denied (SignatureDoesNotMatch): The request signature we calculated does not match the signature you provided.',
    ),
  },
  {
    name: 'expired session token',
    input: sdkError(
      'ExpiredTokenException',
      'The security token included in the request is expired',
      403,
    ),
  },
  { name: 'throttling', input: sdkError('ThrottlingException', 'Rate exceeded') },
  { name: 'parameter not found', input: sdkError('ParameterNotFound', 'ParameterNotFound') },
];

/** Sentence ends: a full stop, question or exclamation mark followed by a space or the end. */
function sentences(text: string): number {
  return (text.match(/[.!?](?=\s|$)/g) ?? []).length;
}

describe('Function: explainAccessDenied', () => {
  for (const c of CASES) {
    it(`explains: ${c.name}`, () => {
      const result = explainAccessDenied(c.input);
      assert.ok(result, 'expected an explanation');
      const picked = Object.fromEntries(
        Object.keys(c.expected).map((k) => [k, result[k as keyof AccessDeniedExplanation]]),
      );
      assert.deepEqual(picked, c.expected);
      for (const s of c.fixIncludes ?? [])
        assert.ok(result.fix.includes(s), `fix lacks "${s}": ${result.fix}`);
      for (const s of c.causeIncludes ?? []) {
        assert.ok(result.causeText.includes(s), `causeText lacks "${s}": ${result.causeText}`);
      }
      assert.equal(sentences(result.causeText), 1, `causeText: ${result.causeText}`);
      assert.ok(
        sentences(result.fix) >= 1 && sentences(result.fix) <= 2,
        `fix should be one or two sentences: ${result.fix}`,
      );
      if (result.statement !== null) {
        assert.equal(result.statement.Action, result.action);
        assert.equal(result.statement.Resource, result.resource);
      }
    });
  }

  for (const c of NOT_ACCESS_DENIED) {
    it(`returns null for ${c.name}`, () => {
      assert.equal(explainAccessDenied(c.input), null);
    });
  }

  it('keeps the original message as raw', () => {
    // Prepare
    const message = `User: ${SESSION_ARN} is not authorized to perform: ssm:GetParameter on resource: ${PARAM_ARN} because no identity-based policy allows the ssm:GetParameter action`;

    // Act
    const result = explainAccessDenied(sdkError('AccessDeniedException', message));

    // Assess
    assert.equal(result?.raw, message);
  });

  it('reads what it can from an object whose other properties throw', () => {
    // Prepare
    const hostile = new Proxy(
      {},
      {
        get(_target, key) {
          if (key === 'name') return 'AccessDeniedException';
          throw new Error(`boom: ${String(key)}`);
        },
      },
    );

    // Act
    const result = explainAccessDenied(hostile);

    // Assess
    assert.equal(result?.cause, 'unknown');
    assert.equal(result?.raw, '');
  });

  it('does not loop on a cyclic cause chain', () => {
    // Prepare
    const a = sdkError('AccessDenied', 'Access Denied', 403);
    const b = new Error('wrapper', { cause: a });
    Object.assign(a, { cause: b });

    // Act
    const result = explainAccessDenied(b);

    // Assess
    assert.equal(result?.cause, 'unknown');
    assert.equal(result?.raw, 'Access Denied');
  });

  it('reads a very long message without choking and keeps it whole in raw', () => {
    // Prepare
    const message = `User: ${SESSION_ARN} is not authorized to perform: s3:GetObject on resource: "arn:aws:s3:::b/k" because no identity-based policy allows the s3:GetObject action ${'x '.repeat(50_000)}`;

    // Act
    const result = explainAccessDenied(message);

    // Assess
    assert.equal(result?.action, 's3:GetObject');
    assert.equal(result?.raw.length, message.length);
  });
});

describe('Function: formatExplanation', () => {
  const injected = 'arn:aws:s3:::costbot-charts/<!channel>/<http://x|y>&more';

  it('escapes mentions and links inside a resource, everywhere it appears', () => {
    // Prepare
    const explanation = explainAccessDenied(
      `User: ${SESSION_ARN} is not authorized to perform: s3:GetObject on resource: ${injected} because no identity-based policy allows the s3:GetObject action`,
    );
    assert.ok(explanation);
    assert.equal(explanation.resource, injected);

    // Act
    const text = formatExplanation(explanation);

    // Assess
    assert.doesNotMatch(text, /[<>]/);
    assert.ok(!text.includes('<!channel>'));
    assert.ok(!text.includes('<http://x|y>'));
    assert.ok(text.includes('&lt;!channel&gt;'));
    assert.ok(text.includes('&lt;http://x|y&gt;'));
    assert.ok(text.includes('&amp;more'));
    // Resource line, cause text, statement and raw message all carry it.
    assert.ok(text.split('&lt;!channel&gt;').length - 1 >= 4, text);
  });

  it('escapes values given directly, including in principal, role and fix', () => {
    // Prepare
    const explanation: AccessDeniedExplanation = {
      principal: '<!here>',
      role: '<@U123>',
      action: 's3:GetObject',
      resource: '<!channel>',
      cause: 'no-identity-policy',
      causeText: 'because <!everyone>',
      fix: 'see <https://evil.example|docs>',
      statement: { Effect: 'Allow', Action: 's3:GetObject', Resource: '<http://x|y>' },
      raw: '<!subteam^S1>',
    };

    // Act
    const text = formatExplanation(explanation);

    // Assess
    assert.doesNotMatch(text, /[<>]/);
  });

  it('shows principal, role, action, resource, cause, fix and the statement as JSON', () => {
    // Prepare
    const explanation = explainAccessDenied(
      `User: ${SESSION_ARN} is not authorized to perform: ssm:GetParameter on resource: ${PARAM_ARN} because no identity-based policy allows the ssm:GetParameter action`,
    );
    assert.ok(explanation);

    // Act
    const text = formatExplanation(explanation);

    // Assess
    for (const part of [
      SESSION_ARN,
      ROLE_ARN,
      'ssm:GetParameter',
      PARAM_ARN,
      'no-identity-policy',
    ]) {
      assert.ok(text.includes(part), `missing ${part}`);
    }
    assert.ok(text.includes(explanation.fix));
    const block = /```\n(\{[\s\S]*?\})\n```/.exec(text);
    assert.ok(block?.[1], 'no JSON code block');
    assert.deepEqual(JSON.parse(block[1]), explanation.statement);
  });

  it('keeps a backtick in a value from closing the code block', () => {
    // Prepare
    const explanation = explainAccessDenied(
      `User: ${SESSION_ARN} is not authorized to perform: s3:GetObject on resource: arn:aws:s3:::b/a\`\`\`b because no identity-based policy allows the s3:GetObject action`,
    );
    assert.ok(explanation?.statement);

    // Act
    const text = formatExplanation(explanation);

    // Assess
    // Slack ends a block at the first ```, so the whole statement must come before it.
    const block = /```\n(\{[^`]*\})\n```/.exec(text);
    assert.ok(block?.[1], `no intact JSON code block in: ${text}`);
    assert.equal(JSON.parse(block[1]).Resource, 'arn:aws:s3:::b/a```b');
  });

  it('quotes at most the start of a long AWS message', () => {
    // Prepare
    const explanation = explainAccessDenied(`Access denied: ${'y'.repeat(5_000)}`);
    assert.ok(explanation);

    // Act
    const text = formatExplanation(explanation);

    // Assess
    assert.ok(text.length < 2_000, `length ${text.length}`);
    assert.ok(text.includes(`${'y'.repeat(100)}…`));
  });

  it('says what AWS did not name and leaves out the statement when there is none', () => {
    // Prepare
    const explanation = explainAccessDenied(sdkError('AccessDenied', 'Access Denied', 403));
    assert.ok(explanation);

    // Act
    const text = formatExplanation(explanation);

    // Assess
    assert.ok(text.includes('*Action:* _not named_'));
    assert.ok(!text.includes('*Statement'));
    assert.ok(!text.includes('*Role:*'));
  });
});
