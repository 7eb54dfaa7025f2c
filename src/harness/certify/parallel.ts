/**
 * Runs in parallel without giving up fast-check's seed and path. fast-check asks for runs one
 * at a time and in order; the scenarios it will ask for are known in advance (fc.sample on the
 * same property and seed draws exactly the values of runs 0, 1, 2, …: the same generator, the
 * same random stream, the same per-run bias). So the next few planned scenarios are started
 * ahead, up to `concurrency` at once, and when fast-check asks for run i, its outcome is
 * already on the way. A run drawn differently than planned is run as drawn (so a plan can only
 * cost time, never change what is run), and so is everything after the first failure (shrink
 * steps, verdict cuts): nothing more is started ahead, so fast-check's sequential shrink and
 * the path it reports are untouched. The plan is drawn from a fresh instance of the arbitrary:
 * the coverage sweep's arbitrary counts its draws, and fast-check's must see only its own.
 *
 * Runs share the broker, each with its own topic/queue, group and namespace; a run whose
 * faults reach beyond its own consumers (broker faults, or network faults on a proxy path
 * shared by the broker's runs) runs alone: it waits for the runs before it, and the runs after
 * it wait for it.
 */
import fc from 'fast-check';
import type { BrokerInfo } from '../../model/broker.ts';
import type { RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import { isNetworkFault, ownConsumerPath } from '../../nemesis/network.ts';
import type { RunOne } from './loop.ts';

export interface ParallelOptions {
  /** Runs at once (1: one after another, nothing started ahead). */
  readonly concurrency: number;
  /** The scenarios fast-check will ask for, in order (see plannedScenarios()). */
  readonly planned: readonly Scenario[];
  /** How many of the planned runs are wanted (the rest top up runs lost to errors). */
  readonly wanted: number;
  /** True when a scenario must run alone on the broker. */
  readonly alone: (scenario: Scenario) => boolean;
  /**
   * Runs before this index are never started ahead: their draws depend on what earlier runs
   * did (the coverage sweep, generate/coverage-sweep.ts, skips cells earlier runs covered).
   * Default 0.
   */
  readonly aheadFrom?: number;
}

/** Admits runs in arrival order: shared ones up to a limit together, a run alone by itself. */
export class RunGate {
  readonly #limit: number;
  #running = 0;
  #aloneRunning = false;
  readonly #queue: { alone: boolean; admit: () => void }[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  async run<T>(alone: boolean, work: () => Promise<T>): Promise<T> {
    await new Promise<void>((admit) => {
      this.#queue.push({ alone, admit });
      this.#pump();
    });
    try {
      return await work();
    } finally {
      this.#running -= 1;
      this.#aloneRunning = false;
      this.#pump();
    }
  }

  #pump(): void {
    for (;;) {
      const next = this.#queue[0];
      if (!next || this.#aloneRunning) return;
      if (next.alone ? this.#running > 0 : this.#running >= this.#limit) return;
      this.#queue.shift();
      this.#running += 1;
      this.#aloneRunning = next.alone;
      next.admit();
    }
  }
}

const keyOf = (s: Scenario) => JSON.stringify(s);

/**
 * The scenarios of runs 0..n-1 as fc.check(fc.asyncProperty(arbitrary, …), { seed }) draws
 * them. fc.sample on the arbitrary walks the same random stream with the same per-run bias
 * (fast-check 4: Sampler.ts wraps it in a Property, as asyncProperty wraps it in a 1-tuple).
 * Not fc.sample on the property itself: an AsyncProperty has no own `isAsync`, so the sampler
 * wraps it once more and biases twice (values differ from run 9 on). parallel.test.ts checks
 * the match against fc.check and against `path`.
 */
export function plannedScenarios(arbitrary: fc.Arbitrary<Scenario>, seed: number, n: number): Scenario[] {
  return fc.sample(arbitrary, { seed, numRuns: n });
}

/** Broker faults touch every run on the broker; network faults too where runs share one proxy. */
export function runsAlone(scenario: Scenario, info: BrokerInfo): boolean {
  return scenario.faults.some(
    (f) => f.kind.startsWith('broker-') || (isNetworkFault(f.kind) && !ownConsumerPath(info)),
  );
}

export class ParallelRuns {
  readonly #runOne: RunOne;
  readonly #options: ParallelOptions;
  readonly #gate: RunGate;
  readonly #keys: string[];
  readonly #started = new Map<number, Promise<RunOutcome>>();
  readonly #launched = new Set<number>();
  /** fast-check's index of the next run it asks for (one call per run until a failure). */
  #cursor = 0;
  #errors = 0;
  /** A run failed: nothing more starts ahead. */
  #stopAhead = false;
  /** fast-check saw a failure: what it asks for now are shrink steps (and verdict cuts). */
  #shrinking = false;
  /** Runs fast-check asked for that came from the plan (for tests and figures). */
  plannedHits = 0;

  constructor(runOne: RunOne, options: ParallelOptions) {
    this.#runOne = runOne;
    this.#options = options;
    this.#gate = new RunGate(options.concurrency);
    this.#keys = options.planned.map(keyOf);
  }

  /** The RunOne CertifyLoop calls: the planned run's outcome, or a direct run. */
  run = (scenario: Scenario): Promise<RunOutcome> => {
    if (this.#shrinking) return this.#direct(scenario);
    const index = this.#cursor++;
    let outcome: Promise<RunOutcome>;
    if (this.#keys[index] === keyOf(scenario)) {
      this.plannedHits += 1;
      outcome = this.#started.get(index) ?? this.#launch(index);
      this.#started.delete(index);
    } else outcome = this.#direct(scenario); // drawn differently than planned: run what fast-check drew
    this.#launchAhead(index);
    return outcome.then((o) => {
      if (o.verdict.valid === false) this.#shrinking = this.#stopAhead = true;
      return o;
    });
  };

  /** Waits for the runs started ahead (their outcomes are no longer wanted). */
  async close(): Promise<void> {
    this.#stopAhead = true;
    await Promise.all([...this.#started.values()].map((p) => p.catch(() => undefined)));
  }

  #direct(scenario: Scenario): Promise<RunOutcome> {
    return this.#gate.run(this.#options.alone(scenario), () => this.#runOne(scenario));
  }

  #launch(i: number): Promise<RunOutcome> {
    this.#launched.add(i);
    const outcome = this.#direct(this.#options.planned[i] as Scenario);
    this.#started.set(i, outcome);
    outcome.then(
      (o) => {
        if (o.verdict.valid === false) this.#stopAhead = true; // fast-check shrinks next
      },
      () => {
        this.#errors += 1; // a run lost to an error is topped up by the next planned one
      },
    );
    return outcome;
  }

  #launchAhead(index: number): void {
    const { concurrency, planned, wanted, aheadFrom = 0 } = this.#options;
    const until = Math.min(planned.length, index + Math.max(1, concurrency), wanted + this.#errors);
    for (let i = Math.max(index + 1, aheadFrom); i < until && !this.#stopAhead; i++)
      if (!this.#launched.has(i)) this.#launch(i);
  }
}
