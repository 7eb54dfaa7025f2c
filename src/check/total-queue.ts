/**
 * Jepsen's total-queue algebra over publishes, each identified by (message id, copy):
 * which acknowledged publishes were never processed (`lost`), which publishes were processed
 * more than once (`duplicated`), which processed messages were never published (`unexpected`)
 * and which publishes with an unknown outcome turned up anyway (`recovered`). It decides
 * nothing about semantics; `check()` turns these sets into findings.
 */
import type { HistoryEvent } from '../model/history.ts';
import type { Scenario } from '../model/scenario.ts';
import type { QueueStats } from '../model/verdict.ts';
import { type MessageEvent, messageEvents } from './message-events.ts';
import { validateHistory } from './validate-history.ts';

export interface TotalQueueResult {
  /** Messages with an acknowledged publish of which no copy was ever processed to completion. */
  readonly lost: readonly string[];
  /** Messages with a publish (one copy) processed more than once: a consumer-side duplicate. */
  readonly duplicated: readonly string[];
  /** Messages with a copy processed to completion that was never published, or whose publish failed. */
  readonly unexpected: readonly string[];
  /** Messages with a copy whose publish outcome was unknown (`info`) and which was processed. */
  readonly recovered: readonly string[];
  /** For information only: messages of which two or more copies were each processed (producer duplicates). */
  readonly producerDuplicatesProcessed: readonly string[];
  /** For each duplicated message, how many times its most-processed copy was processed. */
  readonly processingCounts: ReadonlyMap<string, number>;
  readonly stats: QueueStats;
  /** The produce/deliver/process-begin/process-end/ack events of one message id, in order. */
  eventsFor(id: string): readonly MessageEvent[];
}

type PublishOutcome = 'ok' | 'info' | 'fail';

interface PublishRecord {
  readonly id: string;
  /** The best produce outcome seen (ok over info over fail); undefined: never attempted. */
  outcome: PublishOutcome | undefined;
  processedOk: boolean;
  /** Attempts that began and did not end in `error` (see `countProcessings`). */
  processings: number;
}

export function totalQueue(scenario: Scenario, history: readonly HistoryEvent[]): TotalQueueResult {
  validateHistory(history);
  const events = messageEvents(history);
  const publishes = collectPublishes(events);
  const recordsById = groupById([...publishes.values()]);
  const recordsOf = (id: string): readonly PublishRecord[] => recordsById.get(id) ?? [];
  const order = idOrder(scenario, events);
  const pick = (keep: (records: readonly PublishRecord[]) => boolean): string[] =>
    order.filter((id) => keep(recordsOf(id)));

  const lost = pick((rs) => rs.some((r) => r.outcome === 'ok') && !rs.some((r) => r.processedOk));
  const duplicated = pick((rs) => rs.some((r) => r.processings > 1));
  const unexpected = pick((rs) => rs.some((r) => r.processedOk && (r.outcome ?? 'fail') === 'fail'));
  const recovered = pick((rs) => rs.some((r) => r.processedOk && r.outcome === 'info'));
  const producerDuplicatesProcessed = pick((rs) => rs.filter((r) => r.processedOk).length > 1);
  const processingCounts = new Map(
    duplicated.map((id) => [id, Math.max(...recordsOf(id).map((r) => r.processings))]),
  );
  const all = [...publishes.values()];
  const eventsById = groupById(events);
  const stats: QueueStats = {
    attempted: all.filter((r) => r.outcome !== undefined).length,
    acknowledged: all.filter((r) => r.outcome === 'ok').length,
    unknown: all.filter((r) => r.outcome === 'info').length,
    processed: new Set(all.filter((r) => r.processedOk).map((r) => r.id)).size,
    lost: lost.length,
    duplicated: duplicated.length,
    unexpected: unexpected.length,
    recovered: recovered.length,
  };
  return {
    lost,
    duplicated,
    unexpected,
    recovered,
    producerDuplicatesProcessed,
    processingCounts,
    stats,
    eventsFor: (id) => eventsById.get(id) ?? [],
  };
}

const OUTCOME_RANK: Record<PublishOutcome, number> = { fail: 0, info: 1, ok: 2 };

function collectPublishes(events: readonly MessageEvent[]): Map<string, PublishRecord> {
  const publishes = new Map<string, PublishRecord>();
  const recordFor = (e: MessageEvent): PublishRecord => {
    const key = publishKey(e.id, e.copy);
    let record = publishes.get(key);
    if (record === undefined) {
      record = { id: e.id, outcome: undefined, processedOk: false, processings: 0 };
      publishes.set(key, record);
    }
    return record;
  };
  for (const e of events) {
    const record = recordFor(e);
    if (e.type === 'produce' && OUTCOME_RANK[e.outcome] >= OUTCOME_RANK[record.outcome ?? 'fail']) {
      record.outcome = e.outcome;
    }
    if (e.type === 'process-end' && e.outcome === 'ok') record.processedOk = true;
  }
  for (const [key, count] of countProcessings(events)) {
    const record = publishes.get(key);
    if (record !== undefined) record.processings = count;
  }
  return publishes;
}

/**
 * How many times each publish was processed, counting conservatively: every `process-begin`
 * counts unless the same process ended that same attempt (same id, copy and attempt number)
 * with outcome `error`. A begin that never ended counts, because a crash mid-processing may
 * already have had its effects. A `process-end ok` with no begin before it counts too.
 */
function countProcessings(events: readonly MessageEvent[]): Map<string, number> {
  const counts = new Map<string, number>();
  const bump = (id: string, copy: number): void => {
    const key = publishKey(id, copy);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  };
  const open = new Map<string, { id: string; copy: number }>();
  for (const e of events) {
    if (e.type !== 'process-begin' && e.type !== 'process-end') continue;
    const attemptKey = JSON.stringify([e.process, e.id, e.copy, e.attempt]);
    const wasOpen = open.has(attemptKey);
    if (e.type === 'process-begin') {
      if (wasOpen) bump(e.id, e.copy); // the earlier begin of this attempt never ended
      open.set(attemptKey, { id: e.id, copy: e.copy });
    } else {
      open.delete(attemptKey);
      if (e.outcome === 'ok') bump(e.id, e.copy);
    }
  }
  for (const { id, copy } of open.values()) bump(id, copy);
  return counts;
}

function publishKey(id: string, copy: number): string {
  return JSON.stringify([id, copy]);
}

function groupById<T extends { readonly id: string }>(items: readonly T[]): Map<string, T[]> {
  const byId = new Map<string, T[]>();
  for (const item of items) {
    const list = byId.get(item.id);
    if (list === undefined) byId.set(item.id, [item]);
    else list.push(item);
  }
  return byId;
}

/** Every message id that occurs: the scenario's in produce order, then others as first seen. */
function idOrder(scenario: Scenario, events: readonly MessageEvent[]): string[] {
  const ids = new Set(scenario.messages.map((m) => m.id));
  for (const e of events) ids.add(e.id);
  return [...ids];
}
