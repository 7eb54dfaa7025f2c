/**
 * @platformatic/kafka (pure TypeScript) for ackcheck's runtimes and for users' own: a consumer
 * and its message stream for a run's target with the kit's timings, a `Delivery` from a
 * message, and whether a message still belongs to this consumer. The package is an optional
 * peer dependency, imported on first use (CLIENT_MISSING when absent).
 *
 * Defaults of this client that matter for delivery guarantees, and that the helpers override:
 * `autocommit: true` commits a fetched batch's offsets when the batch is *fetched* (before the
 * application has seen it); `mode: 'latest'` starts every new stream at the end of the log,
 * ignoring the group's committed offsets. Heartbeats run on timers, independent of processing.
 */
import type { ConsumeOptions, Consumer, ConsumerOptions, Message, MessagesStream } from '@platformatic/kafka';
import {
  decodeCopy,
  decodeMessage,
  type Delivery,
  HEADERS,
  type RuntimeContext,
} from '../../../../runtime/runtime.ts';
import { markDelivered, type Redeliveries } from '../../redeliveries.ts';
import { loadOptionalClient } from '../load-client.ts';

export type PlatformaticModule = typeof import('@platformatic/kafka');
export type PlatformaticConsumer = Consumer<Buffer, Buffer, Buffer, Buffer>;
export type PlatformaticMessage = Message<Buffer, Buffer, Buffer, Buffer>;
export type PlatformaticStream = MessagesStream<Buffer, Buffer, Buffer, Buffer>;
export type PlatformaticConsumeOptions = ConsumeOptions<Buffer, Buffer, Buffer, Buffer>;

export const PLATFORMATIC_PACKAGE = '@platformatic/kafka';

export function loadPlatformatic(): Promise<PlatformaticModule> {
  return loadOptionalClient(
    { pkg: PLATFORMATIC_PACKAGE, title: '@platformatic/kafka' },
    () => import('@platformatic/kafka'),
  );
}

/**
 * Group timings that let a killed consumer be noticed in about two seconds (the test broker's
 * group.min.session.timeout.ms is 500).
 */
export const PLATFORMATIC_CONSUMER_TIMINGS = {
  sessionTimeout: 2_000,
  heartbeatInterval: 300,
  rebalanceTimeout: 5_000,
} as const;

const COPY_HEADER_LENGTH = Buffer.byteLength(HEADERS.copy);

/**
 * A record of ackcheck's producer as a `Delivery`: `seen` holds the positions this consumer has
 * had, to mark redeliveries (a `Redeliveries`, or a `Set` of `partition:offset` strings). For
 * runtimes of your own too.
 */
export function platformaticDelivery(m: PlatformaticMessage, seen: Redeliveries | Set<string>): Delivery {
  const message = decodeMessage(m.value);
  let copy = 0;
  // By index, and a key decoded only when its length matches: this ran for every message.
  const headers = m.headerEntries;
  for (let i = 0; i < headers.length; i++) {
    const [k, v] = headers[i] as [Buffer, Buffer];
    if (k.length === COPY_HEADER_LENGTH && k.toString() === HEADERS.copy) copy = decodeCopy(v);
  }
  const redelivered = markDelivered(seen, m.partition, m.offset);
  return { message, copy, redelivered, partition: m.partition, offset: m.offset.toString() };
}

/**
 * Whether `m` still belongs to this consumer: fetched in the group generation it is in now, for
 * a partition it is assigned. A stream keeps messages fetched before a rebalance; committing
 * one would write an offset with the *new* generation (which the broker accepts) for a position
 * the group has moved past or handed to another consumer.
 */
export function platformaticOwns(consumer: PlatformaticConsumer, m: PlatformaticMessage): boolean {
  const fetchedIn = (m.metadata as { consumer?: { generationId?: number } } | undefined)?.consumer
    ?.generationId;
  if (fetchedIn !== undefined && fetchedIn !== consumer.generationId) return false;
  return (consumer.assignments ?? []).some((a) => a.topic === m.topic && a.partitions.includes(m.partition));
}

/**
 * A @platformatic/kafka consumer for a runtime's target, with the kit's timings and retries that
 * ride out a broker restart, and the options for its stream: manual commits, starting from the
 * group's committed offsets (the earliest offset when there are none). Pass `config` and
 * `consume` for your own settings on top; start the stream with `consumer.consume(consume)`.
 */
export async function platformaticConsumerFor(
  ctx: RuntimeContext,
  config: Partial<ConsumerOptions<Buffer, Buffer, Buffer, Buffer>> = {},
  consume: Partial<PlatformaticConsumeOptions> = {},
): Promise<{
  consumer: PlatformaticConsumer;
  consume: PlatformaticConsumeOptions;
  topic: string;
  groupId: string;
}> {
  if (ctx.target.kind !== 'kafka') throw new Error('this runtime needs a Kafka target');
  if (!ctx.broker.bootstrapServers?.length) throw new TypeError('not a Kafka broker: no bootstrapServers');
  const { topic, groupId } = ctx.target;
  const { Consumer } = await loadPlatformatic();
  const consumer = new Consumer<Buffer, Buffer, Buffer, Buffer>({
    clientId: `ackcheck-${ctx.worker}`,
    bootstrapBrokers: [...ctx.broker.bootstrapServers],
    groupId,
    timeout: 5_000,
    retries: 30,
    retryDelay: 250,
    ...PLATFORMATIC_CONSUMER_TIMINGS,
    ...config,
  } as ConsumerOptions<Buffer, Buffer, Buffer, Buffer>);
  return {
    consumer,
    consume: {
      topics: [topic],
      mode: 'committed',
      fallbackMode: 'earliest',
      autocommit: false,
      maxWaitTime: 500,
      ...PLATFORMATIC_CONSUMER_TIMINGS,
      ...consume,
    },
    topic,
    groupId,
  };
}
