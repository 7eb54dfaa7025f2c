/** Faults: *when* one fires (trigger) and *what* it does (kind, params). */

/** The phases of one attempt to process a message, in order. */
export const PHASES = ['before-process', 'during-process', 'after-process', 'after-ack'] as const;
export type Phase = (typeof PHASES)[number];

/**
 * When a fault fires. Never wall-clock time, so that a replay hits the same point:
 * - `phase`: at `phase` of the `attempt`-th attempt (1-based) to process message `messageId`;
 * - `progress`: once `acks` messages have been acknowledged in total.
 */
export type Trigger =
  | { readonly type: 'phase'; readonly messageId: string; readonly phase: Phase; readonly attempt: number }
  | { readonly type: 'progress'; readonly acks: number };

export const FAULT_KINDS = [
  // consumer
  'consumer-kill', // SIGKILL the worker at the trigger; a replacement starts at once
  'processor-throw', // the processor throws on that attempt
  'consumer-stall', // processing stalls past the session / consumer timeout
  'consumer-join', // one more consumer joins (rebalance)
  'consumer-leave', // a consumer leaves gracefully (rebalance)
  'consumer-restart', // graceful restart of the worker
  // broker
  'broker-restart',
  'broker-kill', // kill, then start (heal)
  'broker-pause', // pause, then unpause (heal)
  // network, on the client <-> broker path
  'network-cut',
  'network-blackhole',
  'network-latency',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Kinds that act on a worker process (and need a `phase` trigger to be exact). */
export const CONSUMER_FAULTS: readonly FaultKind[] = [
  'consumer-kill',
  'processor-throw',
  'consumer-stall',
  'consumer-join',
  'consumer-leave',
  'consumer-restart',
];

export interface FaultParams {
  /** How long the fault holds before its heal, in milliseconds (broker pause, network faults, stalls). */
  readonly holdMs?: number;
  /** network-latency: added delay per packet, in milliseconds. */
  readonly latencyMs?: number;
}

export interface Fault {
  readonly trigger: Trigger;
  readonly kind: FaultKind;
  readonly params: FaultParams;
}
