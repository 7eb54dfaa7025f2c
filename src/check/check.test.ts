import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../model/history.ts';
import type { JsonValue } from '../model/message.ts';
import type { Semantics } from '../model/scenario.ts';
import type { Finding } from '../model/verdict.ts';
import { history, messages, scenario } from './__test-helpers__/history-builder.ts';
import { check } from './check.ts';

const ids = messages('m1', 'm2', 'm3');
const atLeastOnce = scenario({ messages: ids, semantics: 'at-least-once' });
const atMostOnce = scenario({ messages: ids, semantics: 'at-most-once' });

function produced() {
  return history().produce('m1').produce('m2').produce('m3');
}

function finding(findings: readonly Finding[], code: Finding['code']): Finding {
  const found = findings.find((f) => f.code === code);
  if (found === undefined)
    throw new Error(`no ${code} finding in ${JSON.stringify(findings.map((f) => f.code))}`);
  return found;
}

function idsOf(events: readonly HistoryEvent[]): string[] {
  return [...new Set(events.flatMap((e) => ('id' in e ? [e.id] : [])))];
}

describe('check', () => {
  it('passes a clean run with no findings', () => {
    const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
    const verdict = check({
      scenario: atLeastOnce,
      history: h.events,
      finalState: { total: 3 },
      referenceState: { total: 3 },
      checkOrder: true,
      liveness: { drained: true, stuckIds: [] },
    });
    expect(verdict).toEqual({
      valid: true,
      findings: [],
      errors: [],
      stats: {
        attempted: 3,
        acknowledged: 3,
        unknown: 0,
        processed: 3,
        lost: 0,
        duplicated: 0,
        unexpected: 0,
        recovered: 0,
      },
    });
  });

  it('passes an empty scenario with an empty history', () => {
    const verdict = check({ scenario: scenario(), history: [], checkOrder: true });
    expect(verdict.valid).toBe(true);
    expect(verdict.findings).toEqual([]);
    expect(verdict.stats.attempted).toBe(0);
  });

  describe('a lost message', () => {
    const h = produced().consume('w1', 'm2');
    h.deliver('w1', 'm3').begin('w1', 'm3').end('w1', 'm3', { outcome: 'error' });

    it('is a violation under at-least-once, naming the messages and their events', () => {
      const verdict = check({ scenario: atLeastOnce, history: h.events });
      expect(verdict.valid).toBe(false);
      const lost = finding(verdict.findings, 'lost');
      expect(lost).toMatchObject({ invariant: 'at-least-once', violation: true, messageIds: ['m1', 'm3'] });
      expect(lost.detail).toMatch(/^2 acknowledged messages were never processed to completion: m1, m3\./);
      expect(idsOf(lost.events)).toEqual(['m1', 'm3']);
      expect(lost.events.map((e) => e.type)).toEqual([
        'produce',
        'produce',
        'deliver',
        'process-begin',
        'process-end',
      ]);
      expect(verdict.stats.lost).toBe(2);
    });

    it('is only reported under at-most-once', () => {
      const verdict = check({ scenario: atMostOnce, history: h.events });
      expect(verdict.valid).toBe(true);
      const lost = finding(verdict.findings, 'lost');
      expect(lost.violation).toBe(false);
      expect(lost.detail).toMatch(/Allowed under at-most-once/);
    });
  });

  describe('a message RabbitMQ delivered again after a broker-kill', () => {
    // The soak's case: a noAck delivery the killed broker had not recorded as settled.
    const replayed = () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm3');
      h.deliver('w1', 'm2').ack('w1', 'm2').begin('w1', 'm2'); // the worker loses the broker mid-way
      h.fault('broker-kill');
      return h;
    };

    it('is reported, not held against at-most-once', () => {
      const h = replayed();
      h.deliver('w1#2', 'm2', { redelivered: true }).ack('w1#2', 'm2').begin('w1#2', 'm2').end('w1#2', 'm2');
      const verdict = check({ scenario: atMostOnce, history: h.events });
      expect(verdict.valid).toBe(true);
      const duplicated = finding(verdict.findings, 'duplicated');
      expect(duplicated).toMatchObject({ violation: false, messageIds: ['m2'] });
      expect(duplicated.detail).toContain('after a broker-kill');
    });

    it('counts a first delivery sent while the kill was on its way (before its heal)', () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm3').fault('broker-kill');
      h.deliver('w1', 'm2').ack('w1', 'm2').begin('w1', 'm2');
      h.deliver('w1#2', 'm2', { redelivered: true }).ack('w1#2', 'm2').begin('w1#2', 'm2').end('w1#2', 'm2');
      expect(check({ scenario: atMostOnce, history: h.events }).valid).toBe(true);
    });

    it('is still a violation when a delivery the broker did not mark redelivered was processed again', () => {
      const h = replayed();
      h.deliver('w1#2', 'm2').ack('w1#2', 'm2').begin('w1#2', 'm2').end('w1#2', 'm2');
      expect(check({ scenario: atMostOnce, history: h.events }).valid).toBe(false);
    });

    it('is still a violation without a broker-kill between the deliveries, or on Kafka', () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
      h.consume('w2', 'm2', { redelivered: true });
      h.fault('broker-kill'); // after the redelivery: it cannot explain it
      expect(check({ scenario: atMostOnce, history: h.events }).valid).toBe(false);
      const kafka = replayed();
      kafka.deliver('w1#2', 'm2', { redelivered: true }).begin('w1#2', 'm2').end('w1#2', 'm2');
      const onKafka = scenario({ messages: ids, semantics: 'at-most-once', broker: 'kafka' });
      expect(check({ scenario: onKafka, history: kafka.events }).valid).toBe(false);
    });
  });

  describe('a consumer duplicate', () => {
    const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
    h.consume('w2', 'm2', { redelivered: true });

    it('is a violation under at-most-once', () => {
      const verdict = check({ scenario: atMostOnce, history: h.events });
      expect(verdict.valid).toBe(false);
      const duplicated = finding(verdict.findings, 'duplicated');
      expect(duplicated).toMatchObject({ invariant: 'at-most-once', violation: true, messageIds: ['m2'] });
      expect(duplicated.detail).toContain('m2 (2 times)');
      expect(duplicated.events.filter((e) => e.type === 'process-end')).toHaveLength(2);
    });

    it('is reported but allowed under at-least-once', () => {
      const verdict = check({ scenario: atLeastOnce, history: h.events });
      expect(verdict.valid).toBe(true);
      expect(finding(verdict.findings, 'duplicated').violation).toBe(false);
      expect(verdict.stats.duplicated).toBe(1);
    });
  });

  it('does not call a producer duplicate with each copy processed once a consumer duplicate', () => {
    const dup = scenario({ messages: messages('m1'), producerDuplicates: ['m1'], semantics: 'at-most-once' });
    const h = history().produce('m1').produce('m1', { copy: 1 });
    h.consume('w1', 'm1').consume('w2', 'm1', { copy: 1 });
    const verdict = check({ scenario: dup, history: h.events });
    expect(verdict.valid).toBe(true);
    expect(verdict.findings).toEqual([]);
    expect(verdict.stats).toMatchObject({ attempted: 2, processed: 1, duplicated: 0 });
  });

  it.each<Semantics>(['at-least-once', 'at-most-once'])(
    'reports an unexpected message as a violation (%s)',
    (s) => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3').consume('w1', 'stray');
      const verdict = check({ scenario: scenario({ messages: ids, semantics: s }), history: h.events });
      expect(verdict.valid).toBe(false);
      const unexpected = finding(verdict.findings, 'unexpected');
      expect(unexpected).toMatchObject({ invariant: s, violation: true, messageIds: ['stray'] });
      expect(unexpected.detail).toMatch(/^1 message was processed although never published/);
    },
  );

  it('reports a processed message whose publish failed as unexpected', () => {
    const h = history().produce('m1', { outcome: 'fail' }).consume('w1', 'm1');
    const verdict = check({ scenario: scenario({ messages: messages('m1') }), history: h.events });
    expect(verdict.valid).toBe(false);
    expect(finding(verdict.findings, 'unexpected').messageIds).toEqual(['m1']);
    expect(verdict.findings.map((f) => f.code)).toEqual(['unexpected']);
  });

  it('counts a publish with unknown outcome that was processed as recovered, not unexpected', () => {
    const h = history().produce('m1', { outcome: 'info' }).consume('w1', 'm1');
    const verdict = check({ scenario: scenario({ messages: messages('m1') }), history: h.events });
    expect(verdict.valid).toBe(true);
    expect(verdict.findings).toEqual([]);
    expect(verdict.stats).toMatchObject({ unknown: 1, recovered: 1, unexpected: 0 });
  });

  it('does not call a publish with unknown outcome that never showed up lost', () => {
    const h = history().produce('m1', { outcome: 'info' });
    const verdict = check({ scenario: scenario({ messages: messages('m1') }), history: h.events });
    expect(verdict.valid).toBe(true);
    expect(verdict.stats).toMatchObject({ lost: 0, unknown: 1, recovered: 0 });
  });

  describe('redelivery after a rebalance', () => {
    const one = messages('m1');

    it('after an attempt that ended in error: valid, and no duplicate under either semantics', () => {
      const h = history().produce('m1');
      h.deliver('w1', 'm1').begin('w1', 'm1').end('w1', 'm1', { outcome: 'error', error: 'processor threw' });
      h.fault('consumer-join').consume('w2', 'm1', { redelivered: true });
      for (const semantics of ['at-least-once', 'at-most-once'] as const) {
        const verdict = check({ scenario: scenario({ messages: one, semantics }), history: h.events });
        expect(verdict.valid).toBe(true);
        expect(verdict.stats.duplicated).toBe(0);
      }
    });

    it('after a crash mid-processing: valid at-least-once, with the duplicate reported', () => {
      const h = history().produce('m1');
      h.deliver('w1', 'm1').begin('w1', 'm1').fault('consumer-kill');
      h.consume('w2', 'm1', { redelivered: true });
      const verdict = check({ scenario: scenario({ messages: one }), history: h.events });
      expect(verdict.valid).toBe(true);
      expect(finding(verdict.findings, 'duplicated')).toMatchObject({ violation: false, messageIds: ['m1'] });
    });

    it('after a crash mid-processing: a duplicate under at-most-once (the crash may have had effects)', () => {
      const h = history().produce('m1');
      h.deliver('w1', 'm1').begin('w1', 'm1').fault('consumer-kill');
      h.consume('w2', 'm1', { redelivered: true });
      const verdict = check({
        scenario: scenario({ messages: one, semantics: 'at-most-once' }),
        history: h.events,
      });
      expect(verdict.valid).toBe(false);
      const duplicated = finding(verdict.findings, 'duplicated');
      expect(duplicated).toMatchObject({ violation: true, messageIds: ['m1'] });
      expect(duplicated.events.filter((e) => e.type === 'process-begin').map((e) => e.process)).toEqual([
        'w1',
        'w2',
      ]);
    });
  });

  describe('final state', () => {
    const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
    h.consume('w2', 'm2', { redelivered: true });

    it('is a violation of idempotent-state when it differs, with the diff and the suspects', () => {
      const verdict = check({
        scenario: atLeastOnce,
        history: h.events,
        finalState: { counters: { k: 4 } },
        referenceState: { counters: { k: 3 } },
      });
      expect(verdict.valid).toBe(false);
      const state = finding(verdict.findings, 'final-state');
      expect(state).toMatchObject({ invariant: 'idempotent-state', violation: true, messageIds: ['m2'] });
      expect(state.detail.split('\n')).toEqual([
        'The final state differs from the exactly-once reference run. Messages that may explain it (repeated or lost): m2.',
        '$.counters.k: expected 3, got 4',
      ]);
      expect(idsOf(state.events)).toEqual(['m2']);
    });

    it('names producer duplicates as suspects too', () => {
      const dup = scenario({ messages: messages('m1'), producerDuplicates: ['m1'] });
      const twice = history().produce('m1').produce('m1', { copy: 1 });
      twice.consume('w1', 'm1').consume('w1', 'm1', { copy: 1 });
      const verdict = check({ scenario: dup, history: twice.events, finalState: 2, referenceState: 1 });
      expect(finding(verdict.findings, 'final-state').messageIds).toEqual(['m1']);
    });

    it('adds nothing when equal, and is skipped when one side is missing', () => {
      const equal = check({ scenario: atLeastOnce, history: h.events, finalState: [1], referenceState: [1] });
      expect(equal.findings.map((f) => f.code)).toEqual(['duplicated']);
      const partial = check({ scenario: atLeastOnce, history: h.events, finalState: [1] });
      expect(partial.findings.map((f) => f.code)).toEqual(['duplicated']);
    });

    it('compares a null state (null is a value, not a missing state)', () => {
      const verdict = check({
        scenario: atLeastOnce,
        history: h.events,
        finalState: null,
        referenceState: {},
      });
      expect(finding(verdict.findings, 'final-state').detail).toContain('$: expected {}, got null');
    });
  });

  describe('order', () => {
    const keyed = scenario({ messages: messages(['m1', 'a'], ['m2', 'a'], ['m3', 'b']) });
    const h = produced().consume('w1', 'm2').consume('w1', 'm1').consume('w1', 'm3');

    it('reports out-of-order first processing as an order violation when asked', () => {
      const verdict = check({ scenario: keyed, history: h.events, checkOrder: true });
      expect(verdict.valid).toBe(false);
      const order = finding(verdict.findings, 'order');
      expect(order).toMatchObject({ invariant: 'order', violation: true, messageIds: ['m1', 'm2'] });
      expect(order.detail).toMatch(
        /^Messages with key "a" were produced in the order m1, m2 but first processed to completion in the order m2, m1\./,
      );
      expect(order.events.length).toBeGreaterThan(0);
    });

    it('is not checked unless asked', () => {
      expect(check({ scenario: keyed, history: h.events }).valid).toBe(true);
    });

    it('names the partition on Kafka and ignores other partitions', () => {
      const kafka = scenario({ broker: 'kafka', messages: messages(['m1', 'a'], ['m2', 'a'], ['m3', 'a']) });
      const k = produced().consume('w1', 'm2', { partition: 0 }).consume('w1', 'm3', { partition: 1 });
      k.consume('w1', 'm1', { partition: 0 });
      const verdict = check({ scenario: kafka, history: k.events, checkOrder: true });
      expect(verdict.findings).toHaveLength(1);
      expect(finding(verdict.findings, 'order').detail).toContain('key "a" on partition 0');
      expect(finding(verdict.findings, 'order').messageIds).toEqual(['m1', 'm2']);
    });
  });

  describe('liveness', () => {
    it('reports a run that did not drain, naming the stuck messages', () => {
      const h = produced().consume('w1', 'm1').deliver('w1', 'm2').begin('w1', 'm2');
      const verdict = check({
        scenario: atMostOnce,
        history: h.events,
        liveness: { drained: false, stuckIds: ['m2'] },
      });
      expect(verdict.valid).toBe(false);
      const liveness = finding(verdict.findings, 'liveness');
      expect(liveness).toMatchObject({ invariant: 'liveness', violation: true, messageIds: ['m2'] });
      expect(liveness.detail).toContain('1 message was still pending: m2.');
      expect(liveness.events.map((e) => e.type)).toEqual(['produce', 'deliver', 'process-begin']);
    });

    it('names a message still waiting in the broker once, as pending, not as lost', () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm2');
      const verdict = check({
        scenario: atLeastOnce,
        history: h.events,
        liveness: { drained: false, stuckIds: ['m3'] },
      });
      expect(verdict.valid).toBe(false);
      expect(verdict.findings.map((f) => f.code)).toEqual(['liveness']);
      expect(finding(verdict.findings, 'liveness').messageIds).toEqual(['m3']);
      expect(verdict.stats.lost).toBe(0);
    });

    it('still calls an acknowledged but unprocessed message lost when the run did not drain', () => {
      const h = produced()
        .consume('w1', 'm1')
        .deliver('w1', 'm2')
        .ack('w1', 'm2')
        .begin('w1', 'm2')
        .end('w1', 'm2', { outcome: 'error', error: 'boom' });
      const verdict = check({
        scenario: atLeastOnce,
        history: h.events,
        liveness: { drained: false, stuckIds: ['m2', 'm3'] },
      });
      expect(verdict.valid).toBe(false);
      expect(finding(verdict.findings, 'lost').messageIds).toEqual(['m2']);
      expect(finding(verdict.findings, 'liveness').messageIds).toEqual(['m3']);
      expect(verdict.stats.lost).toBe(1);
    });

    it('still reports a run that did not drain when no message is identified', () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
      const verdict = check({
        scenario: atLeastOnce,
        history: h.events,
        liveness: { drained: false, stuckIds: [] },
      });
      expect(verdict.valid).toBe(false);
      expect(finding(verdict.findings, 'liveness').detail).toContain('No pending message was identified.');
    });
  });

  describe('a checker that throws', () => {
    const malformed: HistoryEvent = JSON.parse(
      '{"seq":99,"time":0,"process":"w1","type":"deliver","copy":0}',
    );

    it('makes the verdict unknown, with the error, instead of throwing', () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
      const verdict = check({ scenario: atLeastOnce, history: [...h.events, malformed], checkOrder: true });
      expect(verdict.valid).toBe('unknown');
      expect(verdict.errors).toEqual([
        expect.stringMatching(/^total-queue checker failed: malformed history event at index 15: "id"/),
        expect.stringMatching(/^order checker failed: malformed history event/),
      ]);
      expect(verdict.findings).toEqual([]);
      expect(verdict.stats.attempted).toBe(0);
    });

    it('keeps the other checkers: a failing final-state comparison does not hide a loss', () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm2');
      const notJson = { when: new Date(0) } as unknown as JsonValue;
      const verdict = check({
        scenario: atLeastOnce,
        history: h.events,
        finalState: notJson,
        referenceState: {},
      });
      expect(verdict.errors).toEqual([
        expect.stringMatching(/^final-state checker failed: .*is not a JSON value: a Date/),
      ]);
      expect(verdict.valid).toBe(false);
      expect(finding(verdict.findings, 'lost').messageIds).toEqual(['m3']);
    });

    it('never throws, even on input that breaks the types', () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
      const liveness = JSON.parse('{"drained":false,"stuckIds":null}');
      const verdict = check({ scenario: atLeastOnce, history: h.events, liveness });
      expect(verdict.valid).toBe('unknown');
      expect(verdict.errors).toEqual([expect.stringMatching(/^liveness checker failed: /)]);
    });

    it('is unknown, not valid, when nothing else was found', () => {
      const h = produced().consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
      const notJson = { n: Number.POSITIVE_INFINITY } as unknown as JsonValue;
      const verdict = check({
        scenario: atLeastOnce,
        history: h.events,
        finalState: notJson,
        referenceState: {},
      });
      expect(verdict.valid).toBe('unknown');
      expect(verdict.stats.processed).toBe(3);
    });
  });

  it('caps the events of a finding and the ids named in its detail', () => {
    const many = messages(...Array.from({ length: 30 }, (_, i) => `m${i}`));
    const h = history();
    for (const m of many) h.produce(m.id).deliver('w1', m.id);
    const verdict = check({ scenario: scenario({ messages: many }), history: h.events });
    const lost = finding(verdict.findings, 'lost');
    expect(lost.messageIds).toHaveLength(30);
    expect(lost.events).toHaveLength(20);
    expect(lost.events.map((e) => e.seq)).toEqual([...lost.events.map((e) => e.seq)].sort((a, b) => a - b));
    expect(lost.detail).toContain('m0, m1, m2, m3, m4, m5, m6, m7, m8, m9, … (20 more)');
  });
});
