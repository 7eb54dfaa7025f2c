import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { messageProblems } from './__fixtures__/well-formed.ts';
import { messagesArbitrary } from './messages.ts';

const SEED = 20240611;

describe('messagesArbitrary', () => {
  it('numbers ids m1..mN by position and draws keys from the key space', () => {
    fc.assert(
      fc.property(messagesArbitrary({ keySpace: 3 }), (messages) => {
        expect(messageProblems(messages, 3)).toEqual([]);
        expect(messages.length).toBeLessThanOrEqual(50);
        for (const m of messages) expect(m.payload).toEqual({ n: expect.any(Number) });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('makes keys collide and stays within the length bounds', () => {
    const samples = fc.sample(messagesArbitrary({ minMessages: 5, maxMessages: 8, keySpace: 2 }), {
      seed: SEED,
      numRuns: 100,
    });
    for (const messages of samples) {
      expect(messages.length).toBeGreaterThanOrEqual(5);
      expect(messages.length).toBeLessThanOrEqual(8);
      // Five or more messages over two keys: some key is shared.
      expect(new Set(messages.map((m) => m.key)).size).toBeLessThan(messages.length);
    }
  });

  it('keeps default payloads in 1..1000 (never 0) and uses a custom payload arbitrary', () => {
    const defaults = fc.sample(messagesArbitrary({ minMessages: 1 }), { seed: SEED, numRuns: 200 }).flat();
    for (const m of defaults) {
      const n = (m.payload as { n: number }).n;
      expect(Number.isInteger(n) && n >= 1 && n <= 1000).toBe(true);
    }
    const custom = fc.sample(messagesArbitrary({ minMessages: 1, payload: fc.constant('x') }), {
      seed: SEED,
      numRuns: 20,
    });
    expect(custom.flat().every((m) => m.payload === 'x')).toBe(true);
  });

  it('draws no messages when maxMessages is 0', () => {
    expect(fc.sample(messagesArbitrary({ maxMessages: 0 }), { seed: SEED, numRuns: 10 })).toEqual(
      Array.from({ length: 10 }, () => []),
    );
  });

  it('shrinks toward fewer messages, key k1 and the smallest payload', () => {
    const out = fc.check(
      fc.property(messagesArbitrary(), (messages) => messages.length < 3),
      { seed: SEED },
    );
    expect(out.failed).toBe(true);
    expect(out.counterexample?.[0]).toEqual([
      { id: 'm1', key: 'k1', payload: { n: 1 } },
      { id: 'm2', key: 'k1', payload: { n: 1 } },
      { id: 'm3', key: 'k1', payload: { n: 1 } },
    ]);
  });

  it('is deterministic for a seed', () => {
    const arb = messagesArbitrary();
    expect(fc.sample(arb, { seed: 42, numRuns: 5 })).toEqual(fc.sample(arb, { seed: 42, numRuns: 5 }));
  });

  it('rejects invalid options eagerly, naming the entry point', () => {
    expect(() => messagesArbitrary({ maxMessages: -1 })).toThrow(RangeError);
    expect(() => messagesArbitrary({ maxMessages: -1 })).toThrow(/^messagesArbitrary: maxMessages/);
    expect(() => messagesArbitrary({ maxMessages: 1.5 })).toThrow(/messagesArbitrary: maxMessages/);
    expect(() => messagesArbitrary({ minMessages: 6, maxMessages: 5 })).toThrow(
      /messagesArbitrary: minMessages must be an integer in \[0, 5\], got 6/,
    );
    expect(() => messagesArbitrary({ keySpace: 0 })).toThrow(/messagesArbitrary: keySpace/);
    expect(() => messagesArbitrary({ payload: 42 as unknown as fc.Arbitrary<number> })).toThrow(
      /messagesArbitrary: payload must be a fast-check arbitrary/,
    );
  });
});
