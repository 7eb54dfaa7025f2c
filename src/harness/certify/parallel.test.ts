import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coverageSweepArbitrary, scenarioArbitrary } from '../../generate/index.ts';
import type { RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import { fakeOutcome } from './__test-helpers__/outcome.ts';
import { CertifyLoop } from './loop.ts';
import { ParallelRuns, plannedScenarios, RunGate } from './parallel.ts';

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
    expect(log.indexOf('start d')).toBeGreaterThan(log.indexOf('end c'));
    expect(log.join()).not.toContain('not alone');
  });
});

describe('ParallelRuns', () => {
  it('finds, shrinks and reports the same counterexample and path as one run at a time', async () => {
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
      expect(two.overlaps.some((o) => o.alongside > 0)).toBe(true);
    }
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
    expect(ran).toEqual([other, planned[1]]); // nothing ahead before run 4
    await parallel.run(planned[2] as Scenario); // asks for 2: runs 4 is within reach, not 3 only
    await parallel.run(planned[3] as Scenario);
    await parallel.close();
    expect(ran.slice(0, 3)).toEqual([other, planned[1], planned[2]]);
    expect(ran).toContainEqual(planned[4]);
    expect(parallel.plannedHits).toBe(3);
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
