/**
 * Runs the synthesized state machine in-process with aws-local-stepfunctions, each Task
 * state replaced by the step's handler (the same factory the Lambda entry calls).
 *
 * Handler errors are shaped as Lambda shapes them: the error's `name` is the Step Functions
 * error name and the Cause is the JSON `{errorType, errorMessage}`, so Retry, Catch and the
 * failure message behave as they do in AWS.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import { LambdaStyleError } from '../common/errors.ts';
import type { AslDefinition } from '../infra/state-machine/asl.ts';
import { STATES } from '../infra/state-machine/states.ts';

// aws-local-stepfunctions uses Promise.withResolvers (Node >= 22); Node 20 lacks it.
const PromiseWithResolvers = Promise as PromiseConstructor & {
  withResolvers?: <T>() => {
    promise: Promise<T>;
    resolve: (value: T) => void;
    reject: (reason?: unknown) => void;
  };
};
if (!PromiseWithResolvers.withResolvers) {
  PromiseWithResolvers.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

/** Each handler takes its own state type; `never` accepts them all without `any`. */
type AnyHandler = (input: never) => Promise<unknown>;

type Execution = ReturnType<StateMachine['run']>;
export type EventLog = Execution['eventLogs'] extends AsyncGenerator<infer E> ? E : never;

/**
 * One handler per Lambda function, keyed like `STATES`. `fetch` serves Fetch and FetchAccount
 * (inside the FetchAccounts Map), `post` serves Post and ReportFailure, as in the deployment.
 */
export interface StepHandlers {
  fetch: AnyHandler;
  summarize: AnyHandler;
  chart: AnyHandler;
  sign: AnyHandler;
  post: AnyHandler;
}

function lambdaStyle(handler: AnyHandler) {
  return async (input: unknown) => {
    try {
      // Round-trip through JSON like a Lambda payload: no Dates or undefined leak through.
      return JSON.parse(JSON.stringify(await handler(input as never)));
    } catch (error) {
      throw new LambdaStyleError(error);
    }
  };
}

/**
 * One validated machine per definition object: constructing a StateMachine validates the
 * whole definition (asl-validator), 150-650 ms on the benchmark machine, which every local
 * report paid before Fetch even started (docs/performance.md). Definitions are not mutated
 * after they are built (`loadDefinition` returns one object per process).
 */
const machines = new WeakMap<AslDefinition, StateMachine>();

/** Validates the definition once; `npm start` calls it before serving so no ack waits on it. */
export function machineFor(definition: AslDefinition): StateMachine {
  let machine = machines.get(definition);
  if (!machine) {
    machine = new StateMachine(
      definition as unknown as ConstructorParameters<typeof StateMachine>[0],
    );
    machines.set(definition, machine);
  }
  return machine;
}

export interface ExecutionResult {
  status: 'SUCCEEDED' | 'FAILED';
  output?: unknown;
  error?: string;
  cause?: string;
  events: EventLog[];
}

export async function runExecution(
  definition: AslDefinition,
  input: unknown,
  options: { handlers: StepHandlers; retryIntervalMs?: number },
): Promise<ExecutionResult> {
  const h = options.handlers;
  const taskResourceLocalHandlers = {
    [STATES.fetch]: lambdaStyle(h.fetch),
    [STATES.fetchAccount]: lambdaStyle(h.fetch),
    [STATES.summarize]: lambdaStyle(h.summarize),
    [STATES.chart]: lambdaStyle(h.chart),
    [STATES.sign]: lambdaStyle(h.sign),
    [STATES.post]: lambdaStyle(h.post),
    [STATES.failure]: lambdaStyle(h.post),
  };
  const retryIntervalOverrides =
    options.retryIntervalMs === undefined
      ? undefined
      : Object.fromEntries(
          Object.values(STATES).map((s) => [s, options.retryIntervalMs as number]),
        );
  const execution = machineFor(definition).run(input as Parameters<StateMachine['run']>[0], {
    overrides: {
      taskResourceLocalHandlers,
      ...(retryIntervalOverrides ? { retryIntervalOverrides } : {}),
    },
  });
  const events: EventLog[] = [];
  const collecting = (async () => {
    for await (const event of execution.eventLogs) events.push(event);
  })();
  try {
    const output = await execution.result;
    await collecting;
    return { status: 'SUCCEEDED', output, events };
  } catch (error) {
    await collecting;
    const failed = events.find((e) => e.type === 'ExecutionFailed');
    const e = error as Error;
    return {
      status: 'FAILED',
      error: failed && 'Error' in failed ? String(failed.Error) : e.name,
      cause: failed && 'Cause' in failed ? String(failed.Cause) : e.message,
      events,
    };
  }
}
