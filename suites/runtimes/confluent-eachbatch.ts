/**
 * Confluent's KafkaJS API, `eachBatch` looping over the batch like the documentation's example,
 * on the client's defaults: autoCommit (every 5 s) and eachBatchAutoResolve.
 */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { confluentConfigRuntime } from './confluent-config.ts';

export const createRuntime: RuntimeFactory = () =>
  confluentConfigRuntime({
    name: 'confluent eachBatch, default autoCommit and eachBatchAutoResolve',
    handler: 'eachBatch',
    kafkaJS: { autoCommit: true },
  });
