/**
 * Network faults on the consumers' client <-> broker path (`network-cut`, `network-blackhole`,
 * `network-latency`). The workers connect through a TcpProxy in the harness process; the
 * producer and admin connect to the broker directly, so only the consumers suffer the fault.
 *
 * Each broker adapter says how (`consumerPath`): RabbitMQ's workers get an AMQP URL that
 * points at the proxy; Kafka clients reconnect to the address the broker *advertises*, so the
 * broker has a second listener (src/brokers/kafka/recipe.ts) advertised at the proxy's fixed
 * port, and workers bootstrap through the proxy and stay behind it.
 *
 * Where the proxy may listen on any port (RabbitMQ), each run gets a proxy of its own, so runs
 * in parallel fault only their own consumers. Where it must listen on a fixed port (Kafka's
 * advertised one), there is one proxy per broker per harness process, started when a run first
 * needs it, shared by the runs that use it at the same time, and stopped when the last of them
 * ends (also on errors); runs with network faults there run alone (certify/parallel.ts).
 */
import { randomUUID } from 'node:crypto';
import { adapterFor } from '../brokers/registry.ts';
import { sleep } from '../deadline.ts';
import type { BrokerInfo } from '../model/broker.ts';
import type { FaultKind, FaultParams } from '../model/fault.ts';
import type { NetworkEffect } from '../model/history.ts';
import { TcpProxy } from './proxy.ts';

export const NETWORK_FAULTS = ['network-cut', 'network-blackhole', 'network-latency'] as const;
export type NetworkFaultKind = (typeof NETWORK_FAULTS)[number];

export function isNetworkFault(kind: FaultKind): kind is NetworkFaultKind {
  return (NETWORK_FAULTS as readonly string[]).includes(kind);
}

/** The consumers' path to a broker, through the proxy. Dispose it when the run ends. */
export interface ConsumerPath extends AsyncDisposable {
  /** The broker as the workers must see it: its client addresses point at the proxy. */
  readonly workerInfo: BrokerInfo;
  /** Applies the fault, holds it for `params.holdMs`, heals it; resolves to what it did. */
  inject(kind: NetworkFaultKind, params: FaultParams): Promise<NetworkEffect>;
}

interface Shared {
  readonly proxy: Promise<TcpProxy>;
  users: number;
}

const proxies = new Map<string, Shared>();
/** Faults on one proxy run one after another (concurrent runs share it). */
const lanes = new Map<string, Promise<unknown>>();

/** Throws NETWORK_FAULTS_UNAVAILABLE when the broker cannot route its consumers through a proxy. */
export function assertNetworkFaultsSupported(info: BrokerInfo): void {
  adapterFor(info.kind).consumerPath.check(info);
}

/** True when each run gets a proxy path of its own (the proxy may listen on any port). */
export function ownConsumerPath(info: BrokerInfo): boolean {
  return adapterFor(info.kind).consumerPath.plan(info).listenPort === 0;
}

/** Opens (or joins) the consumers' proxied path to `info`'s broker. */
export async function openConsumerPath(info: BrokerInfo): Promise<ConsumerPath> {
  const { listenPort, target } = adapterFor(info.kind).consumerPath.plan(info);
  const key = listenPort === 0 ? `${info.containerId}/${randomUUID()}` : info.containerId;
  let shared = proxies.get(key);
  if (!shared) {
    const created: Shared = { proxy: TcpProxy.start({ target, port: listenPort }), users: 0 };
    shared = created;
    proxies.set(key, created);
    created.proxy.catch(() => {
      if (proxies.get(key) === created) proxies.delete(key);
    });
  }
  shared.users += 1;
  let proxy: TcpProxy;
  try {
    proxy = await shared.proxy;
  } catch (error) {
    shared.users -= 1;
    throw error;
  }
  const owner = shared;
  let released = false;
  return {
    workerInfo: adapterFor(info.kind).consumerPath.workerInfo(info, proxy.port),
    inject(kind, params) {
      const run = async (): Promise<NetworkEffect> => {
        const before = proxy.stats;
        const connections = proxy.liveConnections;
        if (kind === 'network-cut') proxy.cut();
        else if (kind === 'network-blackhole') proxy.blackhole();
        else proxy.latency(params.latencyMs ?? 100);
        await sleep(params.holdMs ?? 1_000);
        proxy.heal();
        const after = proxy.stats;
        return {
          connections: connections + after.connections - before.connections,
          reset: after.reset - before.reset,
          held: after.held - before.held,
          delayed: after.delayed - before.delayed,
        };
      };
      const next = (lanes.get(key) ?? Promise.resolve()).then(run, run);
      lanes.set(
        key,
        next.catch(() => undefined),
      );
      return next;
    },
    async [Symbol.asyncDispose]() {
      if (released) return;
      released = true;
      owner.users -= 1;
      if (owner.users > 0) return;
      if (proxies.get(key) === owner) proxies.delete(key);
      lanes.delete(key);
      await proxy.stop();
    },
  };
}
