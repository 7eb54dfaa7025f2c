/**
 * What a certification is evidence of, decided in one place so that the console, the JSON,
 * JUnit and HTML reports, the CLI exit code and the vitest helper all use the same word.
 * A pass needs runs that completed: runs skipped for errors never count as evidence.
 */
import type { AckcheckErrorCode } from '../errors.ts';
import type { CertifyStatus } from '../model/results.ts';

export type { CertifyStatus } from '../model/results.ts';

export interface StatusInput {
  readonly requestedRuns: number;
  readonly completedRuns: number;
  readonly counterexample: boolean;
  readonly interrupted: boolean;
  /** Runs skipped for infrastructure errors (retried and topped up, still short). */
  readonly infrastructureErrors: number;
  /** The error that stopped the certification, if one did. */
  readonly stoppedBy?: { readonly code: string; readonly message: string };
}

export interface StatusDecision {
  readonly status: CertifyStatus;
  /** Why the status is not `pass` (or why a pass has fewer runs than requested). */
  readonly reason?: string;
}

export function certifyStatus(input: StatusInput): StatusDecision {
  const { requestedRuns: want, completedRuns: done } = input;
  const runs = `${done} of ${want} run${want === 1 ? '' : 's'} completed`;
  if (input.counterexample) return { status: 'fail', reason: 'an invariant was violated' };
  if (input.stoppedBy)
    return { status: 'error', reason: `${input.stoppedBy.message} [${input.stoppedBy.code}] (${runs})` };
  if (done === 0)
    return {
      status: 'incomplete',
      reason: `no run completed${input.interrupted ? ' before the time limit' : ''}${skipped(input)}: nothing was certified`,
    };
  if (done < want && input.infrastructureErrors > 0)
    return { status: 'incomplete', reason: `${runs}${skipped(input)}` };
  if (done < want && input.interrupted)
    return { status: 'pass', reason: `${runs}: the time limit ended the runs` };
  return { status: 'pass' };
}

function skipped(input: StatusInput): string {
  const n = input.infrastructureErrors;
  return n > 0 ? `; ${n} run${n === 1 ? '' : 's'} failed for infrastructure reasons` : '';
}

/**
 * Errors that are the processor's: rerunning meets them again, so certify() stops at the first
 * and reports it (exit 2) instead of skipping the run as an infrastructure error.
 */
export const PROCESSOR_ERROR_CODES: readonly AckcheckErrorCode[] = [
  'PROCESSOR_INVALID',
  'PROCESSOR_NOT_FOUND',
  'RUNTIME_INVALID',
  'PROCESSOR_SETUP_FAILED',
  'PROCESSOR_RESET_FAILED',
  'PROCESSOR_SNAPSHOT_FAILED',
  'PROCESSOR_TIMEOUT',
  'PROCESSOR_REFERENCE_FAILED',
  'SNAPSHOT_NOT_JSON',
  'SNAPSHOT_NONDETERMINISTIC',
];
