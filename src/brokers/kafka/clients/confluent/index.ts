/** Confluent's Kafka client (@confluentinc/kafka-javascript) as a built-in runtime family. */
import type { BrokerClient } from '../../../adapter.ts';
import { optionalClientFamily } from '../load-client.ts';
import { CONFLUENT_PACKAGE, loadConfluent } from './client.ts';
import { confluentRuntime } from './runtime.ts';

export const confluentClient: BrokerClient = optionalClientFamily({
  name: 'confluent',
  package: CONFLUENT_PACKAGE,
  load: loadConfluent,
  runtime: confluentRuntime,
});
