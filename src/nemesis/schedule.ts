/**
 * One record of a run's faults: which fired (whoever fired them: a worker at a phase, or the
 * harness on a progress trigger), in which order the harness applies its own, and when the
 * last one healed (the drain deadline counts from there). Harness faults run one after
 * another, never overlapping, so a replay meets them in the same order.
 *
 * A phase fault fires once per run, not once per worker: every worker is handed the faults not
 * fired yet, and one that reaches a fault's trigger claims it here first (the first claim wins;
 * a second consumer that re-reads a stalled message does not stall too). Attempts are counted
 * per delivery (message id and copy) across the run's workers, so "attempt 2" is the second
 * attempt whichever worker makes it (a replacement after a crash, another consumer after a
 * rebalance), not the second one in the same process.
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
  /** Harness faults already applied (or queued): a trigger after a claim applies it once. */
  readonly #applied = new Set<number>();
  /** Run-wide attempts per delivery (`id:copy`) that the workers reported (see attempt()). */
  readonly #attempts = new Map<string, number>();
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

  /**
   * A worker begins an attempt at delivery (id, copy) that a fault not fired yet is triggered
   * on: its number in the run (1 for the first attempt by any worker). Only attempts at such
   * deliveries are counted, which are the only ones a trigger can match: every worker is
   * handed every fault not fired yet, so each of them asks while one is left.
   */
  attempt(id: string, copy: number): number {
    const key = `${id}:${copy}`;
    const n = (this.#attempts.get(key) ?? 0) + 1;
    this.#attempts.set(key, n);
    return n;
  }

  /** A worker reached the trigger of phase fault `index`: true for the first claim only (it fires the fault). */
  claim(index: number): boolean {
    if (this.#fired.has(index) || !this.#faults[index]) return false;
    this.#fired.add(index);
    return true;
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
    if (!fault || this.#applied.has(index)) return;
    this.#applied.add(index);
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
