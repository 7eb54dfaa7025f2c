import { describe, expect, it } from 'vitest';
import { certifyStatus, type StatusInput } from './certify-status.ts';

const base: StatusInput = {
  requestedRuns: 5,
  completedRuns: 5,
  counterexample: false,
  interrupted: false,
  infrastructureErrors: 0,
};

describe('certifyStatus', () => {
  it('passes only with every requested run completed', () => {
    expect(certifyStatus(base)).toEqual({ status: 'pass' });
  });

  it('is incomplete, never pass, when no run completed (the processor never ran)', () => {
    const decision = certifyStatus({ ...base, completedRuns: 0, infrastructureErrors: 3 });
    expect(decision.status).toBe('incomplete');
    expect(decision.reason).toMatch(
      /^no run completed; 3 runs failed for infrastructure reasons: nothing was certified$/,
    );
    expect(certifyStatus({ ...base, completedRuns: 0, interrupted: true }).status).toBe('incomplete');
  });

  it('is incomplete when infrastructure errors left fewer runs than requested', () => {
    expect(certifyStatus({ ...base, completedRuns: 4, infrastructureErrors: 1 })).toEqual({
      status: 'incomplete',
      reason: '4 of 5 runs completed; 1 run failed for infrastructure reasons',
    });
  });

  it('passes when errors were topped up to the requested runs', () => {
    expect(certifyStatus({ ...base, infrastructureErrors: 2 }).status).toBe('pass');
  });

  it('a time limit with clean runs is a pass that says how many of the requested ran', () => {
    expect(certifyStatus({ ...base, completedRuns: 2, interrupted: true })).toEqual({
      status: 'pass',
      reason: '2 of 5 runs completed: the time limit ended the runs',
    });
  });

  it('an error that stopped the certification is an error with its code', () => {
    const decision = certifyStatus({
      ...base,
      completedRuns: 0,
      stoppedBy: { code: 'PROCESSOR_SNAPSHOT_FAILED', message: 'snapshot() threw: db is down' },
    });
    expect(decision).toEqual({
      status: 'error',
      reason: 'snapshot() threw: db is down [PROCESSOR_SNAPSHOT_FAILED] (0 of 5 runs completed)',
    });
  });

  it('a counterexample is a fail whatever else happened', () => {
    expect(
      certifyStatus({ ...base, completedRuns: 1, counterexample: true, infrastructureErrors: 2 }).status,
    ).toBe('fail');
  });
});
