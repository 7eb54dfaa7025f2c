import { describe, expect, it } from 'vitest';
import type { Fault, FaultKind } from '../model/fault.ts';
import { harnessInjector } from './harness-injector.ts';
import { INJECTOR, injectorFor } from './injectors.ts';

const fault = (kind: FaultKind, trigger: Fault['trigger'] = { type: 'progress', acks: 1 }): Fault => ({
  kind,
  trigger,
  params: { holdMs: 700 },
});

function fakes(names = ['w1', 'w2']) {
  const calls: string[] = [];
  const inject = harnessInjector({
    broker: { injectFault: async (f, hold) => void calls.push(`broker ${f} ${hold}`) },
    pool: {
      names: () => names,
      add: async () => void calls.push('add'),
      stop: async (n) => void calls.push(`stop ${n}`),
      restart: async (n) => void calls.push(`restart ${n}`),
      kill: async (n) => void calls.push(`kill ${n}`),
    },
    consumerPath: {
      workerInfo: {} as never,
      inject: async (kind) => {
        calls.push(`network ${kind}`);
        return { connections: 1, reset: kind === 'network-cut' ? 1 : 0, held: 0, delayed: 0 };
      },
      [Symbol.asyncDispose]: async () => undefined,
    },
  });
  return { inject, calls };
}

describe('harness injector', () => {
  it('maps every fault kind to one injector', () => {
    expect(Object.keys(INJECTOR).sort()).toEqual(
      [
        'broker-kill',
        'broker-pause',
        'broker-restart',
        'consumer-join',
        'consumer-kill',
        'consumer-leave',
        'consumer-restart',
        'network-blackhole',
        'network-cut',
        'network-latency',
        'processor-throw',
        'consumer-stall',
      ].sort(),
    );
    expect(injectorFor(fault('consumer-kill'))).toBe('consumer-pool');
    const atPhase = { type: 'phase', messageId: 'm1', phase: 'during-process', attempt: 1 } as const;
    expect(injectorFor(fault('consumer-kill', atPhase))).toBe('in-worker');
  });

  it('applies container, pool and network faults with their heal', async () => {
    const { inject, calls } = fakes();
    await inject(fault('broker-restart'));
    await inject(fault('broker-kill'));
    await inject(fault('broker-pause'));
    await inject(fault('consumer-join'));
    await inject(fault('consumer-leave'));
    await inject(fault('consumer-restart'));
    await inject(fault('consumer-kill'));
    expect(await inject(fault('network-cut'))).toMatchObject({ reset: 1 });
    expect(calls).toEqual([
      'broker restart 0',
      'broker kill 700',
      'broker pause 700',
      'add',
      'stop w1',
      'restart w1',
      'kill w1',
      'network network-cut',
    ]);
  });

  it('never lets the last consumer leave, and leaves in-worker kinds to the worker', async () => {
    const { inject, calls } = fakes(['w1']);
    await inject(fault('consumer-leave'));
    await inject(fault('processor-throw'));
    await inject(fault('consumer-stall'));
    expect(calls).toEqual([]);
  });
});
