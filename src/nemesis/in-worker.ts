/**
 * The in-worker injector: inside a worker process, fires the phase-triggered faults addressed
 * to it at the exact phase of a message's attempt. A crash is a real SIGKILL of the worker
 * itself; a throw surfaces from process(); a stall holds processing past the consumer timeout
 * while the worker holds a delivery the timeout applies to (see stallEnd()).
 * Faults that the harness applies (pool, container, network) are handed over with `trigger`.
 *
 * Every worker of a run holds the faults not fired yet, and a fault fires once per run: the
 * worker claims it from the harness's record (schedule.ts) before firing it, and attempts are
 * numbered across the run's workers (asked of the harness, only for a message a fault not
 * fired yet is triggered on). So the second consumer of the Kafka zombie, re-reading the
 * message the first one stalls on, processes it (its attempt 2) instead of stalling too.
 */
import type { BrokerInfo } from '../model/broker.ts';
import type { Fault, Phase } from '../model/fault.ts';
import type { HistoryEventInput } from '../model/history.ts';
import type { IndexedFault } from './schedule.ts';

/** The error process() throws for a `processor-throw` fault. */
export class InjectedFault extends Error {}

export interface InWorkerDeps {
  readonly faults: readonly IndexedFault[];
  readonly broker: Pick<BrokerInfo, 'consumerTimeout'>;
  record(
    event: Omit<Extract<HistoryEventInput, { type: 'fault-start' | 'fault-heal' }>, 'time' | 'process'>,
  ): void;
  /** Hands a fault the harness applies over to it. */
  trigger(index: number): void;
  /** Asks the harness to fire fault `index`: true for the first worker of the run to ask. */
  claim(index: number): Promise<boolean>;
  /** Asks the harness for the run-wide number of a new attempt at delivery (id, copy). */
  attempt(id: string, copy: number): Promise<number>;
  /** SIGKILLs this process (never returns in a real worker). */
  kill(): Promise<never>;
  sleep(ms: number): Promise<void>;
  now(): number;
  /**
   * When (on `now()`'s clock) this worker received the oldest delivery it holds
   * unacknowledged: delivered and not acknowledged yet. Undefined when it holds none.
   */
  heldSince(): number | undefined;
}

export class InWorkerNemesis {
  readonly #deps: InWorkerDeps;
  readonly #fired = new Set<number>();

  constructor(deps: InWorkerDeps) {
    this.#deps = deps;
  }

  /**
   * A new attempt at delivery (id, copy), this worker's `local`-th: its number in the run, to
   * fire() with. Asked of the harness only when a fault this worker has not seen fire is
   * triggered on the message (no other attempt can match a trigger).
   */
  async begin(id: string, copy: number, local: number): Promise<number> {
    const targeted = this.#deps.faults.some(
      ({ index, fault }) =>
        !this.#fired.has(index) && fault.trigger.type === 'phase' && fault.trigger.messageId === id,
    );
    return targeted ? this.#deps.attempt(id, copy) : local;
  }

  /** Fires the faults at `phase` of `attempt` (run-wide, see begin()) of message `id`: each once per run. */
  async fire(id: string, phase: Phase, attempt: number): Promise<void> {
    for (const { index, fault } of this.#deps.faults) {
      const t = fault.trigger;
      if (this.#fired.has(index) || t.type !== 'phase' || t.messageId !== id || t.phase !== phase) continue;
      if (t.attempt !== attempt) continue;
      this.#fired.add(index);
      // Another worker of the run may have reached it first: then it is not this one's to fire.
      if (await this.#deps.claim(index)) await this.#apply(index, fault, phase);
    }
  }

  async #apply(index: number, fault: Fault, phase: Phase): Promise<void> {
    const { record } = this.#deps;
    record({ type: 'fault-start', fault: index, kind: fault.kind, phase });
    switch (fault.kind) {
      case 'consumer-kill':
        return this.#deps.kill();
      case 'processor-throw':
        record({ type: 'fault-heal', fault: index, kind: fault.kind });
        throw new InjectedFault(`ackcheck: injected processor failure (fault ${index})`);
      case 'consumer-stall': {
        const { broker, now, heldSince, sleep } = this.#deps;
        const began = now();
        // Asked again when it would end: a delivery received during the stall and still held
        // then (a runtime that processes one at a time) keeps it going, at most stallMs().
        for (;;) {
          const left = stallEnd(fault, broker, began, heldSince()) - now();
          if (left <= 0) break;
          await sleep(left);
        }
        record({ type: 'fault-heal', fault: index, kind: fault.kind });
        return;
      }
      default:
        // join / leave / restart / broker / network faults at a phase: the harness acts on them.
        this.#deps.trigger(index);
    }
  }
}

/**
 * The longest a stall lasts: `holdMs`, and on a broker with a known consumer timeout (ackcheck's
 * RabbitMQ) long enough past it that the broker takes the deliveries back, as the fault means.
 */
export function stallMs(fault: Fault, broker: Pick<BrokerInfo, 'consumerTimeout'>): number {
  const hold = fault.params.holdMs ?? 3_000;
  const timeout = broker.consumerTimeout;
  return timeout ? Math.max(hold, timeout.timeoutMs + timeout.checkMs + hold / 2) : hold;
}

/**
 * When a stall that began at `began` ends, given when the worker received the oldest delivery
 * it still holds unacknowledged (`heldSince`; undefined: none). A consumer timeout applies only
 * to such a delivery, so the stall goes past it only while there is one: until the timeout and
 * one check after that delivery, plus `holdMs / 2`, and never past stallMs(); otherwise it
 * lasts `holdMs`. (A stall at `after-ack`, or any stall under at-most-once's noAck, holds
 * nothing the broker could take back: waiting out the timeout only kept the run from ending.)
 */
export function stallEnd(
  fault: Fault,
  broker: Pick<BrokerInfo, 'consumerTimeout'>,
  began: number,
  heldSince: number | undefined,
): number {
  const hold = fault.params.holdMs ?? 3_000;
  const timeout = broker.consumerTimeout;
  if (!timeout || heldSince === undefined) return began + hold;
  const takenBack = heldSince + timeout.timeoutMs + timeout.checkMs + hold / 2;
  return Math.min(began + stallMs(fault, broker), Math.max(began + hold, takenBack));
}
