/**
 * vitest globalSetup: starts the brokers once per test process and shares their addresses
 * with every test file through `inject('ackcheckBrokers')`. Use it in a vitest config:
 *
 *   test: { globalSetup: ['ackcheck/vitest/global-setup'] }
 *
 * ACKCHECK_BROKERS selects the brokers (default all): "kafka", "rabbitmq", or ids such as
 * "kafka-3.9,rabbitmq-4.0". Brokers left running by `ackcheck brokers up` are reused.
 * ACKCHECK_KAFKA_BOOTSTRAP / ACKCHECK_AMQP_URL name external brokers: no container is
 * started for that kind (one broker stands in for every selected id of the kind).
 */
import type { TestProject } from 'vitest/node';
import type { BrokerInfo } from '../brokers/container/started-broker.ts';
import { parseBrokerSelection } from '../brokers/registry.ts';
import { collapseExternal } from '../brokers/container/external.ts';
import { acquireBrokers } from '../brokers/container/fleet.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    ackcheckBrokers: BrokerInfo[];
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const { ids, notices } = collapseExternal(parseBrokerSelection(process.env.ACKCHECK_BROKERS ?? 'all'));
  for (const notice of notices) console.error(`ackcheck: ${notice}`);
  const fleet = await acquireBrokers(ids);
  project.provide('ackcheckBrokers', [...fleet.infos]);
  return () => fleet.stop();
}
