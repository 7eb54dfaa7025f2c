/** amqplib consumer: noAck: true, claimed at-least-once. */
import type { RuntimeFactory } from '../../src/runtime/runtime.ts';
import { amqplibConfigRuntime } from './amqplib-config.ts';

export const createRuntime: RuntimeFactory = () =>
  amqplibConfigRuntime({ name: 'amqplib noAck: true, claimed at-least-once', noAck: true });
