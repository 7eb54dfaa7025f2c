/** kafkajs `eachMessage` with `autoCommit: true` (defaults) that starts processing without awaiting it. */
import type { RuntimeFactory } from '../../src/brokers/runtime.ts';
import { kafkajsConfigRuntime } from './kafkajs-config.ts';

export const createRuntime: RuntimeFactory = () =>
  kafkajsConfigRuntime({
    name: 'kafkajs autoCommit, background handler',
    handler: 'eachMessage',
    autoCommit: true,
    background: true,
  });
