/**
 * The verdict of one run: composes the total-queue algebra, the final-state comparison, the
 * optional per-key order check and the liveness outcome into findings, and decides which of
 * them break the scenario's promised semantics. Like Jepsen's `check-safe`, a checker that
 * throws makes the verdict `unknown` (with its error) instead of throwing from `check()`.
 */
import type { HistoryEvent } from '../model/history.ts';
import type { JsonValue } from '../model/message.ts';
import type { Scenario } from '../model/scenario.ts';
import { EMPTY_STATS, type Finding, type Verdict } from '../model/verdict.ts';
import { compareFinalState } from './final-state.ts';
import { checkOrder, type OrderViolation } from './order.ts';
import { type StuckCall, stuckProcessingFinding } from './stuck-processing.ts';
import { stuckConsumerFindings } from './stuck-consumer.ts';
import { type TotalQueueResult, totalQueue } from './total-queue.ts';

export interface CheckInput {
  readonly scenario: Scenario;
  readonly history: readonly HistoryEvent[];
  /** The processor's `snapshot()` after the run; compared when `referenceState` is given too. */
  readonly finalState?: JsonValue;
  /** The snapshot of the exactly-once reference run over the same distinct messages. */
  readonly referenceState?: JsonValue;
  /** Check per-key order of first successful processing. */
  readonly checkOrder?: boolean;
  /**
   * Whether the heal-and-drain phase finished, and which messages were still pending if not
   * (of those, only the ones a consumer acknowledged are also `lost`);
   * `note` (e.g. workers that exited by themselves) is added to the finding's detail.
   */
  readonly liveness?: {
    readonly drained: boolean;
    readonly stuckIds: readonly string[];
    readonly note?: string;
  };
  /** process() calls that did not settle within their deadline (a `stuck-processing` finding). */
  readonly stuckProcessing?: readonly StuckCall[];
  /** A consumer the harness replaced for making no progress is a violation (else reported only). */
  readonly failOnStuckConsumer?: boolean;
}

/** Events attached to one finding. */
const EVENTS_PER_FINDING = 20;
/** Message ids named in one finding's detail sentence (all are in `messageIds`). */
const IDS_IN_DETAIL = 10;

type EventsFor = (id: string) => readonly HistoryEvent[];

/**
 * `valid` is false when any finding is a violation; otherwise `unknown` when a checker failed,
 * otherwise true (Jepsen's merge: a violation found by one checker stands even if another failed).
 */
export function check(input: CheckInput): Verdict {
  const findings: Finding[] = [];
  const errors: string[] = [];
  const run = (name: string, produce: () => readonly Finding[]): void => {
    findings.push(...(safely(name, errors, produce) ?? []));
  };
  const { finalState, referenceState, liveness } = input;
  const drained = liveness === undefined || liveness.drained;
  const computed = safely('total-queue', errors, () => totalQueue(input.scenario, input.history));
  const queue = computed === undefined || drained ? computed : settledOnly(computed);
  if (queue !== undefined)
    run('total-queue', () =>
      queueFindings(input.scenario, queue, brokerReplayed(input.scenario, input.history)),
    );
  if (finalState !== undefined && referenceState !== undefined) {
    run('final-state', () => finalStateFindings(finalState, referenceState, input.scenario, queue));
  }
  if (input.checkOrder === true) {
    run('order', () => checkOrder(input.scenario, input.history).violations.map(orderFinding));
  }
  run('stuck-consumer', () => stuckConsumerFindings(input.history, input.failOnStuckConsumer === true));
  if (liveness !== undefined && !liveness.drained) {
    const lost = new Set(queue?.lost ?? []);
    run('liveness', () => [
      livenessFinding(
        liveness.stuckIds.filter((id) => !lost.has(id)),
        queue?.eventsFor ?? (() => []),
        liveness.note,
      ),
    ]);
  }
  const stuck = input.stuckProcessing ?? [];
  if (stuck.length > 0)
    run('stuck-processing', () => [stuckProcessingFinding(stuck, queue?.eventsFor ?? (() => []))]);
  const valid = findings.some((f) => f.violation) ? false : errors.length > 0 ? 'unknown' : true;
  return { valid, findings, stats: queue?.stats ?? EMPTY_STATS, errors };
}

/**
 * A run that did not drain may still have its unprocessed messages waiting in the broker, so
 * only those a consumer acknowledged (the broker will not deliver them again) are `lost`; the
 * others are named by the `liveness` finding alone, instead of twice.
 */
function settledOnly(queue: TotalQueueResult): TotalQueueResult {
  const lost = queue.lost.filter((id) => queue.eventsFor(id).some((e) => e.type === 'ack'));
  return { ...queue, lost, stats: { ...queue.stats, lost: lost.length } };
}

/** Runs one checker; if it throws, records its error and returns undefined (Jepsen's check-safe). */
function safely<T>(name: string, errors: string[], run: () => T): T | undefined {
  try {
    return run();
  } catch (error) {
    errors.push(`${name} checker failed: ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

function queueFindings(
  scenario: Scenario,
  queue: TotalQueueResult,
  replayed: (id: string) => boolean,
): Finding[] {
  const findings: Finding[] = [];
  if (queue.lost.length > 0) findings.push(lostFinding(scenario, queue));
  if (queue.duplicated.length > 0) findings.push(duplicatedFinding(scenario, queue, replayed));
  if (queue.unexpected.length > 0) findings.push(unexpectedFinding(scenario, queue));
  return findings;
}

function lostFinding(scenario: Scenario, queue: TotalQueueResult): Finding {
  const violation = scenario.semantics === 'at-least-once';
  const ids = queue.lost;
  return {
    code: 'lost',
    invariant: 'at-least-once',
    violation,
    messageIds: ids,
    events: explainIds(ids, queue.eventsFor),
    detail: sentences(
      `${plural(ids.length, 'acknowledged message was', 'acknowledged messages were')} never processed`,
      `to completion: ${listIds(ids)}.`,
      violation
        ? 'At-least-once promises each one is processed;'
        : 'Allowed under at-most-once; reported for information.',
      violation ? 'look for an ack or offset commit sent before processing finished.' : '',
    ),
  };
}

function duplicatedFinding(
  scenario: Scenario,
  queue: TotalQueueResult,
  replayed: (id: string) => boolean,
): Finding {
  const ids = queue.duplicated;
  const byBroker = ids.filter(replayed);
  const violation = scenario.semantics === 'at-most-once' && byBroker.length < ids.length;
  const counted = ids.map((id) => `${id} (${queue.processingCounts.get(id) ?? 2} times)`);
  const excused =
    byBroker.length > 0 && scenario.semantics === 'at-most-once'
      ? `The broker itself delivered ${listIds(byBroker)} again after a broker-kill, marked redelivered: ` +
        'a SIGKILLed RabbitMQ can lose its record that a delivery was settled, which no consumer ' +
        'can prevent, so those are not held against at-most-once.'
      : '';
  return {
    code: 'duplicated',
    invariant: 'at-most-once',
    violation,
    messageIds: ids,
    events: explainIds(ids, queue.eventsFor),
    detail: sentences(
      `${plural(ids.length, 'message was', 'messages were')} processed more than once`,
      `from the same publish (not a producer duplicate): ${listIds(counted)}.`,
      violation
        ? 'At-most-once promises none is processed twice; look for an ack or offset commit sent'
        : scenario.semantics === 'at-most-once'
          ? ''
          : 'Allowed under at-least-once; reported for information.',
      violation ? 'only after processing, so that a crash or rebalance replays the message.' : '',
      excused,
    ),
  };
}

/**
 * Messages processed again only because a SIGKILLed RabbitMQ delivered them again: every extra
 * processing of a copy follows a delivery the broker marked `redelivered`, made after a
 * broker-kill began, of a copy first delivered before that kill healed (a delivery sent while
 * the SIGKILL was on its way counts). RabbitMQ settles a `noAck` delivery (and records
 * an ack) without telling the client when it is safe on disk, so a kill can bring the message
 * back (measured on a quorum queue, prefetch 1: 1 run in about 500 at-most-once runs of the
 * soak). A runtime that acks only after processing is still caught by every other fault.
 */
function brokerReplayed(scenario: Scenario, history: readonly HistoryEvent[]): (id: string) => boolean {
  // Each kill from its start to its heal: a delivery sent while the SIGKILL was on its way counts.
  const kills = history.flatMap((e) => {
    if (e.type !== 'fault-start' || e.kind !== 'broker-kill') return [];
    const heal = history.find((h) => h.type === 'fault-heal' && h.fault === e.fault && h.time >= e.time);
    return [{ start: e.time, heal: heal?.time ?? Number.POSITIVE_INFINITY }];
  });
  if (scenario.broker !== 'rabbitmq' || kills.length === 0) return () => false;
  return (id) => {
    const copies = new Map<number, { firstDelivery?: number; begins: number; replayed: number }>();
    const lastDelivery = new Map<string, { time: number; redelivered: boolean }>();
    for (const e of history) {
      if (!('id' in e) || e.id !== id) continue;
      const copy = copies.get(e.copy) ?? { begins: 0, replayed: 0 };
      copies.set(e.copy, copy);
      if (e.type === 'deliver') {
        copy.firstDelivery ??= e.time;
        lastDelivery.set(`${e.process}:${e.copy}`, { time: e.time, redelivered: e.redelivered === true });
      } else if (e.type === 'process-begin') {
        copy.begins += 1;
        const d = lastDelivery.get(`${e.process}:${e.copy}`);
        const first = copy.firstDelivery ?? Number.POSITIVE_INFINITY;
        if (d?.redelivered && kills.some((k) => first < k.heal && k.start < d.time)) copy.replayed += 1;
      }
    }
    return [...copies.values()].every((c) => c.begins <= 1 || c.begins - c.replayed <= 1);
  };
}

function unexpectedFinding(scenario: Scenario, queue: TotalQueueResult): Finding {
  const ids = queue.unexpected;
  return {
    code: 'unexpected',
    invariant: scenario.semantics,
    violation: true,
    messageIds: ids,
    events: explainIds(ids, queue.eventsFor),
    detail: sentences(
      `${plural(ids.length, 'message was', 'messages were')} processed although never published`,
      `(no publish attempt, or only failed ones): ${listIds(ids)}.`,
      "Check that the consumer reads only this run's topic or queue and reports the right message ids.",
    ),
  };
}

/** Empty when the states are equal. */
function finalStateFindings(
  finalState: JsonValue,
  referenceState: JsonValue,
  scenario: Scenario,
  queue: TotalQueueResult | undefined,
): Finding[] {
  const { equal, diff } = compareFinalState(finalState, referenceState);
  if (equal) return [];
  const suspects = queue === undefined ? [] : stateSuspects(scenario, queue);
  const lead =
    suspects.length > 0 ? ` Messages that may explain it (repeated or lost): ${listIds(suspects)}.` : '';
  return [
    {
      code: 'final-state',
      invariant: 'idempotent-state',
      violation: true,
      messageIds: suspects,
      events: explainIds(suspects, queue?.eventsFor ?? (() => [])),
      detail: [`The final state differs from the exactly-once reference run.${lead}`, ...diff].join('\n'),
    },
  ];
}

/**
 * Best effort: the messages that may explain a state difference, in produce order — consumer
 * duplicates, producer duplicates processed more than once, messages delivered or begun more
 * than once (redeliveries, retries, crashes), and lost messages (missing effects).
 */
function stateSuspects(scenario: Scenario, queue: TotalQueueResult): string[] {
  const flagged = new Set([...queue.duplicated, ...queue.producerDuplicatesProcessed, ...queue.lost]);
  const ids = new Set([...scenario.messages.map((m) => m.id), ...flagged]);
  return [...ids].filter((id) => flagged.has(id) || wasRepeated(queue.eventsFor(id)));
}

function wasRepeated(events: readonly HistoryEvent[]): boolean {
  const delivered = events.filter((e) => e.type === 'deliver');
  const begun = events.filter((e) => e.type === 'process-begin');
  return (
    delivered.length > 1 || begun.length > 1 || delivered.some((e) => e.type === 'deliver' && e.redelivered)
  );
}

function orderFinding(violation: OrderViolation): Finding {
  const where =
    violation.partition === undefined
      ? `key "${violation.key}"`
      : `key "${violation.key}" on partition ${violation.partition}`;
  return {
    code: 'order',
    invariant: 'order',
    violation: true,
    messageIds: violation.ids,
    events: violation.events,
    detail: sentences(
      `Messages with ${where} were produced in the order ${listIds(violation.ids)}`,
      `but first processed to completion in the order ${listIds(violation.completed)}.`,
      'Look for concurrent processing of one key, or a retry that skips ahead.',
    ),
  };
}

function livenessFinding(stuckIds: readonly string[], eventsFor: EventsFor, note = ''): Finding {
  const pending =
    stuckIds.length > 0
      ? `${plural(stuckIds.length, 'message was', 'messages were')} still pending: ${listIds(stuckIds)}.`
      : 'No pending message was identified.';
  return {
    code: 'liveness',
    invariant: 'liveness',
    violation: true,
    messageIds: stuckIds,
    events: explainIds(stuckIds, eventsFor),
    detail: sentences(
      note
        ? `The run could not drain: ${pending}`
        : `The run did not drain before its deadline after all faults were healed; ${pending}`,
      note || 'Look for a consumer that stopped consuming, or a message redelivered forever.',
    ),
  };
}

/** Each message's events in turn, until `EVENTS_PER_FINDING`; then in history order. */
function explainIds(ids: readonly string[], eventsFor: EventsFor): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  for (const id of ids) {
    if (events.length >= EVENTS_PER_FINDING) break;
    events.push(...eventsFor(id).slice(0, EVENTS_PER_FINDING - events.length));
  }
  return events.sort((a, b) => a.seq - b.seq);
}

function listIds(ids: readonly string[]): string {
  const shown = ids.slice(0, IDS_IN_DETAIL).join(', ');
  return ids.length > IDS_IN_DETAIL ? `${shown}, … (${ids.length - IDS_IN_DETAIL} more)` : shown;
}

/** Joins the non-empty parts with spaces. */
function sentences(...parts: readonly string[]): string {
  return parts.filter((part) => part !== '').join(' ');
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}
