/**
 * @platformatic/kafka as a user who copies its README gets it: a message stream on the client's
 * defaults (`mode: 'latest'`, `fallbackMode: 'latest'`, `autocommit: true`), read with
 * `for await`, each message processed before the next (a processor error is retried in place,
 * so what the cell measures is the stream's settings). Only the kit's consumer timings are kept,
 * so that faults are noticed within a run.
 *
 * The client's commits are not reported to the application, so a delivery is acknowledged when
 * a poll of the group's committed offsets (every 100 ms) has passed it.
 */
import {
  type PlatformaticConsumer,
  platformaticConsumerFor,
  platformaticDelivery,
  type PlatformaticMessage,
  type PlatformaticStream,
} from '../../src/brokers/kafka/clients/platformatic/client.ts';
import { sleep } from '../../src/deadline.ts';
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { committedPoller } from '../../fixtures/runtimes/committed-poller.ts';

export const createRuntime: RuntimeFactory = () => {
  let consumer: PlatformaticConsumer | undefined;
  let stream: PlatformaticStream | undefined;
  let loop: Promise<void> | undefined;
  let poller: { stop(): void } | undefined;
  return {
    name: "platformatic stream on the client's defaults (mode 'latest', autocommit)",
    broker: 'kafka',
    semantics: 'at-least-once',
    async start(ctx) {
      const {
        consumer: c,
        consume,
        topic,
      } = await platformaticConsumerFor(
        ctx,
        {},
        { mode: 'latest', fallbackMode: 'latest', autocommit: true },
      );
      consumer = c;
      const acks = committedPoller(ctx, async (partitions) => {
        const offsets = await c.listCommittedOffsets({ topics: [{ topic, partitions }] });
        const committed = offsets.get(topic) ?? [];
        return partitions.map((partition) => ({ partition, offset: committed[partition] ?? -1n }));
      });
      poller = acks;
      const seen = new Set<string>();
      const s = await c.consume(consume);
      stream = s;
      loop = (async () => {
        try {
          for await (const m of s as AsyncIterable<PlatformaticMessage>) {
            const d = platformaticDelivery(m, seen);
            ctx.delivered(d);
            acks.add(d);
            for (;;) {
              try {
                await ctx.process(d);
                break;
              } catch {
                await sleep(200);
              }
            }
          }
        } catch (error) {
          ctx.fail(error as Error);
        }
      })();
    },
    async stop() {
      poller?.stop();
      await stream?.close().catch(() => undefined);
      await loop;
      await consumer?.close().catch(() => undefined);
    },
  };
};
