/**
 * Runs reports in-process for `npm start`: the local stand-in for `StepFunctionsStarter`, with
 * the same idempotency (a name it has seen starts nothing).
 *
 * Reports share the bot's event loop, and rendering a chart holds it for a while: with every
 * report of a burst running at once, the acks of the commands still arriving wait behind all
 * their renders and the console reports Slack's 3 s `operation_timeout`. So reports wait
 * while commands keep arriving, then run `maxRunning` at a time in the order started
 * (`bench/ack-console.ts` measures a burst of 50).
 */
import type { ReportStarter, StartResult } from '../bot/starter.ts';
import type { ReportRequest } from '../common/contract.ts';
import type { Logger } from '../common/log.ts';

export interface LocalStarterOptions {
  /** Reports run at once (default 1: a second one only adds its render to the loop's queue). */
  maxRunning?: number;
  /**
   * Acks first: a report starts once no other start has come for `quietMs` (default 250), so a
   * burst of commands is acknowledged before its reports take the event loop...
   */
  quietMs?: number;
  /** ...but waits no longer than `maxDeferMs` (default 2000) for that. */
  maxDeferMs?: number;
}

/** Runs reports in-process (local backend): started after the ack, never awaited by it. */
export class LocalStarter implements ReportStarter {
  private readonly names = new Set<string>();
  /** Executions started and not ended (waiting or running), so tests and shutdown can wait. */
  readonly running = new Set<Promise<unknown>>();
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  private lastStart = 0;
  private readonly maxRunning: number;
  private readonly quietMs: number;
  private readonly maxDeferMs: number;

  constructor(
    private readonly run: (request: ReportRequest) => Promise<{ status: string }>,
    private readonly log: Logger,
    options: LocalStarterOptions = {},
  ) {
    this.maxRunning = options.maxRunning ?? 1;
    this.quietMs = options.quietMs ?? 250;
    this.maxDeferMs = options.maxDeferMs ?? 2000;
  }

  async start(request: ReportRequest): Promise<StartResult> {
    if (this.names.has(request.requestId)) {
      return { executionName: request.requestId, started: false };
    }
    this.names.add(request.requestId);
    this.lastStart = Date.now();
    // The ack is written before the report's CPU work begins (`quiet` waits a timer at least).
    const execution = this.turn()
      .then(() => this.quiet())
      .then(async () => {
        try {
          return await this.run(request);
        } finally {
          this.release();
        }
      })
      .then((result) =>
        this.log.info('execution ended', { name: request.requestId, status: result.status }),
      )
      .catch((error: unknown) =>
        this.log.error('execution crashed', { name: request.requestId, error }),
      )
      .finally(() => this.running.delete(execution));
    this.running.add(execution);
    return { executionName: request.requestId, started: true };
  }

  /** Resolves when every execution started so far has ended. */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }

  /** Resolves when this execution may run: a free place, or one handed over by `release`. */
  private turn(): Promise<void> {
    if (this.active < this.maxRunning) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Resolves once no start has come for `quietMs`, or after `maxDeferMs`. */
  private async quiet(): Promise<void> {
    const deadline = Date.now() + this.maxDeferMs;
    for (;;) {
      const wait = Math.min(this.lastStart + this.quietMs, deadline) - Date.now();
      if (wait <= 0) return;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.active -= 1;
  }
}
