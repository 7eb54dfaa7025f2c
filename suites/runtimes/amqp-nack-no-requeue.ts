/** amqplib consumer: nack without requeue on a processor error. */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { amqplibConfigRuntime } from './amqplib-config.ts';

export const createRuntime: RuntimeFactory = () =>
  amqplibConfigRuntime({
    name: 'amqplib nack without requeue on a processor error',
    onError: { method: 'nack', requeue: false },
  });
