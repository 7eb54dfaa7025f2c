/**
 * Confluent's Kafka client (@confluentinc/kafka-javascript, librdkafka underneath), through its
 * KafkaJS-compatible API, for ackcheck's runtimes and for users' own: a consumer for a run's
 * target with the kit's timings, and a `Delivery` from a record. The package is an optional
 * peer dependency, imported on first use (CLIENT_MISSING when absent or not built).
 *
 * Differences from kafkajs that matter here: `autoCommit` and `fromBeginning` are consumer
 * configuration (`kafkaJS: {...}`), not run/subscribe options; heartbeats run on librdkafka's
 * own thread, so a stalled handler keeps its partitions until `max.poll.interval.ms`, which the
 * client sets to twice `rebalanceTimeout`.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import {
  decodeCopy,
  decodeMessage,
  type Delivery,
  HEADERS,
  type RuntimeContext,
} from '../../../../runtime/runtime.ts';
import { markDelivered, type Redeliveries } from '../../redeliveries.ts';
import { loadOptionalClient } from '../load-client.ts';

export type ConfluentKafkaJS = typeof KafkaJS;
export type ConfluentConsumer = KafkaJS.Consumer;
/** Your own consumer settings for confluentConsumerFor: librdkafka properties, and KafkaJS-style ones in `kafkaJS`. */
export type ConfluentConsumerConfig = Partial<Omit<KafkaJS.ConsumerConstructorConfig, 'kafkaJS'>> & {
  kafkaJS?: Partial<KafkaJS.ConsumerConfig>;
};

export const CONFLUENT_PACKAGE = '@confluentinc/kafka-javascript';

/** Loads the client's KafkaJS-compatible API (CLIENT_MISSING when it is not installed or not built). */
export async function loadConfluent(): Promise<ConfluentKafkaJS> {
  const mod = await loadOptionalClient(
    {
      pkg: CONFLUENT_PACKAGE,
      title: "Confluent's Kafka client",
      brokenHint:
        'Its native librdkafka binding is probably not built: npm 11 skips install scripts that ' +
        'package.json does not approve (`npm install-scripts approve @confluentinc/kafka-javascript`, then ' +
        '`npm rebuild @confluentinc/kafka-javascript`); where its prebuilt binary cannot be downloaded, ' +
        "build it from source as ackcheck's scripts/confluent-build.sh does (README: Kafka clients).",
    },
    () => import('@confluentinc/kafka-javascript'),
  );
  const api = (mod as { KafkaJS?: ConfluentKafkaJS; default?: { KafkaJS?: ConfluentKafkaJS } }).KafkaJS;
  return api ?? (mod as { default: { KafkaJS: ConfluentKafkaJS } }).default.KafkaJS;
}

/**
 * Consumer settings that let a killed consumer be noticed in about two seconds (the test
 * broker's group.min.session.timeout.ms is 500) and a broker restart be ridden out quickly.
 */
export const CONFLUENT_CONSUMER_TIMINGS = {
  sessionTimeout: 2_000,
  heartbeatInterval: 300,
  /** Also librdkafka's max.poll.interval.ms (doubled by the client). */
  rebalanceTimeout: 5_000,
} as const;

/** librdkafka settings for fast reconnects after broker and network faults. */
const CONFLUENT_RECONNECT = {
  'reconnect.backoff.ms': 100,
  'reconnect.backoff.max.ms': 1_000,
  'socket.connection.setup.timeout.ms': 5_000,
} as const;

/**
 * A record of ackcheck's producer as a `Delivery`: `seen` holds the positions this consumer has
 * had, to mark redeliveries (a `Redeliveries`, or a `Set` of `partition:offset` strings). For
 * runtimes of your own too.
 */
export function confluentDelivery(
  m: KafkaJS.KafkaMessage,
  partition: number,
  seen: Redeliveries | Set<string>,
): Delivery {
  const message = decodeMessage(m.value);
  const copy = decodeCopy(m.headers?.[HEADERS.copy]);
  const redelivered = markDelivered(seen, partition, m.offset);
  return { message, copy, redelivered, partition, offset: m.offset };
}

/**
 * A Confluent consumer (KafkaJS-compatible API) for a runtime's target, with the kit's timings,
 * reading from the beginning and with manual commits. Pass `config` for your own settings on
 * top: librdkafka properties at the top level, KafkaJS-style ones in `kafkaJS` (merged).
 */
export async function confluentConsumerFor(
  ctx: RuntimeContext,
  config: ConfluentConsumerConfig = {},
): Promise<{ consumer: ConfluentConsumer; topic: string; groupId: string }> {
  if (ctx.target.kind !== 'kafka') throw new Error('this runtime needs a Kafka target');
  if (!ctx.broker.bootstrapServers?.length) throw new TypeError('not a Kafka broker: no bootstrapServers');
  const { topic, groupId } = ctx.target;
  const { Kafka, logLevel } = await loadConfluent();
  const kafka = new Kafka({
    kafkaJS: {
      brokers: [...ctx.broker.bootstrapServers],
      clientId: `ackcheck-${ctx.worker}`,
      // ACKCHECK_KAFKAJS_LOG=info shows what the client does; by default it is silent.
      logLevel: process.env.ACKCHECK_KAFKAJS_LOG ? logLevel.INFO : logLevel.NOTHING,
    },
  });
  const { kafkaJS: own, ...rest } = config;
  const consumer = kafka.consumer({
    ...CONFLUENT_RECONNECT,
    ...rest,
    kafkaJS: { groupId, fromBeginning: true, autoCommit: false, ...CONFLUENT_CONSUMER_TIMINGS, ...own },
  });
  return { consumer, topic, groupId };
}
