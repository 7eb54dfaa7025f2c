/**
 * Runs in parallel without giving up fast-check's seed and path. fast-check asks for runs one
 * at a time and in order; the scenarios it will ask for are known in advance (fc.sample on the
 * same property and seed draws exactly the values of runs 0, 1, 2, …: the same generator, the
 * same random stream, the same per-run bias). So the planned scenarios are started ahead, all of
 * them queued at a gate that runs `concurrency` at once in plan order, and when fast-check asks
 * for run i, its outcome is already on the way. A long run (a stall, a broker restart) then
 * holds one lane only: the other lanes go on with the runs after it, instead of waiting for
 * fast-check to take its outcome. A run drawn differently than planned is run as drawn (so a
 * plan can only cost time, never change what is run), and so is everything after the first
 * failure (shrink steps, verdict cuts): nothing more is started ahead, queued runs after the
 * failing one are dropped, so fast-check's sequential shrink and the path it reports are
 * untouched. The plan is drawn from a fresh instance of the arbitrary: the coverage sweep's
 * arbitrary counts its draws, and fast-check's must see only its own.
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

/** A run dropped from the gate's queue before it started (nobody will ask for its outcome). */
export class DroppedRun extends Error {
  constructor() {
    super('run dropped before it started');
  }
}

interface Waiting {
  readonly alone: boolean;
  readonly dropped: () => boolean;
  /** An alone run at the head of the queue: the runs it waits for (running when it got there). */
  blockers?: ReadonlySet<number>;
  admit(id: number): void;
  drop(): void;
}

/**
 * Admits runs in arrival order: shared ones up to a limit together, a run alone by itself. A
 * run that must be alone waits at the head of the queue for the runs in progress to end; while
 * one of *those* still runs (a long stall, say), shared runs queued behind it fill the lanes
 * that are free, so that the wait does not leave them idle. Once the runs it waited for have
 * ended, nothing more overtakes it: it starts as soon as the overtakers in progress end, so it
 * is held up by at most one shared run per lane, never starved. A queued run whose `dropped()`
 * turns true is taken out of the queue (its promise rejects with DroppedRun) when the gate next
 * looks at it, or at prune().
 */
export class RunGate {
  readonly #limit: number;
  readonly #running = new Set<number>();
  #nextId = 0;
  #aloneRunning = false;
  #queue: Waiting[] = [];

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  async run<T>(alone: boolean, work: () => Promise<T>, dropped: () => boolean = () => false): Promise<T> {
    const id = await new Promise<number>((admit, drop) => {
      this.#queue.push({ alone, dropped, admit, drop: () => drop(new DroppedRun()) });
      this.#pump();
    });
    try {
      return await work();
    } finally {
      this.#running.delete(id);
      if (alone) this.#aloneRunning = false;
      this.#pump();
    }
  }

  /** Drops the queued runs whose `dropped()` is now true. */
  prune(): void {
    const [drop, keep] = [this.#queue.filter((w) => w.dropped()), this.#queue.filter((w) => !w.dropped())];
    this.#queue = keep;
    for (const w of drop) w.drop();
    this.#pump();
  }

  #pump(): void {
    for (;;) {
      const next = this.#queue[0];
      if (next?.dropped()) {
        this.#queue.shift();
        next.drop();
        continue;
      }
      if (!next || this.#aloneRunning) return;
      if (!next.alone) {
        if (this.#running.size >= this.#limit) return;
        this.#admit(0);
        continue;
      }
      if (this.#running.size === 0) {
        this.#aloneRunning = true;
        this.#admit(0);
        continue;
      }
      // Draining for an alone run: fill a free lane while a run it waits for is still going.
      next.blockers ??= new Set(this.#running);
      if (![...next.blockers].some((id) => this.#running.has(id))) return;
      if (this.#running.size >= this.#limit) return;
      const overtaker = this.#queue.findIndex((w, i) => i > 0 && !w.alone && !w.dropped());
      if (overtaker < 0) return;
      this.#admit(overtaker);
    }
  }

  #admit(index: number): void {
    const [waiting] = this.#queue.splice(index, 1);
    const id = this.#nextId++;
    this.#running.add(id);
    waiting?.admit(id);
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
  /** The lowest index of a planned run that failed: queued runs after it are dropped. */
  #failedAt = Number.POSITIVE_INFINITY;
  #closed = false;
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
      if (o.verdict.valid === false) {
        this.#shrinking = this.#stopAhead = true;
        this.#failed(index);
      }
      return o;
    });
  };

  /** Drops the runs still queued and waits for those started (their outcomes are no longer wanted). */
  async close(): Promise<void> {
    this.#stopAhead = this.#closed = true;
    this.#gate.prune();
    await Promise.all([...this.#started.values()].map((p) => p.catch(() => undefined)));
  }

  #direct(scenario: Scenario): Promise<RunOutcome> {
    return this.#gate.run(this.#options.alone(scenario), () => this.#runOne(scenario));
  }

  /** fast-check will not ask for planned runs after a failing one: drop those still queued. */
  #failed(index: number): void {
    this.#failedAt = Math.min(this.#failedAt, index);
    this.#gate.prune();
  }

  #launch(i: number): Promise<RunOutcome> {
    this.#launched.add(i);
    const scenario = this.#options.planned[i] as Scenario;
    const outcome = this.#gate.run(
      this.#options.alone(scenario),
      () => this.#runOne(scenario),
      () => this.#closed || i > this.#failedAt,
    );
    this.#started.set(i, outcome);
    outcome.then(
      (o) => {
        if (o.verdict.valid === false) {
          this.#stopAhead = true; // fast-check shrinks next
          this.#failed(i);
        }
      },
      (error: unknown) => {
        // a run lost to an error is topped up by the next planned one
        if (!(error instanceof DroppedRun)) this.#errors += 1;
      },
    );
    return outcome;
  }

  /** Queues every planned run still wanted (the gate runs `concurrency` of them at once). */
  #launchAhead(index: number): void {
    const { planned, wanted, aheadFrom = 0 } = this.#options;
    const until = Math.min(planned.length, wanted + this.#errors);
    for (let i = Math.max(index + 1, aheadFrom); i < until && !this.#stopAhead; i++)
      if (!this.#launched.has(i)) this.#launch(i);
  }
}
