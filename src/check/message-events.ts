/**
 * The per-message events of a history (produce, deliver, process-begin/-end, ack) in merge
 * order. Checkers read only these; fault events are context for people, not for verdicts.
 */
import type { HistoryEvent } from '../model/history.ts';

/** A history event about one publish of one message. */
export type MessageEvent = Extract<HistoryEvent, { readonly id: string }>;

/** The message events of `history`, sorted by `seq` (stable for equal `seq`). */
export function messageEvents(history: readonly HistoryEvent[]): MessageEvent[] {
  return history.filter(isMessageEvent).sort((a, b) => a.seq - b.seq);
}

function isMessageEvent(event: HistoryEvent): event is MessageEvent {
  return 'id' in event;
}
