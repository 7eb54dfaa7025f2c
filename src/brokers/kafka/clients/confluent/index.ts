/** Confluent's Kafka client (@confluentinc/kafka-javascript) as a built-in runtime family. */
import type { BrokerClient } from '../../../adapter.ts';
import { confluentRuntime } from './runtime.ts';

export const confluentClient: BrokerClient = {
  name: 'confluent',
  package: '@confluentinc/kafka-javascript',
  runtime: async (options) => confluentRuntime(options),
};
