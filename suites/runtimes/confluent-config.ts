/**
 * A Confluent (@confluentinc/kafka-javascript) consumer written the way its KafkaJS-compatible
 * API's documentation shows, for one client configuration (the client's default autoCommit with
 * an awaited `eachMessage`, or `eachBatch` with its default auto-resolve). The `kafka-clients`
 * suite certifies each to find out what it delivers.
 *
 * The Runtime contract asks for `acknowledged()` right after a commit; with autoCommit the
 * application never sees the commit, and this API reports no commit events, so a delivery is
 * acknowledged when a poll of the group's committed offsets (every 100 ms) has passed it.
 */
import type { KafkaJS } from '@confluentinc/kafka-javascript';
import {
  type ConfluentConsumer,
  confluentConsumerFor,
  confluentDelivery,
} from '../../src/brokers/kafka/clients/confluent/client.ts';
import type { Delivery, Runtime } from '../../src/runtime/runtime.ts';
import { committedPoller } from '../../fixtures/runtimes/committed-poller.ts';

export interface ConfluentConfig {
  /** Shown in reports. */
  readonly name: string;
  /** `eachMessage` awaiting the processor, or `eachBatch` looping over the batch like the docs. */
  readonly handler: 'eachMessage' | 'eachBatch';
  /** KafkaJS-style consumer settings on top of the kit's timings (the kit turns autoCommit off). */
  readonly kafkaJS: Partial<KafkaJS.ConsumerConfig>;
}

export function confluentConfigRuntime(config: ConfluentConfig): Runtime {
  let consumer: ConfluentConsumer | undefined;
  let poller: { stop(): void } | undefined;
  return {
    name: config.name,
    broker: 'kafka',
    semantics: 'at-least-once',
    async start(ctx) {
      const { consumer: c, topic } = await confluentConsumerFor(ctx, { kafkaJS: config.kafkaJS });
      consumer = c;
      const acks = committedPoller(ctx, async (partitions) =>
        (await c.committed(partitions.map((partition) => ({ topic, partition })))).map((o) => ({
          partition: o.partition,
          offset: BigInt(o.offset),
        })),
      );
      poller = acks;
      const seen = new Set<string>();
      const deliver = (m: KafkaJS.KafkaMessage, partition: number): Delivery => {
        const d = confluentDelivery(m, partition, seen);
        ctx.delivered(d);
        acks.add(d);
        return d;
      };
      await c.connect();
      await c.subscribe({ topics: [topic] });
      if (config.handler === 'eachMessage') {
        await c.run({
          // A processor error is thrown to the client, which seeks back to the message.
          eachMessage: async ({ partition, message }) => ctx.process(deliver(message, partition)),
        });
      } else {
        await c.run({
          // The loop of the KafkaJS documentation's eachBatch example, on the client's defaults
          // (eachBatchAutoResolve: true).
          eachBatch: async ({ batch, heartbeat, isRunning, isStale }) => {
            for (const message of batch.messages) {
              if (!isRunning() || isStale()) break;
              await ctx.process(deliver(message, batch.partition));
              await heartbeat();
            }
          },
        });
      }
    },
    async stop() {
      poller?.stop();
      await consumer?.disconnect();
    },
  };
}
