/** kafkajs `eachMessage` awaiting the processor, `autoCommit: true, autoCommitInterval: 500`. */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { kafkajsConfigRuntime } from './kafkajs-config.ts';

export const createRuntime: RuntimeFactory = () =>
  kafkajsConfigRuntime({
    name: 'kafkajs autoCommit interval 500 ms, sync handler',
    handler: 'eachMessage',
    autoCommit: true,
    autoCommitInterval: 500,
  });
