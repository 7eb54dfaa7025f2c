/** The ready-made conformance suites, by name. Each is a plain `Suite` value for runSuite(). */
import type { Suite } from '../src/harness/suite.ts';
import { kafkaClientConfigsSuite } from './kafka-client-configs.ts';
import { rabbitmqQueueTypesSuite } from './rabbitmq-queue-types.ts';
import { runtimesSuite } from './runtimes.ts';

export { kafkaClientConfigsSuite, rabbitmqQueueTypesSuite, runtimesSuite };

export const SUITES: Readonly<Record<string, Suite>> = {
  runtimes: runtimesSuite,
  'kafka-client-configs': kafkaClientConfigsSuite,
  'rabbitmq-queue-types': rabbitmqQueueTypesSuite,
};
