/**
 * Worker process entry: runs one runtime with the processor, records the history, and fires
 * the phase-triggered faults addressed to it — a crash fault is a real SIGKILL of this very
 * process at the exact phase. Started by the harness with its config in ACKCHECK_WORKER.
 */
import { sleep } from '../deadline.ts';
import type { Delivery, Runtime, RuntimeContext } from '../runtime/runtime.ts';
import type { Processor } from '../model/processor.ts';
import { describeError, isAckcheckError } from '../errors.ts';
import type { Phase } from '../model/fault.ts';
import { InWorkerNemesis } from '../nemesis/in-worker.ts';
import { settleWithin } from './settle-within.ts';
import { HistoryWriter } from '../history/history.ts';
import { loadProcessor, loadRuntime } from './load.ts';
import { watchForOrphaning } from './orphan-watchdog.ts';
import {
  type HarnessReply,
  SPARE_ENV,
  type HarnessGo,
  type SpareAssignment,
  type SpareSpec,
  WORKER_ENV,
  type WorkerConfig,
  type WorkerMessage,
} from './worker-config.ts';

/**
 * The config from the environment, or (a spare) the one the harness sends once a run takes
 * this process: until then it loads the processor and runtime modules, so the run does not wait.
 */
async function workerConfig(): Promise<WorkerConfig | null> {
  const fromEnv = process.env[WORKER_ENV];
  const spare = process.env[SPARE_ENV];
  if (fromEnv || !spare) return JSON.parse(fromEnv ?? 'null') as WorkerConfig | null;
  const orphaned = () => process.exit(0); // the harness went away before a run took this spare
  process.once('disconnect', orphaned);
  const assigned = new Promise<WorkerConfig>((resolve) =>
    process.on('message', (m: SpareAssignment) => {
      if (m?.type !== 'config') return;
      process.off('disconnect', orphaned);
      resolve(m.config);
    }),
  );
  const spec = JSON.parse(spare) as SpareSpec;
  // Errors are met again, and reported, when the run's worker loads them for real.
  await loadProcessor(spec.processorModule).catch(() => undefined);
  await loadRuntime(spec.runtime, spec.brokerKind).catch(() => undefined);
  process.send?.({ type: 'spare-ready' } satisfies WorkerMessage);
  return assigned;
}

watchForOrphaning(); // ends this process if the harness goes away, even with its main thread blocked
const config = await workerConfig();
if (!config) {
  console.error(`worker: ${WORKER_ENV} is not set; workers are started by the ackcheck harness`);
  process.exit(2);
}
const send = (m: WorkerMessage) => process.send?.(m);
const history = new HistoryWriter(config.historyFile, config.worker, config.runStart);
/** This worker's attempts per delivery (`id:copy`), and their numbers in the run (for the faults). */
const attempts = new Map<string, number>();
const runAttempts = new Map<string, number>();
/**
 * Deliveries (`id:copy`) this worker holds unacknowledged, and when each arrived: what a broker's
 * consumer timeout can take back, so what a stall waits out (nemesis/in-worker.ts stallEnd()).
 * A delivery the runtime nacked stays in until acknowledged or delivered anew: a stall then
 * lasts longer than it needs, never shorter.
 */
const held = new Map<string, number>();

/** A harness that does not answer within this long (it is ending the run) gets the fallback. */
const ASK_DEADLINE_MS = 10_000;
const replies = new Map<number, (value: number | boolean) => void>();
let requests = 0;
process.on('message', (m: HarnessReply) => {
  if (m?.type !== 'reply') return;
  replies.get(m.request)?.(m.value);
  replies.delete(m.request);
});
/** A request to the harness (a fault's claim, an attempt's number) and its answer, or `fallback`. */
function ask<T extends number | boolean>(request: (id: number) => WorkerMessage, fallback: T): Promise<T> {
  const id = ++requests;
  return new Promise<T>((resolve) => {
    const timer = setTimeout(() => {
      replies.delete(id);
      resolve(fallback);
    }, ASK_DEADLINE_MS);
    replies.set(id, (value) => {
      clearTimeout(timer);
      resolve((typeof value === typeof fallback ? value : fallback) as T);
    });
    const failed = () => {
      clearTimeout(timer);
      replies.delete(id);
      resolve(fallback);
    };
    if (!process.send) failed();
    else process.send(request(id), undefined, {}, (error) => error && failed());
  });
}

const nemesis = new InWorkerNemesis({
  faults: config.faults,
  broker: config.broker,
  record: (e) => history.record(e),
  trigger: (index) => send({ type: 'trigger', index }),
  // Not answered: not fired (a fault fires at most once per run).
  claim: (index) => ask((request) => ({ type: 'claim', request, index }), false),
  // Not answered: this worker's own count.
  attempt: (id, copy) =>
    ask((request) => ({ type: 'attempt', request, id, copy }), attempts.get(`${id}:${copy}`) ?? 1),
  kill: async () => {
    process.kill(process.pid, 'SIGKILL');
    return sleep(60_000).then(() => process.exit(137)); // never reached
  },
  sleep,
  now: Date.now,
  heldSince: () => (held.size === 0 ? undefined : Math.min(...held.values())),
});
const fire = (d: Delivery, phase: Phase, attempt: number) => nemesis.fire(d.message.id, phase, attempt);

/**
 * The per-message deadline: processTimeoutMs, or the broker's consumer timeout when that is
 * shorter (ackcheck's RabbitMQ takes a delivery back after 4 s: a process() still running then
 * would be retried by a worker that hangs the same way, and no run would ever end).
 */
function processDeadlineMs(c: WorkerConfig): number {
  return Math.min(c.processTimeoutMs, c.broker.consumerTimeout?.timeoutMs ?? Number.POSITIVE_INFINITY);
}

/** process() of one delivery, with its history events and the faults at each phase. */
function deliveryProcessor(c: WorkerConfig, processor: Processor): (d: Delivery) => Promise<void> {
  return async (d: Delivery): Promise<void> => {
    const key = `${d.message.id}:${d.copy}`;
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    const event = { id: d.message.id, copy: d.copy, attempt };
    const runAttempt = await nemesis.begin(d.message.id, d.copy, attempt);
    runAttempts.set(key, runAttempt);
    try {
      // Before process-begin, so that a crash here is not counted as a processing.
      await fire(d, 'before-process', runAttempt);
    } catch (error) {
      history.record({ type: 'process-begin', ...event });
      history.record({ type: 'process-end', ...event, outcome: 'error', error: describeError(error) });
      throw error;
    }
    history.record({ type: 'process-begin', ...event });
    let duringFired = false;
    let paused = 0;
    let pausedSince: number | undefined;
    const during = async () => {
      if (duringFired) return;
      duringFired = true;
      pausedSince = Date.now();
      try {
        await fire(d, 'during-process', runAttempt);
      } finally {
        paused += Date.now() - pausedSince;
        pausedSince = undefined;
      }
    };
    const pausedMs = () => paused + (pausedSince === undefined ? 0 : Date.now() - pausedSince);
    try {
      const work = Promise.resolve(
        processor.process(d.message, {
          namespace: c.namespace,
          attempt,
          redelivered: d.redelivered || attempt > 1,
          worker: c.worker,
          checkpoint: during,
        }),
      );
      // Without a checkpoint() call, `during-process` fires at the processor's first await.
      const settled = await settleWithin(
        Promise.all([work, sleep(0).then(during)]),
        processDeadlineMs(c),
        pausedMs,
      );
      if (settled === 'late') {
        // A hang is the processor's: report it and stay hung (the harness ends the run), rather
        // than fail the delivery into a redelivery that hangs the next worker too.
        send({ type: 'stuck', id: d.message.id, attempt, timeoutMs: processDeadlineMs(c) });
        await new Promise(() => undefined);
      }
    } catch (error) {
      history.record({ type: 'process-end', ...event, outcome: 'error', error: describeError(error) });
      throw error;
    }
    history.record({ type: 'process-end', ...event, outcome: 'ok' });
    await fire(d, 'after-process', runAttempt);
  };
}

/** What the runtime calls: each step recorded in the history. */
function runtimeContext(c: WorkerConfig, process_: (d: Delivery) => Promise<void>): RuntimeContext {
  return {
    broker: c.broker,
    target: c.target,
    worker: c.worker,
    delivered(d) {
      held.set(`${d.message.id}:${d.copy}`, Date.now());
      history.record({
        type: 'deliver',
        id: d.message.id,
        copy: d.copy,
        redelivered: d.redelivered,
        ...(d.partition === undefined ? {} : { partition: d.partition, offset: d.offset }),
        ...(d.deliveryTag === undefined ? {} : { deliveryTag: d.deliveryTag }),
      });
    },
    process: process_,
    acknowledged(d) {
      held.delete(`${d.message.id}:${d.copy}`);
      history.record({ type: 'ack', id: d.message.id, copy: d.copy });
      send({ type: 'ack' });
      const attempt = runAttempts.get(`${d.message.id}:${d.copy}`) ?? 1;
      void fire(d, 'after-ack', attempt).catch(() => undefined);
    },
    log() {},
    fail(error) {
      send({ type: 'exiting', reason: error.message });
      console.error(`worker ${c.worker}: ${error.message}`);
      process.exit(3);
    },
  };
}

/** The broker may be down (a broker fault) when this worker starts: retry for a minute, with a fresh runtime each time. */
async function startRuntime(c: WorkerConfig, ctx: RuntimeContext): Promise<Runtime> {
  let runtime = await loadRuntime(c.runtime, c.broker.kind);
  const startDeadline = Date.now() + 60_000;
  for (;;) {
    try {
      await runtime.start(ctx);
      send({ type: 'consuming' });
      break;
    } catch (error) {
      await runtime.stop().catch(() => undefined);
      // A broker that is down is worth waiting for; a missing client or a bad option is not.
      if (Date.now() > startDeadline || (isAckcheckError(error) && !error.retriable)) throw error;
      await sleep(500);
      runtime = await loadRuntime(c.runtime, c.broker.kind);
    }
  }
  return runtime;
}

/** A graceful stop on SIGTERM, or when the harness goes away. */
function stopOnSignal(runtime: Runtime, processor: Processor): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    const force = setTimeout(() => process.exit(0), 10_000);
    await runtime.stop().catch(() => undefined);
    await processor.teardown?.();
    history.close();
    clearTimeout(force);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop()); // the harness went away
}

/**
 * Resolves on the harness's `go` to a run's first consumers (they start together, see
 * WorkerConfig), or after GO_DEADLINE_MS (a harness that does not send it is ending the run).
 * Listening starts before this worker says it has started, so the `go` cannot be missed.
 */
const GO_DEADLINE_MS = 60_000;
function goFromHarness(): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, GO_DEADLINE_MS);
    timer.unref();
    const onMessage = (m: HarnessGo) => {
      if (m?.type !== 'go') return;
      clearTimeout(timer);
      process.off('message', onMessage);
      resolve();
    };
    process.on('message', onMessage);
  });
}

/** The processor's setup() threw: the processor's error, not the infrastructure's. */
let setupFailed = false;

async function main(c: WorkerConfig): Promise<void> {
  const processor = await loadProcessor(c.processorModule);
  await loadRuntime(c.runtime, c.broker.kind); // a bad runtime module fails before anything starts
  try {
    await processor.setup?.();
  } catch (error) {
    setupFailed = true;
    throw error;
  }
  // Loaded and set up: from here on, an exit is a crash to recover from, not a start failure
  // (the runtime may deliver, and a crash fault may fire, before start() resolves).
  const go = c.startTogether ? goFromHarness() : undefined;
  send({ type: 'started' });
  await go;
  const runtime = await startRuntime(c, runtimeContext(c, deliveryProcessor(c, processor)));
  stopOnSignal(runtime, processor);
}

main(config).catch((error: unknown) => {
  send({
    type: 'failed',
    error: describeError(error),
    ...(setupFailed && { code: 'PROCESSOR_SETUP_FAILED' }),
  });
  console.error(`worker ${config.worker}: ${describeError(error)}`);
  process.exit(1);
});
