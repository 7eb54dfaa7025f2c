import { describe, expect, it } from 'vitest';
import { isAckcheckError } from '../errors.ts';
import type { CertifyResult } from './certify.ts';
import {
  cellBudget,
  deliveredSemantics,
  type Expectation,
  expectationLabel,
  meetsExpectation,
  moduleBeside,
  type Observation,
  observe,
  PROFILES,
  runSuite,
  runsLabel,
  type Suite,
  type SuiteCell,
  seedOf,
} from './suite.ts';

const obs = (o: Partial<Observation>): Observation => ({
  runs: 3,
  observed: [],
  violations: [],
  errors: [],
  ...o,
});

const cell: SuiteCell = {
  id: 'c1',
  configuration: 'test',
  broker: 'rabbitmq-4.0',
  semantics: 'at-least-once',
  processor: '/nonexistent.ts',
  faults: [],
  expect: 'keeps',
};

describe('meetsExpectation', () => {
  it('keeps: met when no run broke the claim, including allowed findings', () => {
    expect(meetsExpectation('keeps', obs({})).ok).toBe(true);
    expect(meetsExpectation('keeps', obs({ observed: ['duplicated'] })).ok).toBe(true);
  });

  it('keeps: not met on a violation, or when no run completed', () => {
    const violated = meetsExpectation('keeps', obs({ observed: ['lost'], violations: ['lost'] }));
    expect(violated).toEqual({ ok: false, reason: 'violated: lost' });
    expect(meetsExpectation('keeps', obs({ runs: 0 }))).toEqual({ ok: false, reason: 'no run completed' });
  });

  it.each([
    ['loses', 'lost'],
    ['duplicates', 'duplicated'],
    ['stalls', 'liveness'],
  ] as const)('%s: met exactly when %s was observed', (expectation: Expectation, code) => {
    expect(meetsExpectation(expectation, obs({ observed: [code] })).ok).toBe(true);
    // Also when the finding was only reported (not a violation of the claim).
    expect(meetsExpectation(expectation, obs({ observed: [code], violations: [] })).ok).toBe(true);
    const missing = meetsExpectation(expectation, obs({ observed: ['final-state'] }));
    expect(missing.ok).toBe(false);
    expect(missing.reason).toBe(`expected ${code}, not observed in 3 runs`);
  });

  it('an expected loss is not met by a duplicate, nor the other way round', () => {
    expect(meetsExpectation('loses', obs({ observed: ['duplicated'] })).ok).toBe(false);
    expect(meetsExpectation('duplicates', obs({ observed: ['lost'], violations: ['lost'] })).ok).toBe(false);
  });
});

describe('observe', () => {
  const result = (findings: Array<{ code: 'lost' | 'duplicated' | 'final-state'; violation: boolean }>) =>
    ({
      runs: 4,
      errors: ['one run failed'],
      counterexample:
        findings.length > 0
          ? { verdict: { findings: findings.map((f) => ({ ...f, messageIds: [], events: [], detail: '' })) } }
          : undefined,
    }) as unknown as CertifyResult;

  it('unites the findings of every run with the counterexample; violations come from the counterexample', () => {
    const o = observe(
      [[], ['duplicated'], []],
      result([
        { code: 'lost', violation: true },
        { code: 'final-state', violation: true },
      ]),
    );
    expect(o).toEqual({
      runs: 4,
      observed: ['duplicated', 'final-state', 'lost'],
      violations: ['final-state', 'lost'],
      errors: ['one run failed'],
    });
  });

  it('adds up a top-up: runs, errors and the findings of both', () => {
    const a = { runs: 0, errors: ['topic not ready'] } as unknown as CertifyResult;
    const o = observe([['duplicated']], [a, result([{ code: 'lost', violation: true }])]);
    expect(o).toEqual({
      runs: 4,
      observed: ['duplicated', 'lost'],
      violations: ['lost'],
      errors: ['topic not ready', 'one run failed'],
    });
  });

  it('a passing cell has no violations', () => {
    expect(observe([['duplicated']], result([])).violations).toEqual([]);
  });
});

describe('deliveredSemantics', () => {
  it('names what the runs showed', () => {
    expect(deliveredSemantics(obs({}))).toBe('no loss, no duplicate seen');
    expect(deliveredSemantics(obs({ observed: ['duplicated'] }))).toBe('at-least-once (duplicates)');
    expect(deliveredSemantics(obs({ observed: ['lost', 'final-state'] }))).toBe(
      'at-most-once (loses); final-state',
    );
    expect(deliveredSemantics(obs({ observed: ['duplicated', 'lost'] }))).toBe(
      'neither: loses and duplicates',
    );
    expect(deliveredSemantics(obs({ observed: ['liveness', 'lost'] }))).toBe('stalls: never drained');
    expect(deliveredSemantics(obs({ runs: 0 }))).toBe('nothing observed');
  });
});

describe('suite helpers', () => {
  it('labels runs with the infrastructure errors', () => {
    expect(runsLabel({ runs: 3, errors: [] })).toBe('3');
    expect(runsLabel({ runs: 24, errors: ['x'] })).toBe('24 (+1 error)');
  });

  it('labels expectations with the claimed semantics', () => {
    expect(expectationLabel('keeps', 'at-most-once')).toBe('keeps at-most-once');
    expect(expectationLabel('loses', 'at-least-once')).toBe('loses');
  });

  it('derives stable, distinct seeds from names', () => {
    expect(seedOf('runtimes/kafka-4.4/at-least-once')).toBe(seedOf('runtimes/kafka-4.4/at-least-once'));
    expect(seedOf('a')).not.toBe(seedOf('b'));
    expect(Number.isSafeInteger(seedOf('x'))).toBe(true);
  });

  it('a cell budget overrides the profile', () => {
    expect(cellBudget(cell, 'short')).toEqual(PROFILES.short);
    const slow = { ...cell, budget: { short: { runs: 1 } } };
    expect(cellBudget(slow, 'short')).toEqual({ ...PROFILES.short, runs: 1 });
    expect(cellBudget(slow, 'full')).toEqual(PROFILES.full);
    expect(PROFILES.full.runs).toBeGreaterThan(PROFILES.short.runs);
  });

  it('finds a module next to a file, .ts in the sources', () => {
    expect(moduleBeside(import.meta.url, './suite')).toMatch(/src\/harness\/suite\.ts$/);
    expect(moduleBeside(import.meta.url, './no-such-module')).toMatch(/no-such-module\.js$/);
  });
});

describe('runSuite input checks (before any broker starts)', () => {
  const suite = (cells: SuiteCell[]): Suite => ({ name: 's', description: '', cells });
  const rejects = async (promise: Promise<unknown>, message: RegExp) => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(isAckcheckError(error, 'INVALID_OPTION'), String(error)).toBe(true);
    expect((error as Error).message).toMatch(message);
  };

  it('rejects duplicate cell ids, unknown brokers and expectations', async () => {
    await rejects(runSuite(suite([cell, cell])), /cell id "c1" is used twice/);
    await rejects(
      runSuite(suite([{ ...cell, broker: 'kafka-0.8' as 'kafka-4.4' }])),
      /unknown broker "kafka-0.8"/,
    );
    await rejects(
      runSuite(suite([{ ...cell, expect: 'works' as 'keeps' }])),
      /expect must be one of keeps, loses, duplicates, stalls/,
    );
  });

  it('rejects an unknown profile or cell', async () => {
    await rejects(runSuite(suite([cell]), { profile: 'medium' as 'short' }), /profile must be/);
    await rejects(runSuite(suite([cell]), { cells: ['c9'] }), /has no cell c9; its cells: c1/);
  });

  it('runs nothing and starts nothing when no cell is selected', async () => {
    const result = await runSuite(suite([cell]), { brokers: ['kafka-4.4'] });
    expect(result).toMatchObject({ ok: true, cells: [], skipped: ['c1'] });
  });
});
