/**
 * ackcheck's Kafka runtimes (kafkajs). Manual commits only: a message's offset + 1 is
 * committed right after (at-least-once) or right before (at-most-once) it is processed, and
 * never for a partition this consumer no longer owns (a batch stops when the consumer stops,
 * and when a heartbeat learns of a rebalance; the broker rejects a commit from an old
 * generation).
 *
 * At-least-once pipelines its commits: while one commit is in flight the next messages are
 * processed, and their offsets are committed together when it returns (group commit). Every
 * committed offset still covers only processed messages, and each message is reported
 * acknowledged only once a commit covering it succeeded. A batch waits for its commits
 * before it ends, so no commit outlives the generation that owns the partition.
 */
import type { Consumer, ConsumerConfig, KafkaMessage } from 'kafkajs';
import { sleep } from '../../deadline.ts';
import {
  decodeCopy,
  decodeMessage,
  type Delivery,
  orderFor,
  processUntilDone,
  type Runtime,
  type RuntimeContext,
  type RuntimeOptions,
} from '../../runtime/runtime.ts';
import { HEADERS } from '../../runtime/runtime.ts';
import { kafkaClient } from './client.ts';
import { GroupCommitter } from './group-committer.ts';
import { markDelivered, Redeliveries } from './redeliveries.ts';

/** Consumer timings that let a killed consumer be noticed in about two seconds. */
export const KAFKA_CONSUMER_TIMINGS = {
  sessionTimeout: 2_000,
  heartbeatInterval: 300,
  rebalanceTimeout: 5_000,
  maxWaitTimeInMs: 250,
};

/**
 * A message of ackcheck's producer as a `Delivery` (for `ctx.delivered` and friends): `seen`
 * holds the positions this consumer has had, to mark redeliveries (a `Redeliveries`, or a `Set`
 * of `partition:offset` strings). For runtimes of your own too.
 */
export function kafkaDelivery(
  m: KafkaMessage,
  partition: number,
  seen: Redeliveries | Set<string>,
): Delivery {
  const message = decodeMessage(m.value);
  const copy = decodeCopy(m.headers?.[HEADERS.copy]);
  const redelivered = markDelivered(seen, partition, m.offset);
  return { message, copy, redelivered, partition, offset: m.offset };
}

/**
 * A kafkajs consumer for a runtime's target, with the kit's timings (a killed consumer is
 * noticed in about two seconds) and retries that ride out a broker restart. For runtimes of
 * your own: pass `config` for your own consumer settings on top.
 */
export function kafkaConsumerFor(
  ctx: RuntimeContext,
  config: Partial<ConsumerConfig> = {},
): { consumer: Consumer; topic: string; groupId: string } {
  if (ctx.target.kind !== 'kafka') throw new Error('this runtime needs a Kafka target');
  const { topic, groupId } = ctx.target;
  const kafka = kafkaClient(ctx.broker, {
    clientId: `ackcheck-${ctx.worker}`,
    retry: { retries: 30, maxRetryTime: 2_000 },
  });
  const consumer = kafka.consumer({
    groupId,
    ...KAFKA_CONSUMER_TIMINGS,
    retry: { retries: 30, maxRetryTime: 2_000 },
    ...config,
  });
  return { consumer, topic, groupId };
}

/** How often a batch asks the client to heartbeat (it sends one only every heartbeatInterval). */
const HEARTBEAT_ASK_MS = 50;

export function kafkaRuntime(options: RuntimeOptions): Runtime {
  const order = orderFor(options);
  const backoff = options.retryBackoffMs ?? 200;
  let consumer: Consumer | undefined;
  let stopping = false;
  return {
    name: `kafka-${options.semantics}${options.order ? ` (${order})` : ''}`,
    broker: 'kafka',
    semantics: options.semantics,
    async start(ctx) {
      const { consumer: c, topic } = kafkaConsumerFor(ctx);
      consumer = c;
      let started = false;
      let crashed: Error | undefined;
      // kafkajs restarts a crashed consumer only after a retriable error; after any other it
      // stays down, e.g. a commit refused because the group evicted this member while a network
      // cut or a broker kill outlasted the session (UNKNOWN_MEMBER_ID), or no coordinator yet
      // right after a broker start. The worker then sat idle until the harness replaced it (8 s
      // without progress): it exits instead (the harness starts a fresh consumer at once), or
      // start() fails (and is retried) if that happens before it returns.
      c.on(c.events.CRASH, ({ payload }) => {
        if (payload.restart || stopping) return;
        if (started) ctx.fail(payload.error);
        else crashed = payload.error;
      });
      const seen = new Redeliveries();
      // kafkajs's commitOffsets resolves WITHOUT committing once its runner has stopped (a
      // crash being restarted, e.g. the fetch failing during a broker restart): it returns
      // early, also after a failed attempt (runner.js, commitOffsets). A commit is taken as done
      // only if the runner of the batch that asked for it still runs when it resolves (a
      // stopped runner never runs again; kafkajs builds a new one). Otherwise at-most-once
      // processed a message whose commit never happened, and the next consumer read it again.
      let runnerRuns = () => true;
      const commit = async (partition: number, offset: string): Promise<boolean> => {
        const runs = runnerRuns;
        await c.commitOffsets([{ topic, partition, offset: (BigInt(offset) + 1n).toString() }]);
        return runs();
      };
      const committer = new GroupCommitter<string, Delivery>(commit, ctx.acknowledged);
      await c.connect();
      await c.subscribe({ topics: [topic], fromBeginning: true });
      await c.run({
        autoCommit: false,
        eachBatchAutoResolve: false,
        eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
          const { partition } = batch;
          runnerRuns = isRunning;
          const running = () => isRunning() && !isStale();
          const retry = async () => {
            await heartbeat();
            await sleep(backoff);
          };
          /** The last message handled (processed, or committed at most once); resolved when the batch ends. */
          let last: string | undefined;
          let beat = Date.now();
          try {
            await consumeBatch();
          } catch (error) {
            await committer.settle().catch(() => undefined);
            throw error;
          } finally {
            // Where the client goes on fetching from: only what was handled (a commit is another matter).
            if (last !== undefined) resolveOffset(last);
          }
          await committer.settle(); // a failed commit fails the batch: its messages come again
          async function consumeBatch(): Promise<void> {
            // A batch goes stale when a seek is pending for its partition, which only a
            // consumer.seek() does and this runtime never calls; kafkajs answers isStale() by
            // building a JSON key (0.2 µs, a tenth of the runtime's per-message cost), so it is
            // asked when the batch starts and at every heartbeat ask, isRunning() per message.
            if (isStale()) return;
            for (const m of batch.messages) {
              if (!isRunning()) return;
              const d = kafkaDelivery(m, partition, seen);
              ctx.delivered(d);
              if (order === 'process-then-ack') {
                if (await processUntilDone(ctx, d, running, retry)) return;
                committer.add(partition, m.offset, d);
              } else {
                // Not known to be committed: not processed (at most once), read again if it was not.
                if (!(await commit(partition, m.offset))) return;
                ctx.acknowledged(d);
                await ctx.process(d).catch(() => undefined); // at-most-once: a failure is recorded, not retried
              }
              last = m.offset;
              // The client sends a heartbeat only every heartbeatInterval (300 ms) anyway, and
              // learns of a rebalance from it: asking every 50 ms is enough (asking after every
              // message cost a few promises per message, for nothing).
              if (Date.now() - beat >= HEARTBEAT_ASK_MS) {
                beat = Date.now();
                await heartbeat();
                if (isStale()) return;
              }
            }
          }
        },
      });
      if (crashed) throw crashed;
      started = true;
    },
    async stop() {
      stopping = true;
      await consumer?.disconnect();
    },
  };
}
