/**
 * certify(): property-based conformance of a processor (and runtime) on a real broker.
 * fast-check draws scenarios; each is run end to end (runScenario); on a failure fast-check
 * shrinks, within its own time budget, and the smallest failing scenario is written to a
 * JSON file that replay() reruns. Like fast-check's check(), it resolves to a result and
 * never throws on a violation; infrastructure errors (no Docker, bad module) do throw.
 * Its parts: certify/options.ts (options, defaults, validation), certify/setup.ts (what a
 * certification needs), certify/loop.ts (the property), certify/result.ts (the result).
 */
import fc from 'fast-check';
import type { CertifyResult } from '../model/results.ts';
import { CertifyLoop } from './certify/loop.ts';
import {
  type CertifyOptions,
  DEFAULT_CONCURRENCY,
  MAX_RUN_ERRORS,
  validateCertifyOptions,
} from './certify/options.ts';
import { ParallelRuns, plannedScenarios, runsAlone } from './certify/parallel.ts';
import { certifyResult } from './certify/result.ts';
import { openCertification } from './certify/setup.ts';
import { runScenario } from './run-scenario.ts';
import { holdSpares } from './spare-workers.ts';

export type { ReplayFile } from './replay-file.ts';
export { type CertifyOptions, DEFAULT_CONCURRENCY, DEFAULT_FAULT_KINDS } from './certify/options.ts';
export type { CertifyProgress, CertifyResult, Counterexample, ReportedFinding } from '../model/results.ts';

export async function certify(options: CertifyOptions): Promise<CertifyResult> {
  validateCertifyOptions(options);
  const began = Date.now();
  await using c = await openCertification(options);
  const releaseSpares = holdSpares();
  await using _spares = { [Symbol.asyncDispose]: releaseSpares }; // also when a run throws
  // Extra runs top up the ones lost to infrastructure errors; the loop stops at the requested count.
  const numRuns = c.generation.runs + MAX_RUN_ERRORS;
  const parallel = new ParallelRuns(
    (scenario) =>
      runScenario(scenario, {
        broker: c.broker,
        processorModule: c.processorPath,
        runtime: c.runtime,
        workDir: c.workDir,
        ...c.settings,
        onNotice: (message) => options.onProgress?.({ type: 'notice', message }),
      }),
    {
      concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
      // Not c.arbitrary: the sweep's arbitrary counts its draws (see certify/parallel.ts).
      planned: plannedScenarios(c.planArbitrary(), c.seed, numRuns),
      wanted: c.generation.runs,
      alone: (scenario) => runsAlone(scenario, c.broker.info),
    },
  );
  const loop = new CertifyLoop(parallel.run, {
    requestedRuns: c.generation.runs,
    shrinkBudgetMs: options.shrinkTimeLimit ?? 120_000,
    onProgress: options.onProgress,
    coverage: c.coverage,
    minMessages: c.generation.minMessages,
  });
  const details = await fc.check(loop.property(c.arbitrary), {
    numRuns,
    seed: c.seed,
    interruptAfterTimeLimit: options.timeLimit ?? 600_000,
    markInterruptAsFailure: false,
    endOnFailure: false,
  });
  await loop.close();
  await parallel.close();
  await releaseSpares();
  return certifyResult(c, loop, {
    semantics: options.semantics,
    began,
    path: details.counterexamplePath ?? undefined,
    interrupted: details.interrupted,
    coverage: c.coverage.coverage(),
  });
}
