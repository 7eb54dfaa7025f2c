import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Scenario } from '../model/scenario.ts';
import { scenarioProblems } from './__fixtures__/well-formed.ts';
import { scenarioArbitrary } from './scenario.ts';

const SEED = 20240611;

const hasKillAndTwoMessages = (s: Scenario) =>
  s.faults.some((f) => f.kind === 'consumer-kill') && s.messages.length >= 2;

describe('scenarioArbitrary', () => {
  it('draws well-formed scenarios for both brokers and semantics', () => {
    for (const broker of ['kafka', 'rabbitmq'] as const) {
      for (const semantics of ['at-least-once', 'at-most-once'] as const) {
        fc.assert(
          fc.property(scenarioArbitrary({ broker, semantics, keySpace: 3 }), (s) => {
            expect(s.broker).toBe(broker);
            expect(s.semantics).toBe(semantics);
            expect(s.faults.length).toBeLessThanOrEqual(3);
            expect(scenarioProblems(s, 3, 3)).toEqual([]);
          }),
          { seed: SEED, numRuns: 300 },
        );
      }
    }
  });

  it("carries at least one message in every run, also under fast-check's small-size bias", () => {
    for (const broker of ['kafka', 'rabbitmq'] as const) {
      // fc.assert passes run ids, so the early runs draw from the biased (small) length range too.
      fc.assert(
        fc.property(scenarioArbitrary({ broker, semantics: 'at-least-once', maxMessages: 20 }), (s) => {
          expect(s.messages.length).toBeGreaterThanOrEqual(1);
        }),
        { seed: SEED, numRuns: 500 },
      );
    }
    const explicit = fc.sample(
      scenarioArbitrary({ broker: 'kafka', semantics: 'at-least-once', minMessages: 0, maxMessages: 3 }),
      { seed: SEED, numRuns: 200 },
    );
    expect(explicit.some((s) => s.messages.length === 0)).toBe(true);
  });

  it('is plain JSON that round-trips, with no undefined members', () => {
    for (const s of fc.sample(scenarioArbitrary({ broker: 'rabbitmq', semantics: 'at-least-once' }), {
      seed: SEED,
      numRuns: 100,
    })) {
      expect(JSON.parse(JSON.stringify(s))).toStrictEqual(s);
    }
  });

  it('covers the ranges of its settings', () => {
    const kafka = fc.sample(scenarioArbitrary({ broker: 'kafka', semantics: 'at-least-once' }), {
      seed: SEED,
      numRuns: 500,
    });
    expect(new Set(kafka.map((s) => s.kafka?.partitions))).toEqual(new Set([1, 2, 3, 4]));
    expect(new Set(kafka.map((s) => s.consumers))).toEqual(new Set([1, 2, 3]));
    // Producer duplicates are usual-empty but do occur.
    const withDuplicates = kafka.filter((s) => s.producerDuplicates.length > 0).length;
    expect(withDuplicates).toBeGreaterThan(0);
    expect(withDuplicates).toBeLessThan(kafka.length / 2);
    // Faults point at messages of all positions, not only the first ones.
    const targets = new Set(
      kafka.flatMap((s) =>
        s.faults.flatMap((f) => (f.trigger.type === 'phase' ? [f.trigger.messageId] : [])),
      ),
    );
    expect(targets.size).toBeGreaterThan(5);

    const rabbitmq = fc.sample(scenarioArbitrary({ broker: 'rabbitmq', semantics: 'at-most-once' }), {
      seed: SEED,
      numRuns: 500,
    });
    expect(new Set(rabbitmq.map((s) => s.rabbitmq?.prefetch))).toEqual(
      new Set([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]),
    );
    expect(new Set(rabbitmq.map((s) => s.rabbitmq?.queueType))).toEqual(new Set(['classic', 'quorum']));
  });

  it('honours its options', () => {
    const arb = scenarioArbitrary({
      broker: 'kafka',
      semantics: 'at-least-once',
      minMessages: 2,
      maxMessages: 4,
      keySpace: 1,
      payload: fc.constant('p'),
      faultKinds: ['broker-restart'],
      maxFaults: 1,
      maxConsumers: 1,
      producerDuplicates: false,
    });
    for (const s of fc.sample(arb, { seed: SEED, numRuns: 200 })) {
      expect(s.messages.length).toBeGreaterThanOrEqual(2);
      expect(s.messages.length).toBeLessThanOrEqual(4);
      expect(s.messages.every((m) => m.key === 'k1' && m.payload === 'p')).toBe(true);
      expect(s.faults.length).toBeLessThanOrEqual(1);
      expect(s.faults.every((f) => f.kind === 'broker-restart')).toBe(true);
      expect(s.consumers).toBe(1);
      expect(s.producerDuplicates).toEqual([]);
    }
  });

  it('shrinks a failure to 2 messages, 1 fault, 1 consumer and no producer duplicates', () => {
    const out = fc.check(
      fc.property(
        scenarioArbitrary({ broker: 'kafka', semantics: 'at-least-once' }),
        (s) => !hasKillAndTwoMessages(s),
      ),
      { seed: SEED },
    );
    expect(out.failed).toBe(true);
    expect(out.counterexample?.[0]).toEqual({
      broker: 'kafka',
      semantics: 'at-least-once',
      messages: [
        { id: 'm1', key: 'k1', payload: { n: 1 } },
        { id: 'm2', key: 'k1', payload: { n: 1 } },
      ],
      producerDuplicates: [],
      consumers: 1,
      kafka: { partitions: 1 },
      faults: [
        {
          trigger: { type: 'phase', messageId: 'm1', phase: 'before-process', attempt: 1 },
          kind: 'consumer-kill',
          params: {},
        },
      ],
    });
  });

  it('shrinks RabbitMQ settings to prefetch 1 on a classic queue', () => {
    const out = fc.check(
      fc.property(
        scenarioArbitrary({ broker: 'rabbitmq', semantics: 'at-most-once' }),
        (s) => !hasKillAndTwoMessages(s),
      ),
      { seed: SEED },
    );
    expect(out.failed).toBe(true);
    const s = out.counterexample?.[0];
    expect(s?.rabbitmq).toEqual({ prefetch: 1, queueType: 'classic' });
    expect([s?.messages.length, s?.faults.length, s?.consumers, s?.producerDuplicates]).toEqual([
      2,
      1,
      1,
      [],
    ]);
  });

  it('shrinks a fault on a later message to exactly two messages', () => {
    // Fails only with a phase fault on a message past the first: the smallest case is m1, m2 and a fault on m2.
    const out = fc.check(
      fc.property(scenarioArbitrary({ broker: 'kafka', semantics: 'at-least-once' }), (s) =>
        s.faults.every((f) => f.trigger.type !== 'phase' || f.trigger.messageId === 'm1'),
      ),
      { seed: SEED },
    );
    expect(out.failed).toBe(true);
    const s = out.counterexample?.[0];
    expect(s?.messages.map((m) => m.id)).toEqual(['m1', 'm2']);
    expect(s?.faults).toHaveLength(1);
    expect(s?.faults[0]?.trigger).toMatchObject({ type: 'phase', messageId: 'm2' });
  });

  it('is deterministic for a seed', () => {
    const arb = scenarioArbitrary({ broker: 'kafka', semantics: 'at-least-once' });
    const first = fc.sample(arb, { seed: 42, numRuns: 5 });
    expect(fc.sample(arb, { seed: 42, numRuns: 5 })).toEqual(first);
    expect(fc.sample(arb, { seed: 43, numRuns: 5 })).not.toEqual(first);
  });

  it('rejects invalid options eagerly, naming the entry point', () => {
    const ok = { broker: 'kafka', semantics: 'at-least-once' } as const;
    expect(() => scenarioArbitrary({ ...ok, maxMessages: -1 })).toThrow(RangeError);
    expect(() => scenarioArbitrary({ ...ok, maxMessages: -1 })).toThrow(/^scenarioArbitrary: maxMessages/);
    expect(() => scenarioArbitrary({ ...ok, maxConsumers: 0 })).toThrow(/scenarioArbitrary: maxConsumers/);
    expect(() => scenarioArbitrary({ ...ok, maxFaults: Number.NaN })).toThrow(/scenarioArbitrary: maxFaults/);
    expect(() => scenarioArbitrary({ ...ok, keySpace: 0 })).toThrow(/scenarioArbitrary: keySpace/);
    expect(() => scenarioArbitrary({ ...ok, semantics: 'exactly-once' as 'at-most-once' })).toThrow(
      /scenarioArbitrary: semantics/,
    );
    expect(() => scenarioArbitrary({ ...ok, broker: 'nats' as 'kafka' })).toThrow(
      /scenarioArbitrary: broker/,
    );
    expect(() => scenarioArbitrary({ ...ok, faultKinds: ['oops' as 'broker-kill'] })).toThrow(
      /scenarioArbitrary: unknown fault kind "oops" in faultKinds/,
    );
    expect(() => scenarioArbitrary({ ...ok, producerDuplicates: 'yes' as unknown as boolean })).toThrow(
      /scenarioArbitrary: producerDuplicates must be a boolean/,
    );
  });

  it('pins Kafka partitions and RabbitMQ queue type and prefetch when asked', () => {
    const kafka = fc.sample(
      scenarioArbitrary({ broker: 'kafka', semantics: 'at-least-once', kafka: { partitions: 3 } }),
      { seed: SEED, numRuns: 50 },
    );
    expect(new Set(kafka.map((s) => s.kafka?.partitions))).toEqual(new Set([3]));
    const rabbit = fc.sample(
      scenarioArbitrary({
        broker: 'rabbitmq',
        semantics: 'at-least-once',
        rabbitmq: { queueType: 'quorum', prefetch: 10 },
      }),
      { seed: SEED, numRuns: 50 },
    );
    expect(new Set(rabbit.map((s) => `${s.rabbitmq?.queueType}/${s.rabbitmq?.prefetch}`))).toEqual(
      new Set(['quorum/10']),
    );
    // Pinning one setting leaves the other drawn.
    const types = fc.sample(
      scenarioArbitrary({ broker: 'rabbitmq', semantics: 'at-least-once', rabbitmq: { prefetch: 1 } }),
      { seed: SEED, numRuns: 50 },
    );
    expect(new Set(types.map((s) => s.rabbitmq?.queueType))).toEqual(new Set(['classic', 'quorum']));
    const ok = { broker: 'rabbitmq', semantics: 'at-least-once' } as const;
    expect(() => scenarioArbitrary({ ...ok, rabbitmq: { prefetch: 0 } })).toThrow(/rabbitmq.prefetch/);
    expect(() => scenarioArbitrary({ ...ok, kafka: { partitions: 1.5 } })).toThrow(/kafka.partitions/);
    expect(() => scenarioArbitrary({ ...ok, rabbitmq: { queueType: 'stream' as 'quorum' } })).toThrow(
      /rabbitmq.queueType/,
    );
  });

  it('draws at least minFaults faults', () => {
    const arb = scenarioArbitrary({
      broker: 'rabbitmq',
      semantics: 'at-least-once',
      minMessages: 1,
      faultKinds: ['consumer-kill'],
      maxFaults: 1,
      minFaults: 1,
    });
    for (const s of fc.sample(arb, { seed: SEED, numRuns: 100 })) expect(s.faults).toHaveLength(1);
    expect(() =>
      scenarioArbitrary({ broker: 'kafka', semantics: 'at-least-once', maxFaults: 1, minFaults: 2 }),
    ).toThrow(/scenarioArbitrary: minFaults/);
  });
});
