/** The ready-made conformance suites, by name. Each is a plain `Suite` value for runSuite(). */
import type { Suite } from '../src/harness/suite.ts';
import { kafkaClientConfigsSuite } from './kafka-client-configs.ts';
import { kafkaClientsSuite } from './kafka-clients.ts';
import { rabbitmqQueueTypesSuite } from './rabbitmq-queue-types.ts';
import { runtimesSuite } from './runtimes.ts';

export { kafkaClientConfigsSuite, kafkaClientsSuite, rabbitmqQueueTypesSuite, runtimesSuite };

export const SUITES: Readonly<Record<string, Suite>> = {
  runtimes: runtimesSuite,
  'kafka-client-configs': kafkaClientConfigsSuite,
  'kafka-clients': kafkaClientsSuite,
  'rabbitmq-queue-types': rabbitmqQueueTypesSuite,
};
