/**
 * The JSON report: everything a program needs to act on a certification, in a stable shape.
 *
 * ```text
 * {
 *   format: "ackcheck-report", formatVersion: 1,
 *   ackcheck: "<version>", node: "v24.x", generatedAt: "<ISO 8601>",
 *   summary: { total, passed, failed, incomplete, errored },
 *   results: [{
 *     status: "pass" | "fail" | "incomplete" | "error", reason?, processorError?: { code, message },
 *     requestedRuns, processor, processorName, broker, semantics, runtime, runs, seed, path?, durationMs, firstFailureMs?, shrinkSteps, interrupted, errors[],
 *     reported?: [{ run, finding }],
 *     counterexample?: {
 *       scenario, verdict, history[], finalState, referenceState, stateDiff[], drained,
 *       runDurationMs, replay: { file, command, seed, path? }
 *     }
 *   }]
 * }
 * ```
 * New fields may be added; existing ones keep their name and meaning while formatVersion is 1.
 */
import { describeCoverage, type FaultCoverage } from '../model/coverage.ts';
import type { CertifyResult, ReportedFinding } from '../model/results.ts';
import type { HistoryEvent } from '../model/history.ts';
import type { JsonValue } from '../model/message.ts';
import type { Scenario, Semantics } from '../model/scenario.ts';
import type { Verdict } from '../model/verdict.ts';
import {
  ackcheckVersion,
  processorName,
  replayCommand,
  type ResultStatus,
  resultStatus,
  stateDiff,
} from './common.ts';

export const JSON_REPORT_FORMAT_VERSION = 1;

export interface JsonReport {
  readonly format: 'ackcheck-report';
  readonly formatVersion: typeof JSON_REPORT_FORMAT_VERSION;
  readonly ackcheck: string;
  readonly node: string;
  /** When the report was written (ISO 8601). */
  readonly generatedAt: string;
  readonly summary: {
    readonly total: number;
    readonly passed: number;
    readonly failed: number;
    readonly incomplete: number;
    readonly errored: number;
  };
  readonly results: readonly JsonResult[];
}

export interface JsonResult {
  readonly status: ResultStatus;
  /** Why the status is not `pass` (or why a pass has fewer runs than requested). */
  readonly reason?: string;
  readonly processorError?: { readonly code: string; readonly message: string };
  readonly requestedRuns: number;
  /** Path of the processor module. */
  readonly processor: string;
  readonly processorName: string;
  readonly broker: string;
  readonly semantics: Semantics;
  readonly runtime: string;
  readonly runs: number;
  readonly seed: number;
  readonly path?: string;
  readonly durationMs: number;
  readonly firstFailureMs?: number;
  readonly shrinkSteps: number;
  readonly interrupted: boolean;
  readonly errors: readonly string[];
  /** Findings seen in the runs that are not violations (first of each code), e.g. `stuck-consumer`. */
  readonly reported?: readonly ReportedFinding[];
  /** Fault kind x trigger cells drawn and fired over the runs, with the one-line summary. */
  readonly coverage?: FaultCoverage & { readonly summary: string };
  readonly counterexample?: JsonCounterexample;
}

export interface JsonCounterexample {
  readonly scenario: Scenario;
  readonly verdict: Verdict;
  readonly history: readonly HistoryEvent[];
  readonly finalState: JsonValue;
  readonly referenceState: JsonValue;
  /** compareFinalState(finalState, referenceState).diff */
  readonly stateDiff: readonly string[];
  readonly drained: boolean;
  /** How long the counterexample's own run took. */
  readonly runDurationMs: number;
  readonly replay: {
    readonly file: string;
    readonly command: string;
    readonly seed: number;
    readonly path?: string;
  };
}

export interface JsonReportOptions {
  /** The time stamped into `generatedAt`. Default now. */
  readonly now?: Date;
}

export function jsonResult(result: CertifyResult): JsonResult {
  const ce = result.counterexample;
  return {
    status: resultStatus(result),
    ...(result.reason ? { reason: result.reason } : {}),
    ...(result.processorError ? { processorError: result.processorError } : {}),
    requestedRuns: result.requestedRuns,
    processor: result.processor,
    processorName: processorName(result),
    broker: result.broker,
    semantics: result.semantics,
    runtime: result.runtime,
    runs: result.runs,
    seed: result.seed,
    ...(result.path !== undefined ? { path: result.path } : {}),
    durationMs: result.durationMs,
    ...(result.firstFailureMs !== undefined ? { firstFailureMs: result.firstFailureMs } : {}),
    shrinkSteps: result.shrinkSteps,
    interrupted: result.interrupted,
    errors: result.errors,
    ...(result.reported?.length ? { reported: result.reported } : {}),
    ...(result.coverage
      ? { coverage: { ...result.coverage, summary: describeCoverage(result.coverage) } }
      : {}),
    ...(ce
      ? {
          counterexample: {
            scenario: ce.scenario,
            verdict: ce.verdict,
            history: ce.outcome.history,
            finalState: ce.outcome.finalState,
            referenceState: ce.outcome.referenceState,
            stateDiff: stateDiff(result),
            drained: ce.outcome.drained,
            runDurationMs: ce.outcome.durationMs,
            replay: {
              file: ce.file,
              command: replayCommand(ce.file),
              seed: result.seed,
              ...(result.path !== undefined ? { path: result.path } : {}),
            },
          },
        }
      : {}),
  };
}

export function jsonReport(results: readonly CertifyResult[], options: JsonReportOptions = {}): JsonReport {
  const converted = results.map(jsonResult);
  const count = (s: ResultStatus) => converted.filter((r) => r.status === s).length;
  return {
    format: 'ackcheck-report',
    formatVersion: JSON_REPORT_FORMAT_VERSION,
    ackcheck: ackcheckVersion(),
    node: process.version,
    generatedAt: (options.now ?? new Date()).toISOString(),
    summary: {
      total: converted.length,
      passed: count('pass'),
      failed: count('fail'),
      incomplete: count('incomplete'),
      errored: count('error'),
    },
    results: converted,
  };
}

/** The JSON report as text (2-space indented, trailing newline). */
export function formatJsonReport(results: readonly CertifyResult[], options: JsonReportOptions = {}): string {
  return `${JSON.stringify(jsonReport(results, options), null, 2)}\n`;
}
