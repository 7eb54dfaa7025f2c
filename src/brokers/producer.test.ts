import { describe, expect, it } from 'vitest';
import type { Message } from '../model/message.ts';
import { type ProduceRecord, publishAll } from './producer.ts';

const m = (id: string): Message => ({ id, key: 'k', payload: id });

describe('publishAll', () => {
  it('sends every publish before awaiting a confirm, and records them in order', async () => {
    const sent: string[] = [];
    const confirms: (() => void)[] = [];
    const records: ProduceRecord[] = [];
    const done = publishAll(
      (message, copy) =>
        new Promise((resolve) => {
          sent.push(`${message.id}#${copy}`);
          confirms.push(() => resolve({ offset: String(confirms.length) }));
        }),
      [m('m1'), m('m2'), m('m2'), m('m3')],
      (r) => records.push(r),
      Date.now() + 60_000,
    );
    await Promise.resolve();
    // All four are out before any confirm: one round trip for the run.
    expect(sent).toEqual(['m1#0', 'm2#0', 'm2#1', 'm3#0']);
    for (const confirm of [...confirms].reverse()) confirm();
    await done;
    expect(records.map((r) => `${r.id}#${r.copy} ${r.outcome}`)).toEqual([
      'm1#0 ok',
      'm2#0 ok',
      'm2#1 ok',
      'm3#0 ok',
    ]);
  });

  it('records a failed attempt as info and publishes the message again with the next copy', async () => {
    const records: ProduceRecord[] = [];
    let failures = 1;
    await publishAll(
      async (message) => {
        if (message.id === 'm2' && failures-- > 0) throw new Error('channel closed');
        return {};
      },
      [m('m1'), m('m2'), m('m3')],
      (r) => records.push(r),
      Date.now() + 60_000,
      async () => undefined,
    );
    expect(records.map((r) => `${r.id}#${r.copy} ${r.outcome}`)).toEqual([
      'm1#0 ok',
      'm2#0 info',
      'm3#0 ok',
      'm2#1 ok',
    ]);
  });

  it('throws the last error once the deadline passed', async () => {
    const records: ProduceRecord[] = [];
    await expect(
      publishAll(
        async () => {
          throw new Error('broker gone');
        },
        [m('m1')],
        (r) => records.push(r),
        Date.now() - 1,
        async () => undefined,
      ),
    ).rejects.toThrow('broker gone');
    expect(records).toEqual([{ id: 'm1', copy: 0, outcome: 'info' }]);
  });
});
