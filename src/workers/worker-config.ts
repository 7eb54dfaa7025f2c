/** What the harness tells a worker process (passed as JSON in ACKCHECK_WORKER). */
import type { BrokerInfo } from '../model/broker.ts';
import type { Fault } from '../model/fault.ts';
import type { RuntimeSpec } from '../model/results.ts';
import type { RunTarget } from '../runtime/runtime.ts';

export { type RuntimeSpec, runtimeLabel } from '../model/results.ts';

export interface WorkerConfig {
  readonly worker: string;
  readonly processorModule: string;
  readonly runtime: RuntimeSpec;
  readonly broker: BrokerInfo;
  readonly target: RunTarget;
  readonly namespace: string;
  readonly historyFile: string;
  readonly runStart: number;
  /** Deadline of one process() call, injected fault time excluded (see settle-within.ts). */
  readonly processTimeoutMs: number;
  /** Faults with phase triggers that this worker may fire, by index in the schedule. */
  readonly faults: ReadonlyArray<{ readonly index: number; readonly fault: Fault }>;
  /**
   * One of a run's first consumers: loaded and set up, it waits for the harness's `go` (sent
   * when all of them are) before its runtime starts, so they join together, warm or cold.
   */
  readonly startTogether?: boolean;
}

/** Messages a worker sends to the harness over IPC. */
export type WorkerMessage =
  | { readonly type: 'started' }
  /** A spare loaded its modules and listens for its config (IPC messages before that are lost). */
  | { readonly type: 'spare-ready' }
  /** The runtime's start() resolved: it consumes (Kafka: subscribed; the group join may follow). */
  | { readonly type: 'consuming' }
  | { readonly type: 'ack' }
  | { readonly type: 'trigger'; readonly index: number }
  /** May this worker fire fault `index`? (the first to ask of a run may; answered by a `reply`) */
  | { readonly type: 'claim'; readonly request: number; readonly index: number }
  /** The run-wide number of a new attempt at delivery (id, copy) (answered by a `reply`) */
  | { readonly type: 'attempt'; readonly request: number; readonly id: string; readonly copy: number }
  /** Start failed; `code` PROCESSOR_SETUP_FAILED when it was the processor's own setup() that threw. */
  | { readonly type: 'failed'; readonly error: string; readonly code?: 'PROCESSOR_SETUP_FAILED' }
  /** process() of this message did not settle within processTimeoutMs (the worker stays hung). */
  | { readonly type: 'stuck'; readonly id: string; readonly attempt: number; readonly timeoutMs: number }
  /** The worker is about to exit on its own accord (its runtime lost the broker): not a crash. */
  | { readonly type: 'exiting'; readonly reason: string };

export const WORKER_ENV = 'ACKCHECK_WORKER';

/** A spare worker (src/harness/spare-workers.ts) preloads these and waits for its config. */
export interface SpareSpec {
  readonly processorModule: string;
  readonly runtime: RuntimeSpec;
  readonly brokerKind: BrokerInfo['kind'];
}
export const SPARE_ENV = 'ACKCHECK_WORKER_SPARE';

/** The harness's answer to a worker's `claim` or `attempt` request. */
export interface HarnessReply {
  readonly type: 'reply';
  readonly request: number;
  readonly value: number | boolean;
}

/** The harness to a run's first consumers (`startTogether`): all are ready, start consuming. */
export interface HarnessGo {
  readonly type: 'go';
}

/** What the harness sends a spare worker over IPC to make it a run's worker. */
export interface SpareAssignment {
  readonly type: 'config';
  readonly config: WorkerConfig;
}
