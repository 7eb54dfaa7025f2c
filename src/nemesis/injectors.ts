/**
 * Every fault kind has one injector, the part of the kit that makes it happen:
 * - `in-worker`: the worker process fires it itself at the exact phase of a message's attempt
 *   (a real SIGKILL of itself, a throw from process(), a stall) — in-worker.ts;
 * - `consumer-pool`: the harness starts, stops, restarts or kills worker processes;
 * - `container`: the broker's container is restarted, killed then started, paused then unpaused;
 * - `network`: the consumers' TCP path through the proxy is cut, blackholed or slowed — network.ts.
 * The harness-side injectors are in harness-injector.ts; schedule.ts records what fired and healed.
 */
import type { Fault, FaultKind } from '../model/fault.ts';

export type InjectorKind = 'in-worker' | 'consumer-pool' | 'container' | 'network';

export const INJECTOR: Readonly<Record<FaultKind, InjectorKind>> = {
  'consumer-kill': 'in-worker',
  'processor-throw': 'in-worker',
  'consumer-stall': 'in-worker',
  'consumer-join': 'consumer-pool',
  'consumer-leave': 'consumer-pool',
  'consumer-restart': 'consumer-pool',
  'broker-restart': 'container',
  'broker-kill': 'container',
  'broker-pause': 'container',
  'network-cut': 'network',
  'network-blackhole': 'network',
  'network-latency': 'network',
};

/**
 * The injector of one scheduled fault. A crash has no phase to fire at when it is triggered by
 * progress (after k acks): the consumer pool SIGKILLs a worker from outside then.
 */
export function injectorFor(fault: Fault): InjectorKind {
  if (fault.kind === 'consumer-kill' && fault.trigger.type === 'progress') return 'consumer-pool';
  return INJECTOR[fault.kind];
}
