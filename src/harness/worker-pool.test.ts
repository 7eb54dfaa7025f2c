/**
 * The pool's worker processes, without a broker (an idle runtime): warm spares serve the
 * workers after the first (spare-workers.ts), each a real process of its own that a kill ends
 * and the pool replaces, and nothing outlives the certification that held them.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isProcessorError } from './certify/loop.ts';
import { readHistoryFile } from '../history/history.ts';
import type { Fault } from '../model/fault.ts';
import { FaultSchedule } from '../nemesis/schedule.ts';
import { holdSpares, spareStats } from './spare-workers.ts';
import { WorkerPool } from './worker-pool.ts';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const info = { id: 'rabbitmq-4.0', kind: 'rabbitmq', host: '127.0.0.1', port: 1 } as never;

function pool(processorModule = here('../../fixtures/processors/noop.ts'), onConsuming?: () => void) {
  return new WorkerPool(
    {
      dir: mkdtempSync(join(tmpdir(), 'ackcheck-pool-')),
      processorModule,
      runtime: { module: here('./__fixtures__/idle-runtime.ts') },
      broker: info,
      target: { kind: 'rabbitmq', queue: 'q', prefetch: 1 },
      namespace: 'ns',
      runStart: Date.now(),
      processTimeoutMs: 1_000,
    },
    {
      pendingPhaseFaults: () => [],
      markFired: () => undefined,
      onAck: () => undefined,
      fire: () => undefined,
      claim: () => false,
      attempt: () => 1,
    },
    { ...(onConsuming && { onConsuming }) },
  );
}

describe("a run's first consumers", () => {
  it('start consuming together, after the slowest of them is loaded and set up', async () => {
    const flag = join(mkdtempSync(join(tmpdir(), 'ackcheck-pool-')), 'slow');
    process.env.ACKCHECK_TEST_SLOW_SETUP_FLAG = flag; // fresh processes (spares keep their env)
    process.env.ACKCHECK_NO_SPARE_WORKERS = '1';
    const consuming: number[] = [];
    const p = pool(here('./__fixtures__/slow-first-setup.ts'), () => consuming.push(Date.now()));
    try {
      const began = Date.now();
      const names = await p.addTogether(3);
      const allStarted = Date.now();
      expect(names).toEqual(['w1', 'w2', 'w3']);
      expect(allStarted - began).toBeGreaterThanOrEqual(1_500); // one of them took 1.5 s to set up
      for (let i = 0; i < 100 && consuming.length < 3; i++) await new Promise((r) => setTimeout(r, 50));
      expect(consuming).toHaveLength(3);
      // none consumed before the slow one was ready (without the barrier: two, 1.5 s earlier)
      expect(consuming.every((t) => t >= allStarted)).toBe(true);
    } finally {
      delete process.env.ACKCHECK_TEST_SLOW_SETUP_FLAG;
      delete process.env.ACKCHECK_NO_SPARE_WORKERS;
      await p.close(100);
    }
  }, 30_000);
});

describe('worker pool with warm spares', () => {
  it('starts workers from spares, replaces a killed one with a new process, and stops them all', async () => {
    const release = holdSpares();
    const takenBefore = spareStats().taken;
    const first = pool();
    await first.add(); // a fresh process; spares are forked behind it
    await first.close(100);
    for (let i = 0; i < 200 && spareStats().ready < 2; i++) await new Promise((r) => setTimeout(r, 50));
    const second = pool();
    const names = [await second.add(), await second.add()];
    expect(names).toEqual(['w1', 'w2']);
    expect(second.size).toBe(2);
    await second.kill('w1');
    for (let i = 0; i < 100 && !second.names().includes('w1#2'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(second.names()).toContain('w1#2'); // a crash is a real process death, and replaced
    expect(second.selfExits).toEqual([]); // killed from outside: not a self-exit
    await second.close(100);
    expect(second.size).toBe(0);
    expect(spareStats().taken - takenBefore).toBeGreaterThanOrEqual(2);
    await release();
    expect(spareStats().forked).toBe(0);
  }, 30_000);

  it("names the processor's setup() failing only in a worker PROCESSOR_SETUP_FAILED, not an infrastructure error", async () => {
    const failing = pool(here('./__fixtures__/setup-fails-in-worker.ts'));
    const error = await failing.add().then(
      () => undefined,
      (e: unknown) => e,
    );
    await failing.close(100);
    expect(error).toMatchObject({ code: 'PROCESSOR_SETUP_FAILED' });
    expect((error as Error).message).toContain('DATABASE_URL is not set');
    expect(isProcessorError(error)).toBe(true); // stops the certification: never skipped as a run error
  }, 30_000);
});

describe('phase faults in a pool of workers', () => {
  it('fire once per run, on whichever worker reaches them; attempts count across the workers', async () => {
    // Both workers process m1 (each is handed it as it starts, like a message two consumers
    // read): the run's attempt 1 stalls, its attempt 2 throws, whichever worker makes which.
    const faults: Fault[] = [
      {
        kind: 'consumer-stall',
        trigger: { type: 'phase', messageId: 'm1', phase: 'during-process', attempt: 1 },
        params: { holdMs: 200 },
      },
      {
        kind: 'processor-throw',
        trigger: { type: 'phase', messageId: 'm1', phase: 'before-process', attempt: 2 },
        params: {},
      },
    ];
    const schedule = new FaultSchedule(faults, () => undefined);
    const p = new WorkerPool(
      {
        dir: mkdtempSync(join(tmpdir(), 'ackcheck-pool-')),
        processorModule: here('../../fixtures/processors/noop.ts'),
        runtime: { module: here('./__fixtures__/one-message-runtime.ts') },
        broker: info,
        target: { kind: 'rabbitmq', queue: 'q', prefetch: 1 },
        namespace: 'ns',
        runStart: Date.now(),
        processTimeoutMs: 5_000,
      },
      schedule,
    );
    try {
      await Promise.all([p.add(), p.add()]);
      const ended = () =>
        p.historyFiles.flatMap(readHistoryFile).filter((e) => e.type === 'process-end').length;
      for (let i = 0; i < 200 && ended() < 2; i++) await new Promise((r) => setTimeout(r, 50));
    } finally {
      await p.close(1_000);
    }
    const events = p.historyFiles.flatMap(readHistoryFile);
    const starts = events.filter((e) => e.type === 'fault-start');
    expect(starts.map((e) => e.type === 'fault-start' && e.fault).sort()).toEqual([0, 1]);
    expect(new Set(starts.map((e) => e.process)).size).toBe(2); // one fault each, not both on each
    const ends = events.filter((e) => e.type === 'process-end');
    expect(ends.map((e) => e.type === 'process-end' && e.outcome).sort()).toEqual(['error', 'ok']);
    expect([...schedule.fired].sort()).toEqual([0, 1]);
  }, 30_000);
});
