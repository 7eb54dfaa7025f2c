import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cellKey, cellOf, faultCells } from '../model/coverage.ts';
import type { FaultKind } from '../model/fault.ts';
import type { Scenario } from '../model/scenario.ts';
import { coverageSweepArbitrary, sweepOrder } from './coverage-sweep.ts';

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
    const values = drawn(coverageSweepArbitrary(options, { seed: 3, sweepRuns: 7 }), 12, 3);
    const sweep = values.slice(0, 7);
    expect(sweep.map((s) => s.faults.length)).toEqual(Array(7).fill(1));
    expect(sweep.map((s) => cellKey(cellOf(s.faults[0]!)))).toEqual(sweepOrder(cells, 3).map(cellKey));
    for (const s of sweep)
      if (s.faults[0]?.trigger.type === 'phase') expect(s.faults[0].trigger.attempt).toBe(1);
  });

  it('skips cells already covered (asked at each draw) and stops after sweepRuns draws', () => {
    const values = drawn(
      coverageSweepArbitrary(options, { seed: 3, sweepRuns: 2, uncovered: () => ['broker-pause@progress'] }),
      1,
      3,
    );
    expect(values[0]?.faults.map((f) => cellKey(cellOf(f)))).toEqual(['broker-pause@progress']);
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
