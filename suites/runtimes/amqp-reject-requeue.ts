/** amqplib consumer: reject with requeue on a processor error. */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { amqplibConfigRuntime } from './amqplib-config.ts';

export const createRuntime: RuntimeFactory = () =>
  amqplibConfigRuntime({
    name: 'amqplib reject with requeue on a processor error',
    onError: { method: 'reject', requeue: true },
  });
