/**
 * What every check is given: the injected clients (`DoctorDeps`), the run's options, one clock
 * reading, the parameters read once for the run, and how an error becomes a result.
 *
 * A check is a function of this context alone, so a test runs it against fakes and a new check
 * is one file beside the others.
 */
import type { ParameterNames } from '../../common/config.ts';
import { CheckTimeoutError, NotCheckableError } from '../../common/errors.ts';
import { type Described, describeError } from '../describe.ts';
import type { CheckResult, CheckStatus, DoctorDeps, RunOptions } from '../types.ts';

export const DEFAULT_ROTATION_DAYS = 90;
export const DEFAULT_TIMEOUT_MS = 10_000;

/** Per parameter: the value, or why it could not be read. Never leaves the doctor's checks. */
export type ReadParameter = { value: string; type?: string } | { error: unknown };
export type ParameterValues = Map<keyof ParameterNames, ReadParameter>;

/** One group of checks: its results, in a stable order. */
export type Check = (ctx: CheckContext) => CheckResult[] | Promise<CheckResult[]>;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CheckTimeoutError(`No answer within ${ms / 1000} s.`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Shared by every check: the options, the clock, and how a failure becomes a result. */
export class CheckContext {
  readonly now: Date;
  readonly rotationDays: number;
  readonly timeoutMs: number;
  /**
   * What `readParameters` found. The runner fills it before any check runs, when a group that
   * needs it (parameters, signer, Slack) is to run; empty otherwise.
   */
  parameters: ParameterValues = new Map();

  constructor(
    readonly deps: DoctorDeps,
    readonly options: RunOptions,
  ) {
    this.now = deps.now?.() ?? new Date();
    this.rotationDays = deps.rotationDays ?? DEFAULT_ROTATION_DAYS;
    this.timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  call<T>(promise: Promise<T>): Promise<T> {
    return withTimeout(promise, this.timeoutMs);
  }

  /** A result for an error; `status` is what a non-authorization error means here. */
  failed(id: string, title: string, error: unknown, status: CheckStatus = 'fail'): CheckResult {
    if (error instanceof NotCheckableError) {
      return { id, title, status: 'warn', detail: `Cannot tell: ${error.message}` };
    }
    const d = describeError(error);
    return this.fromDescribed(id, title, d, status);
  }

  fromDescribed(id: string, title: string, d: Described, status: CheckStatus): CheckResult {
    if (d.denied && this.options.perspective === 'bot') {
      return {
        id,
        title,
        status: 'warn',
        detail: `Not checked from the bot: ${d.detail}`,
        fix: "By design the bot's role only reads the Slack parameters and starts reports; run `npm run doctor` with deployer credentials to check this.",
      };
    }
    return {
      id,
      title,
      status,
      detail: d.detail,
      ...(d.fix ? { fix: d.fix } : {}),
      ...(d.statement ? { statement: d.statement } : {}),
    };
  }

  /** A warn: the question could not be answered, with why (explained when it was a refusal). */
  cannotTell(id: string, title: string, error: unknown): CheckResult {
    const d = describeError(error);
    return this.fromDescribed(id, title, { ...d, detail: `Cannot tell: ${d.detail}` }, 'warn');
  }

  /** The value of a parameter that was read and is not empty; undefined otherwise. */
  parameter(key: keyof ParameterNames): string | undefined {
    const entry = this.parameters.get(key);
    return entry && !('error' in entry) && entry.value !== '' ? entry.value : undefined;
  }

  /** A warn for a check that needs a parameter the parameter check could not read. */
  parameterUnread(id: string, title: string, key: keyof ParameterNames): CheckResult {
    return {
      id,
      title,
      status: 'warn',
      detail: `Not checked: ${this.deps.config.parameterNames[key]} could not be read (see the parameter check).`,
    };
  }
}
