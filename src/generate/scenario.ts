/**
 * Why one `fc.record` and not `fc.chain`: a scenario's faults and producer duplicates point at
 * its messages, which suggests drawing the messages first and chaining the rest on them. But
 * `fc.chain` shrinks poorly: once the messages shrink, everything drawn from them is drawn
 * anew, so a failing fault schedule is lost and the shrinker stalls far from a small case.
 *
 * So every part is drawn independently in one `fc.record` and shrinks on its own: faults and
 * producer duplicates refer to messages by *position*, and the final `map` turns positions into
 * ids of the messages that are left. Positions wrap around (`index mod n`, `acks mod (n + 1)`)
 * rather than being dropped when out of range, so that a fault survives when shrinking removes
 * messages (and so that, before shrinking, a short message list does not lose most faults).
 * Phase-triggered faults and duplicates disappear only when no message is left.
 */
import fc from 'fast-check';
import { plainRecord } from './_internals/plain-record.ts';
import type { FaultKind } from '../model/fault.ts';
import type { JsonValue, Message } from '../model/message.ts';
import type { BrokerKind } from '../model/broker.ts';
import type { Scenario, Semantics } from '../model/scenario.ts';
import { type FaultPlan, faultPlansArbitrary, resolveFaultPlans } from './_internals/fault-plan.ts';
import {
  arbitraryOption,
  booleanOption,
  brokerOption,
  faultKindsOption,
  integerOption,
  semanticsOption,
} from './_internals/validate.ts';
import { messagesArbitrary } from './messages.ts';

const ENTRY = 'scenarioArbitrary';

/** Kafka topics get 1..4 partitions; shrinks toward 1. */
const MAX_PARTITIONS = 4;
/** RabbitMQ consumers get a prefetch of 1..10; shrinks toward 1. */
const MAX_PREFETCH = 10;
/** At most this many distinct messages are published twice. */
const MAX_PRODUCER_DUPLICATES = 3;

export interface ScenarioOptions {
  /** The broker the scenario runs against. Required. */
  readonly broker: BrokerKind;
  /** The semantics the runtime promises. Required. */
  readonly semantics: Semantics;
  /** Most messages; see `messagesArbitrary`. Default: 50. */
  readonly maxMessages?: number;
  /**
   * Fewest messages. Default: 1 — a run with no message exercises nothing (its phase-triggered
   * faults have no message to fire on), so every generated scenario carries at least one.
   */
  readonly minMessages?: number;
  /** Keys are drawn from `k1` … `k<keySpace>`. Default: 4. */
  readonly keySpace?: number;
  /** Payload of each message. Default: `{ n }` with `n` an integer in 0..1000. */
  readonly payload?: fc.Arbitrary<JsonValue>;
  /** Fault kinds to draw from; an empty list draws no faults. Default: every kind. */
  readonly faultKinds?: readonly FaultKind[];
  /** Most faults in one scenario. Default: 3. */
  readonly maxFaults?: number;
  /** Fewest faults in one scenario (phase-triggered ones still need a message). Default: 0. */
  readonly minFaults?: number;
  /** Most consumers at the start (at least 1 is drawn). Default: 3. */
  readonly maxConsumers?: number;
  /** Whether the producer may publish some messages twice (usually none are). Default: true. */
  readonly producerDuplicates?: boolean;
  /** Pins Kafka settings instead of drawing them (e.g. a suite cell with 3 partitions). */
  readonly kafka?: { readonly partitions?: number };
  /** Pins RabbitMQ settings instead of drawing them (e.g. a quorum queue with prefetch 10). */
  readonly rabbitmq?: { readonly queueType?: 'classic' | 'quorum'; readonly prefetch?: number };
}

interface ScenarioPlan {
  readonly faults: FaultPlan[];
  readonly messages: Message[];
  readonly duplicateIndices: readonly number[];
  readonly consumers: number;
  readonly kafka: { partitions: number } | undefined;
  readonly rabbitmq: { prefetch: number; queueType: 'classic' | 'quorum' } | undefined;
}

/**
 * Whole scenarios: messages, producer duplicates, consumer count, broker client settings
 * (Kafka partitions, or RabbitMQ prefetch and queue type) and a fault schedule as drawn by
 * `faultsArbitrary`. Shrinks toward fewer faults, fewer messages, no producer duplicates, one
 * consumer, one partition / prefetch 1 on a classic queue, and smaller payloads.
 */
export function scenarioArbitrary(options: ScenarioOptions): fc.Arbitrary<Scenario> {
  if (typeof options !== 'object' || options === null) {
    throw new RangeError(`${ENTRY}: options with a broker and semantics are required`);
  }
  const broker = brokerOption(ENTRY, options.broker);
  const semantics = semanticsOption(ENTRY, options.semantics);
  const maxMessages = integerOption(ENTRY, 'maxMessages', options.maxMessages, 50, 0);
  const minMessages = integerOption(
    ENTRY,
    'minMessages',
    options.minMessages,
    Math.min(1, maxMessages),
    0,
    maxMessages,
  );
  const keySpace = integerOption(ENTRY, 'keySpace', options.keySpace, 4, 1);
  const payload = arbitraryOption(ENTRY, 'payload', options.payload);
  const faultKinds = faultKindsOption(ENTRY, 'faultKinds', options.faultKinds);
  const maxFaults = integerOption(ENTRY, 'maxFaults', options.maxFaults, 3, 0);
  const minFaults = integerOption(ENTRY, 'minFaults', options.minFaults, 0, 0, maxFaults);
  const maxConsumers = integerOption(ENTRY, 'maxConsumers', options.maxConsumers, 3, 1);
  const producerDuplicates = booleanOption(ENTRY, 'producerDuplicates', options.producerDuplicates, true);
  const pins = {
    partitions: optionalInteger('kafka.partitions', options.kafka?.partitions, 64),
    prefetch: optionalInteger('rabbitmq.prefetch', options.rabbitmq?.prefetch, 65_535),
    queueType: options.rabbitmq?.queueType,
  };
  if (pins.queueType !== undefined && pins.queueType !== 'classic' && pins.queueType !== 'quorum') {
    throw new RangeError(
      `${ENTRY}: rabbitmq.queueType must be "classic" or "quorum", got ${String(pins.queueType)}`,
    );
  }

  const plan: fc.Arbitrary<ScenarioPlan> = plainRecord({
    faults: faultPlansArbitrary({
      kinds: faultKinds,
      maxFaults,
      minFaults,
      broker,
      messageIndexSpace: maxMessages,
      maxAcks: maxMessages,
    }),
    messages: messagesArbitrary({ maxMessages, minMessages, keySpace, payload }),
    duplicateIndices: duplicateIndicesArbitrary(producerDuplicates ? maxMessages : 0),
    consumers: fc.integer({ min: 1, max: maxConsumers }),
    kafka:
      broker === 'kafka'
        ? plainRecord({ partitions: pinned(pins.partitions, fc.integer({ min: 1, max: MAX_PARTITIONS })) })
        : fc.constant(undefined),
    rabbitmq:
      broker === 'rabbitmq'
        ? plainRecord({
            prefetch: pinned(pins.prefetch, fc.integer({ min: 1, max: MAX_PREFETCH })),
            queueType: pinned(pins.queueType, fc.constantFrom('classic' as const, 'quorum' as const)),
          })
        : fc.constant(undefined),
  });

  // Key by key, so that the scenario is plain JSON with no `undefined` members.
  return plan.map((p): Scenario => ({
    broker,
    semantics,
    messages: p.messages,
    producerDuplicates: resolveDuplicates(p.duplicateIndices, p.messages),
    consumers: p.consumers,
    ...(p.kafka !== undefined && { kafka: p.kafka }),
    ...(p.rabbitmq !== undefined && { rabbitmq: p.rabbitmq }),
    faults: resolveFaultPlans(p.faults, p.messages),
  }));
}

function optionalInteger(name: string, value: number | undefined, max: number): number | undefined {
  return value === undefined ? undefined : integerOption(ENTRY, name, value, 1, 1, max);
}

/** A pinned value, or the drawn one. */
function pinned<T>(value: T | undefined, drawn: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return value === undefined ? drawn : fc.constant(value);
}

/** Usually no duplicates (4 in 5), otherwise 1..3 positions; shrinks to none first. */
function duplicateIndicesArbitrary(indexSpace: number): fc.Arbitrary<readonly number[]> {
  if (indexSpace === 0) return fc.constant<number[]>([]);
  return fc.oneof(
    { withCrossShrink: true },
    { weight: 4, arbitrary: fc.constant<number[]>([]) },
    {
      weight: 1,
      arbitrary: fc.array(fc.nat({ max: indexSpace - 1 }), {
        minLength: 1,
        maxLength: Math.min(MAX_PRODUCER_DUPLICATES, indexSpace),
      }),
    },
  );
}

/** Distinct ids of the messages at these positions (wrapped around), in produce order. */
function resolveDuplicates(indices: readonly number[], messages: readonly Message[]): string[] {
  if (messages.length === 0) return [];
  const positions = [...new Set(indices.map((i) => i % messages.length))].sort((a, b) => a - b);
  return positions.flatMap((i) => {
    const message = messages[i];
    return message === undefined ? [] : [message.id];
  });
}
