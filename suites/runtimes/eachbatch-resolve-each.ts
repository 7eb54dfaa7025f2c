/** kafkajs `eachBatch` with `eachBatchAutoResolve: false`, `resolveOffset()` after each message, autoCommit. */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { kafkajsConfigRuntime } from './kafkajs-config.ts';

export const createRuntime: RuntimeFactory = () =>
  kafkajsConfigRuntime({
    name: 'kafkajs eachBatch, resolveOffset per message',
    handler: 'eachBatch',
    autoCommit: true,
    eachBatchAutoResolve: false,
    resolveEachMessage: true,
  });
