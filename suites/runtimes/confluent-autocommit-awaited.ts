/** Confluent's KafkaJS API, `eachMessage` awaiting the processor, the client's default autoCommit (true, every 5 s). */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { confluentConfigRuntime } from './confluent-config.ts';

export const createRuntime: RuntimeFactory = () =>
  confluentConfigRuntime({
    name: 'confluent eachMessage, default autoCommit, awaited handler',
    handler: 'eachMessage',
    kafkaJS: { autoCommit: true },
  });
