/**
 * ackcheck's Kafka runtimes on Confluent's client (KafkaJS-compatible API). Manual commits only
 * (`autoCommit: false`); one message at a time (`eachMessage`):
 *
 * - at-least-once: process (retried in place with backoff while the partition is still ours),
 *   then commit offset + 1. A failed commit throws, so the client seeks back and the message
 *   comes again (a duplicate, never a loss).
 * - at-most-once: commit offset + 1, then process (a failure is recorded, not retried). A failed
 *   commit skips the message unprocessed, without throwing: a throw makes the client seek back,
 *   and that seek survives a rebalance (a pending seek), which would replay messages another
 *   consumer already took.
 *
 * Never commits for a partition this consumer no longer owns: the assignment is checked before
 * each commit, and a commit from an old generation is rejected by the broker. The client's
 * offset store (what it records when a handler returns) is never committed: autoCommit is off
 * and commitOffsets() is only called with explicit offsets.
 */
import { sleep } from '../../../../deadline.ts';
import {
  orderFor,
  processUntilDone,
  type Runtime,
  type RuntimeOptions,
} from '../../../../runtime/runtime.ts';
import { type ConfluentConsumer, confluentConsumerFor, confluentDelivery } from './client.ts';

/** A graceful stop that does not finish in time is abandoned (the worker exits anyway). */
const STOP_DEADLINE_MS = 15_000;

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
      const { consumer: c, topic } = await confluentConsumerFor(ctx);
      consumer = c;
      const seen = new Set<string>();
      const owns = (partition: number): boolean => {
        try {
          return c.assignment().some((tp) => tp.topic === topic && tp.partition === partition);
        } catch {
          return false; // not connected any more
        }
      };
      const commit = async (partition: number, offset: string): Promise<void> => {
        if (!owns(partition)) throw new Error(`partition ${partition} is no longer assigned; not committing`);
        await c.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
      };
      await c.connect();
      await c.subscribe({ topics: [topic] });
      await c.run({
        eachMessage: async ({ partition, message: m }) => {
          const d = confluentDelivery(m, partition, seen);
          ctx.delivered(d);
          if (order === 'process-then-ack') {
            const gaveUp = await processUntilDone(
              ctx,
              d,
              () => !stopping && owns(partition),
              () => sleep(backoff),
            );
            // Abandoned: the client seeks back; the message comes again to whoever owns it.
            if (gaveUp) throw gaveUp.abandoned;
            await commit(partition, m.offset); // a failure throws: the message comes again
            ctx.acknowledged(d);
          } else {
            try {
              await commit(partition, m.offset);
            } catch (error) {
              ctx.log(
                `commit of ${partition}:${m.offset} failed, message skipped: ${(error as Error).message}`,
              );
              return;
            }
            ctx.acknowledged(d);
            await ctx.process(d).catch(() => undefined); // at-most-once: a failure is recorded, not retried
          }
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
