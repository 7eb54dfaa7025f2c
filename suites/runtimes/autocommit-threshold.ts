/** kafkajs `eachMessage` awaiting the processor, `autoCommit: true, autoCommitThreshold: 3`. */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { kafkajsConfigRuntime } from './kafkajs-config.ts';

export const createRuntime: RuntimeFactory = () =>
  kafkajsConfigRuntime({
    name: 'kafkajs autoCommit threshold 3, sync handler',
    handler: 'eachMessage',
    autoCommit: true,
    autoCommitThreshold: 3,
  });
