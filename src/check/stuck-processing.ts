/**
 * The `stuck-processing` finding: a process() call that did not settle within its deadline in
 * a worker. The run cannot finish such a message (the call never returns, so it is neither
 * acknowledged nor retried), so it is a liveness violation, named with the message's events.
 */
import type { HistoryEvent } from '../model/history.ts';
import type { Finding } from '../model/verdict.ts';

export interface StuckCall {
  readonly worker: string;
  readonly id: string;
  readonly attempt: number;
  readonly timeoutMs: number;
}

/** Events attached to the finding, at most. */
const EVENTS = 20;

export function stuckProcessingFinding(
  stuck: readonly StuckCall[],
  eventsFor: (id: string) => readonly HistoryEvent[],
): Finding {
  const ids = [...new Set(stuck.map((s) => s.id))];
  const first = stuck[0] as StuckCall;
  const calls = stuck
    .slice(0, 5)
    .map((s) => `${s.id} (attempt ${s.attempt}, worker ${s.worker})`)
    .join(', ');
  return {
    code: 'stuck-processing',
    invariant: 'liveness',
    violation: true,
    messageIds: ids,
    events: ids
      .flatMap((id) => eventsFor(id))
      .slice(0, EVENTS)
      .sort((a, b) => a.seq - b.seq),
    detail:
      `process() did not settle within ${first.timeoutMs} ms for ${calls}: the message is never ` +
      'acknowledged nor retried. Look for an await on something that never resolves (a lock, a ' +
      'promise never settled, a connection pool exhausted); give every call a timeout, or raise ' +
      'processTimeoutMs if the processing is legitimately slow.',
  };
}
