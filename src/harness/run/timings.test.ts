import { describe, expect, it } from 'vitest';
import { RunClock, runTimings } from './timings.ts';

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
      { type: 'fault-heal', time: 1_400, process: 'harness' },
    ] as const;
    expect(runTimings(clock.marks, history, clock.elapsed())).toEqual({
      provision: 100,
      produce: 50,
      workerStart: 250,
      consumeStart: 50,
      firstDelivery: 500,
      drainDetection: 500,
      consume: 1_100,
      teardown: 100,
      observe: 50,
      reference: 50,
      check: 10,
      dispose: 90,
      total: 1_800,
    });
  });

  it('leaves out the phases a run did not reach', () => {
    const t = runTimings({ provisioned: 80, produced: 90 }, [], 95);
    expect(t).toEqual({ provision: 80, produce: 10, total: 95 });
  });
});
