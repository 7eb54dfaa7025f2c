import { describe, expect, it } from 'vitest';
import type { Fault } from '../model/fault.ts';
import { FaultSchedule } from './schedule.ts';

const phase = (kind: Fault['kind'], messageId = 'm1'): Fault => ({
  kind,
  trigger: { type: 'phase', messageId, phase: 'during-process', attempt: 1 },
  params: {},
});
const progress = (kind: Fault['kind'], acks: number): Fault => ({
  kind,
  trigger: { type: 'progress', acks },
  params: {},
});

function setup(faults: Fault[]) {
  const events: Array<{ type: string; fault: number }> = [];
  const applied: string[] = [];
  let clock = 1_000;
  const schedule = new FaultSchedule(
    faults,
    (e) => events.push(e),
    () => clock,
  );
  schedule.useInjector(async (f) => {
    applied.push(f.kind);
    clock += 500;
    return undefined;
  });
  return { schedule, events, applied };
}

describe('FaultSchedule', () => {
  it('fires a progress fault once its ack count is reached, once, and records start and heal', async () => {
    const { schedule, events, applied } = setup([progress('broker-restart', 2)]);
    schedule.checkProgress();
    schedule.onAck();
    expect(applied).toEqual([]);
    schedule.onAck();
    schedule.onAck();
    await schedule.settled();
    expect(applied).toEqual(['broker-restart']);
    expect(events).toEqual([
      { type: 'fault-start', fault: 0, kind: 'broker-restart' },
      { type: 'fault-heal', fault: 0, kind: 'broker-restart' },
    ]);
    expect(schedule.lastHealAt).toBe(1_500);
  });

  it('applies harness faults one after another, in the order they fired', async () => {
    const { schedule, applied } = setup([phase('consumer-join'), phase('broker-pause', 'm2')]);
    schedule.fire(1);
    schedule.fire(0);
    schedule.fire(1); // a second trigger of the same fault is ignored
    await schedule.settled();
    expect(applied).toEqual(['broker-pause', 'consumer-join']);
  });

  it('keeps one record of what fired: a fault a worker fired is no longer handed to new workers', () => {
    const { schedule } = setup([
      phase('consumer-kill'),
      phase('consumer-stall', 'm2'),
      progress('consumer-join', 1),
    ]);
    expect(schedule.pendingPhaseFaults().map((f) => f.index)).toEqual([0, 1]);
    schedule.markFired(0);
    expect(schedule.pendingPhaseFaults().map((f) => f.index)).toEqual([1]);
    expect([...schedule.fired]).toEqual([0]);
  });

  it('a fault whose injection fails still ends (the run goes on) and counts as healed then', async () => {
    const events: unknown[] = [];
    const schedule = new FaultSchedule(
      [progress('broker-kill', 0)],
      (e) => events.push(e),
      () => 42,
    );
    schedule.useInjector(async () => {
      throw new Error('docker went away');
    });
    schedule.checkProgress();
    await schedule.settled();
    expect(events).toEqual([{ type: 'fault-start', fault: 0, kind: 'broker-kill' }]);
    expect(schedule.lastHealAt).toBe(42);
  });

  it('a phase fault is claimed once: the first worker to reach it fires it, and new workers are not handed it', async () => {
    const { schedule, applied } = setup([phase('consumer-stall'), phase('consumer-join', 'm2')]);
    expect(schedule.claim(0)).toBe(true);
    expect(schedule.claim(0)).toBe(false);
    expect(schedule.pendingPhaseFaults().map((f) => f.index)).toEqual([1]);
    // A harness fault: claimed by the worker that reached it, then applied once.
    expect(schedule.claim(1)).toBe(true);
    schedule.fire(1);
    schedule.fire(1);
    await schedule.settled();
    expect(applied).toEqual(['consumer-join']);
    expect(schedule.claim(7)).toBe(false); // no such fault
  });

  it('numbers the attempts at a delivery across the workers that ask', () => {
    const { schedule } = setup([phase('consumer-kill')]);
    expect([schedule.attempt('m1', 0), schedule.attempt('m1', 0), schedule.attempt('m1', 1)]).toEqual([
      1, 2, 1,
    ]);
  });
});
