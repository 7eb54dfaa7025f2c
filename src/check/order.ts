/**
 * Per-key order: messages sharing a key should be processed to completion for the first time
 * in the order they were produced (the order of `scenario.messages`). On Kafka only messages
 * delivered from the same partition are compared, since order holds only within a partition;
 * on RabbitMQ messages are compared per key over the whole queue. Only the first successful
 * processing of each message counts: re-processing an earlier message after a later one (a
 * redelivery) is not an order violation. Messages never processed are ignored.
 */
import type { HistoryEvent } from '../model/history.ts';
import { isPartitioned, type Scenario } from '../model/scenario.ts';
import { type MessageEvent, messageEvents } from './message-events.ts';
import { validateHistory } from './validate-history.ts';

export interface OrderViolation {
  readonly key: string;
  /** Kafka: the partition the messages were delivered from. */
  readonly partition?: number;
  /** In produce order: each message that overtook an earlier-produced one, and each one overtaken. */
  readonly ids: readonly string[];
  /** The same messages in the order they were first processed to completion. */
  readonly completed: readonly string[];
  /** Their produce events and the delivery and end of their first successful processing. */
  readonly events: readonly HistoryEvent[];
}

export interface OrderResult {
  readonly violations: readonly OrderViolation[];
}

/** Events kept per violation. */
const EVENT_LIMIT = 20;

interface FirstProcessing {
  readonly id: string;
  readonly end: MessageEvent;
  readonly deliver: MessageEvent | undefined;
}

interface Group {
  readonly key: string;
  readonly partition: number | undefined;
  /** In produce order. */
  readonly entries: FirstProcessing[];
}

export function checkOrder(scenario: Scenario, history: readonly HistoryEvent[]): OrderResult {
  validateHistory(history);
  const events = messageEvents(history);
  const firsts = firstProcessings(events);
  const violations: OrderViolation[] = [];
  for (const group of groupsOf(scenario, firsts).map((g) => inLogOrder(g, events))) {
    const ids = overtaken(group.entries);
    if (ids.length === 0) continue;
    violations.push({
      key: group.key,
      ...(group.partition === undefined ? {} : { partition: group.partition }),
      ids,
      completed: [...ids].sort((a, b) => endSeq(firsts, a) - endSeq(firsts, b)),
      events: explain(ids, events, firsts),
    });
  }
  return { violations };
}

/** Each message's first `process-end ok`, with the delivery that preceded it on the same process. */
function firstProcessings(events: readonly MessageEvent[]): Map<string, FirstProcessing> {
  const firsts = new Map<string, FirstProcessing>();
  const lastDeliver = new Map<string, MessageEvent>();
  for (const e of events) {
    const deliveryKey = JSON.stringify([e.process, e.id, e.copy]);
    if (e.type === 'deliver') lastDeliver.set(deliveryKey, e);
    if (e.type === 'process-end' && e.outcome === 'ok' && !firsts.has(e.id)) {
      firsts.set(e.id, { id: e.id, end: e, deliver: lastDeliver.get(deliveryKey) });
    }
  }
  return firsts;
}

/**
 * Processed messages grouped by key (and by partition on Kafka), in produce order. On Kafka a
 * message whose delivery names no partition is left out: comparing it could raise a false alarm.
 */
function groupsOf(scenario: Scenario, firsts: ReadonlyMap<string, FirstProcessing>): Group[] {
  const groups = new Map<string, Group>();
  for (const message of scenario.messages) {
    const first = firsts.get(message.id);
    if (first === undefined) continue;
    const partition = isPartitioned(scenario) ? partitionOf(first.deliver) : undefined;
    if (isPartitioned(scenario) && partition === undefined) continue;
    const groupKey = JSON.stringify([message.key, partition ?? null]);
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = { key: message.key, partition, entries: [] };
      groups.set(groupKey, group);
    }
    group.entries.push(first);
  }
  return [...groups.values()];
}

/**
 * On Kafka the order a partition promises is its log's: the producer's own retries can write a
 * message after a later-produced one (kafkajs retries a failed request of a pipelined batch), and
 * a consumer that follows the log is right. So a group whose messages all have a confirmed
 * offset on its partition is compared in offset order (a message's first confirmed copy).
 */
function inLogOrder(group: Group, events: readonly MessageEvent[]): Group {
  if (group.partition === undefined) return group;
  const offsets = new Map<string, bigint>();
  for (const e of events)
    if (
      e.type === 'produce' &&
      e.outcome === 'ok' &&
      e.partition === group.partition &&
      e.offset !== undefined
    ) {
      const offset = BigInt(e.offset);
      const known = offsets.get(e.id);
      if (known === undefined || offset < known) offsets.set(e.id, offset);
    }
  if (!group.entries.every((e) => offsets.has(e.id))) return group;
  const at = (id: string) => offsets.get(id) as bigint;
  const entries = [...group.entries].sort((a, b) => (at(a.id) < at(b.id) ? -1 : at(a.id) > at(b.id) ? 1 : 0));
  return { ...group, entries };
}

function partitionOf(deliver: MessageEvent | undefined): number | undefined {
  return deliver?.type === 'deliver' ? deliver.partition : undefined;
}

/**
 * The ids, in produce order, of messages first processed before an earlier-produced message
 * (they overtook it) and of messages first processed after a later-produced one (overtaken).
 */
function overtaken(entries: readonly FirstProcessing[]): string[] {
  const involved = new Set<string>();
  let latestBefore = Number.NEGATIVE_INFINITY;
  for (const entry of entries) {
    if (entry.end.seq < latestBefore) involved.add(entry.id);
    latestBefore = Math.max(latestBefore, entry.end.seq);
  }
  let earliestAfter = Number.POSITIVE_INFINITY;
  for (const entry of [...entries].reverse()) {
    if (entry.end.seq > earliestAfter) involved.add(entry.id);
    earliestAfter = Math.min(earliestAfter, entry.end.seq);
  }
  return entries.filter((e) => involved.has(e.id)).map((e) => e.id);
}

function endSeq(firsts: ReadonlyMap<string, FirstProcessing>, id: string): number {
  return firsts.get(id)?.end.seq ?? Number.POSITIVE_INFINITY;
}

/** Per message in produce order, until the limit: its produce events and its first successful processing. */
function explain(
  ids: readonly string[],
  events: readonly MessageEvent[],
  firsts: ReadonlyMap<string, FirstProcessing>,
): HistoryEvent[] {
  const chosen: MessageEvent[] = [];
  for (const id of ids) {
    const first = firsts.get(id);
    const produced = events.filter((e) => e.type === 'produce' && e.id === id);
    chosen.push(...produced, ...(first?.deliver === undefined ? [] : [first.deliver]));
    if (first !== undefined) chosen.push(first.end);
  }
  return chosen.slice(0, EVENT_LIMIT).sort((a, b) => a.seq - b.seq);
}
