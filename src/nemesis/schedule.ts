/**
 * One record of a run's faults: which fired (whoever fired them: a worker at a phase, or the
 * harness on a progress trigger), in which order the harness applies its own, and when the
 * last one healed (the drain deadline counts from there). Harness faults run one after
 * another, never overlapping, so a replay meets them in the same order.
 */
import type { Fault } from '../model/fault.ts';
import type { HistoryEventInput } from '../model/history.ts';
import type { Inject } from './harness-injector.ts';

export interface IndexedFault {
  readonly index: number;
  readonly fault: Fault;
}

/** Records a harness fault's start and heal in the harness history. */
export type RecordEvent = (
  event: Omit<Extract<HistoryEventInput, { type: 'fault-start' | 'fault-heal' }>, 'time' | 'process'>,
) => void;

export class FaultSchedule {
  readonly #faults: readonly Fault[];
  readonly #fired = new Set<number>();
  #inject: Inject = async () => undefined;
  readonly #record: RecordEvent;
  readonly #now: () => number;
  #acks = 0;
  #chain: Promise<void> = Promise.resolve();
  #lastHealAt = 0;

  constructor(faults: readonly Fault[], record: RecordEvent, now: () => number = Date.now) {
    this.#faults = faults;
    this.#record = record;
    this.#now = now;
  }

  /** Sets who applies harness faults (the injector needs the pool, which needs this schedule). */
  useInjector(inject: Inject): void {
    this.#inject = inject;
  }

  /** Phase-triggered faults not fired yet: what a (replacement) worker may fire. */
  pendingPhaseFaults(): IndexedFault[] {
    return this.#faults
      .map((fault, index) => ({ index, fault }))
      .filter(({ index, fault }) => fault.trigger.type === 'phase' && !this.#fired.has(index));
  }

  /** A worker fired fault `index` itself (seen in its history). */
  markFired(index: number): void {
    this.#fired.add(index);
  }

  get fired(): ReadonlySet<number> {
    return this.#fired;
  }

  /** When the last harness fault healed (0: none yet). */
  get lastHealAt(): number {
    return this.#lastHealAt;
  }

  /** Resolves when every harness fault scheduled so far has healed. */
  settled(): Promise<void> {
    return this.#chain;
  }

  /** A message was acknowledged: progress triggers may fire. */
  onAck(): void {
    this.#acks += 1;
    this.checkProgress();
  }

  /** Fires the progress-triggered faults whose count is reached. */
  checkProgress(): void {
    this.#faults.forEach((fault, index) => {
      if (fault.trigger.type === 'progress' && this.#acks >= fault.trigger.acks) this.fire(index);
    });
  }

  /** A worker reached the phase of a fault the harness applies. */
  fire(index: number): void {
    const fault = this.#faults[index];
    if (!fault || this.#fired.has(index)) return;
    this.#fired.add(index);
    this.#chain = this.#chain
      .then(async () => {
        this.#record({ type: 'fault-start', fault: index, kind: fault.kind });
        const network = await this.#inject(fault);
        this.#record({ type: 'fault-heal', fault: index, kind: fault.kind, ...(network ? { network } : {}) });
      })
      .catch(() => undefined)
      .finally(() => {
        this.#lastHealAt = this.#now();
      });
  }
}
