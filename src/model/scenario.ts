/** What one property run executes. Plain JSON: saved to a file, it replays the run exactly. */
import type { Fault } from './fault.ts';
import type { Message } from './message.ts';

export type BrokerKindName = 'kafka' | 'rabbitmq';
export type Semantics = 'at-least-once' | 'at-most-once';

export interface Scenario {
  readonly broker: BrokerKindName;
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
