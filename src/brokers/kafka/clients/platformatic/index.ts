/** Platformatic's pure-TypeScript Kafka client (@platformatic/kafka) as a built-in runtime family. */
import type { BrokerClient } from '../../../adapter.ts';
import { optionalClientFamily } from '../load-client.ts';
import { loadPlatformatic, PLATFORMATIC_PACKAGE } from './client.ts';
import { platformaticRuntime } from './runtime.ts';

export const platformaticClient: BrokerClient = optionalClientFamily({
  name: 'platformatic',
  package: PLATFORMATIC_PACKAGE,
  load: loadPlatformatic,
  runtime: platformaticRuntime,
});
