import { describe, expect, it } from 'vitest';
import type { Fault } from '../../model/fault.ts';
import type { HistoryEvent } from '../../model/history.ts';
import type { RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import { fakeOutcome, finalStateFinding } from './__test-helpers__/outcome.ts';
import { CertifyLoop } from './loop.ts';
import { verdictCuts } from './verdict-cut.ts';

const kill = (id: string): Fault => ({
  kind: 'consumer-kill',
  trigger: { type: 'phase', messageId: id, phase: 'after-process', attempt: 1 },
  params: {},
});
const pause: Fault = {
  kind: 'broker-pause',
  trigger: { type: 'progress', acks: 7 },
  params: { holdMs: 500 },
};

const eight: Scenario = {
  broker: 'kafka',
  semantics: 'at-least-once',
  messages: Array.from({ length: 8 }, (_, i) => ({ id: `m${i + 1}`, key: 'k1', payload: { n: i } })),
  producerDuplicates: ['m5'],
  consumers: 3,
  kafka: { partitions: 2 },
  faults: [kill('m3'), pause],
};

/**
 * A fake broker run of the increment without dedup: a consumer-kill after processing m3 fires
 * (only when m3 is there) and the final state breaks, naming m3; the broker-pause never fires.
 */
function fakeRun(s: Scenario): RunOutcome {
  const history: HistoryEvent[] = [];
  s.faults.forEach((f, i) => {
    if (f.kind === 'consumer-kill' && f.trigger.type === 'phase' && s.messages.some((m) => m.id === 'm3'))
      history.push({ seq: i, time: 0, process: 'w1', type: 'fault-start', fault: i, kind: f.kind });
  });
  for (const m of s.messages)
    history.push({ seq: 10, time: 0, process: 'w1', type: 'deliver', id: m.id, copy: 0, redelivered: false });
  const fails = history.some((e) => e.type === 'fault-start');
  return fakeOutcome(s, !fails, { history, findings: [finalStateFinding(['m3'])] });
}

describe('verdict-guided cuts', () => {
  it('cut to the named messages, the faults that fired and the consumers that took part, first', () => {
    const [first] = verdictCuts(fakeRun(eight));
    expect(first).toEqual({
      ...eight,
      messages: [eight.messages[2]],
      producerDuplicates: [],
      consumers: 1,
      faults: [kill('m3')],
    });
  });

  it('names only the messages of violations (not of findings reported only)', () => {
    const o = fakeRun(eight);
    const reported = {
      ...o.verdict.findings[0]!,
      code: 'duplicated' as const,
      violation: false,
      messageIds: ['m1', 'm2', 'm4'],
    };
    const [first] = verdictCuts({
      ...o,
      verdict: { ...o.verdict, findings: [...o.verdict.findings, reported] },
    });
    expect(first?.messages.map((m) => m.id)).toEqual(['m3']);
  });

  it('also offers: every message but only the faults that fired; a progress trigger counts at most the messages left', () => {
    const cuts = verdictCuts(fakeRun(eight));
    expect(cuts).toContainEqual({ ...eight, faults: [kill('m3')] });
    expect(cuts).toContainEqual({
      ...eight,
      messages: [eight.messages[2]],
      producerDuplicates: [],
      faults: [kill('m3'), { ...pause, trigger: { type: 'progress', acks: 1 } }],
    });
    expect(cuts.map((c) => JSON.stringify(c))).not.toContain(JSON.stringify(eight));
  });

  it('the loop shrinks the 8-message, 2-fault failure to 1 message and 1 fault before fast-check shrinks', async () => {
    const loop = new CertifyLoop(async (s) => fakeRun(s), { requestedRuns: 5, shrinkBudgetMs: 60_000 });
    expect(await loop.check(eight)).toBe(false);
    expect(loop.best?.scenario.messages.map((m) => m.id)).toEqual(['m3']);
    expect(loop.best?.scenario.faults).toEqual([kill('m3')]);
    expect(loop.best?.scenario.consumers).toBe(1);
    expect(loop.bestIsCut).toBe(true);
    expect(loop.cutSteps).toBe(1);
  });

  it('once a cut beat it, fast-check shrink candidates no smaller than the best are not run', async () => {
    let ran = 0;
    const loop = new CertifyLoop(async (s) => (ran++, fakeRun(s)), {
      requestedRuns: 5,
      shrinkBudgetMs: 60_000,
    });
    expect(await loop.check(eight)).toBe(false);
    const before = ran;
    expect(await loop.check({ ...eight, messages: eight.messages.slice(0, 4) })).toBe(true);
    expect(ran).toBe(before);
  });

  it('keeps at least minMessages messages', async () => {
    const loop = new CertifyLoop(async (s) => fakeRun(s), {
      requestedRuns: 5,
      shrinkBudgetMs: 60_000,
      minMessages: 2,
    });
    expect(await loop.check(eight)).toBe(false);
    expect(loop.best?.scenario.messages.length).toBeGreaterThanOrEqual(2);
    expect(loop.best?.scenario.faults).toEqual([kill('m3')]);
  });

  it('a cut that passes is not kept, and no cut is run twice', async () => {
    const ran: string[] = [];
    // Fails only with 7 or 8 messages and both faults: every cut passes.
    const loop = new CertifyLoop(
      async (s) => {
        ran.push(JSON.stringify(s));
        const o = fakeRun(s);
        return s.messages.length >= 7 && s.faults.length === 2
          ? o
          : { ...o, verdict: { ...o.verdict, valid: true, findings: [] } };
      },
      { requestedRuns: 5, shrinkBudgetMs: 60_000 },
    );
    expect(await loop.check(eight)).toBe(false);
    expect(loop.best?.scenario).toEqual(eight);
    expect(loop.bestIsCut).toBe(false);
    const seven = { ...eight, messages: eight.messages.slice(0, 7) };
    expect(await loop.check(seven)).toBe(false);
    expect(loop.best?.scenario).toEqual(seven);
    // seven's cuts to m3 are eight's: tried once
    expect(ran.filter((r) => JSON.parse(r).messages.length === 1).length).toBeGreaterThan(0);
    expect(new Set(ran).size).toBe(ran.length);
  });

  it('cuts a finding that names more messages than its failure needs in parts: an order finding to two messages', async () => {
    // A batch processed concurrently: any two messages of k1 reorder, and the finding names every one of k1.
    const ten: Scenario = {
      ...eight,
      producerDuplicates: [],
      consumers: 1,
      faults: [],
      messages: Array.from({ length: 10 }, (_, i) => ({
        id: `m${i + 1}`,
        key: i % 2 === 0 ? 'k1' : 'k2',
        payload: { n: i },
      })),
    };
    const orderRun = (s: Scenario): RunOutcome => {
      const k1 = s.messages.filter((m) => m.key === 'k1').map((m) => m.id);
      const finding = { ...finalStateFinding(k1), code: 'order' as const, invariant: 'order' as const };
      return fakeOutcome(s, k1.length < 2, { findings: [finding] });
    };
    const loop = new CertifyLoop(async (s) => orderRun(s), { requestedRuns: 5, shrinkBudgetMs: 60_000 });
    expect(await loop.check(ten)).toBe(false);
    expect(loop.best?.scenario.messages.map((m) => m.key)).toEqual(['k1', 'k1']);
  });

  it('keeps every consumer for messages never delivered (a rebalance may be the failure), and halves a long list', async () => {
    // platformatic's autocommit on fetch: 3 consumers start, one fetches and commits every
    // message, loses its partitions in the start-up rebalance, and none is ever delivered.
    // No fault fired; with one consumer there is no rebalance and nothing is lost.
    const ten: Scenario = {
      ...eight,
      producerDuplicates: ['m2'],
      consumers: 3,
      faults: [],
      messages: Array.from({ length: 10 }, (_, i) => ({ id: `m${i + 1}`, key: `k${i}`, payload: { n: i } })),
    };
    const lostRun = (s: Scenario): RunOutcome => {
      const ids = s.messages.map((m) => m.id);
      const finding = {
        ...finalStateFinding(ids),
        code: 'lost' as const,
        invariant: 'at-least-once' as const,
      };
      return fakeOutcome(s, s.consumers < 3, { findings: [finding] });
    };
    const [first] = verdictCuts(lostRun(ten));
    expect(first?.consumers).toBe(1); // the smallest cut first, as before
    expect(verdictCuts(lostRun(ten)).some((c) => c.consumers === 3 && c.messages.length === 5)).toBe(true);
    const loop = new CertifyLoop(async (s) => lostRun(s), { requestedRuns: 5, shrinkBudgetMs: 60_000 });
    expect(await loop.check(ten)).toBe(false);
    expect(loop.best?.scenario.consumers).toBe(3);
    expect(loop.best?.scenario.messages).toHaveLength(1);
  });

  it('keeps the message before a named one in its partition when the named ones alone pass', async () => {
    // m4 is lost only when m3, fetched in the same batch just before it on partition 0, is there too.
    const history = (s: Scenario): HistoryEvent[] =>
      s.messages.map((m, i) => ({
        seq: i,
        time: 0,
        process: 'producer',
        type: 'produce',
        id: m.id,
        copy: 0,
        outcome: 'ok',
        partition: ['m3', 'm4', 'm6'].includes(m.id) ? 0 : 1,
        offset: String(i),
      }));
    const run = (s: Scenario): RunOutcome => {
      const ids = s.messages.map((m) => m.id);
      const fails = ids.includes('m3') && ids.includes('m4');
      return fakeOutcome(s, !fails, { history: history(s), findings: [finalStateFinding(['m4'])] });
    };
    const six: Scenario = {
      ...eight,
      messages: eight.messages.slice(0, 6),
      producerDuplicates: [],
      faults: [],
    };
    const loop = new CertifyLoop(async (s) => run(s), { requestedRuns: 5, shrinkBudgetMs: 60_000 });
    expect(await loop.check(six)).toBe(false);
    expect(loop.best?.scenario.messages.map((m) => m.id)).toEqual(['m3', 'm4']);
  });

  it("keeps the next message of a named one's key: the newer value a stale delivery overwrote", async () => {
    const stall: Fault = { ...kill('m2'), kind: 'consumer-stall' };
    const six: Scenario = {
      ...eight,
      messages: ['k2', 'k1', 'k3', 'k2', 'k1', 'k1'].map((key, i) => ({
        id: `m${i + 1}`,
        key,
        payload: { n: i },
      })),
      producerDuplicates: [],
      faults: [stall],
    };
    // The stalled m2 resumes after m5 (the next of k1) was processed: only then is the state wrong.
    const run = (s: Scenario): RunOutcome => {
      const ids = s.messages.map((m) => m.id);
      const fired = s.faults.length > 0 && ids.includes('m2');
      const history: HistoryEvent[] = fired
        ? [{ seq: 0, time: 0, process: 'w1', type: 'fault-start', fault: 0, kind: 'consumer-stall' }]
        : [];
      return fakeOutcome(s, !(fired && ids.includes('m5')), {
        history,
        findings: [finalStateFinding(['m2'])],
      });
    };
    const loop = new CertifyLoop(async (s) => run(s), { requestedRuns: 5, shrinkBudgetMs: 60_000 });
    expect(await loop.check(six)).toBe(false);
    expect(loop.best?.scenario.messages.map((m) => m.id)).toEqual(['m2', 'm5']);
    expect(loop.best?.scenario.faults).toEqual([stall]);
  });

  it("with several findings, offers each finding's messages alone", () => {
    const s: Scenario = { ...eight, producerDuplicates: [], faults: [] };
    const order = (ids: string[]) => ({ ...finalStateFinding(ids), code: 'order' as const });
    const cuts = verdictCuts(
      fakeOutcome(s, false, { findings: [order(['m1', 'm3', 'm8']), order(['m2', 'm4'])] }),
    );
    const ids = cuts.map((c) => c.messages.map((m) => m.id).join(','));
    expect(ids).toContain('m1,m3,m8');
    expect(ids).toContain('m2,m4');
  });

  it("tries a fired fault's target with the next message of its key before the parts of the named messages", () => {
    const stall: Fault = { ...kill('m1'), kind: 'consumer-stall' };
    const s: Scenario = {
      ...eight,
      messages: ['k2', 'k2', 'k3', 'k1'].map((key, i) => ({ id: `m${i + 1}`, key, payload: { n: i } })),
      producerDuplicates: [],
      consumers: 1,
      faults: [stall],
    };
    const history: HistoryEvent[] = [
      { seq: 0, time: 0, process: 'w1', type: 'fault-start', fault: 0, kind: 'consumer-stall' },
    ];
    const cuts = verdictCuts(
      fakeOutcome(s, false, { history, findings: [finalStateFinding(['m1', 'm3', 'm4'])] }),
    );
    const twos = cuts
      .filter((c) => c.messages.length === 2)
      .map((c) => c.messages.map((m) => m.id).join(','));
    expect(twos[0]).toBe('m1,m2');
  });
});
