import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CONSUMER_FAULTS, type Fault, type FaultKind } from '../model/fault.ts';
import type { Message } from '../model/message.ts';
import { faultProblems } from './__fixtures__/well-formed.ts';
import { faultsArbitrary } from './faults.ts';
import { messagesArbitrary } from './messages.ts';

const SEED = 20240611;

const withMessages = (
  options: Parameters<typeof faultsArbitrary>[1],
): fc.Arbitrary<{ messages: Message[]; faults: Fault[] }> =>
  messagesArbitrary({ maxMessages: 12 }).chain((messages) =>
    faultsArbitrary(messages, options).map((faults) => ({ messages, faults })),
  );

const messages = (n: number): Message[] =>
  Array.from({ length: n }, (_, i) => ({ id: `m${i + 1}`, key: 'k1', payload: null }));

describe('faultsArbitrary', () => {
  it('draws well-formed faults for any message list', () => {
    for (const broker of ['kafka', 'rabbitmq'] as const) {
      fc.assert(
        fc.property(withMessages({ broker }), ({ messages, faults }) => {
          expect(faults.length).toBeLessThanOrEqual(3);
          expect(faultProblems(faults, messages)).toEqual([]);
        }),
        { seed: SEED, numRuns: 500 },
      );
    }
  });

  it('draws every kind, from the requested kinds only', () => {
    const all = fc
      .sample(faultsArbitrary(messages(5), { broker: 'kafka' }), { seed: SEED, numRuns: 2000 })
      .flat();
    // consumer-stall is rare but not absent over 2000 schedules.
    expect(new Set(all.map((f) => f.kind)).size).toBe(12);

    const kinds: FaultKind[] = ['processor-throw', 'network-latency'];
    const some = fc.sample(faultsArbitrary(messages(5), { broker: 'kafka', kinds, maxFaults: 5 }), {
      seed: SEED,
      numRuns: 300,
    });
    expect(some.every((faults) => faults.length <= 5)).toBe(true);
    expect(new Set(some.flat().map((f) => f.kind))).toEqual(new Set(kinds));
  });

  it('keeps processor-throw inside processing', () => {
    const throws = fc
      .sample(faultsArbitrary(messages(3), { broker: 'rabbitmq', kinds: ['processor-throw'] }), {
        seed: SEED,
        numRuns: 300,
      })
      .flat();
    const phases = new Set(throws.map((f) => (f.trigger.type === 'phase' ? f.trigger.phase : 'progress')));
    expect(phases).toEqual(new Set(['before-process', 'during-process']));
  });

  it('fires on attempt 1 mostly and on attempt 2 sometimes', () => {
    const attempts = fc
      .sample(faultsArbitrary(messages(3), { broker: 'kafka', kinds: ['consumer-kill'] }), {
        seed: SEED,
        numRuns: 1000,
      })
      .flat()
      .map((f) => (f.trigger.type === 'phase' ? f.trigger.attempt : 0));
    const firsts = attempts.filter((a) => a === 1).length;
    const seconds = attempts.filter((a) => a === 2).length;
    expect(firsts + seconds).toBe(attempts.length);
    expect(seconds).toBeGreaterThan(0);
    expect(firsts).toBeGreaterThan(2 * seconds);
  });

  it('draws consumer-stall rarely, more rarely on RabbitMQ than on Kafka', () => {
    const share = (broker: 'kafka' | 'rabbitmq') => {
      const all = fc.sample(faultsArbitrary(messages(5), { broker }), { seed: SEED, numRuns: 3000 }).flat();
      return all.filter((f) => f.kind === 'consumer-stall').length / all.length;
    };
    const kafka = share('kafka');
    const rabbitmq = share('rabbitmq');
    // Every other kind has about 1/12 of the draws.
    expect(kafka).toBeLessThan(1 / 24);
    expect(rabbitmq).toBeGreaterThan(0);
    expect(rabbitmq).toBeLessThan(kafka);
  });

  it('draws only progress faults at acks 0 when there are no messages', () => {
    const all = fc.sample(faultsArbitrary([], { broker: 'kafka' }), { seed: SEED, numRuns: 300 }).flat();
    expect(all.length).toBeGreaterThan(0);
    for (const f of all) {
      expect(CONSUMER_FAULTS).not.toContain(f.kind);
      expect(f.trigger).toEqual({ type: 'progress', acks: 0 });
    }
    const consumerOnly = faultsArbitrary([], { broker: 'kafka', kinds: ['consumer-kill', 'consumer-stall'] });
    expect(fc.sample(consumerOnly, { seed: SEED, numRuns: 20 }).flat()).toEqual([]);
  });

  it('draws nothing for no kinds or maxFaults 0', () => {
    expect(fc.sample(faultsArbitrary(messages(3), { broker: 'kafka', kinds: [] }), 20).flat()).toEqual([]);
    expect(fc.sample(faultsArbitrary(messages(3), { broker: 'kafka', maxFaults: 0 }), 20).flat()).toEqual([]);
  });

  it('shrinks toward one fault with the earliest trigger and the smallest params', () => {
    const run = (kinds: FaultKind[]) =>
      fc.check(
        fc.property(
          faultsArbitrary(messages(6), { broker: 'kafka', kinds }),
          (faults) => faults.length === 0,
        ),
        { seed: SEED },
      );
    const latency = run(['network-latency']);
    expect(latency.failed).toBe(true);
    expect(latency.counterexample?.[0]).toEqual([
      {
        trigger: { type: 'progress', acks: 0 },
        kind: 'network-latency',
        params: { holdMs: 500, latencyMs: 50 },
      },
    ]);
    const stall = run(['consumer-stall']);
    expect(stall.counterexample?.[0]).toEqual([
      {
        trigger: { type: 'phase', messageId: 'm1', phase: 'before-process', attempt: 1 },
        kind: 'consumer-stall',
        params: { holdMs: 500 },
      },
    ]);
  });

  it('is deterministic for a seed', () => {
    const arb = faultsArbitrary(messages(4), { broker: 'rabbitmq' });
    expect(fc.sample(arb, { seed: 42, numRuns: 5 })).toEqual(fc.sample(arb, { seed: 42, numRuns: 5 }));
  });

  it('rejects invalid options eagerly, naming the entry point', () => {
    expect(() => faultsArbitrary([], { broker: 'kafka', maxFaults: -1 })).toThrow(RangeError);
    expect(() => faultsArbitrary([], { broker: 'kafka', maxFaults: -1 })).toThrow(
      /^faultsArbitrary: maxFaults/,
    );
    expect(() => faultsArbitrary([], { broker: 'redis' as 'kafka' })).toThrow(
      /faultsArbitrary: broker must be "kafka" or "rabbitmq", got "redis"/,
    );
    expect(() => faultsArbitrary([], { broker: 'kafka', kinds: ['disk-full' as FaultKind] })).toThrow(
      /faultsArbitrary: unknown fault kind "disk-full" in kinds/,
    );
    expect(() => faultsArbitrary(undefined as unknown as Message[], { broker: 'kafka' })).toThrow(
      /faultsArbitrary: messages must be an array/,
    );
  });
});
