/**
 * Where a run's time goes: the harness marks the end of each of its steps on one clock (ms
 * since the run began, the clock the history's `time` uses too), and the phases are the
 * differences. First delivery and drain detection come from the history: the first `deliver`
 * and the last event a worker recorded. Figures for bench/ and reports; never for verdicts.
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

/** The phases of a run from its marks and its history (a phase whose marks are missing is absent). */
export function runTimings(
  marks: Partial<Record<RunMark, number>>,
  history: readonly Pick<HistoryEvent, 'type' | 'time' | 'process'>[],
  totalMs: number,
): RunTimings {
  const span = (from: number | undefined, to: number | undefined) =>
    from === undefined || to === undefined ? undefined : Math.max(0, to - from);
  const worker = history.filter((e) => !isHarnessProcess(e.process));
  const firstDeliver = worker.find((e) => e.type === 'deliver')?.time;
  const lastWorkerEvent = worker.reduce<number | undefined>((t, e) => Math.max(t ?? 0, e.time), undefined);
  const timings: Record<keyof RunTimings, number | undefined> = {
    provision: marks.provisioned ?? totalMs,
    produce: span(marks.provisioned, marks.produced),
    workerStart: span(marks.produced, marks.workersStarted),
    consumeStart: span(marks.workersStarted, marks.consuming),
    firstDelivery: span(marks.workersStarted, firstDeliver),
    drainDetection: span(lastWorkerEvent, marks.drained),
    consume: span(marks.workersStarted, marks.drained),
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
