import { describe, expect, it } from 'vitest';
import type { Fault } from '../model/fault.ts';
import { InjectedFault, InWorkerNemesis, stallEnd, stallMs } from './in-worker.ts';
import { FaultSchedule } from './schedule.ts';

const at = (
  kind: Fault['kind'],
  phase: 'before-process' | 'during-process' | 'after-ack',
  attempt = 1,
): Fault => ({
  kind,
  trigger: { type: 'phase', messageId: 'm1', phase, attempt },
  params: { holdMs: 1_000 },
});

function nemesis(
  faults: Fault[],
  consumerTimeout?: { timeoutMs: number; checkMs: number },
  schedule = new FaultSchedule(faults, () => undefined),
  /** When the oldest delivery the worker holds arrived, on the fake clock (which sleep advances). */
  heldSince: (now: number) => number | undefined = () => undefined,
) {
  const log: string[] = [];
  let clock = 10_000;
  const n = new InWorkerNemesis({
    claim: async (i) => schedule.claim(i),
    attempt: async (id, copy) => {
      log.push(`ask ${id}`);
      return schedule.attempt(id, copy);
    },
    faults: faults.map((fault, index) => ({ index, fault })),
    broker: consumerTimeout ? { consumerTimeout } : {},
    record: (e) => log.push(`${e.type} ${e.fault}`),
    trigger: (i) => log.push(`trigger ${i}`),
    kill: async () => {
      log.push('SIGKILL');
      throw new Error('killed');
    },
    sleep: async (ms) => {
      log.push(`sleep ${ms}`);
      clock += ms;
    },
    now: () => clock,
    heldSince: () => heldSince(clock),
  });
  return { n, log };
}

describe('in-worker nemesis', () => {
  it('fires only at the exact message, phase and attempt, once', async () => {
    const { n, log } = nemesis([at('consumer-stall', 'during-process', 2)]);
    await n.fire('m1', 'during-process', 1);
    await n.fire('m2', 'during-process', 2);
    await n.fire('m1', 'before-process', 2);
    expect(log).toEqual([]);
    await n.fire('m1', 'during-process', 2);
    await n.fire('m1', 'during-process', 2);
    expect(log).toEqual(['fault-start 0', 'sleep 1000', 'fault-heal 0']);
  });

  it('a throw surfaces as InjectedFault; a kill is a kill; harness kinds are handed over', async () => {
    const { n, log } = nemesis([
      at('processor-throw', 'before-process'),
      at('consumer-kill', 'after-ack'),
      at('broker-restart', 'during-process'),
    ]);
    await expect(n.fire('m1', 'before-process', 1)).rejects.toBeInstanceOf(InjectedFault);
    await n.fire('m1', 'during-process', 1);
    await expect(n.fire('m1', 'after-ack', 1)).rejects.toThrow('killed');
    expect(log).toEqual([
      'fault-start 0',
      'fault-heal 0',
      'fault-start 2',
      'trigger 2',
      'fault-start 1',
      'SIGKILL',
    ]);
  });

  it('a stall outlasts the broker consumer timeout where one is known', () => {
    expect(stallMs(at('consumer-stall', 'during-process'), {})).toBe(1_000);
    expect(
      stallMs(at('consumer-stall', 'during-process'), {
        consumerTimeout: { timeoutMs: 5_000, checkMs: 1_000 },
      }),
    ).toBe(6_500);
  });

  it('a stall goes past the consumer timeout only while the worker holds an unacknowledged delivery', () => {
    const stall = at('consumer-stall', 'during-process'); // holdMs 1 s
    const rabbit = { consumerTimeout: { timeoutMs: 4_000, checkMs: 500 } };
    // Nothing held (after-ack, noAck): holdMs, as on a broker without a timeout.
    expect(stallEnd(stall, rabbit, 100_000, undefined)).toBe(101_000);
    expect(stallEnd(stall, {}, 100_000, 99_000)).toBe(101_000);
    // The delivery it stalls on arrived 200 ms before: its timeout, one check and holdMs / 2 after that.
    expect(stallEnd(stall, rabbit, 100_000, 99_800)).toBe(99_800 + 4_000 + 500 + 500);
    // Never past stallMs() from the start (a delivery received late in the stall).
    expect(stallEnd(stall, rabbit, 100_000, 100_900)).toBe(100_000 + stallMs(stall, rabbit));
    // Held long enough before the stall that the broker takes it back within holdMs: holdMs.
    expect(stallEnd(stall, rabbit, 100_000, 90_000)).toBe(101_000);
  });

  it('a stall holding nothing ends after holdMs; one holding a delivery waits for the broker to take it back', async () => {
    const timeout = { timeoutMs: 4_000, checkMs: 500 };
    const stall = [at('consumer-stall', 'during-process')];
    const idle = nemesis(stall, timeout);
    await idle.n.fire('m1', 'during-process', 1);
    expect(idle.log).toEqual(['fault-start 0', 'sleep 1000', 'fault-heal 0']);

    const holding = nemesis(stall, timeout, undefined, () => 9_900); // clock starts at 10 000
    await holding.n.fire('m1', 'during-process', 1);
    expect(holding.log).toEqual(['fault-start 0', 'sleep 4900', 'fault-heal 0']);

    // A delivery that arrived during the stall and is still held when it would end keeps it going.
    const late = nemesis(stall, timeout, undefined, (now) => (now >= 11_000 ? 10_500 : undefined));
    await late.n.fire('m1', 'during-process', 1);
    expect(late.log).toEqual(['fault-start 0', 'sleep 1000', 'sleep 4000', 'fault-heal 0']); // at most stallMs(), 5 s
  });
});

describe('in-worker nemesis: a run of several workers', () => {
  it('a fault fires on the first worker to reach it, never on a second one', async () => {
    const faults = [at('consumer-stall', 'during-process')];
    const schedule = new FaultSchedule(faults, () => undefined);
    const first = nemesis(faults, undefined, schedule);
    const second = nemesis(faults, undefined, schedule);
    await first.n.fire('m1', 'during-process', 1);
    await second.n.fire('m1', 'during-process', 1);
    expect(first.log).toEqual(['fault-start 0', 'sleep 1000', 'fault-heal 0']);
    expect(second.log).toEqual([]);
  });

  it('numbers attempts across the workers, asking the harness only for a message a fault is on', async () => {
    const faults = [at('processor-throw', 'before-process', 2)];
    const schedule = new FaultSchedule(faults, () => undefined);
    const first = nemesis(faults, undefined, schedule);
    const second = nemesis(faults, undefined, schedule);
    expect(await first.n.begin('m2', 0, 1)).toBe(1); // no fault on m2: this worker's own count
    expect(first.log).toEqual([]);
    expect(await first.n.begin('m1', 0, 1)).toBe(1);
    await first.n.fire('m1', 'before-process', 1);
    // The second worker's first attempt at m1 is the run's second: the throw is its.
    const attempt = await second.n.begin('m1', 0, 1);
    expect(attempt).toBe(2);
    await expect(second.n.fire('m1', 'before-process', attempt)).rejects.toBeInstanceOf(InjectedFault);
    expect(first.log).toEqual(['ask m1']);
    // Once it has fired, the second worker no longer asks.
    expect(await second.n.begin('m1', 0, 2)).toBe(2);
    expect(second.log).toEqual(['ask m1', 'fault-start 0', 'fault-heal 0']);
  });
});
