/** amqplib consumer: nack with requeue 20 ms after a processor error (a tight redelivery loop). */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { amqplibConfigRuntime } from './amqplib-config.ts';

export const createRuntime: RuntimeFactory = () =>
  amqplibConfigRuntime({
    name: 'amqplib nack with requeue after 20 ms',
    onError: { method: 'nack', requeue: true },
    retryBackoffMs: 20,
  });
