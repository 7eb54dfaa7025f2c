/**
 * A kafkajs consumer written the way its documentation shows, for one client configuration
 * (autoCommit with an interval or threshold, eachBatch with auto-resolve, manual commits).
 * The `kafka-client-configs` suite certifies each configuration to find out what it delivers.
 *
 * The Runtime contract asks for `acknowledged()` right after a commit. With autoCommit the
 * application never sees the commit, so acknowledgements are derived from kafkajs'
 * COMMIT_OFFSETS instrumentation event: a committed offset O acknowledges every delivery of
 * that partition below O.
 */
import type { Consumer, KafkaMessage } from 'kafkajs';
import { kafkaConsumerFor, kafkaDelivery } from '../../src/brokers/kafka/runtime.ts';
import type { Delivery, Runtime } from '../../src/runtime/runtime.ts';
import type { Semantics } from '../../src/model/scenario.ts';

export interface KafkajsConfig {
  /** Shown in reports. */
  readonly name: string;
  /** The semantics the configuration is claimed to deliver. Default at-least-once. */
  readonly semantics?: Semantics;
  /** `eachMessage`, or `eachBatch` looping over the batch like the kafkajs docs' example. */
  readonly handler: 'eachMessage' | 'eachBatch';
  /** kafkajs `autoCommit` (default true in kafkajs). */
  readonly autoCommit: boolean;
  readonly autoCommitInterval?: number;
  readonly autoCommitThreshold?: number;
  /** eachBatch only: kafkajs `eachBatchAutoResolve` (default true in kafkajs). */
  readonly eachBatchAutoResolve?: boolean;
  /** eachBatch only: call `resolveOffset(m.offset)` after each processed message. */
  readonly resolveEachMessage?: boolean;
  /**
   * The handler hands the message to an in-process work queue (processed one at a time) and
   * returns without awaiting it: "background" processing.
   */
  readonly background?: boolean;
  /** With autoCommit off: `commitOffsets(offset + 1)` after processing each message. */
  readonly commitAfterProcess?: boolean;
}

export function kafkajsConfigRuntime(config: KafkajsConfig): Runtime {
  let consumer: Consumer | undefined;
  return {
    name: config.name,
    broker: 'kafka',
    semantics: config.semantics ?? 'at-least-once',
    async start(ctx) {
      const { consumer: c, topic } = kafkaConsumerFor(ctx);
      consumer = c;
      const seen = new Set<string>();
      let work: Promise<void> = Promise.resolve();
      /** Deliveries not yet covered by a commit, per partition. */
      const pending = new Map<number, Delivery[]>();
      c.on(c.events.COMMIT_OFFSETS, (event) => {
        for (const t of event.payload.topics) {
          for (const p of t.partitions) {
            const partition = Number(p.partition); // kafkajs passes partition numbers as strings here
            const committed = BigInt(p.offset);
            const list = pending.get(partition) ?? [];
            const covered = list.filter((d) => BigInt(d.offset ?? '0') < committed);
            pending.set(
              partition,
              list.filter((d) => !covered.includes(d)),
            );
            for (const d of covered) ctx.acknowledged(d);
          }
        }
      });
      const deliver = (m: KafkaMessage, partition: number): Delivery => {
        const d = kafkaDelivery(m, partition, seen);
        ctx.delivered(d);
        if (config.autoCommit) {
          const list = pending.get(partition) ?? [];
          list.push(d);
          pending.set(partition, list);
        }
        return d;
      };
      const handle = async (d: Delivery, partition: number, offset: string): Promise<void> => {
        if (config.background) {
          work = work.then(() => ctx.process(d)).catch(() => undefined);
          return;
        }
        await ctx.process(d); // a processor error is thrown to kafkajs, which retries
        if (config.commitAfterProcess) {
          await c.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
          ctx.acknowledged(d);
        }
      };
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      const common = {
        autoCommit: config.autoCommit,
        ...(config.autoCommitInterval !== undefined ? { autoCommitInterval: config.autoCommitInterval } : {}),
        ...(config.autoCommitThreshold !== undefined
          ? { autoCommitThreshold: config.autoCommitThreshold }
          : {}),
      };
      if (config.handler === 'eachMessage') {
        await c.run({
          ...common,
          eachMessage: async ({ message, partition }) => {
            await handle(deliver(message, partition), partition, message.offset);
          },
        });
      } else {
        await c.run({
          ...common,
          eachBatchAutoResolve: config.eachBatchAutoResolve ?? true,
          // The loop of the kafkajs documentation's eachBatch example.
          eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
            for (const message of batch.messages) {
              if (!isRunning() || isStale()) break;
              await handle(deliver(message, batch.partition), batch.partition, message.offset);
              if (config.resolveEachMessage) resolveOffset(message.offset);
              await heartbeat();
            }
          },
        });
      }
    },
    async stop() {
      await consumer?.disconnect();
    },
  };
}
