/**
 * The idempotent upsert (fixtures/processors/sqlite-upsert.ts), except that the first message
 * (`m1`) is poisoned: every attempt at it in a consumer fails. The exactly-once reference
 * (worker "reference") processes it normally, so the final state shows whether it was ever
 * processed. Used to measure what a broker does with a message that keeps failing (RabbitMQ
 * 4.0 quorum queues drop it after their delivery limit).
 */
import upsert from '../../fixtures/processors/sqlite-upsert.ts';
import { defineProcessor } from '../../src/model/processor.ts';

export const POISONED_ID = 'm1';

export default defineProcessor({
  ...upsert,
  name: 'poisoned-upsert',
  process(message, ctx) {
    if (message.id === POISONED_ID && ctx.worker !== 'reference') {
      throw new Error(`poisoned message ${message.id} always fails`);
    }
    return upsert.process(message, ctx);
  },
});
