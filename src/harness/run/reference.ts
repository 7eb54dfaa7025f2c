/**
 * The exactly-once reference a run's final state is compared with (DESIGN.md, step 7), and
 * what a run left unprocessed.
 */
import { compareFinalState } from '../../check/final-state.ts';
import type { HistoryEvent } from '../../model/history.ts';
import type { JsonValue, Message } from '../../model/message.ts';
import type { Processor } from '../../model/processor.ts';
import type { Scenario } from '../../model/scenario.ts';
import { assertSameState, referenceState } from '../processor-calls.ts';

/** Above this many partly processed messages, at-most-once tries only "none" and "all" of them. */
const MAX_PARTIAL_SUBSETS = 4;

/**
 * The reference state to compare with. At-least-once: every distinct message. At-most-once may
 * lose messages, so the reference holds the messages processed to completion, plus any subset
 * of those whose processing began but did not finish (a crash or an error may come before or
 * after the effect): the first candidate equal to the final state, else the completed-only one.
 * Before the final state is blamed for differing, the reference is run a second time on the
 * same messages: if the two differ, the processor's snapshot is not deterministic (an error).
 */
export async function referenceFor(
  processor: Processor,
  scenario: Scenario,
  history: readonly HistoryEvent[],
  finalState: JsonValue,
  namespace: string,
  callMs: number,
): Promise<JsonValue> {
  const candidates = referenceCandidates(scenario, history);
  let first: { state: JsonValue; messages: readonly Message[] } | undefined;
  for (const messages of candidates) {
    const state = await referenceState(processor, messages, namespace, callMs);
    first ??= { state, messages };
    if (compareFinalState(finalState, state).equal) return state;
  }
  const chosen = first as { state: JsonValue; messages: readonly Message[] };
  const again = await referenceState(processor, chosen.messages, `${namespace}_2`, callMs);
  assertSameState(chosen.state, again, 'two exactly-once reference runs over the same messages');
  return chosen.state;
}

/** The message lists a reference may hold (see referenceFor). */
function referenceCandidates(scenario: Scenario, history: readonly HistoryEvent[]): Message[][] {
  if (scenario.semantics === 'at-least-once') return [[...scenario.messages]];
  const completed = new Set<string>();
  const begun = new Set<string>();
  for (const e of history) {
    if (e.type === 'process-end' && e.outcome === 'ok') completed.add(e.id);
    if (e.type === 'process-begin') begun.add(e.id);
  }
  const partial = [...begun].filter((id) => !completed.has(id));
  const subsets: string[][] =
    partial.length <= MAX_PARTIAL_SUBSETS
      ? Array.from({ length: 2 ** partial.length }, (_, mask) => partial.filter((_id, i) => mask & (1 << i)))
      : [[], partial];
  return subsets.map((subset) => {
    const ids = new Set([...completed, ...subset]);
    return scenario.messages.filter((m) => ids.has(m.id));
  });
}

export function unprocessedIds(history: readonly HistoryEvent[]): string[] {
  const produced = new Set<string>();
  const processed = new Set<string>();
  for (const e of history) {
    if (e.type === 'produce' && e.outcome === 'ok') produced.add(e.id);
    if (e.type === 'process-end' && e.outcome === 'ok') processed.add(e.id);
  }
  return [...produced].filter((id) => !processed.has(id));
}
