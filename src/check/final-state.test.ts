import { describe, expect, it } from 'vitest';
import type { JsonValue } from '../model/message.ts';
import { compareFinalState, DIFF_LIMIT } from './final-state.ts';

describe('compareFinalState', () => {
  it('treats structurally equal values as equal, whatever the key order', () => {
    const actual: JsonValue = { b: [1, { y: null, x: 'a' }], a: true };
    const reference: JsonValue = { a: true, b: [1, { x: 'a', y: null }] };
    expect(compareFinalState(actual, reference)).toEqual({ equal: true, diff: [] });
    expect(compareFinalState(null, null).equal).toBe(true);
    expect(compareFinalState(3, 3).equal).toBe(true);
  });

  it('names each differing path with the expected and actual values', () => {
    const actual: JsonValue = { counters: { k1: 1, k3: 3 }, rows: ['a'], x: 1, name: 'z' };
    const reference: JsonValue = { counters: { k1: 1, k3: 2 }, rows: ['a', 'b'], name: 'y' };
    expect(compareFinalState(actual, reference)).toEqual({
      equal: false,
      diff: [
        '$.counters.k3: expected 2, got 3',
        '$.name: expected "y", got "z"',
        '$.rows[1]: missing (expected "b")',
        '$.x: unexpected (got 1)',
      ],
    });
  });

  it('compares arrays in order', () => {
    const { diff } = compareFinalState([2, 1, 3], [1, 2]);
    expect(diff).toEqual(['$[0]: expected 1, got 2', '$[1]: expected 2, got 1', '$[2]: unexpected (got 3)']);
  });

  it('reports a change of kind at the path where it happens', () => {
    expect(compareFinalState({ a: [1] }, { a: { '0': 1 } }).diff).toEqual(['$.a: expected {"0":1}, got [1]']);
    expect(compareFinalState(null, 0).diff).toEqual(['$: expected 0, got null']);
  });

  it('quotes keys that are not identifiers', () => {
    const { diff } = compareFinalState({ 'user:1': { 'a b': 1 } }, { 'user:1': { 'a b': 2 } });
    expect(diff).toEqual(['$["user:1"]["a b"]: expected 2, got 1']);
  });

  it('shortens long values', () => {
    const { diff } = compareFinalState({ s: 'x'.repeat(500) }, { s: 'y' });
    expect(diff[0]?.length).toBeLessThan(100);
    expect(diff[0]).toMatch(/^\$\.s: expected "y", got "x+…$/);
  });

  it(`lists at most ${DIFF_LIMIT} differences, then how many more`, () => {
    const actual = Array.from({ length: 120 }, (_, i) => i + 1);
    const reference = Array.from({ length: 120 }, (_, i) => i);
    const { equal, diff } = compareFinalState(actual, reference);
    expect(equal).toBe(false);
    expect(diff).toHaveLength(DIFF_LIMIT + 1);
    expect(diff[0]).toBe('$[0]: expected 0, got 1');
    expect(diff.at(-1)).toBe('… and 70 more');
  });

  it('treats object properties holding undefined as absent, as JSON does', () => {
    const actual = JSON.parse('{"a":1}');
    expect(compareFinalState(actual, { a: 1, b: undefined } as unknown as JsonValue).equal).toBe(true);
  });

  it('throws a TypeError on values that are not JSON', () => {
    const withMap = { m: new Map() } as unknown as JsonValue;
    expect(() => compareFinalState(withMap, {})).toThrow(
      /final state at actual \$\.m is not a JSON value: a Map/,
    );
    expect(() => compareFinalState({}, [Number.NaN])).toThrow(TypeError);
    const cyclic: { self?: unknown } = {};
    cyclic.self = cyclic;
    expect(() => compareFinalState({}, cyclic as JsonValue)).toThrow(/reference \$\.self is cyclic/);
  });
});
