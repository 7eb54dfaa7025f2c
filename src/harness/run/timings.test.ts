import { describe, expect, it } from 'vitest';
import { faultSpans, RunClock, runTimings } from './timings.ts';

describe('run timings', () => {
  it('turns the marks and the history into phases', () => {
    let now = 1_000;
    const clock = new RunClock(1_000, () => now);
    const at = (t: number, mark: Parameters<RunClock['mark']>[0]) => {
      now = 1_000 + t;
      clock.mark(mark);
    };
    at(100, 'provisioned');
    at(150, 'produced');
    at(400, 'workersStarted');
    at(450, 'consuming');
    at(450, 'consuming'); // a second worker: the first mark stays
    at(1_500, 'drained');
    at(1_600, 'closed');
    at(1_650, 'observed');
    at(1_700, 'referenced');
    at(1_710, 'checked');
    at(1_800, 'disposed');
    const history = [
      { type: 'produce', time: 120, process: 'producer' },
      { type: 'deliver', time: 900, process: 'w1' },
      { type: 'ack', time: 1_000, process: 'w1' },
      { type: 'fault-start', time: 1_100, process: 'harness', fault: 0 },
      { type: 'deliver', time: 1_300, process: 'w2' },
      { type: 'fault-heal', time: 1_400, process: 'harness', fault: 0 },
      { type: 'ack', time: 1_450, process: 'w2' },
    ] as const;
    expect(runTimings(clock.marks, history, clock.elapsed())).toEqual({
      provision: 100,
      produce: 50,
      workerStart: 250,
      consumeStart: 50,
      firstDelivery: 500,
      drainDetection: 50,
      consume: 1_100,
      faults: 300,
      afterHeal: 50,
      teardown: 100,
      observe: 50,
      reference: 50,
      check: 10,
      dispose: 90,
      total: 1_800,
    });
  });

  it('counts the time at least one fault was in effect: overlapping spans once, a crash (no heal) not at all', () => {
    const e = (type: 'fault-start' | 'fault-heal', time: number, process: string, fault: number) => ({
      type,
      time,
      process,
      fault,
    });
    expect(
      faultSpans([
        e('fault-start', 100, 'harness', 0),
        e('fault-start', 150, 'w1', 1), // a stall in a worker, inside the harness fault
        e('fault-heal', 300, 'w1', 1),
        e('fault-heal', 400, 'harness', 0),
        e('fault-start', 500, 'w2', 0), // a crash: never healed
        e('fault-start', 1_000, 'harness', 2),
        e('fault-heal', 1_250, 'harness', 2),
      ]),
    ).toEqual({ inEffect: 550, lastHeal: 1_250 });
    expect(faultSpans([e('fault-start', 5, 'w1', 0)])).toEqual({ inEffect: 0 });
  });

  it('leaves out the phases a run did not reach', () => {
    const t = runTimings({ provisioned: 80, produced: 90 }, [], 95);
    expect(t).toEqual({ provision: 80, produce: 10, total: 95 });
  });
});
