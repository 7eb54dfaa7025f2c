import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AckcheckError } from '../../errors.ts';
import type { RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import { CoverageTally } from '../../model/coverage.ts';
import { fakeOutcome } from './__test-helpers__/outcome.ts';
import { CertifyLoop } from './loop.ts';

const scenario = (n: number): Scenario => ({
  broker: 'rabbitmq',
  semantics: 'at-least-once',
  messages: Array.from({ length: n }, (_, i) => ({ id: `m${i + 1}`, key: 'k', payload: { n: i } })),
  producerDuplicates: [],
  consumers: 1,
  faults: [],
});

const outcome = (s: Scenario, valid: boolean): RunOutcome => fakeOutcome(s, valid);

describe('CertifyLoop (the property certify() hands fast-check)', () => {
  it('counts completed runs and stops running at the requested count', async () => {
    let ran = 0;
    const loop = new CertifyLoop(async (s) => (ran++, outcome(s, true)), {
      requestedRuns: 3,
      shrinkBudgetMs: 1_000,
    });
    for (let i = 0; i < 6; i++) expect(await loop.check(scenario(1))).toBe(true);
    expect(loop.runs).toBe(3);
    expect(ran).toBe(3);
  });

  it('skips infrastructure errors (topped up) and stops after a few', async () => {
    const loop = new CertifyLoop(
      async () => {
        throw new Error('broker did not answer');
      },
      { requestedRuns: 5, shrinkBudgetMs: 1_000 },
    );
    for (let i = 0; i < 5; i++) expect(await loop.check(scenario(1))).toBe(true);
    expect(loop.runs).toBe(0);
    expect(loop.errors).toHaveLength(3);
    expect(loop.stoppedBy?.code).toBe('WORKER_FAILED');
  });

  it("stops at once on the processor's own error (a rerun would meet it again)", async () => {
    const loop = new CertifyLoop(
      async () => {
        throw new AckcheckError('PROCESSOR_SNAPSHOT_FAILED', 'snapshot() threw: db is down');
      },
      { requestedRuns: 5, shrinkBudgetMs: 1_000 },
    );
    await loop.check(scenario(1));
    await loop.check(scenario(1));
    expect(loop.stoppedBy?.code).toBe('PROCESSOR_SNAPSHOT_FAILED');
    expect(loop.errors).toEqual([]);
  });

  it('keeps the smallest failing run while fast-check shrinks, within the shrink budget', async () => {
    let clock = 0;
    const loop = new CertifyLoop(async (s) => outcome(s, s.messages.length === 0), {
      requestedRuns: 10,
      shrinkBudgetMs: 50,
      now: () => clock,
    });
    const details = await fc.check(loop.property(fc.integer({ min: 0, max: 8 }).map(scenario)), {
      numRuns: 10,
      seed: 1,
    });
    await loop.close();
    expect(details.failed).toBe(true);
    expect(loop.best?.scenario.messages).toHaveLength(1);
    expect(loop.shrinkSteps).toBeGreaterThan(0);
    clock = 1_000; // budget spent: further shrink steps are not run
    const steps = loop.shrinkSteps;
    expect(await loop.check(scenario(5))).toBe(true);
    expect(loop.shrinkSteps).toBe(steps);
  });
});

describe('CertifyLoop coverage', () => {
  it('tallies the fault cells of completed runs, not of shrink steps', async () => {
    const tally = new CoverageTally('rabbitmq', 'at-least-once', ['consumer-kill']);
    const withKill: Scenario = {
      ...scenario(1),
      faults: [
        {
          kind: 'consumer-kill',
          trigger: { type: 'phase', messageId: 'm1', phase: 'after-ack', attempt: 1 },
          params: {},
        },
      ],
    };
    const fired = (s: Scenario, valid: boolean): RunOutcome => ({
      ...outcome(s, valid),
      history: [{ seq: 0, time: 0, process: 'w1', type: 'fault-start', fault: 0, kind: 'consumer-kill' }],
    });
    let valid = true;
    const loop = new CertifyLoop(async (s) => fired(s, valid), {
      requestedRuns: 5,
      shrinkBudgetMs: 1_000,
      coverage: tally,
    });
    await loop.check(withKill);
    valid = false;
    await loop.check(withKill);
    await loop.check(withKill); // a shrink step
    const cell = tally.coverage().cells.find((c) => c.trigger === 'after-ack');
    expect(cell).toMatchObject({ drawn: 2, fired: 2 });
    expect(tally.coverage().exercised).toBe(1);
  });
});
