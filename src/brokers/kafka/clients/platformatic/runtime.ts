/**
 * ackcheck's Kafka runtimes on @platformatic/kafka: one message stream (`consume()`), read one
 * message at a time, manual commits only (`autocommit: false`), starting from the group's
 * committed offsets.
 *
 * - at-least-once: process (retried in place with backoff while the message is still ours),
 *   then commit offset + 1 — pipelined as the kafkajs runtime does (the shared GroupCommitter):
 *   while one commit is in flight the next messages are processed, and the latest processed
 *   message of each partition is committed by the next one. A message is acknowledged only once
 *   a commit covering it succeeded. A commit is retried while still ours; one that keeps failing
 *   reopens the stream, which reads again from the committed offsets, so its messages come
 *   again. Stopping waits (bounded) for the commits in flight.
 * - at-most-once: commit offset + 1, then process (a failure is recorded, not retried); a failed
 *   commit skips the message unprocessed.
 *
 * Never commits for a partition this consumer no longer owns: a stream keeps messages fetched
 * before a rebalance, so a message fetched in an older group generation, or for a partition no
 * longer assigned, is dropped unprocessed (the stream fetches again from the committed offsets
 * after every rejoin, so the owner gets it again), and a commit is issued only while the
 * message it covers is still ours. A commit that needs a rejoin destroys the stream; the
 * runtime then opens a new one (from the committed offsets) and goes on.
 */
import { sleep } from '../../../../deadline.ts';
import {
  type Delivery,
  orderFor,
  type RuntimeContext,
  type StepOrder,
  processUntilDone,
  type Runtime,
  type RuntimeOptions,
} from '../../../../runtime/runtime.ts';
import {
  type PlatformaticConsumer,
  platformaticConsumerFor,
  platformaticDelivery,
  type PlatformaticMessage,
  platformaticOwns,
  type PlatformaticStream,
} from './client.ts';
import { GroupCommitter } from '../../group-committer.ts';
import { Redeliveries } from '../../redeliveries.ts';

/** A stream that cannot be reopened for this long fails the worker (it is replaced). */
const REOPEN_DEADLINE_MS = 30_000;
const STOP_DEADLINE_MS = 15_000;
/** Commit attempts per message (at-least-once) before the message is left to a redelivery. */
const COMMIT_ATTEMPTS = 10;

function withDeadline(work: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    work.then(
      () => undefined,
      () => undefined,
    ),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * At-least-once commit of a processed message while it is still ours, retried a few times;
 * false when given up (stopping, or no longer ours: it comes again to whoever owns it). A commit
 * that keeps failing throws: reopening the stream reads again from the committed offsets.
 */
async function commitOwned(
  m: PlatformaticMessage,
  owned: () => boolean,
  stopping: () => boolean,
  backoff: number,
): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    if (!owned()) return false;
    try {
      await m.commit();
      return true;
    } catch (error) {
      if (stopping()) return false;
      if (attempt >= COMMIT_ATTEMPTS)
        throw new Error(`commit of ${m.partition}:${m.offset} failed: ${(error as Error).message}`, {
          cause: error,
        });
      await sleep(backoff);
    }
  }
}

/** What the runtime does with each message of the stream, in the order its semantics asks. */
function messageHandler(
  ctx: RuntimeContext,
  c: PlatformaticConsumer,
  order: StepOrder,
  backoff: number,
  stopping: () => boolean,
  committer: GroupCommitter<PlatformaticMessage, Delivery>,
): (m: PlatformaticMessage) => Promise<void> {
  const seen = new Redeliveries();
  const owns = (m: PlatformaticMessage) => platformaticOwns(c, m);
  return async (m: PlatformaticMessage): Promise<void> => {
    if (!owns(m)) return; // fetched before a rebalance: the owner reads it again
    const d = platformaticDelivery(m, seen);
    ctx.delivered(d);
    if (order === 'process-then-ack') {
      // Abandoned (stopping, or no longer ours): it comes again to whoever owns it.
      if (
        await processUntilDone(
          ctx,
          d,
          () => !stopping() && owns(m),
          () => sleep(backoff),
        )
      )
        return;
      committer.add(m.partition, m, d);
    } else {
      try {
        await m.commit();
      } catch (error) {
        ctx.log(`commit of ${d.partition}:${d.offset} failed, message skipped: ${(error as Error).message}`);
        return;
      }
      ctx.acknowledged(d);
      await ctx.process(d).catch(() => undefined); // at-most-once: a failure is recorded, not retried
    }
  };
}

export function platformaticRuntime(options: RuntimeOptions): Runtime {
  const order = orderFor(options);
  const backoff = options.retryBackoffMs ?? 200;
  let consumer: PlatformaticConsumer | undefined;
  let stream: PlatformaticStream | undefined;
  let loop: Promise<void> | undefined;
  let committer: GroupCommitter<PlatformaticMessage, Delivery> | undefined;
  let stopping = false;
  return {
    name: `platformatic-${options.semantics}${options.order ? ` (${order})` : ''}`,
    broker: 'kafka',
    semantics: options.semantics,
    async start(ctx) {
      const { consumer: c, consume } = await platformaticConsumerFor(ctx);
      consumer = c;
      // A commit that keeps failing closes the stream: the loop reopens it from the committed
      // offsets, so the messages it covered come again (not acknowledged, never stuck).
      committer = new GroupCommitter<PlatformaticMessage, Delivery>(
        async (_partition, m) => {
          try {
            return await commitOwned(
              m,
              () => platformaticOwns(c, m),
              () => stopping,
              backoff,
            );
          } catch (error) {
            ctx.log(`${(error as Error).message}; reopening the message stream`);
            void stream?.close().catch(() => undefined);
            return false;
          }
        },
        ctx.acknowledged,
        (m) => BigInt(m.offset),
      );
      const handle = messageHandler(ctx, c, order, backoff, () => stopping, committer);

      const open = async (): Promise<PlatformaticStream | undefined> => {
        const since = Date.now();
        for (;;) {
          try {
            const s = await c.consume(consume);
            stream = s;
            return s;
          } catch (error) {
            if (stopping) return undefined;
            if (Date.now() - since > REOPEN_DEADLINE_MS) {
              ctx.fail(error instanceof Error ? error : new Error(String(error)));
              return undefined;
            }
            await sleep(500);
          }
        }
      };

      const first = await c.consume(consume);
      stream = first;
      loop = (async () => {
        let s: PlatformaticStream | undefined = first;
        while (s && !stopping) {
          try {
            for await (const m of s as AsyncIterable<PlatformaticMessage>) {
              if (stopping) break;
              await handle(m);
            }
          } catch (error) {
            if (!stopping) ctx.log(`message stream failed, reopening: ${(error as Error).message}`);
          }
          if (stopping) break;
          await withDeadline(s.close(), STOP_DEADLINE_MS); // it may still be open (a commit that kept failing)
          s = await open();
        }
      })();
    },
    async stop() {
      stopping = true;
      if (stream) await withDeadline(stream.close(), STOP_DEADLINE_MS);
      if (loop) await withDeadline(loop, STOP_DEADLINE_MS);
      if (committer) await withDeadline(committer.settle(), STOP_DEADLINE_MS);
      if (consumer) await withDeadline(consumer.close(), STOP_DEADLINE_MS);
    },
  };
}
