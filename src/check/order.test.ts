import { describe, expect, it } from 'vitest';
import { history, messages, scenario } from './__test-helpers__/history-builder.ts';
import { checkOrder } from './order.ts';

const rabbit = scenario({ messages: messages(['m1', 'a'], ['m2', 'a'], ['m3', 'b']) });
const kafka = scenario({
  broker: 'kafka',
  kafka: { partitions: 2 },
  messages: messages(['m1', 'a'], ['m2', 'a'], ['m3', 'a']),
});

describe('checkOrder', () => {
  it('finds no violation when each key is processed in produce order', () => {
    const h = history().produce('m1').produce('m2').produce('m3');
    h.consume('w1', 'm3').consume('w1', 'm1').consume('w1', 'm2');
    expect(checkOrder(rabbit, h.events).violations).toEqual([]);
  });

  it('reports messages of one key whose first processing overtook an earlier-produced one', () => {
    const h = history().produce('m1').produce('m2').produce('m3');
    h.consume('w2', 'm2').consume('w1', 'm1').consume('w1', 'm3');
    const { violations } = checkOrder(rabbit, h.events);
    expect(violations).toHaveLength(1);
    expect(violations[0]).toMatchObject({ key: 'a', ids: ['m1', 'm2'], completed: ['m2', 'm1'] });
    expect(violations[0]?.partition).toBeUndefined();
    const types = violations[0]?.events.map((e) => `${e.type}:${'id' in e ? e.id : ''}`);
    expect(types).toEqual([
      'produce:m1',
      'produce:m2',
      'deliver:m2',
      'process-end:m2',
      'deliver:m1',
      'process-end:m1',
    ]);
  });

  it('looks only at the first successful processing: a redelivery is not a violation', () => {
    const h = history().produce('m1').produce('m2');
    h.deliver('w1', 'm1').begin('w1', 'm1').end('w1', 'm1', { outcome: 'error' });
    h.consume('w1', 'm1', { redelivered: true })
      .consume('w1', 'm2')
      .consume('w2', 'm1', { redelivered: true });
    expect(checkOrder(rabbit, h.events).violations).toEqual([]);
  });

  it('ignores messages never processed', () => {
    const h = history().produce('m1').produce('m2').produce('m3').consume('w1', 'm2').consume('w1', 'm3');
    expect(checkOrder(rabbit, h.events).violations).toEqual([]);
  });

  it('on Kafka compares messages on the same partition', () => {
    const h = history().produce('m1').produce('m2').produce('m3');
    h.consume('w1', 'm2', { partition: 0 })
      .consume('w1', 'm1', { partition: 0 })
      .consume('w1', 'm3', { partition: 0 });
    const { violations } = checkOrder(kafka, h.events);
    expect(violations).toEqual([expect.objectContaining({ key: 'a', partition: 0, ids: ['m1', 'm2'] })]);
  });

  it("on Kafka follows the partition's log: a message the producer's retry wrote after a later one is not overtaken", () => {
    // m1 was produced first but landed at offset 1, after m2 (offset 0): a consumer following the log is right.
    const h = history()
      .produce('m2', { partition: 0, offset: '0' })
      .produce('m1', { partition: 0, offset: '1' });
    h.produce('m3', { partition: 0, offset: '2' });
    h.consume('w1', 'm2', { partition: 0, offset: '0' })
      .consume('w1', 'm1', { partition: 0, offset: '1' })
      .consume('w1', 'm3', { partition: 0, offset: '2' });
    expect(checkOrder(kafka, h.events).violations).toEqual([]);
    // …and still catches a consumer that overtakes within the log
    const late = history()
      .produce('m2', { partition: 0, offset: '0' })
      .produce('m1', { partition: 0, offset: '1' });
    late.produce('m3', { partition: 0, offset: '2' });
    late
      .consume('w1', 'm1', { partition: 0, offset: '1' })
      .consume('w1', 'm2', { partition: 0, offset: '0' })
      .consume('w1', 'm3', { partition: 0, offset: '2' });
    expect(checkOrder(kafka, late.events).violations).toEqual([
      expect.objectContaining({ key: 'a', partition: 0, completed: ['m1', 'm2'] }),
    ]);
  });

  it('on Kafka does not compare messages across partitions', () => {
    const h = history().produce('m1').produce('m2').produce('m3');
    h.consume('w1', 'm2', { partition: 1 })
      .consume('w1', 'm1', { partition: 0 })
      .consume('w1', 'm3', { partition: 1 });
    expect(checkOrder(kafka, h.events).violations).toEqual([]);
  });

  it('on Kafka leaves out a processing whose delivery names no partition', () => {
    const h = history().produce('m1').produce('m2');
    h.consume('w1', 'm2').consume('w1', 'm1', { partition: 0 });
    expect(checkOrder(kafka, h.events).violations).toEqual([]);
  });

  it('names every overtaken message and every message that overtook one', () => {
    const four = scenario({ messages: messages('m1', 'm2', 'm3', 'm4') });
    const h = history().produce('m1').produce('m2').produce('m3').produce('m4');
    h.consume('w1', 'm2').consume('w1', 'm4').consume('w1', 'm1').consume('w1', 'm3');
    const [violation] = checkOrder(four, h.events).violations;
    // m1 was overtaken by m2 and m4; m3 by m4. All four are out of order.
    expect(violation?.ids).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(violation?.completed).toEqual(['m2', 'm4', 'm1', 'm3']);
    const fresh = history().produce('m1').produce('m2').produce('m3').produce('m4');
    fresh.consume('w1', 'm1').consume('w1', 'm3').consume('w1', 'm2').consume('w1', 'm4');
    expect(checkOrder(four, fresh.events).violations[0]?.ids).toEqual(['m2', 'm3']);
  });

  it('is empty for an empty scenario', () => {
    expect(checkOrder(scenario(), []).violations).toEqual([]);
  });
});
