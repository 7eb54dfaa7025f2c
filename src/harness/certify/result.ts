/** The CertifyResult of a finished loop, with the counterexample's replay file written. */
import { join } from 'node:path';
import type { FaultCoverage } from '../../model/coverage.ts';
import type { CertifyResult, Counterexample } from '../../model/results.ts';
import type { Semantics } from '../../model/scenario.ts';
import { runtimeLabel } from '../../workers/worker-config.ts';
import { certifyStatus } from '../certify-status.ts';
import { writeReplayFile } from '../replay-file.ts';
import { type CertifyLoop, isProcessorError } from './loop.ts';
import type { Certification } from './setup.ts';

export interface Finished {
  readonly semantics: Semantics;
  readonly began: number;
  /** fast-check's path of the counterexample, and whether its time limit ended the runs. */
  readonly path?: string | undefined;
  readonly interrupted: boolean;
  readonly coverage?: FaultCoverage | undefined;
}

export function certifyResult(c: Certification, loop: CertifyLoop, done: Finished): CertifyResult {
  // A counterexample cut to its verdict was never drawn by fast-check: no path redraws it.
  const path = loop.bestIsCut ? undefined : done.path;
  const counterexample = writeCounterexample(c, loop, path);
  const { stoppedBy } = loop;
  const decision = certifyStatus({
    requestedRuns: c.generation.runs,
    completedRuns: loop.runs,
    counterexample: counterexample !== undefined,
    interrupted: done.interrupted,
    infrastructureErrors: loop.errors.length,
    ...(stoppedBy ? { stoppedBy } : {}),
  });
  return {
    ok: decision.status === 'pass',
    status: decision.status,
    ...(decision.reason ? { reason: decision.reason } : {}),
    requestedRuns: c.generation.runs,
    ...(stoppedBy && isProcessorError(stoppedBy)
      ? { processorError: { code: stoppedBy.code, message: stoppedBy.message } }
      : {}),
    processor: c.processorPath,
    broker: c.broker.id,
    semantics: done.semantics,
    runtime: runtimeLabel(c.runtime),
    runs: loop.runs,
    seed: c.seed,
    ...(path ? { path } : {}),
    ...(counterexample ? { counterexample } : {}),
    ...(loop.firstFailureAt ? { firstFailureMs: loop.firstFailureAt - done.began } : {}),
    shrinkSteps: loop.shrinkSteps,
    durationMs: Date.now() - done.began,
    interrupted: done.interrupted,
    errors: loop.errors,
    ...(loop.reported.size > 0 ? { reported: [...loop.reported.values()] } : {}),
    ...(done.coverage ? { coverage: done.coverage } : {}),
  };
}

/** The smallest failing run as a replay file: the scenario plus every option that shaped it. */
function writeCounterexample(
  c: Certification,
  loop: CertifyLoop,
  path: string | undefined,
): Counterexample | undefined {
  const best = loop.best;
  if (!best) return undefined;
  const file = join(c.reportDir, `counterexample-${best.scenario.broker}-${Date.now()}.json`);
  writeReplayFile(file, {
    ackcheck: 1,
    processor: c.processorPath,
    runtime: c.runtime,
    broker: c.broker.id,
    seed: c.seed,
    ...(path ? { path } : {}),
    scenario: best.scenario,
    verdict: best.verdict,
    run: c.settings,
    generation: c.generation,
  });
  return { scenario: best.scenario, verdict: best.verdict, file, outcome: best };
}
