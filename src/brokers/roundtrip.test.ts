import { describe, expect, it } from 'vitest';
import { ConsumptionLedger, idOf, payloadOf } from './roundtrip.ts';

describe('ConsumptionLedger', () => {
  it('reports ids never seen as lost and ids seen twice as duplicated', () => {
    const ledger = new ConsumptionLedger();
    for (const id of [0, 1, 1, 3, 4, 4, 4]) ledger.record(id);
    expect(ledger.outcome(0, 5)).toEqual({ lost: [2], duplicated: [1, 4] });
    expect(ledger.outcome(3, 5)).toEqual({ lost: [], duplicated: [4] });
  });

  it('waitFor resolves as soon as the range is complete', async () => {
    const ledger = new ConsumptionLedger();
    const done = ledger.waitFor(0, 3, Date.now() + 10_000);
    for (const id of [2, 0, 1]) setTimeout(() => ledger.record(id), 5);
    await done;
    expect(ledger.outcome(0, 3).lost).toEqual([]);
  });

  it('waitFor gives up at the deadline', async () => {
    const ledger = new ConsumptionLedger();
    ledger.record(0);
    await ledger.waitFor(0, 2, Date.now() + 50);
    expect(ledger.outcome(0, 2).lost).toEqual([1]);
  });
});

describe('payloads', () => {
  it('carry their id and have the requested size', () => {
    const p = payloadOf(1234, 1024);
    expect(p.length).toBe(1024);
    expect(idOf(p)).toBe(1234);
    expect(idOf(null)).toBe(-1);
  });
});
