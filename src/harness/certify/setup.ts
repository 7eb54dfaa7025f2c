/**
 * What one certification needs before its first run: the processor (loaded: a bad module fails
 * before any broker starts), the runtime, the broker (started or reused), the fault kinds it
 * can inject there, the settings that shape generation and runs, and the scenario arbitrary.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type fc from 'fast-check';
import { needsContainer } from '../../brokers/container/external.ts';
import { acquireBrokers } from '../../brokers/container/fleet.ts';
import { type BrokerInfo, StartedBroker } from '../../brokers/container/started-broker.ts';
import { brokerVersion, clientFor } from '../../brokers/registry.ts';
import { AckcheckError, describeError } from '../../errors.ts';
import { coverageSweepArbitrary } from '../../generate/index.ts';
import { CoverageTally } from '../../model/coverage.ts';
import type { BrokerKind } from '../../model/broker.ts';
import type { FaultKind } from '../../model/fault.ts';
import type { GenerationSettings, RunSettings, RuntimeSpec } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import { assertNetworkFaultsSupported, isNetworkFault } from '../../nemesis/network.ts';
import { resolveModulePath } from '../../workers/load.ts';
import { harnessProcessor } from '../run-scenario.ts';
import { resolveRunSettings } from '../run-settings.ts';
import { type CertifyOptions, DEFAULT_FAULT_KINDS } from './options.ts';

export interface Certification extends AsyncDisposable {
  readonly processorPath: string;
  readonly runtime: RuntimeSpec;
  readonly broker: StartedBroker;
  readonly reportDir: string;
  readonly workDir: string;
  readonly seed: number;
  readonly generation: GenerationSettings;
  readonly settings: RunSettings;
  readonly arbitrary: fc.Arbitrary<Scenario>;
  /**
   * A fresh instance of `arbitrary` (its own draw count) to plan runs in parallel from
   * (certify/parallel.ts); the sweep claims its cells as it draws them, so the plan holds for
   * the sweep's runs too.
   */
  readonly planArbitrary: () => fc.Arbitrary<Scenario>;
  /** The fault cells the completed runs drew and fired (reported as coverage). */
  readonly coverage: CoverageTally;
}

export async function openCertification(options: CertifyOptions): Promise<Certification> {
  const processorPath = resolveModulePath(options.processor);
  const processor = await harnessProcessor(processorPath); // a bad module fails before any broker starts
  const named = typeof options.broker === 'string' ? brokerVersion(options.broker) : undefined;
  const runtime: RuntimeSpec = options.runtime
    ? { module: resolveModulePath(options.runtime) }
    : builtinRuntime(named ? named.kind : (options.broker as BrokerInfo).kind, options);
  // An optional client that is not installed fails here (CLIENT_MISSING), before any broker starts.
  if ('builtin' in runtime && runtime.client)
    await clientFor(runtime.builtin, runtime.client).runtime({ semantics: runtime.semantics });
  const fleet = named ? await acquireBrokers([named.id]) : undefined;
  const broker = fleet
    ? (fleet.brokers[0] as StartedBroker)
    : new StartedBroker(options.broker as BrokerInfo, false);
  let faults: readonly FaultKind[];
  try {
    faults = injectableFaults(options, broker);
  } catch (error) {
    await fleet?.stop();
    throw error;
  }
  const reportDir = resolve(options.reportDir ?? '.ackcheck');
  const workDir = join(reportDir, 'runs');
  mkdirSync(workDir, { recursive: true });
  const generation = generationSettings(options, faults);
  const seed = options.seed ?? Date.now() ^ (Math.random() * 0x100000000);
  const coverage = new CoverageTally(broker.info.kind, options.semantics, faults);
  const arbitrary = () =>
    coverageSweepArbitrary(
      {
        broker: broker.info.kind,
        semantics: options.semantics,
        maxMessages: generation.maxMessages,
        faultKinds: faults,
        maxFaults: generation.maxFaults,
        maxConsumers: generation.maxConsumers,
        minMessages: generation.minMessages,
        minFaults: generation.minFaults,
        kafka: options.kafka,
        rabbitmq: options.rabbitmq,
        ...(processor.payload ? { payload: processor.payload } : {}),
      },
      { seed, sweepRuns: sweepRuns(generation.runs) },
    );
  return {
    processorPath,
    runtime,
    broker,
    reportDir,
    workDir,
    seed,
    coverage,
    generation,
    settings: resolveRunSettings(options, broker.info.kind, options.semantics),
    arbitrary: arbitrary(),
    planArbitrary: arbitrary,
    [Symbol.asyncDispose]: async () => fleet?.stop(),
  };
}

/**
 * The first runs sweep the fault cells not covered yet (generate/coverage-sweep.ts); a quarter
 * of the runs (at least the last) stay random draws, which combine faults.
 */
function sweepRuns(runs: number): number {
  return runs - Math.max(1, Math.floor(runs / 4));
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

/**
 * The requested fault kinds this broker can suffer: an external broker has no container, so
 * broker and network faults are skipped there (with a notice).
 */
function injectableFaults(options: CertifyOptions, broker: StartedBroker): FaultKind[] {
  const requested = options.faults ?? DEFAULT_FAULT_KINDS[broker.info.kind];
  const skipped = broker.info.external ? requested.filter(needsContainer) : [];
  const faults = requested.filter((k) => !skipped.includes(k));
  if (faults.some(isNetworkFault)) assertNetworkFaultsSupported(broker.info);
  if (skipped.length > 0)
    options.onProgress?.({
      type: 'notice',
      message: `${broker.id} is external (${broker.info.containerName}): skipping fault kinds that need its container: ${skipped.join(', ')}`,
    });
  return faults;
}

function generationSettings(options: CertifyOptions, faults: readonly FaultKind[]): GenerationSettings {
  return {
    faults,
    maxFaults: options.maxFaults ?? 2,
    minFaults: options.minFaults ?? 0,
    maxMessages: options.maxMessages ?? 20,
    minMessages: options.minMessages ?? 1,
    maxConsumers: options.maxConsumers ?? 3,
    runs: options.runs ?? 20,
    ...(options.kafka ? { kafka: options.kafka } : {}),
    ...(options.rabbitmq ? { rabbitmq: options.rabbitmq } : {}),
  };
}
