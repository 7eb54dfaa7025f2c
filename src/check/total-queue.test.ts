import { describe, expect, it } from 'vitest';
import { history, messages, scenario } from './__test-helpers__/history-builder.ts';
import { totalQueue } from './total-queue.ts';

const three = scenario({ messages: messages('m1', 'm2', 'm3') });

describe('totalQueue', () => {
  it('finds nothing wrong when every acknowledged publish is processed once', () => {
    const h = history().produce('m1').produce('m2').produce('m3');
    h.consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm3');
    const result = totalQueue(three, h.events);
    expect(result).toMatchObject({ lost: [], duplicated: [], unexpected: [], recovered: [] });
    expect(result.stats).toEqual({
      attempted: 3,
      acknowledged: 3,
      unknown: 0,
      processed: 3,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      recovered: 0,
    });
  });

  it('is empty for an empty scenario and history', () => {
    const result = totalQueue(scenario(), []);
    expect(result.lost).toEqual([]);
    expect(result.stats.attempted).toBe(0);
    expect(result.eventsFor('m1')).toEqual([]);
  });

  it('reports acknowledged publishes never processed ok as lost, in produce order', () => {
    const h = history().produce('m1').produce('m2').produce('m3');
    h.consume('w1', 'm2');
    h.deliver('w1', 'm3').begin('w1', 'm3').end('w1', 'm3', { outcome: 'error', error: 'boom' });
    const result = totalQueue(three, h.events);
    expect(result.lost).toEqual(['m1', 'm3']);
    expect(result.stats.lost).toBe(2);
    expect(result.stats.processed).toBe(1);
  });

  it('does not count a publish with unknown outcome as lost when it never shows up', () => {
    const h = history().produce('m1', { outcome: 'info' });
    const result = totalQueue(scenario({ messages: messages('m1') }), h.events);
    expect(result.lost).toEqual([]);
    expect(result.recovered).toEqual([]);
    expect(result.stats).toMatchObject({ attempted: 1, acknowledged: 0, unknown: 1 });
  });

  it('reports a publish with unknown outcome that was processed as recovered, not unexpected', () => {
    const h = history().produce('m1', { outcome: 'info' }).consume('w1', 'm1');
    const result = totalQueue(scenario({ messages: messages('m1') }), h.events);
    expect(result.recovered).toEqual(['m1']);
    expect(result.unexpected).toEqual([]);
    expect(result.stats.recovered).toBe(1);
  });

  it('takes the best outcome when a publish was retried (info, then ok)', () => {
    const h = history().produce('m1', { outcome: 'info' }).produce('m1', { outcome: 'ok' });
    const result = totalQueue(scenario({ messages: messages('m1') }), h.events);
    expect(result.lost).toEqual(['m1']);
    expect(result.stats).toMatchObject({ attempted: 1, acknowledged: 1, unknown: 0 });
  });

  it('reports a processed message that was never attempted as unexpected', () => {
    const h = history().produce('m1').consume('w1', 'm1').consume('w1', 'ghost');
    const result = totalQueue(scenario({ messages: messages('m1') }), h.events);
    expect(result.unexpected).toEqual(['ghost']);
    expect(result.stats.unexpected).toBe(1);
  });

  it('reports a processed message whose only publish failed as unexpected', () => {
    const h = history().produce('m1', { outcome: 'fail' }).consume('w1', 'm1');
    const result = totalQueue(scenario({ messages: messages('m1') }), h.events);
    expect(result.unexpected).toEqual(['m1']);
    expect(result.lost).toEqual([]);
    expect(result.stats).toMatchObject({ attempted: 1, acknowledged: 0 });
  });

  it('reports a processed copy that was never attempted as unexpected even if another copy was', () => {
    const h = history().produce('m1').consume('w1', 'm1').consume('w1', 'm1', { copy: 1 });
    const result = totalQueue(scenario({ messages: messages('m1') }), h.events);
    expect(result.unexpected).toEqual(['m1']);
    expect(result.duplicated).toEqual([]);
  });

  it('reports the same publish processed twice as duplicated, with its count', () => {
    const h = history().produce('m1').produce('m2');
    h.consume('w1', 'm1').consume('w1', 'm2').consume('w1', 'm1', { redelivered: true });
    h.consume('w2', 'm1', { redelivered: true });
    const result = totalQueue(scenario({ messages: messages('m1', 'm2') }), h.events);
    expect(result.duplicated).toEqual(['m1']);
    expect(result.processingCounts.get('m1')).toBe(3);
    expect(result.stats.duplicated).toBe(1);
  });

  describe('producer duplicates', () => {
    const dup = scenario({ messages: messages('m1'), producerDuplicates: ['m1'] });

    it('are not consumer duplicates when each copy is processed once', () => {
      const h = history().produce('m1').produce('m1', { copy: 1 });
      h.consume('w1', 'm1').consume('w1', 'm1', { copy: 1 });
      const result = totalQueue(dup, h.events);
      expect(result.duplicated).toEqual([]);
      expect(result.producerDuplicatesProcessed).toEqual(['m1']);
      expect(result.stats).toMatchObject({ attempted: 2, acknowledged: 2, processed: 1 });
    });

    it('make a message lost only if no copy was processed', () => {
      const h = history().produce('m1').produce('m1', { copy: 1 }).consume('w1', 'm1', { copy: 1 });
      expect(totalQueue(dup, h.events).lost).toEqual([]);
      const none = history().produce('m1').produce('m1', { copy: 1 });
      expect(totalQueue(dup, none.events).lost).toEqual(['m1']);
    });

    it('still count a consumer duplicate of one copy', () => {
      const h = history().produce('m1').produce('m1', { copy: 1 });
      h.consume('w1', 'm1').consume('w1', 'm1', { copy: 1 }).consume('w2', 'm1', { copy: 1 });
      const result = totalQueue(dup, h.events);
      expect(result.duplicated).toEqual(['m1']);
      expect(result.processingCounts.get('m1')).toBe(2);
    });
  });

  describe('counting processings of one publish', () => {
    const one = scenario({ messages: messages('m1') });

    it('does not count an attempt that ended in error', () => {
      const h = history().produce('m1');
      h.deliver('w1', 'm1').begin('w1', 'm1').end('w1', 'm1', { outcome: 'error' });
      h.deliver('w2', 'm1', { redelivered: true }).begin('w2', 'm1').end('w2', 'm1').ack('w2', 'm1');
      const result = totalQueue(one, h.events);
      expect(result.duplicated).toEqual([]);
      expect(result.lost).toEqual([]);
    });

    it('counts an attempt that began and never ended (a crash may have had effects)', () => {
      const h = history().produce('m1');
      h.deliver('w1', 'm1').begin('w1', 'm1').fault('consumer-kill');
      h.deliver('w2', 'm1', { redelivered: true }).begin('w2', 'm1').end('w2', 'm1').ack('w2', 'm1');
      const result = totalQueue(one, h.events);
      expect(result.duplicated).toEqual(['m1']);
      expect(result.processingCounts.get('m1')).toBe(2);
      expect(result.lost).toEqual([]);
    });

    it('pairs begin and end by process and attempt, so attempt numbers may repeat across workers', () => {
      const h = history().produce('m1');
      h.begin('w1', 'm1', { attempt: 1 }).begin('w2', 'm1', { attempt: 1 });
      h.end('w2', 'm1', { attempt: 1, outcome: 'error' }).end('w1', 'm1', { attempt: 1, outcome: 'error' });
      h.begin('w2', 'm1', { attempt: 2 }).end('w2', 'm1', { attempt: 2 });
      const result = totalQueue(one, h.events);
      expect(result.duplicated).toEqual([]);
    });

    it('counts a begin that was begun again on the same process without an end in between', () => {
      const h = history().produce('m1');
      h.begin('w1', 'm1', { attempt: 1 }).begin('w1', 'm1', { attempt: 1 }).end('w1', 'm1', { attempt: 1 });
      expect(totalQueue(one, h.events).processingCounts.get('m1')).toBe(2);
    });

    it('counts a successful end without a begin as one processing', () => {
      const h = history().produce('m1').end('w1', 'm1').consume('w2', 'm1');
      expect(totalQueue(one, h.events).duplicated).toEqual(['m1']);
    });
  });

  it('sorts events by seq before reading them', () => {
    const h = history().produce('m1').consume('w1', 'm1');
    const shuffled = [...h.events].reverse();
    const result = totalQueue(scenario({ messages: messages('m1') }), shuffled);
    expect(result.lost).toEqual([]);
    expect(result.eventsFor('m1').map((e) => e.type)).toEqual([
      'produce',
      'deliver',
      'process-begin',
      'process-end',
      'ack',
    ]);
  });

  it('gives each message its own events and leaves fault events out', () => {
    const h = history().produce('m1').produce('m2').fault('broker-pause').consume('w1', 'm2');
    const result = totalQueue(scenario({ messages: messages('m1', 'm2') }), h.events);
    expect(result.eventsFor('m1').map((e) => e.type)).toEqual(['produce']);
    expect(result.eventsFor('m2').every((e) => 'id' in e && e.id === 'm2')).toBe(true);
    expect(result.eventsFor('m2')).toHaveLength(5);
  });

  it('throws on a malformed history', () => {
    const h = history().produce('m1');
    const broken = [...h.events, JSON.parse('{"seq":9,"time":0,"process":"w1","type":"deliver","copy":0}')];
    expect(() => totalQueue(three, broken)).toThrow(
      /malformed history event at index 1: "id" is not a string/,
    );
  });
});
