import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { markDelivered, Redeliveries } from './redeliveries.ts';

describe('Redeliveries', () => {
  it('answers as a set of partition:offset positions would, for any order of deliveries', () => {
    // Single offsets and stretches read in order (as after a seek back), over few partitions.
    const stretch = fc
      .tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 6 }))
      .map(([partition, from, length]) =>
        Array.from({ length }, (_, i) => [partition, from + i] as [number, number]),
      );
    fc.assert(
      fc.property(fc.array(stretch, { minLength: 1, maxLength: 60, size: 'max' }), (stretches) => {
        const positions = stretches.flat();
        const ranges = new Redeliveries();
        const set = new Set<string>();
        for (const [partition, offset] of positions) {
          const expected = set.has(`${partition}:${offset}`);
          set.add(`${partition}:${offset}`);
          expect(ranges.mark(partition, String(offset))).toBe(expected);
        }
      }),
    );
  });

  it('marks a re-read after a seek back, and not the new offsets read past it', () => {
    const seen = new Redeliveries();
    const read = (from: number, to: number) =>
      Array.from({ length: to - from + 1 }, (_, i) => seen.mark(0, BigInt(from + i)));
    expect(read(0, 9).some(Boolean)).toBe(false);
    expect(read(5, 9).every(Boolean)).toBe(true); // rebalanced: read again from the committed 5
    expect(read(10, 12).some(Boolean)).toBe(false);
    expect(seen.mark(1, '5')).toBe(false); // another partition
  });

  it('tells offsets apart past 2^53, where a number is inexact', () => {
    const seen = new Redeliveries();
    expect(seen.mark(0, '9007199254740993')).toBe(false);
    expect(seen.mark(0, '9007199254740992')).toBe(false);
    expect(seen.mark(0, '9007199254740993')).toBe(true);
  });

  it('markDelivered still takes a Set of partition:offset strings', () => {
    const seen = new Set<string>();
    expect(markDelivered(seen, 0, '7')).toBe(false);
    expect(markDelivered(seen, 0, 7n)).toBe(true);
    expect(seen.has('0:7')).toBe(true);
  });
});
