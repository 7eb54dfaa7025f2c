// my-confluent-runtime.ts — Confluent's KafkaJS-compatible API, at-least-once
import { confluentConsumerFor, confluentDelivery, type RuntimeFactory } from '../../src/index.ts';

export const createRuntime: RuntimeFactory = () => {
  let stop = async () => {};
  return {
    name: 'my-confluent-runtime',
    broker: 'kafka',
    semantics: 'at-least-once',
    async start(ctx) {
      // autoCommit and fromBeginning are consumer configuration here, not run()/subscribe() options
      const { consumer, topic } = await confluentConsumerFor(ctx, { kafkaJS: { autoCommit: false } });
      stop = () => consumer.disconnect();
      const seen = new Set<string>();
      await consumer.connect();
      await consumer.subscribe({ topics: [topic] });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          const d = confluentDelivery(message, partition, seen);
          ctx.delivered(d);
          await ctx.process(d); // throws: not committed, the client seeks back and retries
          const offset = (BigInt(message.offset) + 1n).toString();
          await consumer.commitOffsets([{ topic, partition, offset }]);
          ctx.acknowledged(d);
        },
      });
    },
    stop: () => stop(),
  };
};
