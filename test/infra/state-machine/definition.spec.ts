import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { before, describe, it } from 'node:test';
import {
  RETRYABLE_AWS_ERRORS,
  RETRYABLE_SLACK_ERRORS,
  RETRYABLE_SLACK_OUTAGE_ERRORS,
} from '../../../common/errors.ts';
import { reportTransitions, SCHEDULED_RUN_EXTRA_TRANSITIONS } from '../../../common/report-cost.ts';
import type { AslDefinition } from '../../../infra/state-machine/asl.ts';
import { RETRY } from '../../../infra/state-machine/definition.ts';
import { STATES } from '../../../infra/state-machine/states.ts';
import { synthesizeDefinition } from '../../../infra/state-machine/synth.ts';
import { machineFor } from '../../../local/runner.ts';
import { SLACK_TIMEOUT_MS } from '../../../workflows/steps/post/delivery.ts';
import { RECORD_TIMEOUT_MS } from '../../../workflows/steps/post/delivery-record.ts';
import { LINK_PROBE_TIMEOUT_MS } from '../../../workflows/steps/post/link-probe.ts';

// asl-validator 4 is CommonJS (`module.exports = validator`) and ships no types.
interface AslValidationError {
  'Error code': string;
  Message: string;
}
type AslValidator = (
  definition: unknown,
  options?: { checkPaths: boolean; checkArn: boolean },
) => {
  isValid: boolean;
  errors: AslValidationError[];
  errorsText: (separator?: string) => string;
};
const aslValidator = createRequire(import.meta.url)('asl-validator') as AslValidator;

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  JitterStrategy?: string;
}

interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string;
  Next: string;
}

/**
 * Every Task state of the default definition (stable links: no Sign), FetchAccount (inside the
 * FetchAccounts Map) included.
 */
const TASKS = [
  STATES.fetch,
  STATES.fetchAccount,
  STATES.summarize,
  STATES.chart,
  STATES.post,
  STATES.failure,
];
/** Top-level states that catch into the failure path (FetchAccount fails its Map instead). */
const CATCHING = [STATES.fetch, STATES.fetchAccounts, STATES.summarize, STATES.chart, STATES.post];
/** Tasks that call AWS (CloudWatch, STS, S3, SSM) besides Lambda. */
const AWS_CALLING = [STATES.fetch, STATES.fetchAccount, STATES.chart, STATES.post];
/** Tasks that call Slack. */
const SLACK_CALLING = [STATES.post, STATES.failure];

let definition: AslDefinition;

type States = Record<string, Record<string, unknown>>;

/** Every state by name, the states inside Map item processors included (names are unique). */
function allStates(states: States, into: States = {}): States {
  for (const [name, s] of Object.entries(states)) {
    into[name] = s;
    const inner = (s.ItemProcessor as { States?: States } | undefined)?.States;
    if (inner) allStates(inner, into);
  }
  return into;
}

/** The state called `name`, at the top level or inside a Map; fails the test if it does not exist. */
function state(name: string): Record<string, unknown> {
  const found = allStates(definition.States)[name];
  assert.ok(found, `state ${name} exists`);
  return found;
}

/** The states a run passes through from StartAt, taking the Choice's branch `pick` chooses. */
function walk(pick: (choice: Record<string, unknown>) => string): string[] {
  const path: string[] = [];
  for (let name: string | undefined = definition.StartAt; name; ) {
    path.push(name);
    const current = state(name);
    name = current.Type === 'Choice' ? pick(current) : (current.Next as string | undefined);
    assert.ok(path.length <= 10, 'no loop');
  }
  return path;
}

interface ChoiceRule {
  Variable?: string;
  IsPresent?: boolean;
  Next: string;
}

function retriers(name: string): Retrier[] {
  return (state(name).Retry as Retrier[] | undefined) ?? [];
}

/** The retrier that handles `error` in the state (the first listing it, as Step Functions picks). */
function retrierFor(name: string, error: string): Retrier | undefined {
  return retriers(name).find((r) => r.ErrorEquals.includes(error));
}

/** Every value of a property called `key`, anywhere in the JSON. */
function valuesOf(node: unknown, key: string): unknown[] {
  if (Array.isArray(node)) return node.flatMap((item) => valuesOf(item, key));
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([k, v]) => [...(k === key ? [v] : []), ...valuesOf(v, key)]);
}

describe('state machine definition (synthesized from the CDK construct, stable links on)', () => {
  before(() => {
    // The synth takes seconds; every test reads this one definition and never changes it.
    definition = structuredClone(synthesizeDefinition({ stableLinks: true }));
  });

  describe('asl-validator', () => {
    it('accepts the definition, including the Fail state’s ErrorPath and CausePath', () => {
      // Prepare: the validator fills in QueryLanguage on the states it is given, so it gets a copy.
      const input = structuredClone(definition);

      // Act
      const result = aslValidator(input, { checkPaths: true, checkArn: true });

      // Assess
      assert.equal(result.isValid, true, result.errorsText('\n'));
      assert.deepEqual(result.errors, []);
      assert.equal(state(STATES.failed).ErrorPath, '$.error.Error');
      assert.equal(state(STATES.failed).CausePath, '$.error.Cause');
    });

    it('rejects a copy whose failure path points to a missing state (the check is live)', () => {
      // Prepare
      const broken = structuredClone(definition);
      const failure = broken.States[STATES.failure] as Record<string, unknown>;
      failure.Next = 'NoSuchState';

      // Act
      const result = aslValidator(broken, { checkPaths: true, checkArn: true });

      // Assess
      assert.equal(result.isValid, false);
      assert.ok(
        result.errors.some((e) => e['Error code'] === 'MISSING_TRANSITION_TARGET'),
        result.errorsText('\n'),
      );
    });
  });

  describe('shape', () => {
    it('is JSONPath: no QueryLanguage JSONata anywhere, no JSONata expressions', () => {
      // Act
      const languages = valuesOf(definition, 'QueryLanguage');
      const text = JSON.stringify(definition);

      // Assess
      assert.ok(
        languages.every((l) => l === 'JSONPath'),
        `QueryLanguage values: ${JSON.stringify(languages)}`,
      );
      assert.doesNotMatch(text, /JSONata/i);
      assert.doesNotMatch(text, /\{%/, 'no JSONata {% … %} expressions');
    });

    it('runs Route? → Fetch → Summarize → ConditionMet? → RenderAndStore → Post by default', () => {
      // Act
      const path = walk((choice) => choice.Default as string);

      // Assess: what reportTransitions counts
      assert.deepEqual(path, [
        STATES.route,
        STATES.fetch,
        STATES.summarize,
        STATES.conditionMet,
        STATES.chart,
        STATES.post,
      ]);
      assert.equal(path.length, reportTransitions({ stableLinks: true }));
      assert.equal(state(STATES.post).End, true);
    });

    it('runs Route? → FetchAccounts → Summarize → … → Post when the request names accounts', () => {
      // Act
      const path = walk((choice) =>
        choice === state(STATES.route)
          ? ((choice.Choices as ChoiceRule[])[1]?.Next ?? 'none')
          : (choice.Default as string),
      );

      // Assess
      assert.deepEqual(path, [
        STATES.route,
        STATES.fetchAccounts,
        STATES.summarize,
        STATES.conditionMet,
        STATES.chart,
        STATES.post,
      ]);
    });

    it('has exactly the six Task states the local runner maps handlers to: no Sign', () => {
      // Act
      const tasks = Object.entries(allStates(definition.States))
        .filter(([, s]) => s.Type === 'Task')
        .map(([name]) => name);

      // Assess
      assert.deepEqual(tasks.sort(), [...TASKS].sort());
    });
  });

  describe('a scheduled run', () => {
    it('is named after its scheduled time before anything else runs', () => {
      // Act
      const path = walk((choice) =>
        choice === state(STATES.route)
          ? ((choice.Choices as ChoiceRule[])[0]?.Next ?? 'none')
          : (choice.Default as string),
      );

      // Assess
      assert.equal(definition.StartAt, STATES.route);
      assert.deepEqual(state(STATES.route).Choices, [
        { Variable: '$.scheduledAt', IsPresent: true, Next: STATES.nameRun },
        { Variable: '$.request.accounts[0]', IsPresent: true, Next: STATES.fetchAccounts },
      ]);
      assert.deepEqual(path.slice(0, 3), [STATES.route, STATES.nameRun, STATES.byAccount]);
      assert.equal(
        path.length,
        reportTransitions({ stableLinks: true }) + SCHEDULED_RUN_EXTRA_TRANSITIONS,
      );
    });

    it('names the run <subscription id>-<scheduled time without colons> in one Pass, merged into the request', () => {
      // Act
      const name = state(STATES.nameRun);

      // Assess: the braces of the JSON are escaped in the template, `{}` are its placeholders
      const part = (i: number) =>
        `States.ArrayGetItem(States.StringSplit($.scheduledAt, ':'), ${i})`;
      assert.equal(name.Type, 'Pass');
      assert.deepEqual(name.Parameters, {
        'request.$': `States.JsonMerge($.request, States.StringToJson(States.Format('\\{"requestId":"{}-{}{}{}","scheduledAt":"{}"\\}', $.request.subscription.id, ${part(0)}, ${part(1)}, ${part(2)}, $.scheduledAt)), false)`,
      });
      assert.equal(name.ResultPath, undefined, 'the output is {request}, the time inside it');
      assert.equal(name.Next, STATES.byAccount);
    });

    it('gives digest-2026-11-23T090000Z to subscription digest at 2026-11-23T09:00:00Z when run, and keeps the time in the request', async () => {
      // Prepare: the Pass alone, run by the local runner's library
      const { Next: _next, ...pass } = state(STATES.nameRun);
      const alone: AslDefinition = {
        StartAt: STATES.nameRun,
        States: { [STATES.nameRun]: { ...pass, End: true } },
      };
      const request = {
        kind: 'digest',
        requestId: 'scheduler-id',
        channel: 'C0DIGEST1',
        period: 'mtd',
        subscription: { id: 'digest' },
      };

      // Act
      const output = await machineFor(alone).run({ request, scheduledAt: '2026-11-23T09:00:00Z' })
        .result;

      // Assess
      assert.deepEqual(output, {
        request: {
          ...request,
          requestId: 'digest-2026-11-23T090000Z',
          scheduledAt: '2026-11-23T09:00:00Z',
        },
      });
    });
  });

  describe('the condition', () => {
    it('ConditionMet? ends in ConditionNotMet when $.gate.post is false, before any chart', () => {
      // Act
      const choice = state(STATES.conditionMet);
      const notMet = state(STATES.conditionNotMet);
      const path = walk((c) =>
        c === choice ? ((c.Choices as ChoiceRule[])[0]?.Next ?? 'none') : (c.Default as string),
      );

      // Assess
      assert.equal(state(STATES.summarize).Next, STATES.conditionMet);
      assert.deepEqual(choice.Choices, [
        { Variable: '$.gate.post', BooleanEquals: false, Next: STATES.conditionNotMet },
      ]);
      assert.equal(choice.Default, STATES.chart);
      assert.equal(notMet.Type, 'Succeed');
      assert.match(String(notMet.Comment), /condition did not hold/);
      assert.deepEqual(path, [
        STATES.route,
        STATES.fetch,
        STATES.summarize,
        STATES.conditionMet,
        STATES.conditionNotMet,
      ]);
    });
  });

  describe('fan-out by account', () => {
    it('ByAccount? sends a request with at least one account to FetchAccounts, any other to Fetch', () => {
      // Act
      const choice = state(STATES.byAccount);

      // Assess
      assert.equal(choice.Type, 'Choice');
      assert.deepEqual(choice.Choices, [
        { Variable: '$.request.accounts[0]', IsPresent: true, Next: STATES.fetchAccounts },
      ]);
      assert.equal(choice.Default, STATES.fetch);
    });

    it('FetchAccounts maps request.accounts, at most 5 at once, into $.perAccount', () => {
      // Act
      const map = state(STATES.fetchAccounts);

      // Assess
      assert.equal(map.Type, 'Map');
      assert.equal(map.ItemsPath, '$.request.accounts');
      assert.deepEqual(map.ItemSelector, {
        'request.$': '$.request',
        'accountId.$': '$$.Map.Item.Value',
      });
      assert.equal(map.MaxConcurrency, 5);
      assert.equal(map.ResultPath, '$.perAccount');
      assert.equal(map.Next, STATES.summarize);
      // Each iteration retries its own calls; a Map retry would fetch every account again.
      assert.equal(map.Retry, undefined);
    });

    it('FetchAccounts runs one Task, FetchAccount, on the same function as Fetch', () => {
      // Act
      const processor = state(STATES.fetchAccounts).ItemProcessor as {
        StartAt: string;
        States: States;
      };
      const inner = processor.States[STATES.fetchAccount];

      // Assess
      assert.equal(processor.StartAt, STATES.fetchAccount);
      assert.deepEqual(Object.keys(processor.States), [STATES.fetchAccount]);
      assert.equal(inner?.Type, 'Task');
      assert.equal(inner?.End, true);
      assert.equal(inner?.Resource, state(STATES.fetch).Resource);
      assert.equal(inner?.Catch, undefined, 'a failure fails the Map, whose Catch reports it');
    });
  });

  describe('failure path', () => {
    for (const name of CATCHING) {
      it(`${name} catches every error into ReportFailure with ResultPath $.error`, () => {
        // Act
        const catchers = (state(name).Catch as Catcher[] | undefined) ?? [];

        // Assess
        assert.deepEqual(catchers, [
          { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATES.failure },
        ]);
      });
    }

    it('ReportFailure catches nothing (it cannot loop into itself) and goes to ReportDelivered?', () => {
      // Act
      const failure = state(STATES.failure);

      // Assess
      assert.equal(failure.Catch, undefined);
      assert.equal(failure.Next, STATES.reportDelivered);
      assert.equal(failure.End, undefined);
    });

    it('ReportDelivered? ends as Delivered when the report had reached Slack, else Failed', () => {
      // Act
      const choice = state(STATES.reportDelivered);
      const delivered = state(STATES.delivered);

      // Assess
      assert.equal(choice.Type, 'Choice');
      assert.deepEqual(choice.Choices, [
        { Variable: '$.reportDelivered', BooleanEquals: true, Next: STATES.delivered },
      ]);
      assert.equal(choice.Default, STATES.failed);
      assert.equal(delivered.Type, 'Succeed');
    });

    it('Failed is a Fail state reading the caught error’s name and cause', () => {
      // Act
      const failed = state(STATES.failed);

      // Assess
      assert.deepEqual(failed, {
        Type: 'Fail',
        ErrorPath: '$.error.Error',
        CausePath: '$.error.Cause',
      });
    });
  });

  describe('retries', () => {
    for (const name of AWS_CALLING) {
      it(`${name} retries AwsThrottledError and AwsUnavailableError with jittered backoff`, () => {
        for (const error of ['AwsThrottledError', 'AwsUnavailableError']) {
          // Act
          const retrier = retrierFor(name, error);

          // Assess
          assert.ok(retrier, `${name} retries ${error}`);
          assert.ok((retrier.MaxAttempts ?? 3) >= 2, `${name} retries ${error} more than once`);
          assert.ok((retrier.BackoffRate ?? 2) > 1, 'backs off');
          assert.equal(retrier.JitterStrategy, 'FULL');
        }
      });
    }

    it('retries every error common/errors.ts names retryable', () => {
      // Act
      const awsErrors = retriers(STATES.fetch).flatMap((r) => r.ErrorEquals);
      const slackErrors = retriers(STATES.post).flatMap((r) => r.ErrorEquals);

      // Assess
      for (const error of RETRYABLE_AWS_ERRORS) assert.ok(awsErrors.includes(error), error);
      for (const error of [...RETRYABLE_SLACK_ERRORS, ...RETRYABLE_SLACK_OUTAGE_ERRORS]) {
        assert.ok(slackErrors.includes(error), error);
      }
    });

    for (const name of SLACK_CALLING) {
      it(`${name} retries a Slack outage (SlackUnavailableError) with jittered backoff, like AWS's`, () => {
        // Act
        const retrier = retrierFor(name, 'SlackUnavailableError');

        // Assess
        assert.ok(retrier, `${name} retries SlackUnavailableError`);
        assert.ok((retrier.MaxAttempts ?? 3) >= 2, 'more than one retry');
        assert.ok((retrier.BackoffRate ?? 2) > 1, 'backs off');
        assert.equal(retrier.JitterStrategy, 'FULL');
      });

      it(`${name} waits out another attempt's delivery (DeliveryInProgressError) past a claim's lapse`, () => {
        // Act
        const retrier = retrierFor(name, 'DeliveryInProgressError');

        // Assess: the waits before the last attempt add up to more than the Post task's timeout.
        assert.ok(retrier, `${name} retries DeliveryInProgressError`);
        const waits = Array.from(
          { length: (retrier.MaxAttempts ?? 3) - 1 },
          (_, i) => (retrier.IntervalSeconds ?? 1) * (retrier.BackoffRate ?? 2) ** i,
        );
        const total = waits.reduce((a, b) => a + b, 0);
        assert.ok(
          total > (state(STATES.post).TimeoutSeconds as number),
          `waits ${waits.join('+')} s`,
        );
      });
    }

    it('gives every Slack call a timeout that fits, with the record and the link check, inside Post’s 30 s', () => {
      // Act
      const post = state(STATES.post).TimeoutSeconds as number;
      const failure = state(STATES.failure).TimeoutSeconds as number;

      // Assess: one Slack call, three S3 calls of the delivery record and the link check's two
      // calls, each at its limit.
      const worstMs = SLACK_TIMEOUT_MS + 3 * RECORD_TIMEOUT_MS + 2 * LINK_PROBE_TIMEOUT_MS;
      assert.ok(worstMs < 25_000, `${worstMs} ms fits the Post function's 25 s`);
      assert.equal(post, 30);
      assert.equal(failure, 30);
      assert.equal(RETRY.slackOutage.jitter, true);
    });

    for (const name of SLACK_CALLING) {
      it(`${name} retries SlackRateLimitedError at least 5 s apart, without jitter`, () => {
        // Act
        const retrier = retrierFor(name, 'SlackRateLimitedError');

        // Assess
        assert.ok(retrier, `${name} retries SlackRateLimitedError`);
        assert.ok(
          (retrier.IntervalSeconds ?? 1) >= 5,
          `IntervalSeconds ${retrier.IntervalSeconds}`,
        );
        assert.ok((retrier.MaxAttempts ?? 3) >= 2, 'more than one retry');
        // FULL jitter would wait anywhere from 0 s: shorter than Slack's Retry-After.
        assert.ok(
          retrier.JitterStrategy === undefined || retrier.JitterStrategy === 'NONE',
          `JitterStrategy ${retrier.JitterStrategy}`,
        );
      });
    }

    for (const name of TASKS) {
      it(`${name} retries the Lambda service's errors, TooManyRequestsException included`, () => {
        for (const error of [
          'Lambda.TooManyRequestsException',
          'Lambda.ServiceException',
          'Lambda.AWSLambdaException',
          'Lambda.SdkClientException',
          'Lambda.ClientExecutionTimeoutException',
        ]) {
          // Act
          const retrier = retrierFor(name, error);

          // Assess
          assert.ok(retrier, `${name} retries ${error}`);
          assert.ok((retrier.MaxAttempts ?? 3) >= 3, `${name} retries ${error} a few times`);
          assert.ok((retrier.BackoffRate ?? 2) > 1, 'backs off');
          assert.equal(retrier.JitterStrategy, 'FULL');
        }
      });
    }

    it('Summarize (pure) retries no AWS, Slack or catch-all error', () => {
      // Act
      const errors = retriers(STATES.summarize).flatMap((r) => r.ErrorEquals);

      // Assess
      for (const error of [...RETRYABLE_AWS_ERRORS, ...RETRYABLE_SLACK_ERRORS, 'States.ALL']) {
        assert.ok(!errors.includes(error), `Summarize retries ${error}`);
      }
    });

    it('retries no error that will not go away (AccessDenied, Slack refusals, bad requests)', () => {
      for (const name of TASKS) {
        // Act
        const errors = retriers(name).flatMap((r) => r.ErrorEquals);

        // Assess
        for (const error of [
          'States.ALL',
          'States.TaskFailed',
          'AwsAccessDeniedError',
          'SlackApiError',
          'SessionCredentialsError',
          'InvalidRequestError',
        ]) {
          assert.ok(!errors.includes(error), `${name} retries ${error}`);
        }
      }
    });
  });
});

describe('state machine definition with presigned links (stableLinks=false)', () => {
  let stable: AslDefinition;
  let presigned: AslDefinition;

  before(() => {
    stable = synthesizeDefinition({ stableLinks: true });
    presigned = synthesizeDefinition({ stableLinks: false });
  });

  it('is the same definition with Sign between RenderAndStore and Post, and nothing else', () => {
    // Prepare
    const { [STATES.sign]: sign, ...others } = presigned.States;
    const chart = others[STATES.chart] as Record<string, unknown>;

    // Act
    const withoutSign = {
      ...presigned,
      States: { ...others, [STATES.chart]: { ...chart, Next: STATES.post } },
    };

    // Assess
    assert.equal(chart.Next, STATES.sign);
    assert.equal(sign?.Next, STATES.post);
    assert.deepEqual(withoutSign, stable);
  });

  it('Sign catches into ReportFailure and retries Lambda and AWS errors as RenderAndStore does', () => {
    // Act
    const sign = presigned.States[STATES.sign] as Record<string, unknown>;
    const chart = presigned.States[STATES.chart] as Record<string, unknown>;

    // Assess: one state more on a report's path, what reportTransitions counts
    assert.equal(sign.Type, 'Task');
    assert.deepEqual(sign.Catch, [
      { ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: STATES.failure },
    ]);
    assert.deepEqual(sign.Retry, chart.Retry);
    assert.equal(
      Object.keys(presigned.States).length,
      Object.keys(stable.States).length + 1,
      'one state more',
    );
    assert.equal(
      reportTransitions({ stableLinks: false }),
      reportTransitions({ stableLinks: true }) + 1,
    );
  });
});
