import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  ExecutionAlreadyExists,
  InvalidName,
  SFNClient,
  SFNServiceException,
  StartExecutionCommand,
  StateMachineDoesNotExist,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { StepFunctionsStarter, slackRequestId } from '../../bot/starter.ts';
import type { ReportRequest } from '../../common/contract.ts';
import {
  AwsAccessDeniedError,
  AwsRequestError,
  AwsThrottledError,
  AwsUnavailableError,
} from '../../common/errors.ts';
import { createLogger } from '../../common/log.ts';
import { LocalStarter } from '../../local/local-starter.ts';

const sfnMock = mockClient(SFNClient);
const ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:costbot-report';

function request(overrides: Partial<ReportRequest> = {}): ReportRequest {
  return {
    kind: 'command',
    requestId: slackRequestId('command', 'T1', 'trigger-1'),
    channel: 'C0123ABCD',
    responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
    userId: 'U0123ABCD',
    period: '7d',
    ...overrides,
  };
}

function quietLog(): { lines: string[]; log: ReturnType<typeof createLogger> } {
  const lines: string[] = [];
  return { lines, log: createLogger({ test: 'starter' }, { write: (l) => lines.push(l) }) };
}

describe('Function: slackRequestId', () => {
  it('is stable for the same parts and shaped cmd- + 24 hex', () => {
    // Prepare
    const parts = ['T1', 'trig'] as const;

    // Act
    const a = slackRequestId('command', ...parts);
    const b = slackRequestId('command', ...parts);

    // Assess
    assert.equal(a, b);
    assert.match(a, /^cmd-[0-9a-f]{24}$/);
  });

  it('differs for another trigger id or team, and prefixes digests and actions', () => {
    // Prepare
    const base = slackRequestId('command', 'T1', 'trig');

    // Act
    const otherTrigger = slackRequestId('command', 'T1', 'trig2');
    const otherTeam = slackRequestId('command', 'T2', 'trig');
    const digest = slackRequestId('digest', 'T1', 'trig');
    const action = slackRequestId('action', 'T1', 'U1', '1700000000.000100');

    // Assess
    assert.notEqual(otherTrigger, base);
    assert.notEqual(otherTeam, base);
    assert.match(digest, /^dig-[0-9a-f]{24}$/);
    assert.match(action, /^act-[0-9a-f]{24}$/);
    // A valid Step Functions execution name: 1..80 characters of [A-Za-z0-9_-].
    for (const name of [base, digest, action]) assert.match(name, /^[A-Za-z0-9_-]{1,80}$/);
  });

  it('does not let parts run into each other ("T1","2x" vs "T12","x")', () => {
    // Act
    const a = slackRequestId('command', 'T1', '2x');
    const b = slackRequestId('command', 'T12', 'x');

    // Assess
    assert.notEqual(a, b);
  });
});

describe('Class: StepFunctionsStarter', () => {
  afterEach(() => {
    sfnMock.reset();
  });

  it('starts one execution named after the request id, with {"request": …} as input', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).resolves({
      executionArn: `${ARN.replace(':stateMachine:', ':execution:')}:x`,
      startDate: new Date(),
    });
    const starter = new StepFunctionsStarter(new SFNClient({ region: 'us-east-1' }), ARN);
    const req = request();

    // Act
    const result = await starter.start(req);

    // Assess
    assert.deepEqual(result, { executionName: req.requestId, started: true });
    const calls = sfnMock.commandCalls(StartExecutionCommand);
    assert.equal(calls.length, 1);
    const input = calls[0]?.args[0].input;
    assert.equal(input?.stateMachineArn, ARN);
    assert.equal(input?.name, req.requestId);
    assert.deepEqual(JSON.parse(input?.input ?? 'null'), { request: req });
  });

  it('answers started:false when Step Functions already has an execution of that name', async () => {
    // Prepare
    sfnMock.on(StartExecutionCommand).rejects(
      new ExecutionAlreadyExists({
        message: 'Execution Already Exists: arn:…:cmd-x',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const starter = new StepFunctionsStarter(new SFNClient({ region: 'us-east-1' }), ARN);
    const req = request();

    // Act
    const result = await starter.start(req);

    // Assess
    assert.deepEqual(result, { executionName: req.requestId, started: false });
    assert.equal(sfnMock.commandCalls(StartExecutionCommand).length, 1);
  });

  const failures = [
    {
      what: 'a missing state machine',
      error: new StateMachineDoesNotExist({
        message: 'State Machine Does Not Exist',
        $metadata: { httpStatusCode: 400 },
      }),
      expected: AwsRequestError,
      name: 'AwsRequestError',
    },
    {
      what: 'an invalid name',
      error: new InvalidName({ message: 'Invalid Name', $metadata: { httpStatusCode: 400 } }),
      expected: AwsRequestError,
      name: 'AwsRequestError',
    },
    {
      what: 'throttling',
      error: new SFNServiceException({
        name: 'ThrottlingException',
        $fault: 'client',
        message: 'Rate exceeded',
        $metadata: { httpStatusCode: 400 },
      }),
      expected: AwsThrottledError,
      name: 'AwsThrottledError',
    },
    {
      what: 'access denied',
      error: new SFNServiceException({
        name: 'AccessDeniedException',
        $fault: 'client',
        message: 'not authorized to perform: states:StartExecution',
        $metadata: { httpStatusCode: 400 },
      }),
      expected: AwsAccessDeniedError,
      name: 'AwsAccessDeniedError',
    },
    {
      what: 'a server fault',
      error: new SFNServiceException({
        name: 'InternalFailure',
        $fault: 'server',
        message: 'oops',
        $metadata: { httpStatusCode: 500 },
      }),
      expected: AwsUnavailableError,
      name: 'AwsUnavailableError',
    },
  ];

  for (const { what, error, expected, name } of failures) {
    it(`rethrows ${what} as ${name}, naming the call and keeping the cause`, async () => {
      // Prepare
      sfnMock.on(StartExecutionCommand).rejects(error);
      const starter = new StepFunctionsStarter(new SFNClient({ region: 'us-east-1' }), ARN);

      // Act
      const thrown = await starter.start(request()).then(
        () => undefined,
        (e: unknown) => e,
      );

      // Assess
      assert.ok(thrown instanceof expected, `got ${String(thrown)}`);
      assert.equal(thrown.name, name);
      assert.match(thrown.message, /^Step Functions StartExecution /);
      assert.equal(thrown.cause, error);
    });
  }
});

describe('Class: LocalStarter', () => {
  it('runs a name once: the second start of the same name answers started:false', async () => {
    // Prepare
    const runs: ReportRequest[] = [];
    const { log } = quietLog();
    const starter = new LocalStarter(async (r) => {
      runs.push(r);
      return { status: 'SUCCEEDED' };
    }, log);
    const req = request();

    // Act
    const first = await starter.start(req);
    const second = await starter.start({ ...req });
    await starter.idle();

    // Assess
    assert.deepEqual(first, { executionName: req.requestId, started: true });
    assert.deepEqual(second, { executionName: req.requestId, started: false });
    assert.equal(runs.length, 1);
  });

  it('remembers the name after the run ended, and starts a different name', async () => {
    // Prepare
    let runs = 0;
    const { log } = quietLog();
    const starter = new LocalStarter(async () => {
      runs += 1;
      return { status: 'SUCCEEDED' };
    }, log);
    const req = request();
    await starter.start(req);
    await starter.idle();

    // Act
    const again = await starter.start(req);
    const other = await starter.start(request({ requestId: slackRequestId('command', 'T1', 'x') }));
    await starter.idle();

    // Assess
    assert.equal(again.started, false);
    assert.equal(other.started, true);
    assert.equal(runs, 2);
  });

  it('idle() waits for running executions, including ones started while waiting', async () => {
    // Prepare
    const order: string[] = [];
    const { log } = quietLog();
    const chained = request({ requestId: slackRequestId('command', 'T1', 'chained') });
    const starter: LocalStarter = new LocalStarter(async (r) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      order.push(`ran ${r.requestId}`);
      // The first run starts another one before it ends, as a retry would.
      if (r.requestId !== chained.requestId) await starter.start(chained);
      return { status: 'SUCCEEDED' };
    }, log);
    await starter.start(request());

    // Act
    const pending = starter.running.size;
    await starter.idle();
    order.push('idle');

    // Assess
    assert.equal(pending, 1);
    assert.deepEqual(order, [`ran ${request().requestId}`, `ran ${chained.requestId}`, 'idle']);
    assert.equal(starter.running.size, 0);
  });

  it('does not return the run from start(), and logs a crashed run without rejecting idle()', async () => {
    // Prepare
    const { lines, log } = quietLog();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const starter = new LocalStarter(async () => {
      await gate;
      throw new Error('render failed');
    }, log);

    // Act
    const result = await starter.start(request());
    const runningAfterStart = starter.running.size;
    release();
    await starter.idle();

    // Assess
    assert.equal(result.started, true, 'start() answered while the run was still blocked');
    assert.equal(runningAfterStart, 1);
    const crashed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.ok(crashed.some((l) => l.message === 'execution crashed' && l.level === 'error'));
  });
});
