/**
 * certify(): property-based conformance of a processor (and runtime) on a real broker.
 * fast-check draws scenarios; each is run end to end (runScenario); on a failure fast-check
 * shrinks, within its own time budget, and the smallest failing scenario is written to a
 * JSON file that replay() reruns. Like fast-check's check(), it resolves to a result and
 * never throws on a violation; infrastructure errors (no Docker, bad module) do throw.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { type BrokerInfo, StartedBroker } from '../brokers/container/started-broker.ts';
import { type BrokerName, brokerVersion, clientFor } from '../brokers/registry.ts';
import { needsContainer } from '../brokers/container/external.ts';
import { acquireBrokers } from '../brokers/container/fleet.ts';
import { AckcheckError, describeError, isAckcheckError } from '../errors.ts';
import { assertNetworkFaultsSupported, isNetworkFault } from '../nemesis/network.ts';
import { scenarioArbitrary } from '../generate/index.ts';
import type { BrokerKind } from '../model/broker.ts';
import { FAULT_KINDS, type FaultKind } from '../model/fault.ts';
import type { Scenario, Semantics } from '../model/scenario.ts';
import { resolveModulePath } from '../workers/load.ts';
import { type RuntimeSpec, runtimeLabel } from '../workers/worker-config.ts';
import { type GenerationSettings, type ReplayFile, writeReplayFile } from './replay-file.ts';
import { certifyStatus, PROCESSOR_ERROR_CODES } from './certify-status.ts';
import { harnessProcessor, type RunOutcome, runScenario } from './run-scenario.ts';
import { resolveRunSettings } from './run-settings.ts';
import type { CertifyProgress, CertifyResult, Counterexample, ReportedFinding } from '../model/results.ts';
import type { FindingCode } from '../model/verdict.ts';

export type { ReplayFile };

/**
 * Fault kinds certify() injects by default, per broker: every kind on both. (On RabbitMQ a
 * scenario with a broker-kill waits for its quorum queue to be on disk first, see
 * QUORUM_KILL_SAFE_MS; its consumer-stall outlasts the kit broker's 5 s consumer timeout.)
 */
export const DEFAULT_FAULT_KINDS: Readonly<Record<BrokerKind, readonly FaultKind[]>> = {
  kafka: FAULT_KINDS,
  rabbitmq: FAULT_KINDS,
};

export interface CertifyOptions {
  /** Path of the processor module (default export or `processor`). */
  processor: string;
  /**
   * A broker id or kind (`'kafka'`: its newest version), started or reused for this call, or a
   * running broker (e.g. from `ackcheck/vitest`).
   */
  broker: BrokerName | BrokerInfo;
  semantics: Semantics;
  /** Module exporting `createRuntime({ broker })`. Default: ackcheck's runtime for the broker and semantics. */
  runtime?: string;
  /**
   * The client library of ackcheck's built-in runtime (ignored with `runtime`). Kafka: `kafkajs`
   * (default), `confluent` (@confluentinc/kafka-javascript), `platformatic` (@platformatic/kafka);
   * RabbitMQ: `amqplib`. The optional clients must be installed in your project.
   */
  client?: string;
  /** Property runs. Default 20. */
  runs?: number;
  /** Total time budget in ms; runs stop when it is spent. Default 600 000. */
  timeLimit?: number;
  /** Time budget for shrinking once a failure is found, in ms (0: do not shrink). Default 120 000. */
  shrinkTimeLimit?: number;
  seed?: number;
  /** Fault kinds to draw from. Default DEFAULT_FAULT_KINDS[broker kind]. */
  faults?: readonly FaultKind[];
  /** At most this many faults per scenario. Default 2. */
  maxFaults?: number;
  /** At least this many faults per scenario. Default 0. */
  minFaults?: number;
  /** Messages per scenario, at most. Default 20. */
  maxMessages?: number;
  /** Messages per scenario, at least (>= 1: a run without messages exercises nothing). Default 1. */
  minMessages?: number;
  /** Pin Kafka settings instead of drawing them (partitions 1..4). */
  kafka?: { partitions?: number };
  /** Pin RabbitMQ settings instead of drawing them (queue type, prefetch 1..10). */
  rabbitmq?: { queueType?: 'classic' | 'quorum'; prefetch?: number };
  /** At most this many consumers. Default 3. */
  maxConsumers?: number;
  /** Where scenario files and run histories go. Default `.ackcheck`. */
  reportDir?: string;
  /** Per-run drain deadline (ms). Default 60 000. */
  drainTimeoutMs?: number;
  /**
   * Check per-key order of first completed processing (a finding `order`, a violation).
   * Default: on for Kafka at-least-once (a key's messages share a partition), off for Kafka
   * at-most-once and RabbitMQ (neither promises it; see run-settings.ts).
   */
  checkOrder?: boolean;
  /**
   * A consumer the harness had to replace because it stopped making progress after the faults
   * healed (finding `stuck-consumer`) fails the run. Default false: reported only.
   */
  failOnStuckConsumer?: boolean;
  /**
   * Deadline of one process() call (and of reset()/snapshot()) in ms: a process() that does not
   * settle by then is a `stuck-processing` finding. Default 10 000.
   */
  processTimeoutMs?: number;
  onProgress?: (event: CertifyProgress) => void;
}

export type { CertifyProgress, CertifyResult, Counterexample, ReportedFinding } from '../model/results.ts';

/** Runs that fail for infrastructure reasons before certify() gives up (each is topped up). */
const MAX_RUN_ERRORS = 3;

function validate(options: CertifyOptions): void {
  const fail = (what: string) => {
    throw new AckcheckError('INVALID_OPTION', `certify: ${what}`);
  };
  if (!options?.processor) fail('processor (path of the processor module) is required');
  if (options.semantics !== 'at-least-once' && options.semantics !== 'at-most-once')
    fail(`semantics must be "at-least-once" or "at-most-once", got "${String(options.semantics)}"`);
  for (const [name, value] of Object.entries({
    runs: options.runs,
    timeLimit: options.timeLimit,
    maxMessages: options.maxMessages,
    minMessages: options.minMessages,
    processTimeoutMs: options.processTimeoutMs,
  })) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      fail(`${name} must be a positive integer, got ${value}`);
  }
  if (typeof options.broker === 'string') {
    try {
      brokerVersion(options.broker);
    } catch (error) {
      fail(`broker: ${describeError(error)}`);
    }
  } else if (!options.broker?.id) fail('broker (an id, a kind or a running broker) is required');
  const shrink = options.shrinkTimeLimit;
  if (shrink !== undefined && !(Number.isInteger(shrink) && shrink >= 0))
    fail(`shrinkTimeLimit must be an integer >= 0 (0: do not shrink), got ${shrink}`);
}

/** ackcheck's runtime for the broker kind, semantics and client (an unknown client fails here). */
function builtinRuntime(kind: BrokerKind, options: CertifyOptions): RuntimeSpec {
  if (options.client === undefined) return { builtin: kind, semantics: options.semantics };
  try {
    clientFor(kind, options.client);
  } catch (error) {
    throw new AckcheckError('INVALID_OPTION', `certify: client: ${describeError(error)}`);
  }
  return { builtin: kind, semantics: options.semantics, client: options.client };
}

function isProcessorError(error: unknown): error is AckcheckError {
  return isAckcheckError(error) && PROCESSOR_ERROR_CODES.includes(error.code);
}

function size(s: Scenario): number {
  return s.messages.length * 10 + s.faults.length * 3 + s.consumers + s.producerDuplicates.length;
}

export async function certify(options: CertifyOptions): Promise<CertifyResult> {
  validate(options);
  const began = Date.now();
  const processorPath = resolveModulePath(options.processor);
  await harnessProcessor(processorPath); // a bad module fails here, before any broker starts
  const named = typeof options.broker === 'string' ? brokerVersion(options.broker) : undefined;
  const runtime: RuntimeSpec = options.runtime
    ? { module: resolveModulePath(options.runtime) }
    : builtinRuntime(named ? named.kind : (options.broker as BrokerInfo).kind, options);
  const fleet = named ? await acquireBrokers([named.id]) : undefined;
  const broker = fleet
    ? (fleet.brokers[0] as StartedBroker)
    : new StartedBroker(options.broker as BrokerInfo, false);
  const requestedFaults = options.faults ?? DEFAULT_FAULT_KINDS[broker.info.kind];
  // An external broker has no container: broker and network faults cannot be injected there.
  const skipped = broker.info.external ? requestedFaults.filter(needsContainer) : [];
  const faultKinds = requestedFaults.filter((k) => !skipped.includes(k));
  if (faultKinds.some(isNetworkFault)) {
    try {
      assertNetworkFaultsSupported(broker.info);
    } catch (error) {
      await fleet?.stop();
      throw error;
    }
  }
  const reportDir = resolve(options.reportDir ?? '.ackcheck');
  const workDir = join(reportDir, 'runs');
  mkdirSync(workDir, { recursive: true });
  const processor = await harnessProcessor(processorPath);
  const seed = options.seed ?? Date.now() ^ (Math.random() * 0x100000000);
  if (skipped.length > 0)
    options.onProgress?.({
      type: 'notice',
      message: `${broker.id} is external (${broker.info.containerName}): skipping fault kinds that need its container: ${skipped.join(', ')}`,
    });
  const generation: GenerationSettings = {
    faults: faultKinds,
    maxFaults: options.maxFaults ?? 2,
    minFaults: options.minFaults ?? 0,
    maxMessages: options.maxMessages ?? 20,
    minMessages: options.minMessages ?? 1,
    maxConsumers: options.maxConsumers ?? 3,
    runs: options.runs ?? 20,
    ...(options.kafka ? { kafka: options.kafka } : {}),
    ...(options.rabbitmq ? { rabbitmq: options.rabbitmq } : {}),
  };
  const settings = resolveRunSettings(options, broker.info.kind, options.semantics);
  const arbitrary = scenarioArbitrary({
    broker: broker.info.kind,
    semantics: options.semantics,
    maxMessages: generation.maxMessages,
    faultKinds,
    maxFaults: generation.maxFaults,
    maxConsumers: generation.maxConsumers,
    minMessages: generation.minMessages,
    minFaults: generation.minFaults,
    kafka: options.kafka,
    rabbitmq: options.rabbitmq,
    ...(processor.payload ? { payload: processor.payload } : {}),
  });

  const errors: string[] = [];
  const requestedRuns = generation.runs;
  let stoppedBy: AckcheckError | undefined;
  let run = 0;
  let shrinkSteps = 0;
  let firstFailureAt: number | undefined;
  let best: RunOutcome | undefined;
  const reported = new Map<FindingCode, ReportedFinding>();
  const shrinkBudget = options.shrinkTimeLimit ?? 120_000;
  // fast-check's time limit races the run in progress and returns without it; certify() waits
  // for that run (it has its own deadlines) so no workers or topics outlive the call, and
  // ignores its outcome.
  let inFlight: Promise<unknown> | undefined;
  let closed = false;
  const property = fc.asyncProperty(arbitrary, async (scenario) => {
    if (firstFailureAt !== undefined && Date.now() - firstFailureAt >= shrinkBudget) return true; // budget spent: stop shrinking
    // Stopped by an error, or enough runs completed (fast-check draws extra runs to top up the
    // ones lost to infrastructure errors): nothing more to run.
    if (stoppedBy || (firstFailureAt === undefined && run >= requestedRuns)) return true;
    let outcome: RunOutcome;
    try {
      const running = runScenario(scenario, {
        broker,
        processorModule: processorPath,
        runtime,
        workDir,
        ...settings,
        processTimeoutMs: options.processTimeoutMs,
      });
      inFlight = running.catch(() => undefined);
      outcome = await running;
      if (closed) return true;
    } catch (error) {
      if (closed) return true;
      // Neither kind of error is a counterexample: do not let fast-check shrink on it. The
      // processor's errors stop the certification (a rerun meets them again); infrastructure
      // errors skip the run, and fast-check's extra runs top it up.
      options.onProgress?.({ type: 'error', message: describeError(error) });
      if (isProcessorError(error)) stoppedBy = error;
      else {
        errors.push(describeError(error));
        if (errors.length >= MAX_RUN_ERRORS)
          stoppedBy = new AckcheckError(
            'WORKER_FAILED',
            `${errors.length} runs failed for infrastructure reasons; the last: ${errors.at(-1)}`,
          );
      }
      return true;
    }
    const valid = outcome.verdict.valid;
    if (firstFailureAt === undefined) {
      run += 1;
      for (const finding of outcome.verdict.findings)
        if (!finding.violation && !reported.has(finding.code)) reported.set(finding.code, { run, finding });
      options.onProgress?.({
        type: 'run',
        run,
        valid,
        messages: scenario.messages.length,
        faults: scenario.faults.length,
        faultsInjected: new Set(
          outcome.history.flatMap((e) => (e.type === 'fault-start' && e.fault >= 0 ? [e.fault] : [])),
        ).size,
        durationMs: outcome.durationMs,
        findings: outcome.verdict.findings.map((f) => f.code),
      });
    } else {
      shrinkSteps += 1;
      options.onProgress?.({
        type: 'shrink',
        step: shrinkSteps,
        messages: scenario.messages.length,
        faults: scenario.faults.length,
        valid,
      });
    }
    if (valid === false) {
      firstFailureAt ??= Date.now();
      if (!best || size(scenario) <= size(best.scenario)) best = outcome;
      return false;
    }
    return true;
  });

  try {
    const details = await fc.check(property, {
      numRuns: requestedRuns + MAX_RUN_ERRORS,
      seed,
      interruptAfterTimeLimit: options.timeLimit ?? 600_000,
      markInterruptAsFailure: false,
      endOnFailure: false,
    });
    closed = true;
    await inFlight;
    let counterexample: Counterexample | undefined;
    if (best) {
      const file = join(reportDir, `counterexample-${best.scenario.broker}-${Date.now()}.json`);
      writeReplayFile(file, {
        ackcheck: 1,
        processor: processorPath,
        runtime,
        broker: broker.id,
        seed,
        ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
        scenario: best.scenario,
        verdict: best.verdict,
        run: settings,
        generation,
      });
      counterexample = { scenario: best.scenario, verdict: best.verdict, file, outcome: best };
    }
    const decision = certifyStatus({
      requestedRuns,
      completedRuns: run,
      counterexample: best !== undefined,
      interrupted: details.interrupted,
      infrastructureErrors: errors.length,
      ...(stoppedBy ? { stoppedBy } : {}),
    });
    return {
      ok: decision.status === 'pass',
      status: decision.status,
      ...(decision.reason ? { reason: decision.reason } : {}),
      requestedRuns,
      ...(stoppedBy && isProcessorError(stoppedBy)
        ? { processorError: { code: stoppedBy.code, message: stoppedBy.message } }
        : {}),
      processor: processorPath,
      broker: broker.id,
      semantics: options.semantics,
      runtime: runtimeLabel(runtime),
      runs: run,
      seed,
      ...(details.counterexamplePath ? { path: details.counterexamplePath } : {}),
      ...(counterexample ? { counterexample } : {}),
      ...(firstFailureAt ? { firstFailureMs: firstFailureAt - began } : {}),
      shrinkSteps,
      durationMs: Date.now() - began,
      interrupted: details.interrupted,
      errors,
      ...(reported.size > 0 ? { reported: [...reported.values()] } : {}),
    };
  } finally {
    await fleet?.stop();
  }
}
