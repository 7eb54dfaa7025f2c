/**
 * A consumer on Confluent's native (librdkafka-style, node-rdkafka) API —
 * `require('@confluentinc/kafka-javascript').KafkaConsumer`, not its KafkaJS-compatible API —
 * written the way its examples show: connect, subscribe on `ready`, then a non-flowing loop that
 * `consume()`s a few messages and processes each before the next (awaited, retried on error),
 * with librdkafka's auto-commit. The `kafka-clients` suite certifies two offset-store settings:
 *
 * - `'auto'` (librdkafka's default, `enable.auto.offset.store: true`): librdkafka stores a
 *   message's offset + 1 when it hands the message to the application, before it is processed,
 *   and the auto-commit (`auto.commit.interval.ms`, 100 ms here so that a short run shows it;
 *   the default is 5 s) commits what is stored — a crash while a consumed message is still
 *   being processed, or waiting its turn, can lose it.
 * - `'after-processing'`: `enable.auto.offset.store: false`, and `offsetsStore(offset + 1)` once
 *   the message is processed: the auto-commit then covers processed messages only (librdkafka
 *   refuses to store an offset for a partition no longer assigned: the new owner reads it again).
 *
 * The Runtime contract asks for `acknowledged()` right after a commit; the application never sees
 * librdkafka's commits, so a delivery is acknowledged when a poll of the group's committed
 * offsets (every 100 ms) has passed it.
 */
import type {
  KafkaConsumer,
  LibrdKafkaError,
  Message,
  TopicPartitionOffset,
} from '@confluentinc/kafka-javascript';
import { committedPoller } from '../../fixtures/runtimes/committed-poller.ts';
import { CONFLUENT_CONSUMER_TIMINGS } from '../../src/brokers/kafka/clients/confluent/client.ts';
import { sleep } from '../../src/deadline.ts';
import { decodeMessage, type Delivery, HEADERS, type Runtime } from '../../src/runtime/runtime.ts';

export interface ConfluentNativeConfig {
  /** Shown in reports. */
  readonly name: string;
  /** When the offset is stored for the auto-commit: librdkafka's default, or by the application after processing. */
  readonly offsetStore: 'auto' | 'after-processing';
}

/** Messages per consume() call, and how long a call waits for them. */
const BATCH = 10;
const CONSUME_TIMEOUT_MS = 200;
const STOP_DEADLINE_MS = 15_000;

function copyOf(m: Message): number {
  for (const h of m.headers ?? []) {
    const v = h[HEADERS.copy];
    if (v !== undefined) return Number(String(v));
  }
  return 0;
}

export function confluentNativeRuntime(config: ConfluentNativeConfig): Runtime {
  let consumer: KafkaConsumer | undefined;
  let poller: { stop(): void } | undefined;
  let running = true;
  let loop: Promise<void> | undefined;
  return {
    name: config.name,
    broker: 'kafka',
    semantics: 'at-least-once',
    async start(ctx) {
      if (ctx.target.kind !== 'kafka') throw new Error('this runtime needs a Kafka target');
      const { topic, groupId } = ctx.target;
      const mod = (await import('@confluentinc/kafka-javascript')) as unknown as {
        default: { KafkaConsumer: typeof KafkaConsumer };
      };
      const c = new mod.default.KafkaConsumer(
        {
          'bootstrap.servers': (ctx.broker.bootstrapServers ?? []).join(','),
          'group.id': groupId,
          'client.id': `ackcheck-${ctx.worker}`,
          'enable.auto.commit': true,
          'auto.commit.interval.ms': 100,
          'enable.auto.offset.store': config.offsetStore === 'auto',
          // The kit's timings: a killed consumer is noticed in about two seconds.
          'session.timeout.ms': CONFLUENT_CONSUMER_TIMINGS.sessionTimeout,
          'heartbeat.interval.ms': CONFLUENT_CONSUMER_TIMINGS.heartbeatInterval,
          'max.poll.interval.ms': 2 * CONFLUENT_CONSUMER_TIMINGS.rebalanceTimeout,
          'reconnect.backoff.ms': 100,
          'reconnect.backoff.max.ms': 1_000,
        },
        { 'auto.offset.reset': 'earliest' },
      );
      consumer = c;
      c.setDefaultConsumeTimeout(CONSUME_TIMEOUT_MS);
      await new Promise<void>((resolve, reject) =>
        c.connect({}, (error: LibrdKafkaError | null) => (error ? reject(error) : resolve())),
      );
      const acks = committedPoller(
        ctx,
        (partitions) =>
          new Promise((resolve, reject) =>
            c.committed(
              partitions.map((partition) => ({ topic, partition })),
              1_000,
              (error, offsets) =>
                error
                  ? reject(error)
                  : resolve(offsets.map((o) => ({ partition: o.partition, offset: BigInt(o.offset ?? -1) }))),
            ),
          ),
      );
      poller = acks;
      c.subscribe([topic]);
      const seen = new Set<string>();
      const consume = () =>
        new Promise<Message[]>((resolve, reject) =>
          c.consume(BATCH, (error, messages) => (error ? reject(error) : resolve(messages))),
        );
      loop = (async () => {
        while (running) {
          let messages: Message[];
          try {
            messages = await consume();
          } catch (error) {
            ctx.log(`consume failed: ${(error as Error).message}`);
            await sleep(100);
            continue;
          }
          for (const m of messages) {
            const position = `${m.partition}:${m.offset}`;
            const d: Delivery = {
              message: decodeMessage(m.value),
              copy: copyOf(m),
              redelivered: seen.has(position),
              partition: m.partition,
              offset: String(m.offset),
            };
            seen.add(position);
            ctx.delivered(d);
            acks.add(d);
            // Retried until it succeeds (the processor's error is recorded each time).
            for (;;) {
              try {
                await ctx.process(d);
                break;
              } catch {
                await sleep(100);
              }
            }
            if (config.offsetStore === 'after-processing') {
              const next: TopicPartitionOffset = { topic, partition: m.partition, offset: m.offset + 1 };
              try {
                c.offsetsStore([next]);
              } catch (error) {
                // Not assigned any more: its new owner reads it again.
                ctx.log(`offsetsStore ${position} refused: ${(error as Error).message}`);
              }
            }
          }
        }
      })();
    },
    async stop() {
      running = false;
      // The batch in hand is finished first (bounded: a stalled processor does not hold the stop).
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        loop,
        new Promise((resolve) => (timer = setTimeout(resolve, STOP_DEADLINE_MS))),
      ]).finally(() => clearTimeout(timer));
      poller?.stop();
      const c = consumer;
      if (c) await new Promise<void>((resolve) => c.disconnect(() => resolve()));
    },
  };
}
