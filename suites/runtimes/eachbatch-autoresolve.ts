/**
 * kafkajs `eachBatch` with `eachBatchAutoResolve: true` and autoCommit (both kafkajs defaults),
 * looping over the batch like the documentation's example (`if (!isRunning() || isStale()) break`).
 */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { kafkajsConfigRuntime } from './kafkajs-config.ts';

export const createRuntime: RuntimeFactory = () =>
  kafkajsConfigRuntime({
    name: 'kafkajs eachBatch, eachBatchAutoResolve',
    handler: 'eachBatch',
    autoCommit: true,
    eachBatchAutoResolve: true,
  });
