/**
 * The idempotent upsert (fixtures/processors/sqlite-upsert.ts) after 20 ms of simulated I/O
 * (a call to another service, say). With a synchronous processor a handler that does not await
 * it still finishes before kafkajs can commit; real processors take time, and that window is
 * what the client settings in `kafka-client-configs` differ on.
 */
import { setTimeout as delay } from 'node:timers/promises';
import upsert from '../../fixtures/processors/sqlite-upsert.ts';
import { defineProcessor } from '../../src/model/processor.ts';

export const IO_MS = 20;

export default defineProcessor({
  ...upsert,
  name: 'slow-upsert',
  async process(message, ctx) {
    await delay(IO_MS);
    await ctx.checkpoint();
    await upsert.process(message, ctx);
  },
});
