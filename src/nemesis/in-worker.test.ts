import { describe, expect, it } from 'vitest';
import type { Fault } from '../model/fault.ts';
import { InjectedFault, InWorkerNemesis, stallMs } from './in-worker.ts';

const at = (
  kind: Fault['kind'],
  phase: 'before-process' | 'during-process' | 'after-ack',
  attempt = 1,
): Fault => ({
  kind,
  trigger: { type: 'phase', messageId: 'm1', phase, attempt },
  params: { holdMs: 1_000 },
});

function nemesis(faults: Fault[], consumerTimeout?: { timeoutMs: number; checkMs: number }) {
  const log: string[] = [];
  const n = new InWorkerNemesis({
    faults: faults.map((fault, index) => ({ index, fault })),
    broker: consumerTimeout ? { consumerTimeout } : {},
    record: (e) => log.push(`${e.type} ${e.fault}`),
    trigger: (i) => log.push(`trigger ${i}`),
    kill: async () => {
      log.push('SIGKILL');
      throw new Error('killed');
    },
    sleep: async (ms) => void log.push(`sleep ${ms}`),
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
});
