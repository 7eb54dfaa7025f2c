/**
 * kafkajs `eachMessage` with `autoCommit: true` (defaults) that queues the message for
 * in-process background work (one at a time) and returns without awaiting it.
 */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { kafkajsConfigRuntime } from './kafkajs-config.ts';

export const createRuntime: RuntimeFactory = () =>
  kafkajsConfigRuntime({
    name: 'kafkajs autoCommit, background handler',
    handler: 'eachMessage',
    autoCommit: true,
    background: true,
  });
