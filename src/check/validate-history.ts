/**
 * Checks that a history is well formed before any checker reads it. Histories come from
 * JSON lines written by other processes, so a truncated or hand-edited file must fail loudly
 * (the verdict becomes `unknown`) rather than silently produce a wrong verdict.
 */
import type { HistoryEvent } from '../model/history.ts';

const MESSAGE_EVENT_TYPES = new Set(['produce', 'deliver', 'process-begin', 'process-end', 'ack']);
const FAULT_EVENT_TYPES = new Set(['fault-start', 'fault-heal']);
const PRODUCE_OUTCOMES = new Set(['ok', 'fail', 'info']);
const PROCESS_OUTCOMES = new Set(['ok', 'error']);

/** Throws an `Error` naming the first malformed event; returns normally otherwise. */
export function validateHistory(history: readonly HistoryEvent[]): void {
  history.forEach((event, index) => {
    const problem = describeProblem(event);
    if (problem !== undefined) {
      throw new Error(`malformed history event at index ${index}: ${problem}: ${preview(event)}`);
    }
  });
}

function describeProblem(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return 'not an object';
  const e = event as Record<string, unknown>;
  if (!Number.isFinite(e.seq)) return '"seq" is not a number';
  if (typeof e.process !== 'string') return '"process" is not a string';
  if (typeof e.type !== 'string') return '"type" is missing';
  if (FAULT_EVENT_TYPES.has(e.type)) return undefined;
  if (!MESSAGE_EVENT_TYPES.has(e.type)) return `unknown event type "${e.type}"`;
  if (typeof e.id !== 'string') return '"id" is not a string';
  if (!Number.isInteger(e.copy)) return '"copy" is not an integer';
  if (e.type === 'produce' && !PRODUCE_OUTCOMES.has(String(e.outcome))) return 'bad produce "outcome"';
  if (e.type === 'process-end' && !PROCESS_OUTCOMES.has(String(e.outcome))) return 'bad process "outcome"';
  if ((e.type === 'process-begin' || e.type === 'process-end') && !Number.isInteger(e.attempt)) {
    return '"attempt" is not an integer';
  }
  return undefined;
}

function preview(event: unknown): string {
  const text = JSON.stringify(event) ?? String(event);
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
