/** Platformatic's pure-TypeScript Kafka client (@platformatic/kafka) as a built-in runtime family. */
import type { BrokerClient } from '../../../adapter.ts';
import { platformaticRuntime } from './runtime.ts';

export const platformaticClient: BrokerClient = {
  name: 'platformatic',
  package: '@platformatic/kafka',
  runtime: async (options) => platformaticRuntime(options),
};
