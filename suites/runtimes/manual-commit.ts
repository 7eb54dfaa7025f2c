/** kafkajs `eachMessage` with `autoCommit: false` and `commitOffsets(offset + 1)` after processing. */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { kafkajsConfigRuntime } from './kafkajs-config.ts';

export const createRuntime: RuntimeFactory = () =>
  kafkajsConfigRuntime({
    name: 'kafkajs manual commit after processing',
    handler: 'eachMessage',
    autoCommit: false,
    commitAfterProcess: true,
  });
