import { describe, expect, it } from 'vitest';
import type { HistoryEventInput } from '../../model/history.ts';
import type { Published } from './deliveries.ts';
import {
  COMPLETE_QUIET_MS,
  type DrainDeps,
  type DrainPool,
  drain,
  HELD_MAX_MS,
  MAX_REFRESHES,
  QUIET_MS,
  STUCK_MS,
} from './drain.ts';

/** A fake run: a clock that advances on sleep, a broker count and worker histories to script. */
function fakeRun(script: {
  remaining: (t: number) => number;
  unacknowledged?: (t: number) => number | undefined;
  histories?: (t: number) => HistoryEventInput[][];
  published?: readonly Published[];
}) {
  let t = 0;
  const recorded: string[] = [];
  const restarts: string[] = [];
  const pool: DrainPool = {
    failure: undefined,
    stuck: [],
    crashLooping: false,
    size: 1,
    historyFiles: ['w1'],
    liveHistoryFiles: () => ['w1'],
    names: () => ['w1'],
    restart: async (n) => void restarts.push(`${n}@${t}`),
  };
  const deps: DrainDeps = {
    pool,
    remaining: async () => script.remaining(t),
    ...(script.unacknowledged ? { unacknowledged: async () => script.unacknowledged?.(t) } : {}),
    ...(script.published ? { published: script.published } : {}),
    settled: async () => undefined,
    lastHealAt: () => 0,
    readHistory: () => script.histories?.(t)[0] ?? [],
    record: (e) => void recorded.push(`${e.type}@${t}`),
    now: () => t,
    sleep: async (ms) => {
      t += ms;
    },
  };
  return { deps, recorded, restarts, pool, time: () => t };
}

const begin = { type: 'process-begin', id: 'm1', copy: 0, attempt: 1, time: 0, process: 'w1' } as const;
const deliver = { type: 'deliver', id: 'm1', copy: 0, redelivered: false, time: 0, process: 'w1' } as const;
const end = {
  type: 'process-end',
  id: 'm1',
  copy: 0,
  attempt: 1,
  outcome: 'ok',
  time: 1,
  process: 'w1',
} as const;
const ack = { type: 'ack', id: 'm1', copy: 0, time: 2, process: 'w1' } as const;
const published: Published[] = [{ id: 'm1', copy: 0, outcome: 'ok' }];

describe('drain', () => {
  it('ends drained once nothing remains and the history was quiet for a moment', async () => {
    const run = fakeRun({ remaining: (t) => (t < 1_000 ? 3 : 0) });
    expect(await drain(run.deps, 60_000)).toBe(true);
    expect(run.time()).toBeGreaterThanOrEqual(1_000);
    expect(run.recorded).toEqual([]);
  });

  it('is not drained while a live worker is inside process() (a held delivery the count leaves out)', async () => {
    const run = fakeRun({ remaining: () => 0, histories: (t) => [t < 5_000 ? [begin] : []] });
    expect(await drain(run.deps, 60_000)).toBe(true);
    expect(run.time()).toBeGreaterThanOrEqual(5_000);
  });

  it('is not drained while the broker counts unacknowledged deliveries, with a quiet history', async () => {
    const run = fakeRun({ remaining: () => 0, unacknowledged: (t) => (t < 2_000 ? 4 : 0) });
    expect(await drain(run.deps, 60_000)).toBe(true);
    expect(run.time()).toBeGreaterThanOrEqual(2_000);
    const unknown = fakeRun({ remaining: () => 0, unacknowledged: () => undefined });
    expect(await drain(unknown.deps, 60_000)).toBe(true); // cannot tell: today's rule
  });

  it('holds on while a live worker holds an unacknowledged delivery the broker reads as 0 (a quorum queue)', async () => {
    // Delivered at 0, held quietly (a batch waiting to fill), processed and acknowledged at 3 s;
    // rabbitmqctl's count of a quorum queue (Ra's tick) says 0 all along.
    const run = fakeRun({
      remaining: () => 0,
      unacknowledged: () => 0,
      histories: (t) => [t < 3_000 ? [deliver] : [deliver, begin, end, ack]],
      published,
    });
    expect(await drain(run.deps, 60_000)).toBe(true);
    expect(run.time()).toBeGreaterThanOrEqual(3_000);
  });

  it('ends soon after the histories show every message done, without asking the broker', async () => {
    const asked: number[] = [];
    const run = fakeRun({
      remaining: () => 0,
      unacknowledged: (t) => (asked.push(t), 0),
      histories: () => [[deliver, begin, end, ack]],
      published,
    });
    expect(await drain(run.deps, 60_000)).toBe(true);
    expect(run.time()).toBeGreaterThanOrEqual(COMPLETE_QUIET_MS);
    expect(run.time()).toBeLessThan(QUIET_MS);
    expect(asked).toEqual([]);
    // Not every message done (one of unknown outcome never came): the broker is asked after the quiet window.
    const unsure = fakeRun({
      remaining: () => 0,
      unacknowledged: (t) => (asked.push(t), 0),
      histories: () => [[deliver, begin, end, ack]],
      published: [...published, { id: 'm2', copy: 0, outcome: 'info' }],
    });
    expect(await drain(unsure.deps, 60_000)).toBe(true);
    expect(asked).toHaveLength(1);
    expect(unsure.time()).toBeGreaterThanOrEqual(QUIET_MS);
  });

  it('lets the broker decide when a delivery stays held past the bound (settled without a report)', async () => {
    const run = fakeRun({
      remaining: () => 0,
      unacknowledged: () => 0,
      histories: () => [[deliver]],
      published,
    });
    expect(await drain(run.deps, 60_000)).toBe(true);
    expect(run.time()).toBeGreaterThanOrEqual(HELD_MAX_MS);
    expect(run.time()).toBeLessThan(HELD_MAX_MS + 1_000);
  });

  it('where the broker counts unacknowledged deliveries itself (Kafka), holds on only for one acknowledged and not processed', async () => {
    const unacked = fakeRun({ remaining: () => 0, histories: () => [[deliver]], published });
    expect(await drain(unacked.deps, 60_000)).toBe(true);
    expect(unacked.time()).toBeLessThan(HELD_MAX_MS);
    const acked = { ...ack, time: 0 };
    const atMostOnce = fakeRun({
      remaining: () => 0,
      histories: (t) => [t < 2_000 ? [deliver, acked] : [deliver, acked, begin, end]],
      published,
    });
    expect(await drain(atMostOnce.deps, 60_000)).toBe(true);
    expect(atMostOnce.time()).toBeGreaterThanOrEqual(2_000);
  });

  it('replaces consumers stuck after the heal (recorded for the verdict), at most a few times', async () => {
    const run = fakeRun({ remaining: () => 2 });
    expect(await drain(run.deps, 60_000)).toBe(false);
    expect(run.restarts).toHaveLength(MAX_REFRESHES);
    expect(run.recorded.filter((r) => r.startsWith('fault-start'))).toHaveLength(MAX_REFRESHES);
    expect(Number(run.restarts[0]?.split('@')[1])).toBeGreaterThan(STUCK_MS);
  });

  it('stops at the deadline when messages remain, and at once when process() hung', async () => {
    const run = fakeRun({ remaining: () => 1 });
    expect(await drain(run.deps, 5_000)).toBe(false);
    expect(run.time()).toBeLessThanOrEqual(5_250);
    const hung = fakeRun({ remaining: () => 1 });
    (hung.pool as unknown as { stuck: unknown[] }).stuck = [{ id: 'm1' }];
    expect(await drain(hung.deps, 60_000)).toBe(false);
    expect(hung.time()).toBe(0);
  });

  it('rethrows a worker start-up failure', async () => {
    const run = fakeRun({ remaining: () => 1 });
    (run.pool as unknown as { failure: Error | undefined }).failure = new Error('bad runtime module');
    await expect(drain(run.deps, 60_000)).rejects.toThrow('bad runtime module');
  });
});
