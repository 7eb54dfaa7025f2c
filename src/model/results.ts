/**
 * What a certification produces, as plain data: the status word, the result, its
 * counterexample and the replay file that reruns it, and the progress events on the way.
 * Reports, the CLI and the vitest helper read these types; the harness fills them.
 */
import type { AckcheckErrorCode } from '../errors.ts';
import type { BrokerKind } from './broker.ts';
import type { FaultCoverage } from './coverage.ts';
import type { FaultKind } from './fault.ts';
import type { HistoryEvent } from './history.ts';
import type { JsonValue } from './message.ts';
import type { Scenario, Semantics } from './scenario.ts';
import type { Finding, FindingCode, Verdict } from './verdict.ts';

/**
 * `pass`: every requested run completed without a violation (or the time limit ended the runs
 * after at least one completed, with no run lost to an error); `fail`: an invariant was
 * violated (there is a counterexample); `incomplete`: fewer runs completed than requested
 * because runs failed for infrastructure reasons, or none completed at all; `error`: the
 * certification stopped on an error of the processor (or of the harness) that a rerun would
 * meet again.
 */
export type CertifyStatus = 'pass' | 'fail' | 'incomplete' | 'error';

export type CertifyProgress =
  | {
      type: 'run';
      run: number;
      valid: boolean | 'unknown';
      messages: number;
      /** Faults in the scenario. */
      faults: number;
      /** Of those, faults whose trigger was reached and that were injected. */
      faultsInjected: number;
      durationMs: number;
      /** Codes of every finding of the run, violations or not (e.g. duplicates under at-least-once). */
      findings: readonly FindingCode[];
    }
  | { type: 'shrink'; step: number; messages: number; faults: number; valid: boolean | 'unknown' }
  | { type: 'error'; message: string }
  /** Something the user should know, e.g. fault kinds skipped on an external broker. */
  | { type: 'notice'; message: string };

export interface Counterexample {
  readonly scenario: Scenario;
  readonly verdict: Verdict;
  /** The replay file: `replay(file)` or `ackcheck replay <file>`. */
  readonly file: string;
  readonly outcome: RunOutcome;
}

export interface CertifyResult {
  /** True exactly when `status` is `pass`. */
  readonly ok: boolean;
  /** The one status word every report, the CLI and the vitest helper use (see CertifyStatus). */
  readonly status: CertifyStatus;
  /** Why the status is not `pass`, or why a pass has fewer runs than requested. */
  readonly reason?: string;
  /** Runs requested (`runs` is how many completed). */
  readonly requestedRuns: number;
  /** The processor error that stopped the certification (status `error`). */
  readonly processorError?: { readonly code: AckcheckErrorCode; readonly message: string };
  readonly processor: string;
  /** The broker id (`kafka-4.4`, …). */
  readonly broker: string;
  readonly semantics: Semantics;
  readonly runtime: string;
  readonly runs: number;
  readonly seed: number;
  /**
   * fast-check path of the counterexample (with the seed and the generation settings, redraws
   * the shrunk case). Absent when the counterexample is a verdict-guided cut (a scenario no
   * fast-check draw produced): the replay file's scenario is then the only way to rerun it.
   */
  readonly path?: string;
  readonly counterexample?: Counterexample;
  /** Milliseconds until the first failure was seen. */
  readonly firstFailureMs?: number;
  readonly shrinkSteps: number;
  readonly durationMs: number;
  /** True when the time budget ended the runs early. */
  readonly interrupted: boolean;
  /** Runs that failed for infrastructure reasons (skipped, not counted as runs, topped up). */
  readonly errors: readonly string[];
  /**
   * Findings that broke no promise but are worth knowing (e.g. `stuck-consumer`, duplicates under
   * at-least-once): the first of each code over the runs, with its run number. Absent when none.
   */
  readonly reported?: readonly ReportedFinding[];
  /**
   * Which fault kind x trigger cells the completed runs drew and fired: what a pass is evidence
   * of ("21 of 28 fault cells exercised"). Absent in results built without it.
   */
  readonly coverage?: FaultCoverage;
}

export interface ReportedFinding {
  /** The run (1-based) it was first seen in. */
  readonly run: number;
  readonly finding: Finding;
}

export interface RunOutcome {
  readonly scenario: Scenario;
  readonly history: readonly HistoryEvent[];
  readonly finalState: JsonValue;
  readonly referenceState: JsonValue;
  readonly drained: boolean;
  readonly verdict: Verdict;
  readonly durationMs: number;
  /** Where the run's time went (ms per phase); figures for bench/, never used for a verdict. */
  readonly timings?: RunTimings;
}

/**
 * Milliseconds per phase of one run (src/harness/run/timings.ts). `consumeStart`: until the
 * first worker's runtime said it consumes (Kafka: subscribed); `firstDelivery`: from the workers'
 * start to the first delivery (Kafka: group join included); `drainDetection`: from the last event
 * a worker recorded to the drain's verdict; `consume`: from the workers' start to the drain's end;
 * `teardown`: stopping the workers; `faults`: how long at least one fault was in effect (start to
 * heal; a crash has no heal and counts nothing); `afterHeal`: from the last heal to the last event
 * a worker recorded (reconnecting, rejoining, the redeliveries). A phase the run did not reach is absent.
 */
export interface RunTimings {
  readonly provision: number;
  readonly produce?: number;
  readonly workerStart?: number;
  readonly consumeStart?: number;
  readonly firstDelivery?: number;
  readonly drainDetection?: number;
  readonly consume?: number;
  readonly faults?: number;
  readonly afterHeal?: number;
  readonly teardown?: number;
  readonly observe?: number;
  readonly reference?: number;
  readonly check?: number;
  /** Deleting the run's topic/queue and closing its proxy. */
  readonly dispose?: number;
  readonly total: number;
}

/**
 * A built-in runtime by broker, semantics and client (default: the broker's first client,
 * see src/brokers/registry.ts), or a module exporting `createRuntime()`.
 */
export type RuntimeSpec =
  | { readonly builtin: BrokerKind; readonly semantics: Semantics; readonly client?: string }
  | { readonly module: string };

/** How reports name a runtime: the module path, or `kafka-at-least-once` (plus `/client` when not the default). */
export function runtimeLabel(spec: RuntimeSpec): string {
  if ('module' in spec) return spec.module;
  return `${spec.builtin}-${spec.semantics}${spec.client ? `/${spec.client}` : ''}`;
}

/** runScenario()'s options that change what a run does or concludes. */
export interface RunSettings {
  /** Deadline for draining after the faults healed (ms). */
  readonly drainTimeoutMs: number;
  /** Deadline of one process() call (ms). */
  readonly processTimeoutMs: number;
  /** Per-key order findings are checked (and are violations). */
  readonly checkOrder: boolean;
  /** A consumer replaced because it stopped making progress is a violation, not only reported. */
  readonly failOnStuckConsumer: boolean;
}

/** certify()'s options that shaped the scenarios fast-check drew (with `seed` and `path`). */
export interface GenerationSettings {
  readonly faults: readonly FaultKind[];
  readonly maxFaults: number;
  readonly minFaults: number;
  readonly maxMessages: number;
  readonly minMessages: number;
  readonly maxConsumers: number;
  readonly runs: number;
  readonly kafka?: { readonly partitions?: number };
  readonly rabbitmq?: { readonly queueType?: 'classic' | 'quorum'; readonly prefetch?: number };
}

export interface ReplayFile {
  readonly ackcheck: 1;
  readonly processor: string;
  readonly runtime: RuntimeSpec;
  /** The broker id (`kafka-4.4`, …). */
  readonly broker: string;
  readonly seed: number;
  /**
   * fast-check path of the counterexample: with `seed` and `generation`, redraws the scenario.
   * Absent when the scenario is a verdict-guided cut, which no draw produces; replay always
   * reruns `scenario` itself.
   */
  readonly path?: string;
  readonly scenario: Scenario;
  readonly verdict: Verdict;
  /** Absent in files written by ackcheck before these were stored. */
  readonly run?: RunSettings;
  readonly generation?: GenerationSettings;
}

/** The formats a result can be written in (src/report). */
export type ReportFormat = 'json' | 'junit' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'junit', 'html'];
