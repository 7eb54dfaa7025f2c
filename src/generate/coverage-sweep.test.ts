import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellKey, cellOf, faultCells } from '../model/coverage.ts';
import type { FaultKind } from '../model/fault.ts';
import type { Scenario } from '../model/scenario.ts';
import {
  cellScenarioArbitrary,
  coverageSweepArbitrary,
  sweepOrder,
  ZOMBIE_HOLD_MS,
} from './coverage-sweep.ts';

const kinds: FaultKind[] = ['consumer-kill', 'processor-throw', 'broker-pause'];
const options = {
  broker: 'kafka',
  semantics: 'at-least-once',
  faultKinds: kinds,
  maxFaults: 2,
  maxMessages: 10,
} as const;

/** The values fc.check draws, in order, for `runs` runs of a property that always holds. */
function drawn(arb: fc.Arbitrary<Scenario>, runs: number, seed: number): Scenario[] {
  const seen: Scenario[] = [];
  fc.assert(
    fc.property(arb, (s) => {
      seen.push(s);
    }),
    { numRuns: runs, seed },
  );
  return seen;
}

describe('coverage sweep', () => {
  it('orders the cells by the seed: a permutation, the same for the same seed', () => {
    const cells = faultCells(kinds);
    const a = sweepOrder(cells, 7);
    expect(sweepOrder(cells, 7)).toEqual(a);
    expect([...a].map(cellKey).sort()).toEqual(cells.map(cellKey).sort());
    expect(sweepOrder(cells, 8).map(cellKey)).not.toEqual(a.map(cellKey));
  });

  it('the first draws carry one fault each, one cell after another in the seed order; the rest are random', () => {
    const cells = faultCells(kinds); // 4 + 2 + 1 = 7
    const values = drawn(coverageSweepArbitrary(options, { seed: 3, sweepRuns: 8 }), 12, 3);
    // After the two shapes of a Kafka scenario with consumer-kill; the second claimed its cell.
    const sweep = values.slice(2, 8);
    expect(sweep.map((s) => s.faults.length)).toEqual(Array(6).fill(1));
    expect(sweep.map((s) => cellKey(cellOf(s.faults[0]!)))).toEqual(
      sweepOrder(cells, 3)
        .map(cellKey)
        .filter((k) => k !== 'consumer-kill@during-process'),
    );
    for (const s of sweep)
      if (s.faults[0]?.trigger.type === 'phase') expect(s.faults[0].trigger.attempt).toBe(1);
  });

  it('skips cells already covered (asked at each draw) and stops after sweepRuns draws', () => {
    const values = drawn(
      coverageSweepArbitrary(options, { seed: 3, sweepRuns: 3, uncovered: () => ['broker-pause@progress'] }),
      3,
      3,
    );
    // after the two Kafka shapes
    expect(values[2]?.faults.map((f) => cellKey(cellOf(f)))).toEqual(['broker-pause@progress']);
  });

  it('draws the bug-class shapes first: a producer duplicate on two consumers; on RabbitMQ a late redelivery', () => {
    const [dup] = drawn(coverageSweepArbitrary(options, { seed: 1, sweepRuns: 8 }), 1, 1);
    expect(dup?.consumers).toBeGreaterThanOrEqual(2);
    expect(dup?.producerDuplicates).toEqual([dup?.messages[0]?.id]);
    expect(dup?.faults).toEqual([]);
    const rabbit = { ...options, broker: 'rabbitmq' } as const;
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const [both] = drawn(coverageSweepArbitrary(rabbit, { seed, sweepRuns: 8 }), 1, seed);
      // both copies in flight even if one consumer takes both
      expect(both?.rabbitmq?.prefetch).toBeGreaterThanOrEqual(2);
    }
    const [pinned] = drawn(
      coverageSweepArbitrary({ ...rabbit, rabbitmq: { prefetch: 1 } }, { seed: 1, sweepRuns: 8 }),
      1,
      1,
    );
    expect(pinned?.rabbitmq?.prefetch).toBe(1);
    const [, late] = drawn(coverageSweepArbitrary(rabbit, { seed: 1, sweepRuns: 8 }), 2, 1);
    expect(late?.faults).toEqual([
      expect.objectContaining({
        kind: 'consumer-kill',
        trigger: { type: 'phase', messageId: late?.messages[0]?.id, phase: 'during-process', attempt: 1 },
      }),
    ]);
    expect(late?.rabbitmq?.prefetch).toBeGreaterThanOrEqual(late?.messages.length ?? 0);
    expect(late?.consumers).toBe(1);
    // The shape claimed its cell: the sweep does not draw it again.
    const rest = drawn(coverageSweepArbitrary(rabbit, { seed: 1, sweepRuns: 8 }), 8, 1).slice(2);
    expect(rest.map((s) => cellKey(cellOf(s.faults[0]!))).sort()).toEqual(
      faultCells(kinds)
        .map(cellKey)
        .filter((k) => k !== 'consumer-kill@during-process')
        .sort(),
    );
  });

  it('on Kafka with consumer-kill, a shape kills the consumer in the middle of the first message', () => {
    const [, kill] = drawn(coverageSweepArbitrary(options, { seed: 1, sweepRuns: 8 }), 2, 1);
    expect(kill?.faults).toEqual([
      {
        kind: 'consumer-kill',
        trigger: { type: 'phase', messageId: kill?.messages[0]?.id, phase: 'during-process', attempt: 1 },
        params: {},
      },
    ]);
  });

  it('on Kafka with consumer-stall, the zombie shape: the first message stalls mid-processing past the session timeout, with a second consumer', () => {
    const stall = { ...options, faultKinds: ['consumer-stall'] as FaultKind[] };
    for (const seed of [1, 2, 3, 4, 5]) {
      const [, zombie, next] = drawn(coverageSweepArbitrary(stall, { seed, sweepRuns: 8 }), 3, seed);
      expect(zombie?.consumers).toBeGreaterThanOrEqual(2);
      expect(zombie?.faults).toEqual([
        {
          kind: 'consumer-stall',
          trigger: { type: 'phase', messageId: zombie?.messages[0]?.id, phase: 'during-process', attempt: 1 },
          params: { holdMs: ZOMBIE_HOLD_MS },
        },
      ]);
      // a newer message of the first one's key, for the stale attempt to finish after
      const [first, ...rest] = zombie?.messages ?? [];
      expect(rest.some((m) => m.key === first?.key)).toBe(true);
      // the sweep's cells come after it (the shape's cell is swept again only if it did not fire)
      expect(next?.faults).toHaveLength(1);
    }
    // not on RabbitMQ (no session to time out: its stall cell takes the deliveries back), nor with one consumer
    const rabbit = { ...stall, broker: 'rabbitmq' } as const;
    const [, second] = drawn(coverageSweepArbitrary(rabbit, { seed: 1, sweepRuns: 8 }), 2, 1);
    expect(second?.faults[0]?.trigger).not.toEqual(
      expect.objectContaining({ phase: 'during-process', messageId: second?.messages[0]?.id }),
    );
    const [first] = drawn(
      coverageSweepArbitrary({ ...stall, maxConsumers: 1 }, { seed: 1, sweepRuns: 8 }),
      1,
      1,
    );
    expect(first?.faults).toHaveLength(1);
    expect(first?.consumers).toBe(1);
  });

  it('a consumer-stall cell has a second consumer to take over while the stalled one holds (the zombie)', () => {
    const values = drawn(
      cellScenarioArbitrary(options, { kind: 'consumer-stall', trigger: 'during-process' }),
      20,
      2,
    );
    for (const s of values) {
      expect(s.consumers).toBeGreaterThanOrEqual(2);
      // on Kafka it outlasts the session timeout and the takeover
      expect(s.faults[0]?.params.holdMs).toBe(ZOMBIE_HOLD_MS);
    }
  });

  it('a failing sweep draw is shrunk by the arbitrary that drew it', () => {
    const details = fc.check(
      fc.property(coverageSweepArbitrary(options, { seed: 5, sweepRuns: 7 }), (s) => s.faults.length === 0),
      { numRuns: 5, seed: 5 },
    );
    expect(details.failed).toBe(true);
    const [shrunk] = details.counterexample ?? [];
    expect(shrunk?.faults).toHaveLength(1);
    expect(shrunk?.messages).toHaveLength(1);
  });
});
