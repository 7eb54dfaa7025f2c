/**
 * Fault coverage: which fault kind x trigger cells a certification exercised, and whether each
 * drawn fault actually fired (a `fault-start` in the run's history). A pass is evidence only of
 * the cells that fired. Cells are what the generator can draw: a consumer kind at each phase it
 * may fire in (processor-throw only up to during-process), a broker or network kind at a
 * progress trigger; the broker and semantics are the certification's own.
 */
import type { BrokerKind } from './broker.ts';
import { CONSUMER_FAULTS, type Fault, type FaultKind, PHASES, type Phase } from './fault.ts';
import type { HistoryEvent } from './history.ts';
import type { Scenario, Semantics } from './scenario.ts';

/** Where a fault is triggered: a phase of a message's attempt, or progress (after k acks). */
export type CellTrigger = Phase | 'progress';

export interface FaultCell {
  readonly kind: FaultKind;
  readonly trigger: CellTrigger;
}

export interface CoverageCell extends FaultCell {
  /** Runs whose scenario had a fault in this cell. */
  readonly drawn: number;
  /** Runs in which such a fault fired. */
  readonly fired: number;
}

export interface FaultCoverage {
  readonly broker: BrokerKind;
  readonly semantics: Semantics;
  /** Every cell of the fault kinds the certification drew from, in a fixed order. */
  readonly cells: readonly CoverageCell[];
  /** Cells in which a fault fired at least once. */
  readonly exercised: number;
  readonly total: number;
}

/** The processor throws while processing: only phases up to and during processing. */
export const THROW_PHASES: readonly Phase[] = ['before-process', 'during-process'];

/** The cells of these fault kinds, kind by kind, phases in order. */
export function faultCells(kinds: readonly FaultKind[]): FaultCell[] {
  return kinds.flatMap((kind): FaultCell[] => {
    if (!CONSUMER_FAULTS.includes(kind)) return [{ kind, trigger: 'progress' }];
    const phases = kind === 'processor-throw' ? THROW_PHASES : PHASES;
    return phases.map((trigger) => ({ kind, trigger }));
  });
}

export function cellOf(fault: Fault): FaultCell {
  return { kind: fault.kind, trigger: fault.trigger.type === 'phase' ? fault.trigger.phase : 'progress' };
}

export function cellKey(cell: FaultCell): string {
  return `${cell.kind}@${cell.trigger}`;
}

/** Indices of the scenario's faults that fired in this history. */
export function firedFaults(history: readonly HistoryEvent[]): Set<number> {
  return new Set(history.flatMap((e) => (e.type === 'fault-start' && e.fault >= 0 ? [e.fault] : [])));
}

/** Counts, run by run, the cells drawn and fired; `coverage()` is the summary so far. */
export class CoverageTally {
  readonly #broker: BrokerKind;
  readonly #semantics: Semantics;
  readonly #cells: readonly FaultCell[];
  readonly #drawn = new Map<string, number>();
  readonly #fired = new Map<string, number>();

  constructor(broker: BrokerKind, semantics: Semantics, kinds: readonly FaultKind[]) {
    this.#broker = broker;
    this.#semantics = semantics;
    this.#cells = faultCells(kinds);
  }

  /** One completed run: each cell counts at most once per run. */
  add(scenario: Scenario, history: readonly HistoryEvent[]): void {
    const fired = firedFaults(history);
    const drawn = new Set<string>();
    const hit = new Set<string>();
    scenario.faults.forEach((fault, index) => {
      const key = cellKey(cellOf(fault));
      drawn.add(key);
      if (fired.has(index)) hit.add(key);
    });
    for (const key of drawn) this.#drawn.set(key, (this.#drawn.get(key) ?? 0) + 1);
    for (const key of hit) this.#fired.set(key, (this.#fired.get(key) ?? 0) + 1);
  }

  /** Keys of the cells no fault has fired in yet. */
  uncovered(): string[] {
    return this.#cells.map(cellKey).filter((key) => !this.#fired.has(key));
  }

  coverage(): FaultCoverage {
    const cells = this.#cells.map((cell) => ({
      ...cell,
      drawn: this.#drawn.get(cellKey(cell)) ?? 0,
      fired: this.#fired.get(cellKey(cell)) ?? 0,
    }));
    return {
      broker: this.#broker,
      semantics: this.#semantics,
      cells,
      exercised: cells.filter((c) => c.fired > 0).length,
      total: cells.length,
    };
  }
}

/** "34 of 48 fault cells exercised" (and how many were drawn but never fired). */
export function describeCoverage(coverage: FaultCoverage): string {
  const silent = coverage.cells.filter((c) => c.drawn > 0 && c.fired === 0).length;
  const base = `${coverage.exercised} of ${coverage.total} fault cells exercised`;
  return silent > 0 ? `${base} (${silent} drawn but never fired)` : base;
}
