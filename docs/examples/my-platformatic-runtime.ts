// my-platformatic-runtime.ts — @platformatic/kafka's message stream, at-least-once
import {
  platformaticConsumerFor,
  platformaticDelivery,
  platformaticOwns,
  type RuntimeFactory,
} from '../../src/index.ts';

export const createRuntime: RuntimeFactory = () => {
  let stop = async () => {};
  return {
    name: 'my-platformatic-runtime',
    broker: 'kafka',
    semantics: 'at-least-once',
    async start(ctx) {
      const { consumer, consume } = await platformaticConsumerFor(ctx); // autocommit: false, mode: 'committed'
      const stream = await consumer.consume(consume);
      stop = async () => {
        await stream.close();
        await consumer.close();
      };
      const seen = new Set<string>();
      void (async () => {
        for await (const m of stream) {
          if (!platformaticOwns(consumer, m)) continue; // fetched before a rebalance
          const d = platformaticDelivery(m, seen);
          ctx.delivered(d);
          await ctx.process(d);
          await m.commit();
          ctx.acknowledged(d);
        }
      })().catch((error: Error) => ctx.fail(error));
    },
    stop: () => stop(),
  };
};
