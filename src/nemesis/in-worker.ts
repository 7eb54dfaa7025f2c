/**
 * The in-worker injector: inside a worker process, fires the phase-triggered faults addressed
 * to it at the exact phase of a message's attempt. A crash is a real SIGKILL of the worker
 * itself; a throw surfaces from process(); a stall holds processing past the consumer timeout.
 * Faults that the harness applies (pool, container, network) are handed over with `trigger`.
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
  /** SIGKILLs this process (never returns in a real worker). */
  kill(): Promise<never>;
  sleep(ms: number): Promise<void>;
}

export class InWorkerNemesis {
  readonly #deps: InWorkerDeps;
  readonly #fired = new Set<number>();

  constructor(deps: InWorkerDeps) {
    this.#deps = deps;
  }

  /** Fires the faults at `phase` of `attempt` of message `id` (each at most once). */
  async fire(id: string, phase: Phase, attempt: number): Promise<void> {
    for (const { index, fault } of this.#deps.faults) {
      const t = fault.trigger;
      if (this.#fired.has(index) || t.type !== 'phase' || t.messageId !== id || t.phase !== phase) continue;
      if (t.attempt !== attempt) continue;
      this.#fired.add(index);
      await this.#apply(index, fault, phase);
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
      case 'consumer-stall':
        await this.#deps.sleep(stallMs(fault, this.#deps.broker));
        record({ type: 'fault-heal', fault: index, kind: fault.kind });
        return;
      default:
        // join / leave / restart / broker / network faults at a phase: the harness acts on them.
        this.#deps.trigger(index);
    }
  }
}

/**
 * How long a stall lasts: `holdMs`, and on a broker with a known consumer timeout (ackcheck's
 * RabbitMQ) long enough past it that the broker takes the deliveries back, as the fault means.
 */
export function stallMs(fault: Fault, broker: Pick<BrokerInfo, 'consumerTimeout'>): number {
  const hold = fault.params.holdMs ?? 3_000;
  const timeout = broker.consumerTimeout;
  return timeout ? Math.max(hold, timeout.timeoutMs + timeout.checkMs + hold / 2) : hold;
}
