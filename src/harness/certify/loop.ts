/**
 * The property certify() hands fast-check, and what it learns on the way: completed runs,
 * findings reported without being violations, infrastructure errors (skipped and topped up),
 * the processor error that stops the certification, and the smallest failing run so far.
 * fast-check drives it: first the runs, then (after a failure) the shrink steps, each a real
 * run on the real broker. A new smallest failure is first cut to what its verdict names
 * (verdict-cut.ts) before fast-check's generic shrink goes on.
 */
import fc from 'fast-check';
import { AckcheckError, describeError, isAckcheckError } from '../../errors.ts';
import { type CoverageTally, firedFaults } from '../../model/coverage.ts';
import type { CertifyProgress, ReportedFinding, RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import type { FindingCode } from '../../model/verdict.ts';
import { PROCESSOR_ERROR_CODES } from '../certify-status.ts';
import { MAX_RUN_ERRORS } from './options.ts';
import { scenarioSize } from './scenario-size.ts';
import { verdictCuts } from './verdict-cut.ts';

export { scenarioSize } from './scenario-size.ts';

/** Runs one scenario end to end (runScenario with the certification's settings). */
export type RunOne = (scenario: Scenario) => Promise<RunOutcome>;

export interface LoopOptions {
  readonly requestedRuns: number;
  /** Time budget for shrinking once a failure was seen, in ms. */
  readonly shrinkBudgetMs: number;
  readonly onProgress?: ((event: CertifyProgress) => void) | undefined;
  readonly now?: () => number;
  /** Verdict cuts keep at least this many messages (certify's `minMessages`). Default 0. */
  readonly minMessages?: number;
  /** Counts the fault cells each completed run drew and fired (shrink steps are not counted). */
  readonly coverage?: CoverageTally | undefined;
}

export function isProcessorError(error: unknown): error is AckcheckError {
  return isAckcheckError(error) && PROCESSOR_ERROR_CODES.includes(error.code);
}

export class CertifyLoop {
  readonly errors: string[] = [];
  readonly reported = new Map<FindingCode, ReportedFinding>();
  runs = 0;
  shrinkSteps = 0;
  firstFailureAt: number | undefined;
  best: RunOutcome | undefined;
  /** The best failing run came from a verdict-guided cut, not from a fast-check draw (no path redraws it). */
  bestIsCut = false;
  /** Cuts of the verdict-guided shrink that still failed (and were kept as smaller). */
  cutSteps = 0;
  readonly #triedCuts = new Set<string>();
  stoppedBy: AckcheckError | undefined;
  readonly #options: LoopOptions;
  readonly #runOne: RunOne;
  readonly #now: () => number;
  // fast-check's time limit races the run in progress and returns without it; certify() waits
  // for that run (it has its own deadlines) so no workers or topics outlive the call, and
  // ignores its outcome.
  #inFlight: Promise<unknown> = Promise.resolve();
  #closed = false;

  constructor(runOne: RunOne, options: LoopOptions) {
    this.#runOne = runOne;
    this.#options = options;
    this.#now = options.now ?? Date.now;
  }

  property(arbitrary: fc.Arbitrary<Scenario>): fc.IAsyncProperty<[Scenario]> {
    return fc.asyncProperty(arbitrary, (scenario) => this.check(scenario));
  }

  /** Ends the loop: waits for a run still in flight, and ignores whatever it concludes. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#inFlight;
  }

  /** One property evaluation: true when the scenario passes (or is not run at all). */
  async check(scenario: Scenario): Promise<boolean> {
    // A shrink candidate no smaller than the best failure (often one a verdict cut beat) could
    // not become the counterexample: it is not run, and fast-check moves on to the next one.
    if (
      this.best &&
      this.firstFailureAt !== undefined &&
      scenarioSize(scenario) >= scenarioSize(this.best.scenario)
    )
      return true;
    const outcome = await this.#run(scenario);
    if (outcome?.verdict.valid !== false) return true;
    this.firstFailureAt ??= this.#now();
    if (this.#keepIfSmaller(outcome, false)) await this.#cutToVerdict(outcome);
    return false;
  }

  /** One real run, recorded; undefined when it was not run or failed for a non-verdict reason. */
  async #run(scenario: Scenario): Promise<RunOutcome | undefined> {
    if (this.#done()) return undefined;
    let outcome: RunOutcome;
    try {
      const running = this.#runOne(scenario);
      this.#inFlight = running.catch(() => undefined);
      outcome = await running;
    } catch (error) {
      if (!this.#closed) this.#failed(error);
      return undefined; // neither kind of error is a counterexample: fast-check must not shrink on it
    }
    if (this.#closed) return undefined;
    this.#record(scenario, outcome);
    return outcome;
  }

  #keepIfSmaller(outcome: RunOutcome, cut: boolean): boolean {
    if (this.best && scenarioSize(outcome.scenario) > scenarioSize(this.best.scenario)) return false;
    this.best = outcome;
    this.bestIsCut = cut;
    return true;
  }

  /**
   * Verdict-guided shrinking (verdict-cut.ts): the failing scenario cut to what its verdict
   * names, each cut a real run; a cut that still fails is cut again from its own verdict.
   * fast-check's generic shrink goes on afterwards from its own draw.
   */
  async #cutToVerdict(failing: RunOutcome): Promise<void> {
    let current: RunOutcome | undefined = failing;
    while (current) {
      const from: RunOutcome = current;
      current = undefined;
      for (const candidate of verdictCuts(from)) {
        const key = JSON.stringify(candidate);
        if (this.#triedCuts.has(key) || candidate.messages.length < (this.#options.minMessages ?? 0))
          continue;
        if (this.best && scenarioSize(candidate) >= scenarioSize(this.best.scenario)) continue;
        this.#triedCuts.add(key);
        const outcome = await this.#run(candidate);
        if (outcome === undefined && this.#done()) return;
        if (outcome?.verdict.valid !== false) continue;
        this.cutSteps += 1;
        this.#keepIfSmaller(outcome, true);
        current = outcome;
        break;
      }
    }
  }

  /** Shrink budget spent, stopped by an error, or enough runs completed: nothing more to run. */
  #done(): boolean {
    if (this.#closed || this.stoppedBy) return true;
    if (this.firstFailureAt === undefined) return this.runs >= this.#options.requestedRuns;
    return this.#now() - this.firstFailureAt >= this.#options.shrinkBudgetMs;
  }

  /**
   * The processor's errors stop the certification (a rerun meets them again); infrastructure
   * errors skip the run, and fast-check's extra runs top it up, up to MAX_RUN_ERRORS.
   */
  #failed(error: unknown): void {
    this.#options.onProgress?.({ type: 'error', message: describeError(error) });
    if (isProcessorError(error)) {
      this.stoppedBy = error;
      return;
    }
    this.errors.push(describeError(error));
    if (this.errors.length >= MAX_RUN_ERRORS)
      this.stoppedBy = new AckcheckError(
        'WORKER_FAILED',
        `${this.errors.length} runs failed for infrastructure reasons; the last: ${this.errors.at(-1)}`,
      );
  }

  #record(scenario: Scenario, outcome: RunOutcome): void {
    const { verdict } = outcome;
    if (this.firstFailureAt !== undefined) {
      this.shrinkSteps += 1;
      this.#options.onProgress?.({
        type: 'shrink',
        step: this.shrinkSteps,
        messages: scenario.messages.length,
        faults: scenario.faults.length,
        valid: verdict.valid,
      });
      return;
    }
    this.runs += 1;
    this.#options.coverage?.add(scenario, outcome.history);
    for (const finding of verdict.findings)
      if (!finding.violation && !this.reported.has(finding.code))
        this.reported.set(finding.code, { run: this.runs, finding });
    this.#options.onProgress?.({
      type: 'run',
      run: this.runs,
      valid: verdict.valid,
      messages: scenario.messages.length,
      faults: scenario.faults.length,
      faultsInjected: firedFaults(outcome.history).size,
      durationMs: outcome.durationMs,
      findings: verdict.findings.map((f) => f.code),
    });
  }
}
