/**
 * Starting a report on a backend, in-process: the synthesized state machine run by the local
 * runner. (Deployed, the bot and the schedule start the real state machine instead.)
 */
import { randomBytes } from 'node:crypto';
import type { FetchState, PeriodPreset, ReportKind, ReportRequest } from '../common/contract.ts';
import { type AslDefinition, loadDefinition } from '../infra/state-machine/asl.ts';
import type { Backend } from './backend.ts';
import { type ExecutionResult, runExecution } from './runner.ts';

/** `digest-20261122-0600-a1b2c3`: sortable, unique, valid as an execution name and a key. */
export function newRequestId(kind: ReportKind, now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').slice(0, 13).replace('T', '-');
  return `${kind}-${stamp}-${randomBytes(3).toString('hex')}`;
}

export function digestRequest(channel: string, period: PeriodPreset = 'mtd'): ReportRequest {
  return { kind: 'digest', requestId: newRequestId('digest'), channel, period };
}

export function runReport(
  backend: Backend,
  request: ReportRequest,
  options: { retryIntervalMs?: number } = {},
): Promise<ExecutionResult> {
  return runInput(backend, { request }, options);
}

/** The definition the backend's steps fit: without Sign when its Post mints stable links. */
export function definitionFor(backend: Pick<Backend, 'stableLinks'>): AslDefinition {
  return loadDefinition({ stableLinks: backend.stableLinks });
}

/** Runs any execution input: a request, or a scheduled run's state (`ScheduledRunState`). */
export function runInput(
  backend: Backend,
  input: FetchState,
  options: { retryIntervalMs?: number } = {},
): Promise<ExecutionResult> {
  return runExecution(definitionFor(backend), input, { handlers: backend.handlers, ...options });
}
