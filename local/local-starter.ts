/**
 * Runs reports in-process for `npm start`: the local stand-in for `StepFunctionsStarter`, with
 * the same idempotency (a name it has seen starts nothing).
 */
import type { ReportStarter, StartResult } from '../bot/starter.ts';
import type { ReportRequest } from '../common/contract.ts';
import type { Logger } from '../common/log.ts';

/** Runs reports in-process (local backend): started after the ack, never awaited by it. */
export class LocalStarter implements ReportStarter {
  private readonly names = new Set<string>();
  /** Executions still running, so tests and shutdown can wait for them. */
  readonly running = new Set<Promise<unknown>>();

  constructor(
    private readonly run: (request: ReportRequest) => Promise<{ status: string }>,
    private readonly log: Logger,
  ) {}

  async start(request: ReportRequest): Promise<StartResult> {
    if (this.names.has(request.requestId)) {
      return { executionName: request.requestId, started: false };
    }
    this.names.add(request.requestId);
    // Next turn of the event loop: the ack is written before the report's CPU work begins.
    const execution = new Promise<void>((resolve) => setImmediate(resolve))
      .then(() => this.run(request))
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
}
