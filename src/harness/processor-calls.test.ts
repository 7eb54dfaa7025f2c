import { describe, expect, it } from 'vitest';
import { isAckcheckError } from '../errors.ts';
import type { Processor } from '../model/processor.ts';
import { assertSnapshotJson, processorCall, referenceState, takeSnapshot } from './processor-calls.ts';

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isAckcheckError(error)) return `${error.code}: ${error.message}`;
    throw error;
  }
  throw new Error('expected a rejection');
}

function fake(overrides: Partial<Processor>): Processor {
  const state = new Map<string, number>();
  return {
    async process(message, ctx) {
      state.set(ctx.namespace, (state.get(ctx.namespace) ?? 0) + message.id.length);
    },
    async reset(namespace) {
      state.set(namespace, 0);
    },
    async snapshot(namespace) {
      return { total: state.get(namespace) ?? 0 };
    },
    ...overrides,
  } as Processor;
}

const messages = [
  { id: 'm1', key: 'k1', payload: { n: 1 } },
  { id: 'm2', key: 'k1', payload: { n: 2 } },
];

describe('processor calls', () => {
  it('a throwing reset() is the processor’s error, with its own code', async () => {
    const p = fake({
      reset: () => {
        throw new Error('no such table');
      },
    });
    expect(await codeOf(referenceState(p, messages, 'ns', 1_000))).toMatch(
      /^PROCESSOR_RESET_FAILED: reset\(\) threw: no such table\. reset\(namespace\) must/,
    );
  });

  it('a throwing snapshot() is PROCESSOR_SNAPSHOT_FAILED', async () => {
    const p = fake({ snapshot: async () => Promise.reject(new Error('db is down')) });
    expect(await codeOf(takeSnapshot(p, 'ns', 1_000))).toMatch(
      /^PROCESSOR_SNAPSHOT_FAILED: snapshot\(\) threw: db is down/,
    );
  });

  it('a call that never settles meets its deadline', async () => {
    const hang = () => new Promise<void>(() => undefined);
    expect(await codeOf(processorCall('reset', 'PROCESSOR_RESET_FAILED', hang, 20))).toMatch(
      /^PROCESSOR_RESET_FAILED: reset\(\) did not settle within 20 ms/,
    );
    const p = fake({ process: hang });
    expect(await codeOf(referenceState(p, messages, 'ns', 20))).toMatch(
      /^PROCESSOR_TIMEOUT: process\(\) of m1 in the reference run did not settle within 20 ms/,
    );
  });

  it('a snapshot that is not JSON names the path and what to return instead', () => {
    const cases: [unknown, RegExp][] = [
      [{ n: 10n }, /\$\.n is not a JSON value: bigint 10/],
      [{ f: () => 1 }, /\$\.f is not a JSON value: function/],
      [[1, undefined], /\$\[1\] is not a JSON value: undefined/],
      [undefined, /\$ is not a JSON value: undefined/],
      [new Map(), /\$ is not a JSON value: a Map/],
    ];
    for (const [value, message] of cases) {
      expect(() => assertSnapshotJson(value)).toThrow(message);
      try {
        assertSnapshotJson(value);
      } catch (error) {
        expect(isAckcheckError(error, 'SNAPSHOT_NOT_JSON')).toBe(true);
      }
    }
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => assertSnapshotJson(cyclic)).toThrow(/\$\.self is cyclic/);
    expect(assertSnapshotJson({ a: [1, 'x', null, true] })).toEqual({ a: [1, 'x', null, true] });
  });

  it('a snapshot with a time stamp is named non-deterministic, with the differing paths', async () => {
    let clock = 0;
    const p = fake({ snapshot: async () => [{ key: 'k1', at: ++clock }] });
    expect(await codeOf(takeSnapshot(p, 'ns', 1_000))).toMatch(
      /^SNAPSHOT_NONDETERMINISTIC: snapshot\(\) is not deterministic: two snapshots of the same state differ at \$\[0\]\.at .*leave time stamps, generated ids and ordering noise out/,
    );
  });

  it('a deterministic processor gives its reference state', async () => {
    expect(await referenceState(fake({}), messages, 'ns', 1_000)).toEqual({ total: 4 });
  });
});
