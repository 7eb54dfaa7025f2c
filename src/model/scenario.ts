/** What one property run executes. Plain JSON: saved to a file, it replays the run exactly. */
import type { BrokerKind } from './broker.ts';
import type { Fault } from './fault.ts';
import type { Message } from './message.ts';

export type Semantics = 'at-least-once' | 'at-most-once';

export interface Scenario {
  readonly broker: BrokerKind;
  readonly semantics: Semantics;
  /** Messages in produce order. */
  readonly messages: readonly Message[];
  /** Ids of messages the producer publishes twice (the second copy right after the first). */
  readonly producerDuplicates: readonly string[];
  /** Consumers (worker processes) at the start, 1..3. */
  readonly consumers: number;
  readonly kafka?: { readonly partitions: number };
  readonly rabbitmq?: { readonly prefetch: number; readonly queueType: 'classic' | 'quorum' };
  readonly faults: readonly Fault[];
}

/** The scenario's broker settings in one phrase (reports). */
export function describeSettings(scenario: Scenario): string {
  const consumers = `${scenario.consumers} consumer${scenario.consumers === 1 ? '' : 's'}`;
  if (isPartitioned(scenario)) return `${consumers}, ${scenario.kafka?.partitions ?? 1} partition(s)`;
  const r = scenario.rabbitmq;
  return `${consumers}, prefetch ${r?.prefetch ?? 1}, ${r?.queueType ?? 'classic'} queue`;
}

/**
 * Does the broker order messages per partition (Kafka), rather than per queue? Per-key order
 * is then only promised within a partition.
 */
export function isPartitioned(scenario: Scenario): boolean {
  return scenario.broker === 'kafka';
}
