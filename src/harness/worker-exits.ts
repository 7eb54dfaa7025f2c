/**
 * Telling a worker that died by itself (the processor called process.exit, threw outside any
 * promise, crashed natively) from the deaths the kit causes (a crash fault's SIGKILL, a
 * graceful stop) and from a runtime that gave up on the broker (it says so before exiting).
 * A processor that keeps killing its worker is the processor's liveness problem: after
 * MAX_SELF_EXITS in one run the pool stops replacing workers and the run ends with a
 * `liveness` finding that names the exits, instead of looping until an infrastructure error.
 */
import type { HistoryEventInput } from '../model/history.ts';

/** Self-exits in one run before the pool stops replacing workers. */
export const MAX_SELF_EXITS = 5;

export interface WorkerExit {
  readonly worker: string;
  readonly code: number | null;
  readonly signal: string | null;
  /** Messages whose process() had begun and not ended in that worker when it died. */
  readonly processing: readonly string[];
  /** The last lines the worker wrote to stderr. */
  readonly stderr: string;
}

export interface ExitContext {
  /** The worker had loaded the processor and started consuming. */
  readonly started: boolean;
  /** The harness was stopping it (or the whole pool). */
  readonly stopping: boolean;
  /** The worker announced its exit (its runtime lost the broker). */
  readonly announced: boolean;
  readonly signal: string | null;
}

/** A death nobody asked for: not a stop, not an announced exit, not a SIGKILL (crash faults). */
export function isSelfExit(context: ExitContext): boolean {
  return context.started && !context.stopping && !context.announced && context.signal !== 'SIGKILL';
}

/** Ids of the messages whose processing began and did not end in one worker's history. */
export function openProcessing(events: readonly HistoryEventInput[]): string[] {
  const open = new Map<string, number>();
  for (const e of events) {
    if (e.type === 'process-begin') open.set(e.id, (open.get(e.id) ?? 0) + 1);
    if (e.type === 'process-end') open.set(e.id, (open.get(e.id) ?? 1) - 1);
  }
  return [...open].filter(([, n]) => n > 0).map(([id]) => id);
}

/** One paragraph on the self-exits of a run, for the liveness finding. */
export function describeExits(exits: readonly WorkerExit[]): string {
  if (exits.length === 0) return '';
  const how = (e: WorkerExit) =>
    `${e.worker} ${e.signal ? `by ${e.signal}` : `with exit code ${e.code}`}` +
    (e.processing.length > 0 ? ` during process() of ${e.processing.join(', ')}` : '');
  const last = exits.at(-1)?.stderr.trim().split('\n').slice(-3).join(' | ');
  return (
    `Workers exited by themselves ${exits.length} time${exits.length === 1 ? '' : 's'} (not an injected fault): ` +
    `${exits.slice(0, 5).map(how).join('; ')}. process() or code it runs ends the worker process ` +
    '(process.exit, an uncaught exception, a native crash): throw an error instead, so the message is retried.' +
    (last ? ` Last stderr: ${last}` : '')
  );
}
