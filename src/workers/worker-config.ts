/** What the harness tells a worker process (passed as JSON in ACKCHECK_WORKER). */
import type { BrokerInfo, BrokerKind } from '../model/broker.ts';
import type { RunTarget } from '../runtime/runtime.ts';
import type { Fault } from '../model/fault.ts';
import type { Semantics } from '../model/scenario.ts';

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

export interface WorkerConfig {
  readonly worker: string;
  readonly processorModule: string;
  readonly runtime: RuntimeSpec;
  readonly broker: BrokerInfo;
  readonly target: RunTarget;
  readonly namespace: string;
  readonly historyFile: string;
  readonly runStart: number;
  /** Faults with phase triggers that this worker may fire, by index in the schedule. */
  readonly faults: ReadonlyArray<{ readonly index: number; readonly fault: Fault }>;
}

/** Messages a worker sends to the harness over IPC. */
export type WorkerMessage =
  | { readonly type: 'started' }
  | { readonly type: 'ack' }
  | { readonly type: 'trigger'; readonly index: number }
  | { readonly type: 'failed'; readonly error: string };

export const WORKER_ENV = 'ACKCHECK_WORKER';
