import { describe, expect, it } from 'vitest';
import type { HistoryEventInput } from '../../model/history.ts';
import { countDeliveries, type Published } from './deliveries.ts';

let clock = 0;
const at = (process: string) => ({
  deliver: (id: string, copy = 0): HistoryEventInput => ({
    type: 'deliver',
    id,
    copy,
    redelivered: false,
    time: (clock += 1),
    process,
  }),
  begin: (id: string, copy = 0): HistoryEventInput => ({
    type: 'process-begin',
    id,
    copy,
    attempt: 1,
    time: (clock += 1),
    process,
  }),
  end: (id: string, outcome: 'ok' | 'error' = 'ok', copy = 0): HistoryEventInput => ({
    type: 'process-end',
    id,
    copy,
    attempt: 1,
    outcome,
    time: (clock += 1),
    process,
  }),
  ack: (id: string, copy = 0): HistoryEventInput => ({ type: 'ack', id, copy, time: (clock += 1), process }),
});
const w1 = at('w1');
const w2 = at('w2');
const ok = (...ids: string[]): Published[] => ids.map((id) => ({ id, copy: 0, outcome: 'ok' }));

describe('countDeliveries', () => {
  it('is complete when every published copy was processed and acknowledged', () => {
    const events = [w1.deliver('m1'), w1.begin('m1'), w1.end('m1'), w1.ack('m1')];
    expect(countDeliveries([{ events, live: true }], ok('m1'))).toEqual({
      unacked: 0,
      unprocessed: 0,
      complete: true,
    });
    // A copy never delivered, or no producer history: not complete (the broker may still hold it).
    expect(countDeliveries([{ events, live: true }], ok('m1', 'm2')).complete).toBe(false);
    expect(countDeliveries([{ events, live: true }], undefined).complete).toBe(false);
    // A publish that definitely failed is not waited for; one of unknown outcome is.
    const failed: Published[] = [...ok('m1'), { id: 'm2', copy: 0, outcome: 'fail' }];
    expect(countDeliveries([{ events, live: true }], failed).complete).toBe(true);
  });

  it('counts a delivery a live worker holds unacknowledged (a batch waiting to fill), not a dead one', () => {
    const events = [w1.deliver('m1'), w1.deliver('m2'), w1.begin('m1'), w1.end('m1'), w1.ack('m1')];
    expect(countDeliveries([{ events, live: true }], ok('m1', 'm2'))).toEqual({
      unacked: 1,
      unprocessed: 0,
      complete: false,
    });
    // Its consumer died: the broker takes it back; not held, and not complete either.
    expect(countDeliveries([{ events, live: false }], ok('m1', 'm2'))).toEqual({
      unacked: 0,
      unprocessed: 0,
      complete: false,
    });
  });

  it('counts a delivery acknowledged before processing (at-most-once) until processing ends', () => {
    const held = [w1.deliver('m1'), w1.ack('m1')];
    expect(countDeliveries([{ events: held, live: true }], ok('m1'))).toEqual({
      unacked: 1,
      unprocessed: 1,
      complete: false,
    });
    const doneWithError = [...held, w1.begin('m1'), w1.end('m1', 'error')];
    expect(countDeliveries([{ events: doneWithError, live: true }], ok('m1')).complete).toBe(true);
  });

  it('does not hold a delivery whose processing failed (the runtime nacks it), nor count it done', () => {
    const events = [w1.deliver('m1'), w1.begin('m1'), w1.end('m1', 'error')];
    expect(countDeliveries([{ events, live: true }], ok('m1'))).toEqual({
      unacked: 0,
      unprocessed: 0,
      complete: false,
    });
    // Retried in place: held again.
    expect(countDeliveries([{ events: [...events, w1.begin('m1')], live: true }], ok('m1')).unacked).toBe(1);
  });

  it('goes by the latest delivery of a message across workers', () => {
    // Redelivered to w2 after w1 nacked it, and done there.
    const first = [w1.deliver('m1'), w1.begin('m1'), w1.end('m1', 'error')];
    const second = [w2.deliver('m1'), w2.begin('m1'), w2.end('m1'), w2.ack('m1')];
    expect(
      countDeliveries(
        [
          { events: first, live: true },
          { events: second, live: true },
        ],
        ok('m1'),
      ).complete,
    ).toBe(true);
    // Done by w1, then redelivered to w2 (a lost acknowledgement) which holds it.
    const done = [w1.deliver('m2'), w1.begin('m2'), w1.end('m2'), w1.ack('m2')];
    const again = [w2.deliver('m2')];
    expect(
      countDeliveries(
        [
          { events: done, live: false },
          { events: again, live: true },
        ],
        ok('m2'),
      ),
    ).toEqual({
      unacked: 1,
      unprocessed: 0,
      complete: false,
    });
  });

  it('tells producer duplicates (copies) apart', () => {
    const events = [
      w1.deliver('m1', 0),
      w1.begin('m1', 0),
      w1.end('m1', 'ok', 0),
      w1.ack('m1', 0),
      w1.deliver('m1', 1),
    ];
    const published: Published[] = [
      { id: 'm1', copy: 0, outcome: 'ok' },
      { id: 'm1', copy: 1, outcome: 'ok' },
    ];
    expect(countDeliveries([{ events, live: true }], published)).toEqual({
      unacked: 1,
      unprocessed: 0,
      complete: false,
    });
  });
});
