/**
 * Coverage-guided generation: a deterministic sweep over the fault cells. Random draws of up
 * to two faults from about 28 kind x trigger cells leave many cells unexercised after 20 runs
 * (a bug that needs a SIGKILL during processing hides in one of them), so the first runs of a
 * certification each carry one fault in the next cell of a seed-determined order that no
 * fault has fired in yet (after a few shapes the known bug classes need, see
 * shapeArbitraries); the rest are drawn at random as before.
 *
 * Why a stateful arbitrary: fast-check hands an arbitrary no run index, and `examples` are not
 * shrunk by a mapped arbitrary; so this one counts its draws and remembers, with each value,
 * the arbitrary that drew it, whose shrinker then shrinks it (fast-check's generic shrink is
 * kept). A cell is claimed when it is drawn (a shape claims the cells of its faults), not
 * when a run fires it: the sweep of a seed then depends on nothing but the seed and the draw
 * count, so a fresh instance plans it ahead and certify starts sweep runs in parallel too
 * (harness/certify/parallel.ts). The replay file stores the scenario itself, and a fast-check
 * `path` redraws it only within the same certification sequence.
 */
import fc from 'fast-check';
import { cellKey, cellOf, type FaultCell, faultCells } from '../model/coverage.ts';
import type { Scenario } from '../model/scenario.ts';
import { type ScenarioOptions, scenarioArbitrary } from './scenario.ts';

export interface SweepOptions {
  /** Seeds the order of the cells. */
  readonly seed: number;
  /** At most this many sweep draws (then random draws). */
  readonly sweepRuns: number;
  /**
   * Keys (`kind@trigger`) of the cells to sweep (default: all); consulted at each draw. A
   * certification leaves it out: a sweep that depends on what earlier runs covered cannot be
   * planned ahead (its own claims already keep it from drawing a cell twice).
   */
  readonly uncovered?: () => readonly string[];
}

/** The cells in a seed-determined order (Fisher-Yates with a small deterministic generator). */
export function sweepOrder(cells: readonly FaultCell[], seed: number): FaultCell[] {
  const order = [...cells];
  let state = seed >>> 0 || 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5;
    state >>>= 0;
    return state / 0x100000000;
  };
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [order[i], order[j]] = [order[j] as FaultCell, order[i] as FaultCell];
  }
  return order;
}

/**
 * How long a Kafka consumer-stall cell holds: the kit broker's session timeout (2 s), then the
 * rebalance and the other consumer's fetch and processing of the message (about 2 s more
 * measured on a loaded machine), with margin: a random `holdMs` (0.5-3 s) mostly ends before
 * another consumer took over, and the "zombie" never meets its successor.
 */
export const ZOMBIE_HOLD_MS = 6_000;

/**
 * Scenarios with exactly one fault, in this cell (a phase fault on the first attempt, so that
 * it fires). A stall gets a second consumer when allowed, and on Kafka holds ZOMBIE_HOLD_MS:
 * the stalled one's partition or deliveries move on to it, and the stalled one then resumes
 * (the kafkajs "zombie", issues #1046/#1097): two deliveries of one message in flight at once.
 */
export function cellScenarioArbitrary(options: ScenarioOptions, cell: FaultCell): fc.Arbitrary<Scenario> {
  const maxConsumers = options.maxConsumers ?? 3;
  const consumers = (n: number) =>
    cell.kind === 'consumer-stall' ? Math.max(n, Math.min(2, maxConsumers)) : n;
  const zombie = cell.kind === 'consumer-stall' && options.broker === 'kafka';
  return scenarioArbitrary({ ...options, faultKinds: [cell.kind], minFaults: 1, maxFaults: 1 }).map((s) => ({
    ...s,
    consumers: consumers(s.consumers),
    faults: s.faults.map((f) => ({
      ...f,
      ...(f.trigger.type === 'phase' && cell.trigger !== 'progress'
        ? { trigger: { ...f.trigger, phase: cell.trigger, attempt: 1 } }
        : {}),
      ...(zombie ? { params: { ...f.params, holdMs: ZOMBIE_HOLD_MS } } : {}),
    })),
  }));
}

/**
 * Shapes the known bug classes need and random draws rarely produce, drawn before the cells
 * (each claims its fault's cell as it is drawn, so the sweep does not draw that cell again):
 * a producer duplicate handed to two consumers at once (no fault; on RabbitMQ a prefetch of at
 * least 2, so that both copies are in flight even when one consumer takes both); on RabbitMQ, a crash in
 * the middle of the first message while the prefetch holds every message, so that its
 * redelivery arrives after the newer ones were processed (several deliveries in flight in one
 * worker); on Kafka, a crash in the middle of the first message (an effect committed before
 * its dedup record, a background commit: with every fault kind the sweep reaches only about
 * half of the 28 cells in 20 runs, and this is the one the missed bug needed), and the
 * zombie (see zombieShape).
 */
export function shapeArbitraries(options: ScenarioOptions): fc.Arbitrary<Scenario>[] {
  const shapes: fc.Arbitrary<Scenario>[] = [];
  const twoConsumers = (options.maxConsumers ?? 3) >= 2;
  if (twoConsumers && options.producerDuplicates !== false)
    shapes.push(
      scenarioArbitrary({ ...options, maxFaults: 0, minFaults: 0 }).map((s) => ({
        ...s,
        consumers: Math.max(2, s.consumers),
        producerDuplicates: s.messages[0] ? [s.messages[0].id] : [],
        // With a prefetch of 1, a consumer that starts first takes both copies one after the other.
        ...(s.rabbitmq && options.rabbitmq?.prefetch === undefined
          ? { rabbitmq: { ...s.rabbitmq, prefetch: Math.max(2, s.rabbitmq.prefetch) } }
          : {}),
      })),
    );
  const kinds = options.faultKinds ?? [];
  if (options.broker === 'kafka' && kinds.includes('consumer-kill'))
    shapes.push(
      firstMessage(cellScenarioArbitrary(options, { kind: 'consumer-kill', trigger: 'during-process' })),
    );
  if (
    options.broker === 'rabbitmq' &&
    kinds.includes('consumer-kill') &&
    options.rabbitmq?.prefetch === undefined
  )
    shapes.push(
      cellScenarioArbitrary(options, { kind: 'consumer-kill', trigger: 'during-process' }).map((s) => {
        const first = s.messages[0];
        const fault = s.faults[0];
        if (!first || !fault || fault.trigger.type !== 'phase') return s;
        return {
          ...s,
          consumers: 1,
          rabbitmq: {
            queueType: s.rabbitmq?.queueType ?? 'classic',
            prefetch: Math.max(2, s.messages.length),
          },
          faults: [{ ...fault, trigger: { ...fault.trigger, messageId: first.id } }],
        };
      }),
    );
  if (options.broker === 'kafka' && kinds.includes('consumer-stall') && twoConsumers)
    shapes.push(zombieShape(options));
  return shapes;
}

/**
 * The Kafka zombie (kafkajs issues #1046/#1097) on purpose rather than by luck of the cell
 * order: the first message's first attempt stalls in the middle of process() (at
 * `ctx.checkpoint()` or the processor's first await) for ZOMBIE_HOLD_MS, past the session
 * timeout. kafkajs heartbeats only between messages, so the group evicts the stalled member
 * and a second consumer takes its partitions over, re-reads the uncommitted first message and
 * processes it and every newer one of the partition; then the zombie resumes and finishes its
 * stale attempt. Two deliveries of one message in flight at once (a check-then-write race
 * writes twice), and a delivery finishing after newer messages were processed: so the shape
 * has at least two messages (where allowed), and a later one has the first one's key (the last
 * takes it when none has), the newer value a stale write overwrites (last-write-wins without a
 * version).
 */
function zombieShape(options: ScenarioOptions): fc.Arbitrary<Scenario> {
  const minMessages = Math.min(Math.max(2, options.minMessages ?? 1), options.maxMessages ?? 50);
  return firstMessage(
    cellScenarioArbitrary({ ...options, minMessages }, { kind: 'consumer-stall', trigger: 'during-process' }),
  ).map(laterOfFirstKey);
}

/** A message after the first with the first one's key: the last one takes it if none has. */
function laterOfFirstKey(s: Scenario): Scenario {
  const [first, ...rest] = s.messages;
  const last = rest.at(-1);
  if (!first || !last || rest.some((m) => m.key === first.key)) return s;
  return { ...s, messages: [first, ...rest.slice(0, -1), { ...last, key: first.key }] };
}

/** The scenarios' one phase fault, moved to the first message. */
function firstMessage(arbitrary: fc.Arbitrary<Scenario>): fc.Arbitrary<Scenario> {
  return arbitrary.map((s) => {
    const first = s.messages[0];
    const fault = s.faults[0];
    if (!first || !fault || fault.trigger.type !== 'phase') return s;
    return { ...s, faults: [{ ...fault, trigger: { ...fault.trigger, messageId: first.id } }] };
  });
}

/** `scenarioArbitrary(options)`, whose first draws sweep the fault cells not yet covered. */
export function coverageSweepArbitrary(
  options: ScenarioOptions,
  sweep: SweepOptions,
): fc.Arbitrary<Scenario> {
  const base = scenarioArbitrary(options);
  const kinds = options.faultKinds ?? [];
  if ((options.maxFaults ?? 3) === 0 || (options.maxMessages ?? 50) === 0) return base;
  const order = sweepOrder(faultCells(kinds), sweep.seed);
  const shapes = shapeArbitraries(options);
  return new SweepArbitrary(base, sweep.sweepRuns, (drawn, swept) => {
    if (drawn >= sweep.sweepRuns) return undefined;
    if (drawn < shapes.length) return shapes[drawn];
    const open = new Set(sweep.uncovered?.() ?? order.map(cellKey));
    const cell = order.find((c) => open.has(cellKey(c)) && !swept.has(cellKey(c)));
    if (!cell) return undefined;
    swept.add(cellKey(cell));
    return cellScenarioArbitrary(options, cell);
  });
}

interface Drawn {
  readonly arbitrary: fc.Arbitrary<Scenario>;
  readonly context: unknown;
}

class SweepArbitrary extends fc.Arbitrary<Scenario> {
  readonly #base: fc.Arbitrary<Scenario>;
  readonly #pick: (drawn: number, swept: Set<string>) => fc.Arbitrary<Scenario> | undefined;
  readonly #sweepRuns: number;
  readonly #swept = new Set<string>();
  #drawn = 0;

  constructor(
    base: fc.Arbitrary<Scenario>,
    sweepRuns: number,
    pick: (drawn: number, swept: Set<string>) => fc.Arbitrary<Scenario> | undefined,
  ) {
    super();
    this.#base = base;
    this.#sweepRuns = sweepRuns;
    this.#pick = pick;
  }

  generate(mrng: fc.Random, biasFactor: number | undefined): fc.Value<Scenario> {
    const arbitrary = this.#pick(this.#drawn, this.#swept) ?? this.#base;
    const value = arbitrary.generate(mrng, biasFactor);
    // Claimed as drawn: a shape's cells too, so the sweep does not draw them again.
    if (this.#drawn < this.#sweepRuns)
      for (const fault of value.value_.faults) this.#swept.add(cellKey(cellOf(fault)));
    this.#drawn += 1;
    return new fc.Value(value.value_, { arbitrary, context: value.context } satisfies Drawn);
  }

  /** Only values it drew itself (with their context) shrink. */
  canShrinkWithoutContext(_value: unknown): _value is Scenario {
    return false;
  }

  shrink(value: Scenario, context: unknown): fc.Stream<fc.Value<Scenario>> {
    if (context === undefined) return fc.Stream.nil();
    const { arbitrary, context: inner } = context as Drawn;
    return arbitrary
      .shrink(value, inner)
      .map((v) => new fc.Value(v.value_, { arbitrary, context: v.context } satisfies Drawn));
  }
}
