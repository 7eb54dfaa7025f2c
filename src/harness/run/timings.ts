/**
 * Where a run's time goes: the harness marks the end of each of its steps on one clock (ms
 * since the run began, the clock the history's `time` uses too), and the phases are the
 * differences. First delivery and drain detection come from the history: the first `deliver`
 * and the last event a worker recorded; the faults' own time from their start and heal events.
 * Figures for bench/ and reports; never for verdicts.
 */
import type { HistoryEvent } from '../../model/history.ts';
import type { RunTimings } from '../../model/results.ts';

/** The steps runScenario marks, in order. */
export type RunMark =
  | 'provisioned'
  | 'produced'
  | 'workersStarted'
  | 'consuming'
  | 'drained'
  | 'closed'
  | 'observed'
  | 'referenced'
  | 'checked'
  | 'disposed';

export class RunClock {
  readonly began: number;
  readonly #now: () => number;
  readonly marks: Partial<Record<RunMark, number>> = {};

  constructor(began: number, now: () => number = Date.now) {
    this.began = began;
    this.#now = now;
  }

  /** Records `mark` now (the first time only). */
  mark(mark: RunMark): void {
    this.marks[mark] ??= this.#now() - this.began;
  }

  elapsed(): number {
    return this.#now() - this.began;
  }
}

const isHarnessProcess = (p: string) => p === 'producer' || p === 'harness';

type TimedEvent = Pick<HistoryEvent, 'type' | 'time' | 'process'> & { readonly fault?: number };

/**
 * How long at least one fault was in effect (the union of its start → heal spans; a fault
 * without a heal, a crash, has no span), and when the last one healed.
 */
export function faultSpans(history: readonly TimedEvent[]): { inEffect: number; lastHeal?: number } {
  const open = new Map<string, number>();
  const spans: [number, number][] = [];
  for (const e of history) {
    const key = `${e.process}/${e.fault}`;
    if (e.type === 'fault-start') open.set(key, e.time);
    else if (e.type === 'fault-heal') {
      const from = open.get(key);
      open.delete(key);
      if (from !== undefined) spans.push([from, e.time]);
    }
  }
  spans.sort((a, b) => a[0] - b[0]);
  let inEffect = 0;
  let reach = Number.NEGATIVE_INFINITY;
  for (const [from, to] of spans) {
    inEffect += Math.max(0, to - Math.max(from, reach));
    reach = Math.max(reach, to);
  }
  return spans.length === 0 ? { inEffect } : { inEffect, lastHeal: reach };
}

/** The phases of a run from its marks and its history (a phase whose marks are missing is absent). */
export function runTimings(
  marks: Partial<Record<RunMark, number>>,
  history: readonly TimedEvent[],
  totalMs: number,
): RunTimings {
  const span = (from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined ? undefined : Math.max(0, to - from);
  const worker = history.filter((e) => !isHarnessProcess(e.process));
  const firstDeliver = worker.find((e) => e.type === 'deliver')?.time;
  const lastWorkerEvent = worker.reduce<number | undefined>((t, e) => Math.max(t ?? 0, e.time), undefined);
  const faults = faultSpans(history);
  const timings: Record<keyof RunTimings, number | undefined> = {
    provision: marks.provisioned ?? totalMs,
    produce: span(marks.provisioned, marks.produced),
    workerStart: span(marks.produced, marks.workersStarted),
    consumeStart: span(marks.workersStarted, marks.consuming),
    firstDelivery: span(marks.workersStarted, firstDeliver),
    drainDetection: span(lastWorkerEvent, marks.drained),
    consume: span(marks.workersStarted, marks.drained),
    faults: faults.lastHeal === undefined ? undefined : faults.inEffect,
    afterHeal: span(faults.lastHeal, lastWorkerEvent),
    teardown: span(marks.drained, marks.closed),
    observe: span(marks.closed, marks.observed),
    reference: span(marks.observed, marks.referenced),
    check: span(marks.referenced, marks.checked),
    dispose: span(marks.checked, marks.disposed),
    total: totalMs,
  };
  return Object.fromEntries(
    Object.entries(timings).filter(([, v]) => v !== undefined),
  ) as unknown as RunTimings;
}
