import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { scenarioArbitrary } from '../../generate/index.ts';
import type { RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import { CertifyLoop } from './loop.ts';
import { ParallelRuns, plannedScenarios, RunGate } from './parallel.ts';

const arbitrary = scenarioArbitrary({
  broker: 'kafka',
  semantics: 'at-least-once',
  maxMessages: 8,
  faultKinds: ['consumer-kill', 'broker-pause', 'processor-throw'],
  maxFaults: 2,
});

const outcome = (scenario: Scenario, valid: boolean): RunOutcome => ({
  scenario,
  history: [],
  finalState: null,
  referenceState: null,
  drained: true,
  durationMs: 1,
  verdict: {
    valid,
    errors: [],
    stats: {
      attempted: 0,
      acknowledged: 0,
      unknown: 0,
      processed: 0,
      lost: 0,
      duplicated: 0,
      unexpected: 0,
      recovered: 0,
    },
    findings: [],
  },
});

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

  it('runs a scenario fast-check asks for that was not planned (a shrink step) directly', async () => {
    const ran: Scenario[] = [];
    const parallel = new ParallelRuns(async (s) => (ran.push(s), outcome(s, true)), {
      concurrency: 2,
      planned: plannedScenarios(arbitrary, 5, 4),
      wanted: 4,
      alone,
    });
    const other = fc.sample(arbitrary, { seed: 99, numRuns: 1 })[0] as Scenario;
    await parallel.run(other);
    await parallel.close();
    expect(ran).toEqual([other]);
  });
});
