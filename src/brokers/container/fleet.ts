/**
 * The brokers of one test process or CLI invocation: started once, reused by every run,
 * stopped at the end. Where `ackcheck brokers up` left shared brokers running, those are
 * reused instead of starting new ones (and left running afterwards).
 */
import { describeError } from '../../errors.ts';
import { type BrokerInfo, StartedBroker, waitUntilReady } from './started-broker.ts';
import { type BrokerName, resolveBrokerId } from '../registry.ts';
import { externalBroker } from './external.ts';
import { stopReaper } from './reaper.ts';
import { findSharedBroker, type StartBrokerOptions, startBroker } from './start-broker.ts';

/** How long an external broker (already running) gets to answer. */
export const EXTERNAL_READY_TIMEOUT_MS = 10_000;

export interface BrokerFleet extends AsyncDisposable {
  readonly brokers: readonly StartedBroker[];
  readonly infos: readonly BrokerInfo[];
  /** By id, or by kind (its newest version). */
  get(name: BrokerName): StartedBroker;
  stop(): Promise<void>;
}

export interface AcquireOptions extends Omit<StartBrokerOptions, 'broker' | 'name' | 'hostPort'> {
  /** Reuse running shared brokers (from `ackcheck brokers up`). Default true. */
  reuseShared?: boolean;
}

/**
 * Starts (or finds) the given brokers in parallel. If one fails, the others are stopped.
 * A broker kind named by ACKCHECK_KAFKA_BOOTSTRAP / ACKCHECK_AMQP_URL is not started: the
 * external broker is checked for readiness and used as is (see external.ts).
 */
export async function acquireBrokers(
  names: readonly BrokerName[],
  options: AcquireOptions = {},
): Promise<BrokerFleet> {
  const { reuseShared = true, ...startOptions } = options;
  // A kind stands for its newest version (as in certify({ broker: 'kafka' })).
  const ids = [...new Set(names.map(resolveBrokerId))];
  const results = await Promise.allSettled(
    ids.map(async (id) => {
      const external = externalBroker(id);
      if (external) {
        // An external broker is up already: a short deadline, so a wrong address fails fast.
        await waitUntilReady(external, startOptions.readyTimeoutMs ?? EXTERNAL_READY_TIMEOUT_MS);
        return new StartedBroker(external, false);
      }
      if (reuseShared && startOptions.scope !== 'shared') {
        const shared = await findSharedBroker(id);
        if (shared) {
          await waitUntilReady(shared.info, startOptions.readyTimeoutMs);
          return shared;
        }
      }
      if (startOptions.scope === 'shared') {
        const existing = await findSharedBroker(id);
        if (existing) {
          await waitUntilReady(existing.info, startOptions.readyTimeoutMs);
          return existing;
        }
      }
      return startBroker({ ...startOptions, broker: id });
    }),
  );
  const brokers = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failure = results.find((r) => r.status === 'rejected');
  if (failure) {
    await Promise.allSettled(brokers.map((b) => b.stop()));
    throw failure.reason;
  }
  let stopped = false;
  const fleet: BrokerFleet = {
    brokers,
    infos: brokers.map((b) => b.info),
    get(name) {
      const id = resolveBrokerId(name);
      const found = brokers.find((b) => b.id === id);
      if (!found) throw new RangeError(`broker ${id} is not part of this fleet (${ids.join(', ')})`);
      return found;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      const outcomes = await Promise.allSettled(brokers.map((b) => b.stop()));
      stopReaper();
      const failed = outcomes.find((o) => o.status === 'rejected');
      if (failed) throw new Error(`could not remove a broker container: ${describeError(failed.reason)}`);
    },
    [Symbol.asyncDispose]: () => fleet.stop(),
  };
  return fleet;
}
