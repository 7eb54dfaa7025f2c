/**
 * One property run, end to end (DESIGN.md "Flow of one property run"): provision a fresh
 * topic/queue and state namespace, produce with confirms, consume with workers under the
 * fault schedule, heal and drain under a deadline, observe the histories and the state,
 * run the exactly-once reference, and check.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { StartedBroker } from '../brokers/container/started-broker.ts';
import { produce } from '../brokers/producer.ts';
import type { ProvisionedTarget } from '../brokers/adapter.ts';
import { adapterFor } from '../brokers/registry.ts';
import { check } from '../check/index.ts';
import { AckcheckError } from '../errors.ts';
import { sleep } from '../deadline.ts';
import { harnessInjector } from '../nemesis/harness-injector.ts';
import { isNetworkFault, openConsumerPath } from '../nemesis/network.ts';
import { FaultSchedule } from '../nemesis/schedule.ts';
import type { BrokerInfo } from '../model/broker.ts';
import type { Processor } from '../model/processor.ts';
import type { RunTarget } from '../runtime/runtime.ts';
import type { Scenario } from '../model/scenario.ts';
import { HistoryWriter, mergeHistories, readHistoryFile } from '../history/history.ts';
import { loadProcessor } from '../workers/load.ts';
import type { RuntimeSpec } from '../workers/worker-config.ts';
import { DEFAULT_PROCESS_TIMEOUT_MS, processorCall, takeSnapshot } from './processor-calls.ts';
import { type DrainDeps, drain } from './run/drain.ts';
import { referenceFor, unprocessedIds } from './run/reference.ts';
import { RunClock, runTimings } from './run/timings.ts';
import { describeExits } from './worker-exits.ts';
import { WorkerPool } from './worker-pool.ts';
import type { RunOutcome } from '../model/results.ts';

export interface RunScenarioOptions {
  readonly broker: StartedBroker;
  readonly processorModule: string;
  readonly runtime: RuntimeSpec;
  /** Folder for the run's history files. */
  readonly workDir: string;
  /** Deadline for consuming everything after the faults are healed. Default 60 000 ms. */
  readonly drainTimeoutMs?: number;
  /** Deadline of one process() call (and of reset/snapshot) in ms. Default 10 000. */
  readonly processTimeoutMs?: number;
  /** Check per-key order (Kafka: within a partition). Default false. */
  readonly checkOrder?: boolean;
  /** A consumer replaced for making no progress after the heal is a violation. Default false (reported). */
  readonly failOnStuckConsumer?: boolean;
  /** Something the user should know (e.g. unacknowledged counts cannot be read on this broker). */
  readonly onNotice?: (message: string) => void;
}

export type { RunOutcome } from '../model/results.ts';

/**
 * How long the workers get to stop gracefully when the run did not drain (then SIGKILL). A
 * drained run's workers are killed at once: everything is consumed and acknowledged, their
 * histories are on disk (written synchronously), and their topic/queue and group are never
 * used again; a graceful stop only cost time (kafkajs's leave-group ran into the grace on every
 * Kafka run, bench/phases.bench.ts).
 */
const TEARDOWN_GRACE_MS = 150;

/** setup() may migrate a schema or fill a pool: a longer deadline than one process() call. */
const SETUP_TIMEOUT_MS = 60_000;

const processors = new Map<string, Promise<Processor>>();

/** Loads (and sets up) a processor once per harness process. */
export function harnessProcessor(module: string): Promise<Processor> {
  let p = processors.get(module);
  if (!p) {
    p = loadProcessor(module).then(async (processor) => {
      await processorCall('setup', 'PROCESSOR_SETUP_FAILED', () => processor.setup?.(), SETUP_TIMEOUT_MS);
      return processor;
    });
    processors.set(module, p);
    p.catch(() => processors.delete(module));
  }
  return p;
}

export async function runScenario(scenario: Scenario, options: RunScenarioOptions): Promise<RunOutcome> {
  const clock = new RunClock(Date.now());
  const outcome = await runSteps(scenario, options, clock);
  clock.mark('disposed'); // the run's topic/queue and proxy are gone
  const durationMs = clock.elapsed();
  return { ...outcome, durationMs, timings: runTimings(clock.marks, outcome.history, durationMs) };
}

async function runSteps(
  scenario: Scenario,
  options: RunScenarioOptions,
  clock: RunClock,
): Promise<RunOutcome> {
  const began = clock.began;
  const runId = randomBytes(5).toString('hex');
  const dir = join(options.workDir, `run-${runId}`);
  mkdirSync(dir, { recursive: true });
  const info = options.broker.info;
  const processor = await harnessProcessor(options.processorModule);
  const namespace = `run_${runId}`;
  const callMs = options.processTimeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS;
  await processorCall('reset', 'PROCESSOR_RESET_FAILED', () => processor.reset(namespace), callMs);

  const producerLog = new HistoryWriter(join(dir, 'producer.jsonl'), 'producer', began);
  const harnessLog = new HistoryWriter(join(dir, 'harness.jsonl'), 'harness', began);
  await using provisioned = await adapterFor(info.kind).provision(info, scenario);
  // Network faults act on the consumers' path only: their workers connect through a proxy.
  await using consumerPath = scenario.faults.some((f) => isNetworkFault(f.kind))
    ? await openConsumerPath(info)
    : undefined;
  const { target } = provisioned;
  await using counter = await adapterFor(info.kind).openRemaining(info, target);
  clock.mark('provisioned');
  await produceScenario(info, target, scenario, producerLog);
  clock.mark('produced');

  const schedule = new FaultSchedule(scenario.faults, (e) => harnessLog.record(e));
  const pool = new WorkerPool(
    {
      dir,
      processorModule: options.processorModule,
      runtime: options.runtime,
      broker: consumerPath?.workerInfo ?? info,
      target,
      namespace,
      runStart: began,
      processTimeoutMs: callMs,
    },
    schedule,
    { onConsuming: () => clock.mark('consuming') },
  );
  schedule.useInjector(harnessInjector({ broker: options.broker, pool, consumerPath }));
  let drained = false;
  try {
    await pool.addTogether(Math.max(1, scenario.consumers));
    clock.mark('workersStarted');
    schedule.checkProgress();
    drained = await drain(
      drainDeps({ info, target, pool, schedule, options, dir }, () => counter.count(), harnessLog),
      options.drainTimeoutMs ?? 60_000,
    );
    clock.mark('drained');
  } catch (error) {
    // Workers whose queue is gone cannot start (404 on consume): say why, if that is why.
    await failIfBrokerLostTarget(scenario, provisioned, error);
    throw error;
  } finally {
    await pool.close(drained ? 0 : TEARDOWN_GRACE_MS);
    producerLog.close();
    harnessLog.close();
    clock.mark('closed');
  }
  if (!drained) await failIfBrokerLostTarget(scenario, provisioned);
  // `return await`, not `return`: with `await using` above, a returned promise that rejects while
  // the resources are disposed has no handler yet, and Node ends the process on it.
  return await observeAndCheck({
    scenario,
    options,
    dir,
    pool,
    processor,
    namespace,
    runId,
    callMs,
    drained,
    clock,
  });
}

/**
 * A run that did not drain after a broker-kill (or whose replacement workers could not start)
 * may have lost its queue to the broker (RabbitMQ 4.0 can lose a durable queue declared shortly
 * before a SIGKILL; README "Limitations"): its messages would read as `lost`, which is the
 * broker's doing, not the processor's. Such a run fails as an infrastructure error that names
 * the cause (skipped and topped up) instead of holding findings or a bare WORKER_FAILED.
 */
async function failIfBrokerLostTarget(
  scenario: Scenario,
  provisioned: ProvisionedTarget,
  cause?: unknown,
): Promise<void> {
  if (!provisioned.exists || !scenario.faults.some((f) => f.kind === 'broker-kill')) return;
  if (await provisioned.exists().catch(() => true)) return;
  throw new AckcheckError(
    'BROKER_LOST_TARGET',
    `The broker no longer has the run's queue ${provisioned.name} after a broker-kill: it lost the ` +
      'queue in the SIGKILL (RabbitMQ 4.0 can lose a queue declared shortly before one), so the ' +
      "run's messages could not be delivered. This is not the processor's fault: the run is " +
      'skipped. If it happens often, leave broker-kill out of faultKinds on this broker.',
    cause === undefined ? {} : { cause },
  );
}

/** Publishes the scenario's messages (producer duplicates twice) with confirms, recorded. */
function produceScenario(info: BrokerInfo, target: RunTarget, scenario: Scenario, log: HistoryWriter) {
  return produce(
    info,
    target,
    scenario.messages,
    new Set(scenario.producerDuplicates),
    (r) => log.record({ type: 'produce', ...r }),
    Date.now() + 60_000,
  );
}

/** What the drain reads and calls during one run (see run/drain.ts). */
function drainDeps(
  run: {
    info: BrokerInfo;
    target: RunTarget;
    pool: WorkerPool;
    schedule: FaultSchedule;
    options: RunScenarioOptions;
    dir: string;
  },
  remaining: () => Promise<number>,
  harnessLog: HistoryWriter,
): DrainDeps {
  const { info, target, pool, schedule, options } = run;
  // The producer finished before the drain: its history (written synchronously) is complete.
  const published = readHistoryFile(join(run.dir, 'producer.jsonl')).flatMap((e) =>
    e.type === 'produce' ? [{ id: e.id, copy: e.copy, outcome: e.outcome }] : [],
  );
  return {
    pool,
    remaining,
    published,
    // RabbitMQ's queue count leaves out unacknowledged deliveries: the adapter asks the broker.
    unacknowledged: () =>
      adapterFor(info.kind).unacknowledged?.(info, target, (m) => options.onNotice?.(m)) ??
      Promise.resolve(undefined),
    settled: () => schedule.settled(),
    lastHealAt: () => schedule.lastHealAt,
    readHistory: readHistoryFile,
    record: (e) => harnessLog.record(e),
    now: Date.now,
    sleep,
  };
}

interface Observation {
  readonly scenario: Scenario;
  readonly options: RunScenarioOptions;
  readonly dir: string;
  readonly pool: WorkerPool;
  readonly processor: Processor;
  readonly namespace: string;
  readonly runId: string;
  readonly callMs: number;
  readonly drained: boolean;
  readonly clock: RunClock;
}

/** Observe (histories, state), run the reference, check (DESIGN.md, steps 6 to 8). */
async function observeAndCheck(o: Observation): Promise<RunOutcome> {
  const { scenario, pool, drained } = o;
  const history = mergeHistories(
    [join(o.dir, 'producer.jsonl'), join(o.dir, 'harness.jsonl'), ...pool.historyFiles].map(readHistoryFile),
  );
  const finalState = await takeSnapshot(o.processor, o.namespace, o.callMs);
  o.clock.mark('observed');
  // A hung process() would hang the in-process reference too: the state is not compared then.
  const referenceState =
    pool.stuck.length > 0
      ? finalState
      : await referenceFor(o.processor, scenario, history, finalState, `ref_${o.runId}`, o.callMs);
  o.clock.mark('referenced');
  const verdict = check({
    scenario,
    history,
    finalState,
    referenceState,
    checkOrder: o.options.checkOrder ?? false,
    failOnStuckConsumer: o.options.failOnStuckConsumer ?? false,
    liveness: {
      drained,
      stuckIds: drained ? [] : unprocessedIds(history),
      note: describeExits(pool.selfExits),
    },
    stuckProcessing: pool.stuck,
  });
  o.clock.mark('checked');
  return {
    scenario,
    history,
    finalState,
    referenceState,
    drained,
    verdict,
    durationMs: o.clock.elapsed(),
  };
}
