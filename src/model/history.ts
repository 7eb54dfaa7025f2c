/**
 * The history of a run: an append-only list of events, one JSON line each in the workers'
 * history files. Produce operations follow Jepsen's three outcomes: `ok`, `fail` (definitely
 * not published) and `info` (unknown: the publish may or may not have reached the broker).
 */
import type { FaultKind, Phase } from './fault.ts';

interface EventBase {
  /** Position in the merged history (assigned when the workers' files are merged). */
  readonly seq: number;
  /** Milliseconds since the run started (for timelines; never used to decide a verdict). */
  readonly time: number;
  /** "producer", "harness", or the worker's name ("w1", "w2", …). */
  readonly process: string;
}

/** Where a delivery came from: Kafka partition/offset or RabbitMQ delivery tag. */
export interface DeliveryPosition {
  readonly partition?: number;
  readonly offset?: string;
  readonly deliveryTag?: number;
}

export type HistoryEvent =
  | (EventBase & {
      readonly type: 'produce';
      readonly id: string;
      readonly copy: number;
      readonly outcome: 'ok' | 'fail' | 'info';
    } & DeliveryPosition)
  | (EventBase & {
      readonly type: 'deliver';
      readonly id: string;
      readonly copy: number;
      readonly redelivered: boolean;
    } & DeliveryPosition)
  | (EventBase & {
      readonly type: 'process-begin';
      readonly id: string;
      readonly copy: number;
      readonly attempt: number;
    })
  | (EventBase & {
      readonly type: 'process-end';
      readonly id: string;
      readonly copy: number;
      readonly attempt: number;
      readonly outcome: 'ok' | 'error';
      readonly error?: string;
    })
  | (EventBase & { readonly type: 'ack'; readonly id: string; readonly copy: number } & DeliveryPosition)
  | (EventBase & {
      readonly type: 'fault-start' | 'fault-heal';
      /** Index of the fault in the scenario's schedule. */
      readonly fault: number;
      readonly kind: FaultKind;
      readonly phase?: Phase;
      /** Network faults (on fault-heal): what the proxy did to the consumers' traffic while the fault held. */
      readonly network?: NetworkEffect;
    });

/** What a network fault did: connections reset (cut), chunks held back (blackhole) or delayed (latency). */
export interface NetworkEffect {
  /** Connections the proxy forwarded while the fault held. */
  readonly connections: number;
  readonly reset: number;
  readonly held: number;
  readonly delayed: number;
}

export type HistoryEventType = HistoryEvent['type'];

/** An event before the merge assigns its `seq`. */
type WithoutSeq<E> = E extends unknown ? Omit<E, 'seq'> : never;
export type HistoryEventInput = WithoutSeq<HistoryEvent>;
