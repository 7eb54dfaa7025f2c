/**
 * ackcheck's Kafka runtimes on Confluent's client (KafkaJS-compatible API). Manual commits only
 * (`autoCommit: false`):
 *
 * - at-least-once (`eachBatch`, `eachBatchAutoResolve: false`, batches of up to
 *   CONFLUENT_BATCH_SIZE messages, each taking new messages for CONFLUENT_BATCH_BUDGET_MS at
 *   most): process each message of the batch (retried in place with backoff while the partition is still ours), then commit offset
 *   + 1 — pipelined as the kafkajs runtime does (the shared GroupCommitter): while one commit is
 *   in flight the next messages are processed, and their offsets go out together in the next
 *   commit. A message is acknowledged, and resolved, only once a commit covering it succeeded;
 *   the batch waits for its commits before it ends (the client rebalances only between
 *   batches, so no commit outlives the assignment). What was not resolved (abandoned, or its
 *   commit failed) the client seeks back to: it comes again (a duplicate, never a loss).
 * - at-most-once (`eachMessage`): commit offset + 1, then process (a failure is recorded, not
 *   retried). A failed commit skips the message unprocessed, without throwing: a throw makes
 *   the client seek back, and that seek survives a rebalance (a pending seek), which would
 *   replay messages another consumer already took.
 *
 * Never commits for a partition this consumer no longer owns: the assignment is checked before
 * each commit, and a commit from an old generation is rejected by the broker. The client's
 * offset store (what it records when a handler returns or an offset is resolved) is never
 * committed: autoCommit is off and commitOffsets() is only called with explicit offsets.
 */
import { sleep } from '../../../../deadline.ts';
import {
  type Delivery,
  orderFor,
  processUntilDone,
  type Runtime,
  type RuntimeOptions,
} from '../../../../runtime/runtime.ts';
import { GroupCommitter } from '../../group-committer.ts';
import { Redeliveries } from '../../redeliveries.ts';
import { type ConfluentConsumer, confluentConsumerFor, confluentDelivery } from './client.ts';

/** A graceful stop that does not finish in time is abandoned (the worker exits anyway). */
const STOP_DEADLINE_MS = 15_000;
/**
 * At-least-once batch size (`js.consumer.max.batch.size`; the client's default is 32): a batch
 * ends by waiting for the commit that covers it, one round trip per batch, which at 32 messages
 * cost a fast processor about half its throughput (bench/clients.bench.ts).
 */
const CONFLUENT_BATCH_SIZE = 1_024;
/**
 * A batch stops taking new messages after this long (the rest is not resolved: the client seeks
 * back and hands them over again). The client polls librdkafka, and rebalances, only between
 * batches: a large batch of a slow processor must not reach max.poll.interval.ms (10 s).
 */
const CONFLUENT_BATCH_BUDGET_MS = 1_000;

export function confluentRuntime(options: RuntimeOptions): Runtime {
  const order = orderFor(options);
  const backoff = options.retryBackoffMs ?? 200;
  let consumer: ConfluentConsumer | undefined;
  let stopping = false;
  return {
    name: `confluent-${options.semantics}${options.order ? ` (${order})` : ''}`,
    broker: 'kafka',
    semantics: options.semantics,
    async start(ctx) {
      const { consumer: c, topic } = await confluentConsumerFor(
        ctx,
        order === 'process-then-ack' ? { 'js.consumer.max.batch.size': CONFLUENT_BATCH_SIZE } : {},
      );
      consumer = c;
      const seen = new Redeliveries();
      const owns = (partition: number): boolean => {
        try {
          return c.assignment().some((tp) => tp.topic === topic && tp.partition === partition);
        } catch {
          return false; // not connected any more
        }
      };
      /** Commits offset + 1 while the partition is ours; false (nothing sent) once it is not. */
      const commit = async (partition: number, offset: string): Promise<boolean> => {
        if (!owns(partition)) return false;
        await c.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
        return true;
      };
      await c.connect();
      await c.subscribe({ topics: [topic] });
      if (order === 'process-then-ack') {
        await c.run({
          eachBatchAutoResolve: false,
          eachBatch: async ({ batch, resolveOffset, isStale }) => {
            const { partition } = batch;
            // The client rebalances only between batches: the assignment (a call into librdkafka)
            // is checked before each commit and before a retry, not for every message.
            const running = () => !stopping && !isStale();
            const ours = () => running() && owns(partition);
            const committer = new GroupCommitter<string, { d: Delivery; offset: string }>(
              commit,
              ({ d, offset }) => {
                ctx.acknowledged(d);
                resolveOffset(offset);
              },
            );
            const began = Date.now();
            for (const m of batch.messages) {
              if (!running()) break;
              // Not resolved: the client seeks back to it after the batch.
              if (Date.now() - began > CONFLUENT_BATCH_BUDGET_MS) break;
              const d = confluentDelivery(m, partition, seen);
              ctx.delivered(d);
              // Abandoned (stopping, or no longer ours): not resolved, so it comes again.
              if (await processUntilDone(ctx, d, ours, () => sleep(backoff))) break;
              committer.add(partition, m.offset, { d, offset: m.offset });
            }
            await committer.settle(); // a failed commit throws: the client seeks back to it
          },
        });
        return;
      }
      await c.run({
        eachMessage: async ({ partition, message: m }) => {
          const d = confluentDelivery(m, partition, seen);
          ctx.delivered(d);
          try {
            if (!(await commit(partition, m.offset)))
              throw new Error(`partition ${partition} is no longer assigned`);
          } catch (error) {
            ctx.log(
              `commit of ${partition}:${m.offset} failed, message skipped: ${(error as Error).message}`,
            );
            return;
          }
          ctx.acknowledged(d);
          await ctx.process(d).catch(() => undefined); // at-most-once: a failure is recorded, not retried
        },
      });
    },
    async stop() {
      stopping = true;
      const c = consumer;
      if (!c) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        c.disconnect(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, STOP_DEADLINE_MS);
        }),
      ]).finally(() => clearTimeout(timer));
    },
  };
}
