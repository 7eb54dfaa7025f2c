/**
 * The settings that shape one run, resolved once from certify()'s options and the broker, so
 * that certify(), the replay file and replay() use the same values.
 *
 * Per-key order default: Kafka promises order within a partition and the kit's producer keys
 * every message, so all messages of a key share a partition and an at-least-once consumer must
 * finish them in produce order — on by default there. At-most-once commits before processing:
 * a consumer stalled past its session timeout finishes its message after the partition's new
 * owner has moved on, so order is not promised — off. RabbitMQ promises no per-key order with
 * several consumers, a prefetch above 1 or requeues — off (opt in with `checkOrder: true`).
 */
import type { BrokerKind } from '../brokers/registry.ts';
import type { Semantics } from '../model/scenario.ts';
import { DEFAULT_PROCESS_TIMEOUT_MS } from './processor-calls.ts';
import type { RunSettings } from './replay-file.ts';

export const DEFAULT_DRAIN_TIMEOUT_MS = 60_000;

export interface RunSettingsOptions {
  readonly drainTimeoutMs?: number;
  readonly processTimeoutMs?: number;
  readonly checkOrder?: boolean;
  readonly failOnStuckConsumer?: boolean;
}

/** Whether the per-key order check runs when the user does not say. */
export function defaultCheckOrder(broker: BrokerKind, semantics: Semantics): boolean {
  return broker === 'kafka' && semantics === 'at-least-once';
}

export function resolveRunSettings(
  options: RunSettingsOptions,
  broker: BrokerKind,
  semantics: Semantics,
): RunSettings {
  return {
    drainTimeoutMs: options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS,
    processTimeoutMs: options.processTimeoutMs ?? DEFAULT_PROCESS_TIMEOUT_MS,
    checkOrder: options.checkOrder ?? defaultCheckOrder(broker, semantics),
    failOnStuckConsumer: options.failOnStuckConsumer ?? false,
  };
}
