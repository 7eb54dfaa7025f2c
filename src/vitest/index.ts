/**
 * vitest integration: `import { brokers } from 'ackcheck/vitest'` inside a test file gives
 * the brokers started by the global setup (`ackcheck/vitest/global-setup`).
 */
import { inject } from 'vitest';
import { type BrokerInfo, StartedBroker } from '../brokers/broker.ts';
import type { BrokerId, BrokerKind } from '../brokers/catalog.ts';

export type { BrokerInfo };

/** The brokers of this test process, optionally only those of one kind. */
export function brokers(kind?: BrokerKind): BrokerInfo[] {
  const all = inject('ackcheckBrokers');
  if (!all) throw new Error("no brokers provided: add 'ackcheck/vitest/global-setup' to test.globalSetup");
  return kind ? all.filter((b) => b.kind === kind) : all;
}

/** A handle to control (fault, heal) one of the shared brokers; it never removes the container. */
export function brokerHandle(id: BrokerId): StartedBroker {
  const info = brokers().find((b) => b.id === id);
  if (!info) throw new Error(`broker ${id} was not started; set ACKCHECK_BROKERS to include it`);
  return new StartedBroker(info, false);
}
