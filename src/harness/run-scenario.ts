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
import { produce, remaining } from '../brokers/producer.ts';
import { adapterFor } from '../brokers/registry.ts';
import { compareFinalState } from '../check/final-state.ts';
import { check } from '../check/index.ts';
import { CONSUMER_REFRESH_FAULT } from '../check/stuck-consumer.ts';
import { sleep } from '../deadline.ts';
import { isNetworkFault, openConsumerPath } from '../faults/network.ts';
import type { Fault } from '../model/fault.ts';
import type { HistoryEvent, HistoryEventInput } from '../model/history.ts';
import type { JsonValue, Message } from '../model/message.ts';
import type { Processor } from '../model/processor.ts';
import type { Scenario } from '../model/scenario.ts';
import { HistoryWriter, mergeHistories, readHistoryFile } from '../history/history.ts';
import { loadProcessor } from '../workers/load.ts';
import type { RuntimeSpec } from '../workers/worker-config.ts';
import {
  assertSameState,
  DEFAULT_PROCESS_TIMEOUT_MS,
  processorCall,
  referenceState,
  takeSnapshot,
} from './processor-calls.ts';
import { describeExits, openProcessing } from './worker-exits.ts';
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
}

export type { RunOutcome } from '../model/results.ts';

/** No progress for this long after the faults healed: replace the consumers. */
const STUCK_MS = 8_000;
const MAX_REFRESHES = 3;

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
  const began = Date.now();
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

  await produce(
    info,
    target,
    scenario.messages,
    new Set(scenario.producerDuplicates),
    (r) => producerLog.record({ type: 'produce', ...r }),
    Date.now() + 60_000,
  );

  const indexed = scenario.faults.map((fault, index) => ({ index, fault }));
  const phaseFaults = indexed.filter((f) => f.fault.trigger.type === 'phase');
  const progressFaults = indexed.filter((f) => f.fault.trigger.type === 'progress');
  const fired = new Set<number>();
  let acks = 0;
  let faultChain: Promise<void> = Promise.resolve();
  /** When the last harness fault healed: the drain deadline and the stuck timer count from here. */
  let lastHealAt = 0;

  const applyHarnessFault = async (index: number, fault: Fault): Promise<void> => {
    harnessLog.record({ type: 'fault-start', fault: index, kind: fault.kind });
    const hold = fault.params.holdMs ?? 1_000;
    if (isNetworkFault(fault.kind) && consumerPath) {
      const network = await consumerPath.inject(fault.kind, fault.params);
      harnessLog.record({ type: 'fault-heal', fault: index, kind: fault.kind, network });
      return;
    }
    switch (fault.kind) {
      case 'broker-restart':
        await options.broker.injectFault('restart');
        break;
      case 'broker-kill':
        await options.broker.injectFault('kill', hold);
        break;
      case 'broker-pause':
        await options.broker.injectFault('pause', hold);
        break;
      case 'consumer-join':
        await pool.add();
        break;
      case 'consumer-leave': {
        const [first, ...others] = pool.names();
        if (first && others.length > 0) await pool.stop(first);
        break;
      }
      case 'consumer-restart': {
        const [first] = pool.names();
        if (first) await pool.restart(first);
        break;
      }
      case 'consumer-kill': {
        // A progress-triggered kill: SIGKILL from outside (phase-triggered kills happen inside the worker).
        const [first] = pool.names();
        if (first) await pool.kill(first);
        break;
      }
      default:
        // consumer-kill / processor-throw / consumer-stall act inside the worker at their phase.
        break;
    }
    harnessLog.record({ type: 'fault-heal', fault: index, kind: fault.kind });
  };
  const schedule = (index: number, fault: Fault) => {
    if (fired.has(index)) return;
    fired.add(index);
    faultChain = faultChain
      .then(() => applyHarnessFault(index, fault))
      .catch(() => undefined)
      .finally(() => {
        lastHealAt = Date.now();
      });
  };
  const checkProgress = () => {
    for (const { index, fault } of progressFaults) {
      if (fault.trigger.type === 'progress' && acks >= fault.trigger.acks) schedule(index, fault);
    }
  };

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
      faults: phaseFaults,
    },
    (_worker, message) => {
      if (message.type === 'ack') {
        acks += 1;
        checkProgress();
      } else if (message.type === 'trigger') {
        const f = scenario.faults[message.index];
        if (f) schedule(message.index, f);
      }
    },
  );

  let drained = false;
  try {
    await Promise.all(Array.from({ length: Math.max(1, scenario.consumers) }, () => pool.add()));
    checkProgress();
    // Heal and drain: wait until everything published was consumed and acknowledged, and
    // the history has been quiet for a moment, or the deadline passes (a liveness verdict).
    // The deadline counts from the last heal: a broker that takes long to come back (a Kafka
    // kill + start takes up to a minute on a loaded machine) must not eat the drain time.
    const drainMs = options.drainTimeoutMs ?? 60_000;
    const drainFrom = Date.now();
    let quietSince = Date.now();
    let lastSize = -1;
    let refreshes = 0;
    while (Date.now() < Math.max(drainFrom, lastHealAt) + drainMs) {
      if (pool.failure) throw pool.failure;
      // The processor's own failures end the drain: a hung process() never returns, and a
      // processor that keeps killing its workers has none left (the verdict names both).
      if (pool.stuck.length > 0 || (pool.crashLooping && pool.size === 0)) break;
      await faultChain;
      quietSince = Math.max(quietSince, lastHealAt);
      // One read of each history file per poll: its size shows progress, and a live worker's
      // file shows whether it is inside a stall.
      const live = new Set(pool.liveHistoryFiles());
      let size = 0;
      let stalling = false;
      for (const file of pool.historyFiles) {
        const events = readHistoryFile(file);
        size += events.length;
        // A live worker inside process() holds a delivery the queue count leaves out, too.
        if (live.has(file) && (inStall(events) || openProcessing(events).length > 0)) stalling = true;
      }
      if (size !== lastSize) {
        lastSize = size;
        quietSince = Date.now();
      }
      const left = await remaining(info, target).catch(() => Number.NaN);
      // RabbitMQ's queue count leaves out unacknowledged messages: a live worker inside a
      // stall still holds its delivery, so the run is not drained.
      if (left === 0 && !stalling && Date.now() - quietSince >= 750 && pool.size > 0) {
        drained = true;
        break;
      }
      // Healing includes a healthy consumer (DESIGN.md, step 5): a client left stuck by a
      // broker fault is replaced by a fresh one rather than reported as a liveness failure.
      if (left !== 0 && Date.now() - quietSince > STUCK_MS && refreshes < MAX_REFRESHES) {
        refreshes += 1;
        // Recorded in the history: the verdict reports it as `stuck-consumer` (check/stuck-consumer.ts).
        harnessLog.record({ type: 'fault-start', fault: CONSUMER_REFRESH_FAULT, kind: 'consumer-restart' });
        for (const name of pool.names()) await pool.restart(name);
        harnessLog.record({ type: 'fault-heal', fault: CONSUMER_REFRESH_FAULT, kind: 'consumer-restart' });
        quietSince = Date.now();
      }
      await sleep(250);
    }
  } finally {
    // Everything is consumed and committed: a short grace is enough (kafkajs's graceful
    // disconnect can take seconds; the history is already on disk).
    await pool.close(1_000);
    producerLog.close();
    harnessLog.close();
  }

  const history = mergeHistories(
    [join(dir, 'producer.jsonl'), join(dir, 'harness.jsonl'), ...pool.historyFiles].map(readHistoryFile),
  );
  const finalState = await takeSnapshot(processor, namespace, callMs);
  // A hung process() would hang the in-process reference too: the state is not compared then.
  const referenceState =
    pool.stuck.length > 0
      ? finalState
      : await referenceFor(processor, scenario, history, finalState, `ref_${runId}`, callMs);
  const stuckIds = drained ? [] : unprocessedIds(history);
  const verdict = check({
    scenario,
    history,
    finalState,
    referenceState,
    checkOrder: options.checkOrder ?? false,
    failOnStuckConsumer: options.failOnStuckConsumer ?? false,
    liveness: { drained, stuckIds, note: describeExits(pool.selfExits) },
    stuckProcessing: pool.stuck,
  });
  return { scenario, history, finalState, referenceState, drained, verdict, durationMs: Date.now() - began };
}

/** Above this many partly processed messages, at-most-once tries only "none" and "all" of them. */
const MAX_PARTIAL_SUBSETS = 4;

/**
 * The reference state to compare with. At-least-once: every distinct message. At-most-once may
 * lose messages, so the reference holds the messages processed to completion, plus any subset
 * of those whose processing began but did not finish (a crash or an error may come before or
 * after the effect): the first candidate equal to the final state, else the completed-only one.
 * Before the final state is blamed for differing, the reference is run a second time on the
 * same messages: if the two differ, the processor's snapshot is not deterministic (an error).
 */
async function referenceFor(
  processor: Processor,
  scenario: Scenario,
  history: readonly HistoryEvent[],
  finalState: JsonValue,
  namespace: string,
  callMs: number,
): Promise<JsonValue> {
  const candidates = referenceCandidates(scenario, history);
  let first: { state: JsonValue; messages: readonly Message[] } | undefined;
  for (const messages of candidates) {
    const state = await referenceState(processor, messages, namespace, callMs);
    first ??= { state, messages };
    if (compareFinalState(finalState, state).equal) return state;
  }
  const chosen = first as { state: JsonValue; messages: readonly Message[] };
  const again = await referenceState(processor, chosen.messages, `${namespace}_2`, callMs);
  assertSameState(chosen.state, again, 'two exactly-once reference runs over the same messages');
  return chosen.state;
}

/** The message lists a reference may hold (see referenceFor). */
function referenceCandidates(scenario: Scenario, history: readonly HistoryEvent[]): Message[][] {
  if (scenario.semantics === 'at-least-once') return [[...scenario.messages]];
  const completed = new Set<string>();
  const begun = new Set<string>();
  for (const e of history) {
    if (e.type === 'process-end' && e.outcome === 'ok') completed.add(e.id);
    if (e.type === 'process-begin') begun.add(e.id);
  }
  const partial = [...begun].filter((id) => !completed.has(id));
  const subsets: string[][] =
    partial.length <= MAX_PARTIAL_SUBSETS
      ? Array.from({ length: 2 ** partial.length }, (_, mask) => partial.filter((_id, i) => mask & (1 << i)))
      : [[], partial];
  return subsets.map((subset) => {
    const ids = new Set([...completed, ...subset]);
    return scenario.messages.filter((m) => ids.has(m.id));
  });
}

/** A consumer-stall fault started in this worker's history and not healed yet. */
function inStall(events: readonly HistoryEventInput[]): boolean {
  const open = new Set<number>();
  for (const e of events) {
    if (e.type === 'fault-start' && e.kind === 'consumer-stall') open.add(e.fault);
    if (e.type === 'fault-heal') open.delete(e.fault);
  }
  return open.size > 0;
}

function unprocessedIds(history: readonly HistoryEvent[]): string[] {
  const produced = new Set<string>();
  const processed = new Set<string>();
  for (const e of history) {
    if (e.type === 'produce' && e.outcome === 'ok') produced.add(e.id);
    if (e.type === 'process-end' && e.outcome === 'ok') processed.add(e.id);
  }
  return [...produced].filter((id) => !processed.has(id));
}
