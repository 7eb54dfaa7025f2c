import type fc from 'fast-check';
import type { Fault, FaultKind } from '../model/fault.ts';
import type { Message } from '../model/message.ts';
import type { BrokerKind } from '../model/broker.ts';
import { faultPlansArbitrary, resolveFaultPlans } from './_internals/fault-plan.ts';
import { brokerOption, faultKindsOption, integerOption } from './_internals/validate.ts';

const ENTRY = 'faultsArbitrary';

export interface FaultsOptions {
  /** Kinds to draw from; an empty list draws no faults. Default: every kind (`FAULT_KINDS`). */
  readonly kinds?: readonly FaultKind[];
  /** Most faults in one schedule. Default: 3. */
  readonly maxFaults?: number;
  /** The broker the schedule runs against; consumer-stall is drawn more rarely on RabbitMQ. Required. */
  readonly broker: BrokerKind;
}

/**
 * A fault schedule for these messages.
 *
 * - Consumer kinds get a `phase` trigger on one of the messages: any phase (processor-throw:
 *   `before-process` or `during-process` only), attempt 1 mostly and sometimes 2.
 * - Broker and network kinds get a `progress` trigger, `acks` in 0..messages.length.
 * - Params: `holdMs` in 500..3000 for consumer-stall, broker-pause and network-*;
 *   `latencyMs` in 50..500 for network-latency; none for the other kinds.
 * - consumer-stall is drawn rarely (it costs about 7 s on RabbitMQ, 2 s on Kafka).
 *
 * With no messages only progress-triggered faults (at `acks` 0) are drawn. Shrinks toward fewer
 * faults, the first message, earlier phases, attempt 1, fewer acks and the smallest params.
 */
export function faultsArbitrary(messages: readonly Message[], options: FaultsOptions): fc.Arbitrary<Fault[]> {
  if (!Array.isArray(messages)) throw new RangeError(`${ENTRY}: messages must be an array of messages`);
  if (typeof options !== 'object' || options === null) {
    throw new RangeError(`${ENTRY}: options with a broker are required`);
  }
  const broker = brokerOption(ENTRY, options.broker);
  const kinds = faultKindsOption(ENTRY, 'kinds', options.kinds);
  const maxFaults = integerOption(ENTRY, 'maxFaults', options.maxFaults, 3, 0);
  const snapshot = [...messages];
  return faultPlansArbitrary({
    kinds,
    maxFaults,
    broker,
    messageIndexSpace: snapshot.length,
    maxAcks: snapshot.length,
  }).map((plans) => resolveFaultPlans(plans, snapshot));
}
