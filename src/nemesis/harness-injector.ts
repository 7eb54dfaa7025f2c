/**
 * The faults the harness applies (consumer pool, container, network), each with its heal;
 * resolves once the fault is healed. The in-worker kinds are fired by the worker itself
 * (in-worker.ts) and need nothing here.
 */
import type { BrokerFault } from '../brokers/container/started-broker.ts';
import type { Fault } from '../model/fault.ts';
import type { NetworkEffect } from '../model/history.ts';
import { injectorFor } from './injectors.ts';
import type { ConsumerPath } from './network.ts';
import { isNetworkFault } from './network.ts';

/** What the harness's consumer pool lets a fault do (src/harness/worker-pool.ts). */
export interface PoolControl {
  names(): string[];
  add(): Promise<unknown>;
  stop(name: string): Promise<void>;
  restart(name: string): Promise<void>;
  kill(name: string): Promise<void>;
}

export interface BrokerControl {
  injectFault(fault: BrokerFault, holdMs?: number): Promise<void>;
}

export interface HarnessInjectorDeps {
  readonly broker: BrokerControl;
  readonly pool: PoolControl;
  /** The consumers' proxied path; present when the scenario has network faults. */
  readonly consumerPath?: ConsumerPath | undefined;
}

/** Applies `fault` and heals it; resolves to what a network fault did to the traffic. */
export type Inject = (fault: Fault) => Promise<NetworkEffect | undefined>;

export function harnessInjector({ broker, pool, consumerPath }: HarnessInjectorDeps): Inject {
  return async (fault) => {
    const hold = fault.params.holdMs ?? 1_000;
    switch (injectorFor(fault)) {
      case 'network':
        return consumerPath && isNetworkFault(fault.kind)
          ? consumerPath.inject(fault.kind, fault.params)
          : undefined;
      case 'container':
        await broker.injectFault(
          fault.kind === 'broker-restart' ? 'restart' : fault.kind === 'broker-kill' ? 'kill' : 'pause',
          fault.kind === 'broker-restart' ? 0 : hold,
        );
        return undefined;
      case 'consumer-pool':
        await poolFault(pool, fault);
        return undefined;
      case 'in-worker':
        return undefined; // fired by the worker at its phase
    }
  };
}

async function poolFault(pool: PoolControl, fault: Fault): Promise<void> {
  const [first, ...others] = pool.names();
  if (fault.kind === 'consumer-join') await pool.add();
  else if (!first) return;
  else if (fault.kind === 'consumer-leave') {
    if (others.length > 0) await pool.stop(first); // the last consumer never leaves
  } else if (fault.kind === 'consumer-restart') await pool.restart(first);
  else if (fault.kind === 'consumer-kill') await pool.kill(first); // progress-triggered: SIGKILL from outside
}
