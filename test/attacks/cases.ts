/**
 * Every fault and attack the suite tries, as data: the test files loop over these lists and
 * `reliability-doc.test.ts` renders the same lists as docs/reliability.md's "Faults and
 * attacks" table, so the table names exactly what the tests try and what they expect.
 *
 * Categories follow issue 9: delivery, authorization, nothing faked, bad input, start-up and
 * configuration, the local console, deploying.
 */

export const CATEGORIES = [
  'Delivery',
  'Authorization',
  'Nothing faked',
  'Bad input',
  'Start-up and configuration',
  'Local console',
  'Deploying',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** One row of the table. */
export interface Row {
  category: Category;
  /** Where it was tried: the component the test drives. */
  surface: string;
  tried: string;
  expected: string;
}

// --- Slack requests (both receivers) ------------------------------------------------------------

export const RECEIVERS =
  'bot/lambda.ts (AwsLambdaReceiver, Function URL v2 events) and npm start (ExpressReceiver over HTTP)';

/**
 * An `X-Slack-Request-Timestamp` header value from the current time in (fractional) seconds;
 * undefined: absent. Times in the future round up, so a second ticking over before the receiver
 * reads its clock cannot bring "301 s ahead" down to an allowed 300.
 */
export interface TimestampCase {
  label: string;
  header: (nowSeconds: number) => string | undefined;
  accepted: boolean;
}

const YEAR = 365 * 24 * 3600;

export const TIMESTAMP_CASES: TimestampCase[] = [
  { label: 'now (control)', header: (now) => String(Math.floor(now)), accepted: true },
  {
    label: '4 minutes in the future',
    header: (now) => String(Math.floor(now) + 240),
    accepted: true,
  },
  { label: '301 s in the past', header: (now) => String(Math.floor(now) - 301), accepted: false },
  {
    label: '10 minutes in the past',
    header: (now) => String(Math.floor(now) - 600),
    accepted: false,
  },
  { label: '301 s in the future', header: (now) => String(Math.ceil(now) + 301), accepted: false },
  {
    label: '10 minutes in the future',
    header: (now) => String(Math.ceil(now) + 600),
    accepted: false,
  },
  { label: '10 years ahead', header: (now) => String(Math.ceil(now) + 10 * YEAR), accepted: false },
  {
    label: 'in milliseconds (1000x ahead)',
    header: (now) => String(Math.floor(now) * 1000),
    accepted: false,
  },
  { label: 'negative (-1)', header: () => '-1', accepted: false },
  { label: 'zero', header: () => '0', accepted: false },
  { label: 'non-numeric ("soon")', header: () => 'soon', accepted: false },
  { label: 'exponent ("1e12")', header: () => '1e12', accepted: false },
  { label: 'empty', header: () => '', accepted: false },
  { label: 'missing', header: () => undefined, accepted: false },
];

/** How a request's signature is spoiled; `sign` gets the correct `v0=` signature. */
export interface SignatureCase {
  label: string;
  /** The signature header to send (undefined: none), given the right one and a wrong one. */
  header: (right: string, wrongSecret: string) => string | undefined;
  /** Send a different body than the one signed. */
  tamper?: boolean;
}

export const SIGNATURE_CASES: SignatureCase[] = [
  { label: 'signed with another secret', header: (_, wrong) => wrong },
  { label: 'no signature header', header: () => undefined },
  { label: 'empty signature', header: () => '' },
  { label: '"v1=" instead of "v0="', header: (right) => right.replace(/^v0=/, 'v1=') },
  { label: 'signature in upper case', header: (right) => `v0=${right.slice(3).toUpperCase()}` },
  { label: 'signature cut short', header: (right) => right.slice(0, 40) },
  { label: 'body changed after signing (7d signed, 30d sent)', header: (r) => r, tamper: true },
];

/** Who clicks or types, and whether the allow-lists (channel C0ALLOWED1, user U0ALLOWED1) let them in. */
export interface AccessCase {
  label: string;
  surface: 'command' | 'refresh_link' | 'report_30d';
  user: string | undefined;
  channel: string;
  allowed: boolean;
}

export const ALLOWED_USER = 'U0ALLOWED1';
export const ALLOWED_CHANNEL = 'C0ALLOWED1';

export const ACCESS_CASES: AccessCase[] = (['command', 'refresh_link', 'report_30d'] as const)
  .flatMap((surface): AccessCase[] => [
    {
      label: `${surface}: allowed user in an allowed channel (control)`,
      surface,
      user: ALLOWED_USER,
      channel: ALLOWED_CHANNEL,
      allowed: true,
    },
    {
      label: `${surface}: user not on COSTBOT_ALLOWED_USERS`,
      surface,
      user: 'U0INTRUDER',
      channel: ALLOWED_CHANNEL,
      allowed: false,
    },
    {
      label: `${surface}: allowed user in a channel not on COSTBOT_ALLOWED_CHANNELS`,
      surface,
      user: ALLOWED_USER,
      channel: 'C0ELSEWHERE',
      allowed: false,
    },
    {
      label: `${surface}: user id in lower case`,
      surface,
      user: ALLOWED_USER.toLowerCase(),
      channel: ALLOWED_CHANNEL,
      allowed: false,
    },
  ])
  .concat([
    {
      label: 'refresh_link: no user in the payload',
      surface: 'refresh_link',
      user: undefined,
      channel: ALLOWED_CHANNEL,
      allowed: false,
    },
  ]);

/** A button click with this action id and value; undefined: no `value` at all. */
export interface ButtonCase {
  label: string;
  actionId: string;
  value: string | undefined;
  valid: boolean;
}

/** A chart key the bot writes, with the default prefix. */
export const GOOD_CHART_KEY = 'charts/2026/11/22/cmd-0123456789abcdef01234567.png';
const ACCOUNTS_51 = Array.from({ length: 51 }, (_, i) => String(100000000000 + i));

export const BUTTON_CASES: ButtonCase[] = [
  {
    label: 'a chart key the bot wrote (control)',
    actionId: 'refresh_link',
    value: GOOD_CHART_KEY,
    valid: true,
  },
  {
    label: 'path traversal out of the prefix',
    actionId: 'refresh_link',
    value: 'charts/../deliveries/cmd-1/report.json',
    valid: false,
  },
  {
    label: 'a key outside the chart prefix',
    actionId: 'refresh_link',
    value: 'deliveries/cmd-1/report.json',
    valid: false,
  },
  {
    label: 'another file type under the prefix',
    actionId: 'refresh_link',
    value: 'charts/2026/11/22/x.json',
    valid: false,
  },
  {
    label: 'a key with a query string',
    actionId: 'refresh_link',
    value: `${GOOD_CHART_KEY}?x-id=1`,
    valid: false,
  },
  {
    label: 'a bucket-qualified URL',
    actionId: 'refresh_link',
    value: `s3://other-bucket/${GOOD_CHART_KEY}`,
    valid: false,
  },
  {
    label: 'oversized (2,001 characters)',
    actionId: 'refresh_link',
    value: `charts/2026/11/22/${'a'.repeat(1979)}.png`,
    valid: false,
  },
  { label: 'empty', actionId: 'refresh_link', value: '', valid: false },
  { label: 'no value', actionId: 'refresh_link', value: undefined, valid: false },
  {
    label: 'the same scope (control)',
    actionId: 'report_30d',
    value: '{"service":"AmazonEC2"}',
    valid: true,
  },
  {
    label: 'forged: 51 accounts (a fan-out)',
    actionId: 'report_30d',
    value: JSON.stringify({ accounts: ACCOUNTS_51 }),
    valid: false,
  },
  {
    label: 'forged: a wildcard account',
    actionId: 'report_30d',
    value: '{"accounts":["*"]}',
    valid: false,
  },
  {
    label: 'forged: a mention as the service',
    actionId: 'report_30d',
    value: '{"service":"<!channel>"}',
    valid: false,
  },
  {
    label: 'forged: service and accounts together',
    actionId: 'report_30d',
    value: '{"service":"AmazonEC2","accounts":["123456789012"]}',
    valid: false,
  },
  {
    label: 'forged: an extra key (period)',
    actionId: 'report_30d',
    value: '{"period":"mtd"}',
    valid: false,
  },
  {
    label: 'forged: a metric smuggled in',
    actionId: 'report_30d',
    value: '{"metric":{"namespace":"AWS/EC2"}}',
    valid: false,
  },
  {
    label: 'forged: __proto__ key',
    actionId: 'report_30d',
    value: '{"__proto__":{"accounts":["1"]}}',
    valid: false,
  },
  {
    label: 'oversized (2,001 characters)',
    actionId: 'report_30d',
    value: `{"service":"${'a'.repeat(1987)}"}`,
    valid: false,
  },
  { label: 'malformed JSON', actionId: 'report_30d', value: '{"service":', valid: false },
  { label: 'JSON null', actionId: 'report_30d', value: 'null', valid: false },
  { label: 'a JSON array', actionId: 'report_30d', value: '["123456789012"]', valid: false },
  { label: 'a number', actionId: 'report_30d', value: '42', valid: false },
  { label: 'no value', actionId: 'report_30d', value: undefined, valid: false },
  { label: 'an action id the bot never sent', actionId: 'report_7d', value: '{}', valid: false },
];

// --- The Lambda receiver's bodies ---------------------------------------------------------------

export interface LambdaBodyCase {
  label: string;
  /** Signed with the right secret (else unsigned). */
  signed: boolean;
  body: string | undefined;
  base64?: boolean;
  contentType?: string;
  /** A body Bolt can read as a command may get an ephemeral refusal (200) instead of a 4xx. */
  refusalOk?: boolean;
}

export const LAMBDA_BODY_CASES: LambdaBodyCase[] = [
  { label: 'unsigned: a slash command form', signed: false, body: 'command=%2Faws-cost&text=7d' },
  { label: 'unsigned: no body at all', signed: false, body: undefined },
  {
    label: 'unsigned: JSON',
    signed: false,
    body: '{"type":"block_actions"}',
    contentType: 'application/json',
  },
  {
    label: 'unsigned: base64 flag on text that is not base64',
    signed: false,
    body: '%%%not-base64%%%',
    base64: true,
  },
  { label: 'unsigned: 1 MB of garbage', signed: false, body: 'x'.repeat(1024 * 1024) },
  { label: 'signed: empty body', signed: true, body: '' },
  { label: 'signed: payload that is not JSON', signed: true, body: 'payload=%7Bnot-json' },
  { label: 'signed: payload that is JSON null', signed: true, body: 'payload=null' },
  {
    label: 'signed: block_actions without actions, user or channel',
    signed: true,
    body: `payload=${encodeURIComponent('{"type":"block_actions"}')}`,
  },
  {
    label: 'signed: JSON body that is not a Slack event',
    signed: true,
    body: '{"hello":"world"}',
    contentType: 'application/json',
  },
  {
    label: 'signed: a command form without user, team or response_url',
    signed: true,
    body: 'command=%2Faws-cost&text=7d',
    refusalOk: true,
  },
  {
    label: 'signed: a 1 MB command from an allowed user',
    signed: true,
    body: `command=%2Faws-cost&user_id=U0ALLOWED1&channel_id=C0ALLOWED1&team_id=T0TEAM01&trigger_id=1.2.3&response_url=http%3A%2F%2F127.0.0.1%3A9%2Fr&text=${'a'.repeat(1024 * 1024)}`,
    refusalOk: true,
  },
];

/** Not even an HTTP event: what a misconfigured trigger could hand the function. */
export const LAMBDA_EVENT_CASES: { label: string; event: unknown }[] = [
  { label: 'an empty object', event: {} },
  { label: 'null', event: null },
  {
    label: 'a Function URL event without headers',
    event: {
      version: '2.0',
      rawPath: '/slack/events',
      body: 'x',
      isBase64Encoded: false,
      requestContext: { http: { method: 'POST' } },
    },
  },
  { label: 'a scheduler event ({request:…})', event: { request: { kind: 'digest' } } },
];

/** Command texts beyond the request bounds (accounts, length). */
export const COMMAND_BOUND_CASES: { label: string; text: string }[] = [
  { label: '51 account ids', text: `account ${ACCOUNTS_51.slice(0, 51).join(',')}` },
  { label: '501 characters', text: `service ${'A'.repeat(493)}` },
  {
    label: '31 dimensions',
    text: `chart AWS/Lambda Errors ${Array.from({ length: 31 }, (_, i) => `D${i}=v`).join(' ')}`,
  },
  { label: 'a mention smuggled in', text: 'service <!channel>' },
  { label: 'a 65-character service name', text: `service ${'A'.repeat(65)}` },
];

/** CDK context values a deployer may get wrong; each refused naming the key. */
export const INFRA_SETTING_CASES: { key: string; value: string }[] = [
  { key: 'alarmEmail', value: 'ops' },
  { key: 'alarmEmail', value: 'ops@example' },
  { key: 'botReservedConcurrency', value: '0' },
  { key: 'botReservedConcurrency', value: 'many' },
  { key: 'scheduleCron', value: 'cron(0 9 * * *)' },
  { key: 'scheduleTimeZone', value: 'Mars/Olympus' },
  { key: 'chartRetentionDays', value: '6' },
  { key: 'logRetentionDays', value: '31' },
  { key: 'digestChannel', value: 'costs' },
  { key: 'parameterPrefix', value: 'costbot' },
  { key: 'architecture', value: 'arm' },
  { key: 'account', value: '123' },
];

/** `.env` files in the directory npm start runs in. */
export const DOTENV_CASES: { label: string; content: string; expected: string }[] = [
  {
    label: 'SLACK_SIGNING_SECRET set',
    content: 'SLACK_SIGNING_SECRET=0123456789abcdef0123456789abcdef\n',
    expected:
      "requests signed with it are accepted; ones signed with parameters.json's are refused",
  },
  {
    label: 'a line that is not NAME=value',
    content: 'this is not a setting\n',
    expected: 'one line naming .env, exit status 2',
  },
  {
    label: 'COSTBOT_CHART_PREFIX=../x/',
    content: 'COSTBOT_CHART_PREFIX=../x/\n',
    expected: 'one line naming COSTBOT_CHART_PREFIX, exit status 2',
  },
];

// --- Signer keys ---------------------------------------------------------------------------------

export interface SignerKeyCase {
  label: string;
  accessKeyId: string;
  /** The secret stored with it; absent: the generated one is kept. */
  secretAccessKey?: string;
  /** Expected: a link is posted (true) or a named error with what to do (false). */
  accepted: boolean;
}

const KEY_BODY = 'IOSFODNN7EXAMPLE';

export const SIGNER_KEY_CASES: SignerKeyCase[] = [
  {
    label: 'AKIA + 16 base-32 characters (control)',
    accessKeyId: `AKIA${KEY_BODY}`,
    accepted: true,
  },
  {
    label: 'AKIA key with spaces around it (trimmed)',
    accessKeyId: ` AKIA${KEY_BODY} `,
    accepted: true,
  },
  { label: 'session key ASIA…', accessKeyId: `ASIA${KEY_BODY}`, accepted: false },
  {
    label: 'session key in lower case asia…',
    accessKeyId: `asia${KEY_BODY.toLowerCase()}`,
    accepted: false,
  },
  {
    label: 'session key with a leading space " ASIA…"',
    accessKeyId: ` ASIA${KEY_BODY}`,
    accepted: false,
  },
  {
    label: 'session key with a trailing newline',
    accessKeyId: `ASIA${KEY_BODY}\n`,
    accepted: false,
  },
  { label: 'role id AROA…', accessKeyId: `AROA${KEY_BODY}`, accepted: false },
  { label: 'user id AIDA…', accessKeyId: `AIDA${KEY_BODY}`, accepted: false },
  { label: 'AKIA in lower case', accessKeyId: `akia${KEY_BODY.toLowerCase()}`, accepted: false },
  { label: '19 characters', accessKeyId: `AKIA${KEY_BODY.slice(1)}`, accepted: false },
  { label: '21 characters', accessKeyId: `AKIA${KEY_BODY}A`, accepted: false },
  {
    label: 'not base-32 (digits 0, 1, 8, 9)',
    accessKeyId: 'AKIA0189018901890189',
    accepted: false,
  },
  {
    label: 'a space inside',
    accessKeyId: `AKIA${KEY_BODY.slice(0, 8)} ${KEY_BODY.slice(9)}`,
    accepted: false,
  },
  { label: 'garbage', accessKeyId: 'not-a-key', accepted: false },
  { label: 'empty', accessKeyId: '', accepted: false },
  {
    label: 'a good key id with a secret holding a space',
    accessKeyId: `AKIA${KEY_BODY}`,
    secretAccessKey: 'wJalrXUtnFEMI/K7MDENG bPxRfiCYEXAMPLEKEY',
    accepted: false,
  },
  {
    label: 'a good key id with an empty secret',
    accessKeyId: `AKIA${KEY_BODY}`,
    secretAccessKey: '',
    accepted: false,
  },
];

// --- Step events ---------------------------------------------------------------------------------

export type Step =
  | 'fetch'
  | 'fetchAccount'
  | 'summarize'
  | 'summarizeAccounts'
  | 'chart'
  | 'sign'
  | 'post';

export interface StepEventCase {
  step: Step;
  label: string;
  /** Built from a valid event of that step (`good`), so each case breaks one thing. */
  event: (good: Record<string, unknown>) => unknown;
}

const without = (good: Record<string, unknown>, key: string) => {
  const { [key]: _, ...rest } = good;
  return rest;
};
const withRequest = (good: Record<string, unknown>, change: Record<string, unknown>) => ({
  ...good,
  request: { ...(good.request as Record<string, unknown>), ...change },
});

const EVERY_STEP: Step[] = [
  'fetch',
  'fetchAccount',
  'summarize',
  'summarizeAccounts',
  'chart',
  'sign',
  'post',
];

/** The breakages every step gets, then the ones particular to a step's own field. */
export const STEP_EVENT_CASES: StepEventCase[] = [
  ...EVERY_STEP.flatMap((step): StepEventCase[] => [
    { step, label: 'an empty object', event: () => ({}) },
    { step, label: 'null', event: () => null },
    { step, label: 'a string', event: () => 'hello' },
    { step, label: 'no request', event: (good) => without(good, 'request') },
    {
      step,
      label: 'request.period unknown',
      event: (good) => withRequest(good, { period: 'year' }),
    },
    {
      step,
      label: 'request.channel a mention',
      event: (good) => withRequest(good, { channel: '<!here>' }),
    },
    {
      step,
      label: 'request.requestId with a path',
      event: (good) => withRequest(good, { requestId: '../../etc/passwd' }),
    },
    {
      step,
      label: 'request.accounts 51 ids',
      event: (good) => withRequest(good, { accounts: ACCOUNTS_51 }),
    },
  ]),
  {
    step: 'fetchAccount',
    label: 'accountId not one of request.accounts',
    event: (good) => ({ ...good, accountId: '999999999999' }),
  },
  {
    step: 'summarize',
    label: 'fetched.breakdown a string',
    event: (good) => ({ ...good, fetched: { ...(good.fetched as object), breakdown: 'x' } }),
  },
  {
    step: 'summarizeAccounts',
    label: 'perAccount empty',
    event: (good) => ({ ...good, perAccount: [] }),
  },
  {
    step: 'chart',
    label: 'summary.chart missing',
    event: (good) => ({
      ...good,
      summary: without(good.summary as Record<string, unknown>, 'chart'),
    }),
  },
  {
    step: 'chart',
    label: 'summary.asOf not a date',
    event: (good) => ({ ...good, summary: { ...(good.summary as object), asOf: 'yesterday' } }),
  },
  {
    step: 'sign',
    label: 'chart.key missing',
    event: (good) => ({ ...good, chart: without(good.chart as Record<string, unknown>, 'key') }),
  },
  {
    step: 'post',
    label: 'link.url not a URL',
    event: (good) => ({ ...good, link: { ...(good.link as object), url: 'javascript:alert(1)' } }),
  },
  {
    step: 'post',
    label: 'request.responseUrl not a URL',
    event: (good) => withRequest(good, { responseUrl: 'file:///etc/passwd' }),
  },
];

/** `$.error` as the failure path may receive it: anything. A notice is still posted, once. */
export const FAILURE_ERROR_CASES: { label: string; error: unknown }[] = [
  {
    label: 'a well-formed Lambda error (control)',
    error: {
      Error: 'AwsThrottledError',
      Cause: '{"errorType":"AwsThrottledError","errorMessage":"slow down"}',
    },
  },
  { label: 'null', error: null },
  { label: 'a string', error: 'boom' },
  { label: 'a number', error: 42 },
  { label: 'an array', error: ['Error', 'Cause'] },
  { label: 'an empty object', error: {} },
  { label: 'Error a number', error: { Error: 5 } },
  { label: 'Cause not JSON', error: { Error: 'States.TaskFailed', Cause: '{not json' } },
  {
    label: 'Cause JSON with errorType a number',
    error: { Error: 'X', Cause: '{"errorType":5,"errorMessage":null}' },
  },
  {
    label: 'Cause with Slack markup',
    error: {
      Error: 'X',
      Cause: '{"errorType":"X","errorMessage":"<!channel> <http://evil|click>"}',
    },
  },
  { label: 'Cause of 200 KB', error: { Error: 'X', Cause: 'x'.repeat(200 * 1024) } },
];

/** A whole run whose request is bad: named, and a notice only where the request says where to post. */
export const RUN_REQUEST_CASES: {
  label: string;
  change: Record<string, unknown>;
  notice: boolean;
}[] = [
  { label: 'period "year"', change: { period: 'year' }, notice: true },
  { label: '51 accounts', change: { accounts: ACCOUNTS_51 }, notice: true },
  { label: 'asOf "yesterday"', change: { asOf: 'yesterday' }, notice: true },
  { label: 'channel "<!here>"', change: { channel: '<!here>' }, notice: false },
];

/** The largest request the bounds allow, run end to end. */
export const PAYLOAD_CASE = {
  tried: 'a 30-day report naming 50 accounts (the most allowed), top 20',
  expected: 'every state under half of 256 KB; one report posted',
};

// --- Settings and local files --------------------------------------------------------------------

export interface SettingCase {
  setting: string;
  value: string;
  /** Expected: accepted (true), or one ConfigError line naming the setting (false). */
  accepted: boolean;
}

const refused = (setting: string, ...values: string[]): SettingCase[] =>
  values.map((value) => ({ setting, value, accepted: false }));
const accepted = (setting: string, ...values: string[]): SettingCase[] =>
  values.map((value) => ({ setting, value, accepted: true }));

export const SETTING_CASES: SettingCase[] = [
  ...accepted('COSTBOT_BUCKET', 'costbot-charts', 'my.charts-2026', 'abc', 'a'.repeat(63)),
  ...refused(
    'COSTBOT_BUCKET',
    'Costbot-Charts',
    'my..charts',
    '192.168.5.4',
    'ab',
    'a'.repeat(64),
    'xn--costbot',
    'costbot-s3alias',
    'costbot--ol-s3',
    'sthree-costbot',
    'costbot-',
    'costbot_charts',
  ),
  ...accepted('COSTBOT_CHART_PREFIX', 'charts/', 'team-a/charts/', 'v1.2/charts/'),
  ...refused(
    'COSTBOT_CHART_PREFIX',
    '../x/',
    '../../x/',
    'a/../b/',
    './x/',
    'a/./b/',
    'a//b/',
    '/x/',
    'x',
    '..',
    '/',
    'a b/',
  ),
  ...refused('PORT', '-1', '65536', 'http', '3000.5', '0x50'),
  ...refused('COSTBOT_LOCAL_S3_PORT', '70000', 'abc'),
  ...refused('COSTBOT_LINK_EXPIRES_SECONDS', '0', '604801', '7d'),
  ...refused('COSTBOT_PARAMETER_CACHE_TTL_SECONDS', '-1', '86401'),
  ...refused('COSTBOT_TOP_N', '0', '21'),
  ...refused('COSTBOT_BILLING_REGION', 'US-EAST-1', 'us-east', 'mars-north-1x'),
  ...refused('COSTBOT_DIGEST_CHANNEL', 'costs', '#Costs', '<#C0123ABCD>'),
  ...refused('COSTBOT_ALLOWED_CHANNELS', 'C0123ABCD,#costs', 'c0123abcd'),
  ...refused('COSTBOT_ALLOWED_USERS', 'alice', 'U0123ABCD,<@U0123ABCD>'),
  ...refused(
    'COSTBOT_STATE_MACHINE_ARN',
    'arn:aws:states:us-east-1:123:stateMachine:x',
    'costbot-report',
  ),
  ...refused(
    'COSTBOT_READER_ROLE_ARNS',
    'arn:aws:iam::123456789012:user/alice',
    'arn:aws:iam::123456789012:role/a,arn:aws:iam::123456789012:role/b',
  ),
  ...refused('COSTBOT_READER_EXTERNAL_ID', 'x', 'has space'),
  ...refused('COSTBOT_BACKEND', 'AWS', 'moto'),
  ...refused('LOG_LEVEL', 'verbose', 'INFO'),
  ...refused('SLACK_API_URL', 'ftp://slack.com/api/', 'javascript:alert(1)', 'slack.com/api'),
  ...refused('COSTBOT_PARAM_SLACK_BOT_TOKEN', 'a//b', 'has space'),
  ...refused('COSTBOT_STACK', '1Costbot', 'Costbot_Stack'),
  ...refused('SLACK_SIGNING_SECRET', 'hunter2-not-hex-0123456789abcdef', 'ABCDEF'),
  ...refused('SLACK_BOT_TOKEN', 'xoxp-a-user-token-123', 'hunter2'),
  ...refused('SLACK_APP_TOKEN', 'xoxb-not-an-app-token', 'hunter2'),
];

export interface LocalFileCase {
  label: string;
  /** Content of `parameters.json` (undefined: a directory there instead). */
  content: string | undefined;
  mode?: number;
}

export const PARAMETER_FILE_CASES: LocalFileCase[] = [
  { label: 'a JSON string', content: '"hello"' },
  { label: 'JSON null', content: 'null' },
  { label: 'a JSON array', content: '["a"]' },
  { label: 'a number', content: '42' },
  { label: 'not JSON', content: '{"/costbot/slack/bot-token": ' },
  { label: 'empty', content: '' },
  { label: 'a value that is not a string', content: '{"/costbot/slack/bot-token": 5}' },
  { label: 'unreadable (mode 000)', content: '{}', mode: 0o000 },
  { label: 'a directory', content: undefined },
];

/** `npm run digest` flags a stranger gets wrong. */
export const DIGEST_FLAG_CASES: { args: string[]; names: string }[] = [
  { args: ['--period', 'year'], names: '--period' },
  { args: ['--channel', '<!here>'], names: '--channel' },
  { args: ['--bogus'], names: '--bogus' },
];

// --- The local console -----------------------------------------------------------------------------

export interface ConsoleCase {
  label: string;
  path: '/local/command' | '/local/action' | '/local/messages';
  method: 'GET' | 'POST';
  /** Headers replacing the browser's defaults; `{port}` is the console's port. */
  headers: Record<string, string>;
  body?: string;
  accepted: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };
const COMMAND_BODY = JSON.stringify({ text: '/aws-cost 7d' });

export const CONSOLE_CASES: ConsoleCase[] = [
  {
    label: 'same-origin JSON (control)',
    path: '/local/command',
    method: 'POST',
    headers: { ...JSON_TYPE, origin: 'http://127.0.0.1:{port}' },
    body: COMMAND_BODY,
    accepted: true,
  },
  {
    label: 'JSON without Origin from curl (control)',
    path: '/local/command',
    method: 'POST',
    headers: JSON_TYPE,
    body: COMMAND_BODY,
    accepted: true,
  },
  {
    label: 'JSON from localhost:{port} (control)',
    path: '/local/command',
    method: 'POST',
    headers: { ...JSON_TYPE, host: 'localhost:{port}', origin: 'http://localhost:{port}' },
    body: COMMAND_BODY,
    accepted: true,
  },
  {
    label: 'cross-origin JSON (Origin https://evil.example)',
    path: '/local/command',
    method: 'POST',
    headers: { ...JSON_TYPE, origin: 'https://evil.example' },
    body: COMMAND_BODY,
    accepted: false,
  },
  {
    label: 'Origin "null" (sandboxed frame, file://)',
    path: '/local/command',
    method: 'POST',
    headers: { ...JSON_TYPE, origin: 'null' },
    body: COMMAND_BODY,
    accepted: false,
  },
  {
    label: 'Origin on another loopback port',
    path: '/local/command',
    method: 'POST',
    headers: { ...JSON_TYPE, origin: 'http://127.0.0.1:1' },
    body: COMMAND_BODY,
    accepted: false,
  },
  {
    label: 'text/plain post from another site',
    path: '/local/command',
    method: 'POST',
    headers: { 'content-type': 'text/plain', origin: 'https://evil.example' },
    body: COMMAND_BODY,
    accepted: false,
  },
  {
    label: 'text/plain post without Origin',
    path: '/local/command',
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: COMMAND_BODY,
    accepted: false,
  },
  {
    label: 'form post from another site',
    path: '/local/command',
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      origin: 'https://evil.example',
    },
    body: 'text=%2Faws-cost+7d',
    accepted: false,
  },
  {
    label: 'DNS rebinding: Host evil.example:{port}',
    path: '/local/command',
    method: 'POST',
    headers: { ...JSON_TYPE, host: 'evil.example:{port}', origin: 'http://evil.example:{port}' },
    body: COMMAND_BODY,
    accepted: false,
  },
  {
    label: 'DNS rebinding: Host evil.example, no Origin',
    path: '/local/command',
    method: 'POST',
    headers: { ...JSON_TYPE, host: 'evil.example' },
    body: COMMAND_BODY,
    accepted: false,
  },
  {
    label: 'cross-origin button click',
    path: '/local/action',
    method: 'POST',
    headers: { ...JSON_TYPE, origin: 'https://evil.example' },
    body: '{"channel":"C0LOCAL","ts":"1.1","actionId":"refresh_link"}',
    accepted: false,
  },
  {
    label: 'DNS rebinding read of the messages',
    path: '/local/messages',
    method: 'GET',
    headers: { host: 'evil.example:{port}' },
    accepted: false,
  },
];

export const CONSOLE_LOAD = { commands: 50, maxAckMs: 3000 };

// --- Faults ----------------------------------------------------------------------------------------

/** A loopback Slack endpoint that fails its first call this way, then behaves. */
export type FlakyFailure =
  | '503'
  | '502 HTML'
  | 'reset'
  | 'hang'
  | 'slow headers'
  | 'ok:false internal_error';

export interface FaultCase {
  label: string;
  /** `response_url` (a command's reply) or `chat.postMessage` (a digest). */
  endpoint: 'response_url' | 'chat.postMessage';
  failure: FlakyFailure;
}

export const FAULT_CASES: FaultCase[] = (['response_url', 'chat.postMessage'] as const).flatMap(
  (endpoint) =>
    (['503', '502 HTML', 'reset', 'hang', 'ok:false internal_error'] as const)
      // response_url answers `ok` or an error word; Slack's JSON codes are the Web API's.
      .filter((failure) => !(endpoint === 'response_url' && failure === 'ok:false internal_error'))
      .map((failure) => ({ label: `${endpoint} fails once: ${failure}`, endpoint, failure })),
);

/** Lambda refuses one invocation of a step (Lambda.TooManyRequestsException): retried. */
export const THROTTLED_STEPS = ['fetch', 'summarize', 'chart', 'sign', 'post'] as const;

/** The failure notice's own delivery fails once (the report failed: a session signer key). */
export const NOTICE_FAULT_CASES: FaultCase[] = (['503', 'reset', 'hang'] as const).map(
  (failure) => ({
    label: `failure notice: chat.postMessage fails once: ${failure}`,
    endpoint: 'chat.postMessage',
    failure,
  }),
);

/**
 * The chart's stable link as Post checks it before posting (stable links on): a signer key S3
 * or the links function refuses, or a links endpoint that fails once. `expected` is the test's
 * assertion: posted (after Post's retries as `retried` says), or a failure notice naming
 * `error` and quoting `says`, with no link posted.
 */
export interface ChartLinkCase {
  label: string;
  fault: { signer: { accessKeyId?: string; secretAccessKey?: string } } | { links: FlakyFailure };
  expected: { posted: true; retried: string[] } | { posted: false; error: string; says: string };
}

export const CHART_LINK_CASES: ChartLinkCase[] = [
  {
    label: 'chart link: a good signer key (control)',
    fault: { signer: {} },
    expected: { posted: true, retried: [] },
  },
  {
    label: 'chart link: a signer secret S3 does not match (wrong or rotated)',
    fault: { signer: { secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYWRONGSECRET' } },
    expected: { posted: false, error: 'ChartLinkBrokenError', says: 'SignatureDoesNotMatch' },
  },
  {
    label: 'chart link: a signer key id S3 does not know (deleted)',
    fault: { signer: { accessKeyId: 'AKIAZZZZZZZZZZZZZZZZ' } },
    expected: { posted: false, error: 'ChartLinkBrokenError', says: 'InvalidAccessKeyId' },
  },
  {
    label: 'chart link: a session signer key ASIA… (the links function fails)',
    fault: { signer: { accessKeyId: `ASIA${KEY_BODY}` } },
    expected: { posted: false, error: 'ChartLinkBrokenError', says: 'HTTP 502' },
  },
  ...(['503', 'reset', 'hang'] as const).map(
    (failure): ChartLinkCase => ({
      label: `chart link: the links endpoint fails once: ${failure}`,
      fault: { links: failure },
      expected: { posted: true, retried: ['ChartLinkUnavailableError'] },
    }),
  ),
  {
    // A Function URL's 502 is the function failing (its key reads retry on their own): it repeats.
    label: 'chart link: the links endpoint answers 502 once',
    fault: { links: '502 HTML' },
    expected: { posted: false, error: 'ChartLinkBrokenError', says: 'HTTP 502' },
  },
];

/** The bot's own replies (Refresh link's response_url) meet a Slack that hangs. */
export const BOT_REPLY_FAULT = {
  tried: 'Refresh link whose response_url never answers',
  expected: "answered well within the bot function's 10 s timeout; the dead URL tried once",
};

/** Slack delivering the same request again (X-Slack-Retry-Num): one execution, whatever the retries. */
export const SLACK_RETRY_CASES: {
  label: string;
  surface: 'command' | 'report_30d';
  retries: number;
}[] = [
  { label: 'a command retried once (http_timeout)', surface: 'command', retries: 1 },
  { label: 'a command retried twice', surface: 'command', retries: 2 },
  { label: 'a "Last 30 days" click delivered twice', surface: 'report_30d', retries: 1 },
];

/** Faults of the delivery record and duplicates (exactly-once). */
export const DUPLICATE_CASES: { label: string; expected: string }[] = [
  {
    label: 'the same scheduled digest executed twice, one after the other',
    expected: 'one post; the second execution succeeds without posting',
  },
  {
    label: 'the same scheduled digest executed twice at once',
    expected: 'one post; both executions succeed',
  },
  {
    label: 'the failure path after the report reached Slack',
    expected: 'no failure notice; the execution ends as delivered',
  },
];

export const EXTENSION_CASES: { label: string; refusals: number; fallback: boolean }[] = [
  {
    label: 'answers 400 to its first 2 requests (registered, not serving)',
    refusals: 2,
    fallback: false,
  },
  {
    label: 'refuses connections, then SSM through the SDK (moto_server)',
    refusals: Number.POSITIVE_INFINITY,
    fallback: true,
  },
];

// --- Deploying -------------------------------------------------------------------------------------

export interface RegionCase {
  region: string | undefined;
  architecture: 'arm64' | 'x86_64';
  accepted: boolean;
}

export const REGION_CASES: RegionCase[] = [
  { region: 'eu-west-1', architecture: 'arm64', accepted: true },
  { region: 'us-east-1', architecture: 'x86_64', accepted: true },
  { region: 'ap-south-2', architecture: 'arm64', accepted: false },
  { region: 'eu-central-2', architecture: 'arm64', accepted: false },
  { region: 'il-central-1', architecture: 'x86_64', accepted: false },
  { region: 'ca-west-1', architecture: 'arm64', accepted: false },
  { region: 'cn-north-1', architecture: 'arm64', accepted: false },
  { region: 'us-gov-west-1', architecture: 'arm64', accepted: false },
  { region: 'mars-north-1', architecture: 'arm64', accepted: false },
  { region: undefined, architecture: 'arm64', accepted: false },
];

export const DEPLOY_CHECKS: { label: string; expected: string }[] = [
  {
    label: 'every Lambda task of the definition',
    expected: 'retries Lambda.TooManyRequestsException',
  },
  { label: 'the public bot function', expected: 'has reserved concurrency' },
  { label: "the state machine's log group", expected: 'is under /aws/vendedlogs/states/' },
  {
    label: 'failed executions',
    expected: 'a CloudWatch alarm notifies an SNS topic with the e-mail address given',
  },
];

// --- Subscriptions (both receivers, each with its store) ------------------------------------------

export const SUBSCRIPTION_SURFACE =
  'bot/lambda.ts (Function URL v2, schedules on moto_server) and npm start (ExpressReceiver, local file)';

/**
 * Channel A holds the subscription the attacks aim at (its id stands for `<A>` in texts and
 * values); B is another allowed channel. ALLOWED_USER is the one admin (COSTBOT_ADMIN_USERS);
 * MEMBER is on COSTBOT_ALLOWED_USERS but not an admin.
 */
export const CHANNEL_A = ALLOWED_CHANNEL;
export const CHANNEL_B = 'C0ALLOWED2';
export const MEMBER = 'U0MEMBER01';
export const STRANGER = 'U0INTRUDER';
export const OUTSIDE = 'C0ELSEWHERE';
export const A_ID = '<A>';

/** What the bot answers a subscription attack with (the rows' expected outcomes). */
export const SUBSCRIPTION_OUTCOMES = {
  notFound: `"No subscription … in this channel."; A's subscription untouched, nothing started`,
  admin: 'ephemeral refusal naming COSTBOT_ADMIN_USERS; no subscription stored or removed',
  allowList:
    'ephemeral refusal naming the allow-list; no subscription stored or removed, nothing started',
  invalid: 'ephemeral "button is not valid", before the store is read; nothing removed or started',
  runs: "one execution of A's subscription, posting to A",
  lists: "A's subscriptions listed with their buttons",
} as const;
export type SubscriptionOutcome = keyof typeof SUBSCRIPTION_OUTCOMES;

/** A subscription command (text as typed after `/aws-cost`) or a click on a list's button. */
export type SubscriptionAct =
  | { command: string }
  | { button: 'remove' | 'run'; value: string | undefined; blockId?: string };

export interface SubscriptionAccessCase {
  label: string;
  act: SubscriptionAct;
  user: string;
  channel: string;
  outcome: SubscriptionOutcome;
}

const COMMANDS: string[] = ['subscribe daily 09:00', 'subscriptions', `unsubscribe ${A_ID}`];
const BUTTONS = ['remove', 'run'] as const;
const BUTTON_NAMES = { remove: 'Remove', run: 'Run now' } as const;

/** Values no subscription button ever carries (ids are 1-16 lower-case letters and digits). */
const NOT_AN_ID: { label: string; value: string | undefined }[] = [
  { label: '17 characters', value: 'a'.repeat(17) },
  { label: '2,001 characters', value: 'a'.repeat(2001) },
  { label: 'upper case', value: 'ABCD1234' },
  { label: 'a path (../)', value: `../${CHANNEL_A}.abcd1234` },
  { label: 'JSON naming a channel', value: `{"channel":"${CHANNEL_A}","id":"abcd1234"}` },
  { label: 'empty', value: '' },
  { label: 'no value', value: undefined },
];

export const SUBSCRIPTION_ACCESS_CASES: SubscriptionAccessCase[] = [
  ...BUTTONS.map(
    (button): SubscriptionAccessCase => ({
      label: `${BUTTON_NAMES[button]} clicked in channel B with A's subscription id`,
      act: { button, value: A_ID },
      user: ALLOWED_USER,
      channel: CHANNEL_B,
      outcome: 'notFound',
    }),
  ),
  {
    label: "/aws-cost unsubscribe (A's id) typed in channel B",
    act: { command: `unsubscribe ${A_ID}` },
    user: ALLOWED_USER,
    channel: CHANNEL_B,
    outcome: 'notFound',
  },
  ...BUTTONS.map(
    (button): SubscriptionAccessCase => ({
      label: `${BUTTON_NAMES[button]} with a block id naming A's subscription and a value naming none`,
      act: { button, value: 'zzzz0000', blockId: `subscription.${A_ID}` },
      user: ALLOWED_USER,
      channel: CHANNEL_A,
      outcome: 'notFound',
    }),
  ),
  {
    label: 'a non-admin (COSTBOT_ADMIN_USERS set): /aws-cost subscribe daily 09:00',
    act: { command: 'subscribe daily 09:00' },
    user: MEMBER,
    channel: CHANNEL_A,
    outcome: 'admin',
  },
  {
    label: "a non-admin: /aws-cost unsubscribe (A's id) in A",
    act: { command: `unsubscribe ${A_ID}` },
    user: MEMBER,
    channel: CHANNEL_A,
    outcome: 'admin',
  },
  {
    label: "a non-admin: Remove on A's subscription in A",
    act: { button: 'remove', value: A_ID },
    user: MEMBER,
    channel: CHANNEL_A,
    outcome: 'admin',
  },
  {
    label:
      "a non-admin: Run now on A's subscription in A (allowed to everyone the allow-lists admit)",
    act: { button: 'run', value: A_ID },
    user: MEMBER,
    channel: CHANNEL_A,
    outcome: 'runs',
  },
  {
    label: 'a non-admin: /aws-cost subscriptions in A (allowed to everyone the allow-lists admit)',
    act: { command: 'subscriptions' },
    user: MEMBER,
    channel: CHANNEL_A,
    outcome: 'lists',
  },
  ...[
    ...COMMANDS.map((command): SubscriptionAct => ({ command })),
    ...BUTTONS.map((button): SubscriptionAct => ({ button, value: A_ID })),
  ].flatMap((act): SubscriptionAccessCase[] => {
    const what =
      'command' in act
        ? `/aws-cost ${act.command.replace(A_ID, "(A's id)")}`
        : `${BUTTON_NAMES[act.button]} on A's subscription`;
    return [
      {
        label: `${what} by a user not on COSTBOT_ALLOWED_USERS`,
        act,
        user: STRANGER,
        channel: CHANNEL_A,
        outcome: 'allowList',
      },
      {
        label: `${what} in a channel not on COSTBOT_ALLOWED_CHANNELS`,
        act,
        user: ALLOWED_USER,
        channel: OUTSIDE,
        outcome: 'allowList',
      },
    ];
  }),
  ...BUTTONS.flatMap((button) =>
    NOT_AN_ID.map(
      (c): SubscriptionAccessCase => ({
        label: `${BUTTON_NAMES[button]} whose value is not an id: ${c.label}`,
        act: { button, value: c.value },
        user: ALLOWED_USER,
        channel: CHANNEL_A,
        outcome: 'invalid',
      }),
    ),
  ),
];

/** `/aws-cost subscribe …` that does not parse: each grammar class once, and its line (HTML-escaped as sent). */
export const SUBSCRIBE_ERROR_CASES: { label: string; text: string; says: string }[] = [
  {
    label: 'an unknown cadence',
    text: 'subscribe hourly 09:00',
    says: 'Unknown schedule "hourly": use daily, weekdays, weekly and a day, or monthly and a day from 1 to 28.',
  },
  {
    label: 'an unknown weekday',
    text: 'subscribe weekly funday 09:00',
    says: 'Unknown day "funday": use mon, tue, wed, thu, fri, sat or sun.',
  },
  {
    label: 'a time out of range',
    text: 'subscribe daily 24:00',
    says: 'Time "24:00" is not HH:MM from 00:00 to 23:59.',
  },
  {
    label: 'an unknown time zone',
    text: 'subscribe daily 09:00 Mars/Base',
    says: 'Unknown time zone "Mars/Base": use an IANA name such as Europe/Paris.',
  },
  {
    label: 'a monthly day past 28',
    text: 'subscribe monthly 29 09:00',
    says: 'monthly takes a day from 1 to 28 (every month has it); got "29".',
  },
  {
    label: 'a condition with <, escaped as Slack sends it',
    text: 'subscribe daily 09:00 if yesterday &lt; 250',
    says: 'Conditions compare with &gt; only, e.g. "if yesterday &gt; 250"; got "&lt;".',
  },
  {
    label: 'a trailing word',
    text: 'subscribe daily 09:00 Europe/Paris soon',
    says: 'Unknown word "soon".',
  },
  {
    label: 'the time given twice',
    text: 'subscribe daily 09:00 10:00',
    says: 'The time is given twice ("10:00").',
  },
];

/** Limits and Slack's retries on the subscription surface (COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL=2). */
export const SUBSCRIPTION_DELIVERY_CASES: { label: string; expected: string }[] = [
  {
    label: '/aws-cost subscribe delivered three times (X-Slack-Retry-Num 1 and 2)',
    expected: 'one subscription; the same confirmation (same id) each time',
  },
  {
    label: 'a Run now click delivered twice (X-Slack-Retry-Num 1)',
    expected: 'one execution',
  },
  {
    label: 'a third /aws-cost subscribe in a channel with COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL=2',
    expected: 'refused naming COSTBOT_MAX_SUBSCRIPTIONS_PER_CHANNEL; nothing stored',
  },
  {
    label: 'the subscribe that filled the channel, retried by Slack after the limit was reached',
    expected: 'the same confirmation, not a refusal; still 2 stored',
  },
];

// --- The table ---------------------------------------------------------------------------------------

const ONE_LINE = 'one line naming it and what to do, exit status 2, no stack trace';

export function rows(): Row[] {
  const out: Row[] = [];
  const add = (category: Category, surface: string, tried: string, expected: string) =>
    out.push({ category, surface, tried, expected });

  for (const c of FAULT_CASES) {
    add(
      'Delivery',
      'full local run, flaky loopback Slack',
      c.label,
      'retried as SlackUnavailableError; the report posted once; no failure notice',
    );
  }
  for (const c of NOTICE_FAULT_CASES) {
    add(
      'Delivery',
      'full local run, flaky loopback Slack',
      c.label,
      'retried; exactly one failure notice',
    );
  }
  for (const c of CHART_LINK_CASES) {
    add(
      c.expected.posted ? 'Delivery' : 'Nothing faked',
      'full local run, local links server and s3rver behind loopback proxies',
      c.label,
      c.expected.posted
        ? `the link checked, then the report posted once${c.expected.retried.length ? ` after Post is retried as ${c.expected.retried.join(', ')}` : ''}`
        : `${c.expected.error}, a failure notice quoting ${c.expected.says} and saying what to do; no link posted`,
    );
  }
  for (const step of THROTTLED_STEPS) {
    add(
      'Delivery',
      'full local run',
      `Lambda.TooManyRequestsException once on the ${step} step`,
      'retried; the report posted once',
    );
  }
  for (const c of DUPLICATE_CASES)
    add('Delivery', 'full local run, delivery records on s3rver', c.label, c.expected);
  add(
    'Delivery',
    'bot/lambda.ts (Function URL v2)',
    BOT_REPLY_FAULT.tried,
    BOT_REPLY_FAULT.expected,
  );
  for (const c of SLACK_RETRY_CASES) add('Delivery', RECEIVERS, c.label, 'one execution');
  for (const c of SUBSCRIPTION_DELIVERY_CASES)
    add('Delivery', SUBSCRIPTION_SURFACE, c.label, c.expected);
  for (const c of EXTENSION_CASES) {
    add(
      'Delivery',
      'Parameters and Secrets extension stand-in',
      `the extension ${c.label}`,
      c.fallback ? 'values read from SSM' : 'values read after brief retries',
    );
  }
  for (const c of TIMESTAMP_CASES) {
    add(
      'Authorization',
      RECEIVERS,
      `request timestamp ${c.label}`,
      c.accepted ? 'accepted: one execution' : '401, nothing started',
    );
  }
  for (const c of SIGNATURE_CASES) add('Authorization', RECEIVERS, c.label, '401, nothing started');
  for (const c of ACCESS_CASES) {
    add(
      'Authorization',
      RECEIVERS,
      c.label,
      c.allowed ? 'proceeds' : 'ephemeral refusal; nothing started or signed',
    );
  }
  for (const c of BUTTON_CASES) {
    add(
      'Authorization',
      RECEIVERS,
      `button ${c.actionId}: ${c.label}`,
      c.valid ? 'proceeds' : 'ephemeral refusal; nothing started or signed',
    );
  }
  for (const c of SUBSCRIPTION_ACCESS_CASES)
    add('Authorization', SUBSCRIPTION_SURFACE, c.label, SUBSCRIPTION_OUTCOMES[c.outcome]);
  for (const c of SIGNER_KEY_CASES) {
    add(
      'Nothing faked',
      'full local run (sign step) and Refresh link',
      `signer access key id: ${c.label}`,
      c.accepted
        ? 'link signed and posted'
        : 'InvalidSignerKeyError / SessionCredentialsError, a failure notice saying what to do; no link posted',
    );
  }
  for (const c of LAMBDA_BODY_CASES) {
    const where = c.base64 ? 'bot/lambda.ts (Function URL v2)' : RECEIVERS;
    const refusal = c.refusalOk ? '4xx or an ephemeral refusal' : '4xx';
    add('Bad input', where, c.label, `${refusal}, no throw, nothing started`);
  }
  for (const c of LAMBDA_EVENT_CASES)
    add('Bad input', 'bot/lambda.ts', `event: ${c.label}`, '4xx, no throw, nothing started');
  for (const c of COMMAND_BOUND_CASES)
    add(
      'Bad input',
      RECEIVERS,
      `/aws-cost with ${c.label}`,
      'ephemeral usage reply, nothing started',
    );
  for (const c of SUBSCRIBE_ERROR_CASES)
    add(
      'Bad input',
      SUBSCRIPTION_SURFACE,
      `/aws-cost ${c.text} (${c.label})`,
      `one line (${c.says}), then the usage; nothing stored`,
    );
  add('Bad input', 'full local run', PAYLOAD_CASE.tried, PAYLOAD_CASE.expected);
  for (const c of RUN_REQUEST_CASES) {
    add(
      'Bad input',
      'full local run',
      `request with ${c.label}`,
      c.notice
        ? 'execution fails with InvalidEventError; one failure notice naming it'
        : 'execution fails with InvalidEventError; nothing posted',
    );
  }
  for (const c of STEP_EVENT_CASES)
    add(
      'Bad input',
      `step handler ${c.step}`,
      c.label,
      'InvalidEventError naming the step; nothing written or posted',
    );
  for (const c of FAILURE_ERROR_CASES)
    add(
      'Bad input',
      'failure path (ReportFailure)',
      `$.error ${c.label}`,
      'one failure notice, no crash',
    );
  for (const c of SETTING_CASES) {
    add(
      'Start-up and configuration',
      'loadConfig (npm start, Lambda init)',
      `${c.setting}=${JSON.stringify(c.value)}`,
      c.accepted ? 'accepted' : `ConfigError naming ${c.setting}`,
    );
  }
  for (const c of PARAMETER_FILE_CASES) {
    add(
      'Start-up and configuration',
      'npm start',
      `parameters.json is ${c.label}`,
      `${ONE_LINE}; the file is not rewritten`,
    );
  }
  add(
    'Start-up and configuration',
    'npm start',
    'COSTBOT_LOCAL_DIR is a file',
    `${ONE_LINE} (COSTBOT_LOCAL_DIR)`,
  );
  add(
    'Start-up and configuration',
    'npm start',
    'COSTBOT_LOCAL_DIR unreadable (mode 000)',
    `${ONE_LINE} (COSTBOT_LOCAL_DIR)`,
  );
  add('Start-up and configuration', 'npm start', 'PORT already in use', `${ONE_LINE} (PORT)`);
  add(
    'Start-up and configuration',
    'npm start',
    'COSTBOT_ASSETS_DIR names a directory that does not exist',
    `${ONE_LINE} (COSTBOT_ASSETS_DIR)`,
  );
  add(
    'Start-up and configuration',
    'npm start',
    'COSTBOT_LOCAL_S3_PORT already in use',
    `${ONE_LINE} (COSTBOT_LOCAL_S3_PORT)`,
  );
  add(
    'Start-up and configuration',
    'npm start',
    'COSTBOT_BACKEND=aws with SSM unreachable',
    `${ONE_LINE} (SSM and its endpoint)`,
  );
  add(
    'Start-up and configuration',
    'npm start',
    'COSTBOT_CHART_PREFIX=../../x/ through the CLI',
    `${ONE_LINE} (COSTBOT_CHART_PREFIX); nothing written`,
  );
  add(
    'Start-up and configuration',
    'npm start',
    'parameters.json existing with mode 0644, missing a name',
    'completed and left at mode 0600',
  );
  add(
    'Start-up and configuration',
    'npm start',
    'SLACK_SIGNING_SECRET and SLACK_BOT_TOKEN in the environment',
    'they win over parameters.json',
  );
  for (const c of DOTENV_CASES) {
    add('Start-up and configuration', 'npm start', `.env with ${c.label}`, c.expected);
  }
  add(
    'Start-up and configuration',
    'npm run digest',
    'run without flags',
    'one digest printed, exits 0',
  );
  for (const c of DIGEST_FLAG_CASES) {
    add(
      'Start-up and configuration',
      'npm run digest',
      c.args.join(' '),
      `exit status 2 naming ${c.names}, no stack trace; nothing run`,
    );
  }
  for (const c of CONSOLE_CASES) {
    add(
      'Local console',
      'npm start console',
      `${c.method} ${c.path}: ${c.label}`,
      c.accepted ? 'accepted' : 'refused (4xx), nothing started or read',
    );
  }
  add(
    'Local console',
    'npm start console',
    `${CONSOLE_LOAD.commands} commands at once`,
    `${CONSOLE_LOAD.commands} reports, every command acked within Slack's ${CONSOLE_LOAD.maxAckMs} ms, no operation_timeout`,
  );
  for (const c of REGION_CASES) {
    add(
      'Deploying',
      'infra (CDK context)',
      `region ${c.region ?? '(none; the CLI would fall back to us-east-1)'} with ${c.architecture}`,
      c.accepted ? 'accepted' : 'refused, listing the supported regions',
    );
  }
  for (const c of INFRA_SETTING_CASES) {
    add(
      'Deploying',
      'infra (CDK context)',
      `-c ${c.key}=${c.value}`,
      `ConfigError naming ${c.key}`,
    );
  }
  add(
    'Deploying',
    'npm run setup',
    'no --region and no AWS_REGION',
    'one line naming the region, exit status 2',
  );
  for (const c of DEPLOY_CHECKS) add('Deploying', 'synthesized template', c.label, c.expected);
  return out;
}
