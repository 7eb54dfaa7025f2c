import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageSweepArbitrary, scenarioArbitrary } from '../../generate/index.ts';
import type { RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import { fakeOutcome } from './__test-helpers__/outcome.ts';
import { CertifyLoop } from './loop.ts';
import { DroppedRun, ParallelRuns, plannedScenarios, RunGate } from './parallel.ts';

const arbitrary = scenarioArbitrary({
  broker: 'kafka',
  semantics: 'at-least-once',
  maxMessages: 8,
  faultKinds: ['consumer-kill', 'broker-pause', 'processor-throw'],
  maxFaults: 2,
});

const outcome = (scenario: Scenario, valid: boolean): RunOutcome => fakeOutcome(scenario, valid);

const tick = () => new Promise((r) => setTimeout(r, 1));
/** The fake processor's bug: any scenario with 6 or more messages fails. */
const fails = (s: Scenario) => s.messages.length >= 6;
const alone = (s: Scenario) => s.faults.some((f) => f.kind.startsWith('broker-'));

/** certify()'s wiring with a fake run: what fast-check concludes, and what ran at once. */
async function certifyWithFake(concurrency: number, seed: number, runs: number) {
  let running = 0;
  const overlaps: { scenario: Scenario; alongside: number }[] = [];
  const runOne = async (scenario: Scenario) => {
    running += 1;
    overlaps.push({ scenario, alongside: running - 1 });
    await tick();
    await tick();
    running -= 1;
    return outcome(scenario, !fails(scenario));
  };
  const parallel = new ParallelRuns(runOne, {
    concurrency,
    planned: plannedScenarios(arbitrary, seed, runs),
    wanted: runs,
    alone,
  });
  const loop = new CertifyLoop(parallel.run, { requestedRuns: runs, shrinkBudgetMs: 60_000 });
  const details = await fc.check(loop.property(arbitrary), { seed, numRuns: runs, endOnFailure: false });
  await loop.close();
  await parallel.close();
  return { details, loop, overlaps, parallel };
}

describe('plannedScenarios', () => {
  it('draws the scenarios of fast-check runs 0..n-1, and path i redraws run i', async () => {
    const seen: Scenario[] = [];
    await fc.check(
      fc.asyncProperty(arbitrary, async (s) => {
        seen.push(s);
        return true;
      }),
      { seed: 42, numRuns: 30 },
    );
    const planned = plannedScenarios(arbitrary, 42, 30);
    expect(planned).toEqual(seen);
    for (const i of [0, 7, 29]) {
      const replayed: Scenario[] = [];
      await fc.check(
        fc.asyncProperty(arbitrary, async (s) => {
          replayed.push(s);
          return false;
        }),
        { seed: 42, path: String(i), endOnFailure: true },
      );
      expect(replayed[0]).toEqual(planned[i]);
    }
  });
});

describe('RunGate', () => {
  it('runs shared work up to the limit together, and work that must run alone by itself, in order', async () => {
    const gate = new RunGate(2);
    const log: string[] = [];
    let running = 0;
    let most = 0;
    const job = (name: string, isAlone: boolean) =>
      gate.run(isAlone, async () => {
        running += 1;
        most = Math.max(most, running);
        log.push(`start ${name}${running > 1 && isAlone ? ' (not alone!)' : ''}`);
        await tick();
        log.push(`end ${name}`);
        running -= 1;
      });
    await Promise.all([job('a', false), job('b', false), job('c', true), job('d', false), job('e', false)]);
    expect(most).toBe(2);
    expect(log.indexOf('start c')).toBeGreaterThan(Math.max(log.indexOf('end a'), log.indexOf('end b')));
    expect(log.indexOf('start e')).toBeGreaterThan(log.indexOf('end c'));
    expect(log.join()).not.toContain('not alone');
  });

  it('fills a free lane while an alone run waits for a long run, and stops once the long run ended', async () => {
    const gate = new RunGate(2);
    const release = new Map<string, () => void>();
    const log: string[] = [];
    const job = (name: string, isAlone = false) =>
      gate.run(isAlone, async () => {
        log.push(`start ${name}`);
        await new Promise<void>((r) => release.set(name, r));
        log.push(`end ${name}`);
      });
    const settle = async () => {
      for (let i = 0; i < 5; i++) await tick();
    };
    const end = async (name: string) => {
      release.get(name)?.();
      await settle();
    };
    const all = Promise.all([
      job('long'),
      job('s1'),
      job('A', true),
      job('s2'),
      job('s3'),
      job('s4'),
      job('B', true),
      job('s5'),
    ]);
    await settle();
    expect(log).toEqual(['start long', 'start s1']);
    await end('s1'); // A waits for long: s2 takes the free lane
    expect(log.at(-1)).toBe('start s2');
    await end('s2');
    expect(log.at(-1)).toBe('start s3');
    await end('long'); // what A waited for has ended: nothing more overtakes, A waits for s3 only
    expect(log.at(-1)).toBe('end long');
    await end('s3');
    expect(log.at(-1)).toBe('start A');
    await end('A');
    // s4 starts; B waits for it, and s5 takes the other lane meanwhile
    expect(log.slice(-2)).toEqual(['start s4', 'start s5']);
    await end('s4');
    expect(log.at(-1)).toBe('end s4'); // B waits for s5, which started while s4 ran
    await end('s5');
    expect(log.at(-1)).toBe('start B');
    await end('B');
    await all;
    expect(log.filter((l) => l.startsWith('start'))).toEqual(
      ['long', 's1', 's2', 's3', 'A', 's4', 's5', 'B'].map((n) => `start ${n}`),
    );
  });

  it('drops a queued run whose dropped() turned true (prune), and never starts it', async () => {
    const gate = new RunGate(1);
    let release: () => void = () => undefined;
    const started: string[] = [];
    let drop = false;
    const first = gate.run(false, async () => {
      started.push('a');
      await new Promise<void>((r) => (release = r));
    });
    const second = gate.run(
      false,
      async () => void started.push('b'),
      () => drop,
    );
    const third = gate.run(false, async () => void started.push('c'));
    drop = true;
    gate.prune();
    await expect(second).rejects.toBeInstanceOf(DroppedRun);
    release();
    await first;
    await third;
    expect(started).toEqual(['a', 'c']);
  });
});

describe('ParallelRuns', () => {
  it('finds, shrinks and reports the same counterexample and path as one run at a time', async () => {
    let overlapped = false;
    for (const seed of [1, 2, 3, 4]) {
      const one = await certifyWithFake(1, seed, 20);
      const two = await certifyWithFake(3, seed, 20);
      expect(two.details.failed).toBe(one.details.failed);
      expect(two.details.counterexamplePath).toBe(one.details.counterexamplePath);
      expect(two.details.counterexample).toEqual(one.details.counterexample);
      expect(two.loop.runs).toBe(one.loop.runs);
      // Every run before the failure came from the plan (none was run a second time).
      expect(two.parallel.plannedHits).toBe(one.details.failed ? one.details.numRuns : 20);
      expect(two.loop.best?.scenario).toEqual(one.loop.best?.scenario);
      if (one.details.failed) {
        // The reported path replays the shrunk counterexample.
        const replayed: Scenario[] = [];
        await fc.check(
          fc.asyncProperty(arbitrary, async (s) => {
            replayed.push(s);
            return !fails(s);
          }),
          { seed, path: one.details.counterexamplePath ?? '', endOnFailure: true },
        );
        expect(replayed[0]).toEqual(one.details.counterexample?.[0]);
      }
      expect(one.overlaps.every((o) => o.alongside === 0)).toBe(true);
      // Runs that must be alone were; the others overlapped.
      expect(two.overlaps.filter((o) => alone(o.scenario)).every((o) => o.alongside === 0)).toBe(true);
      // (a seed whose runs before the failure must all run alone has nothing to overlap)
      overlapped ||= two.overlaps.some((o) => o.alongside > 0);
    }
    expect(overlapped).toBe(true);
  });

  it('runs what fast-check drew when it differs from the plan, and starts nothing ahead before aheadFrom', async () => {
    const ran: Scenario[] = [];
    const planned = plannedScenarios(arbitrary, 5, 6);
    const parallel = new ParallelRuns(async (s) => (ran.push(s), outcome(s, true)), {
      concurrency: 3,
      planned,
      wanted: 6,
      alone: () => false,
      aheadFrom: 4,
    });
    const other = fc.sample(arbitrary, { seed: 99, numRuns: 1 })[0] as Scenario;
    await parallel.run(other); // run 0, drawn differently (e.g. the sweep saw other coverage)
    await parallel.run(planned[1] as Scenario);
    // nothing ahead before run 4; from run 4 on, the plan is queued
    expect(ran).not.toContainEqual(planned[2]);
    expect(ran).not.toContainEqual(planned[3]);
    expect(ran).toContainEqual(planned[4]);
    await parallel.run(planned[2] as Scenario);
    await parallel.run(planned[3] as Scenario);
    await parallel.close();
    expect(ran[0]).toBe(other);
    expect(ran.filter((s) => planned.slice(1, 4).includes(s))).toHaveLength(3); // each once
    expect(parallel.plannedHits).toBe(3);
  });

  it('a long run holds one lane only: the planned runs after it go on in the other lanes', async () => {
    const planned = plannedScenarios(arbitrary, 11, 8).map((s) => ({ ...s, faults: [] })); // none alone
    let release: () => void = () => undefined;
    const ran: Scenario[] = [];
    const parallel = new ParallelRuns(
      async (s) => {
        ran.push(s);
        if (s === planned[0]) await new Promise<void>((r) => (release = r));
        return outcome(s, true);
      },
      { concurrency: 2, planned, wanted: 8, alone: () => false },
    );
    const first = parallel.run(planned[0] as Scenario); // fast-check waits for run 0 ...
    for (let i = 0; i < 20; i++) await tick();
    expect(ran).toEqual(planned); // ... while the other lane ran all the others
    release();
    await first;
    for (const s of planned.slice(1)) await parallel.run(s);
    expect(parallel.plannedHits).toBe(8);
    await parallel.close();
  });

  it('after a run started ahead fails, the queued runs after it are dropped; those before it still run', async () => {
    const planned = plannedScenarios(arbitrary, 12, 8).map((s) => ({ ...s, faults: [] }));
    let release: () => void = () => undefined;
    const ran: Scenario[] = [];
    const parallel = new ParallelRuns(
      async (s) => {
        ran.push(s);
        if (s === planned[0]) await new Promise<void>((r) => (release = r));
        return outcome(s, s !== planned[2]); // run 2 fails
      },
      { concurrency: 2, planned, wanted: 8, alone: () => false },
    );
    const first = parallel.run(planned[0] as Scenario);
    for (let i = 0; i < 20; i++) await tick();
    // Run 2 failed while run 0 was still going: run 3 may have started alongside, no later one.
    expect(ran.slice(0, 3)).toEqual(planned.slice(0, 3));
    expect(ran.length).toBeLessThanOrEqual(4);
    release();
    await first;
    expect((await parallel.run(planned[1] as Scenario)).verdict.valid).toBe(true);
    expect((await parallel.run(planned[2] as Scenario)).verdict.valid).toBe(false);
    await parallel.close();
    expect(ran.length).toBeLessThanOrEqual(4);
  });

  it("plans from a fresh instance of a counting (coverage sweep) arbitrary without disturbing fast-check's", async () => {
    for (const faultKinds of [[], ['consumer-kill', 'broker-kill', 'processor-throw']] as const) {
      const sweep = () =>
        coverageSweepArbitrary(
          { broker: 'rabbitmq', semantics: 'at-least-once', maxMessages: 6, faultKinds, maxConsumers: 3 },
          { seed: 8, sweepRuns: 9 },
        );
      const seen: Scenario[] = [];
      await fc.check(
        fc.asyncProperty(sweep(), async (s) => {
          seen.push(s);
          return true;
        }),
        { seed: 8, numRuns: 12 },
      );
      expect(plannedScenarios(sweep(), 8, 12)).toEqual(seen);
    }
  });

  it("starts the coverage sweep's runs ahead too, and shrinks to the same counterexample and path", async () => {
    const sweep = () =>
      coverageSweepArbitrary(
        {
          broker: 'rabbitmq',
          semantics: 'at-least-once',
          maxMessages: 8,
          faultKinds: ['consumer-kill', 'broker-kill', 'processor-throw'],
          maxFaults: 2,
        },
        { seed: 3, sweepRuns: 15 },
      );
    const certifySweep = async (concurrency: number, failing: (s: Scenario) => boolean) => {
      let running = 0;
      const overlaps: { scenario: Scenario; alongside: number }[] = [];
      const parallel = new ParallelRuns(
        async (scenario) => {
          running += 1;
          overlaps.push({ scenario, alongside: running - 1 });
          await tick();
          await tick();
          running -= 1;
          return outcome(scenario, !failing(scenario));
        },
        { concurrency, planned: plannedScenarios(sweep(), 3, 20), wanted: 20, alone },
      );
      const loop = new CertifyLoop(parallel.run, { requestedRuns: 20, shrinkBudgetMs: 60_000 });
      const details = await fc.check(loop.property(sweep()), { seed: 3, numRuns: 20, endOnFailure: false });
      await loop.close();
      await parallel.close();
      return { details, overlaps, parallel };
    };
    const passing = await certifySweep(3, () => false);
    expect(passing.parallel.plannedHits).toBe(20);
    const sweepOverlaps = passing.overlaps.slice(0, 15);
    expect(sweepOverlaps.some((o) => o.alongside > 0)).toBe(true);
    expect(passing.overlaps.filter((o) => alone(o.scenario)).every((o) => o.alongside === 0)).toBe(true);
    // A bug found in the sweep (a crash fault with 3 or more messages): the same with 1 and 3 at once.
    const bug = (s: Scenario) => s.messages.length >= 3 && s.faults.some((f) => f.kind === 'consumer-kill');
    const one = await certifySweep(1, bug);
    const three = await certifySweep(3, bug);
    expect(one.details.failed).toBe(true);
    expect(three.details.counterexamplePath).toBe(one.details.counterexamplePath);
    expect(three.details.counterexample).toEqual(one.details.counterexample);
  });
});
