/**
 * The kit's own producer: publishes a run's messages in order with confirms (Kafka acks=-1,
 * RabbitMQ confirm channel), retrying until confirmed. Every publish attempt gets its own
 * `copy` number; an attempt that errors has an unknown outcome (it may have reached the
 * broker) and is recorded as `info`, never dropped (Jepsen's indeterminate operation).
 */
import { sleep } from '../deadline.ts';
import type { BrokerInfo } from '../model/broker.ts';
import type { Message } from '../model/message.ts';
import type { RunTarget } from '../runtime/runtime.ts';
import { adapterFor } from './registry.ts';

export interface ProduceRecord {
  readonly id: string;
  readonly copy: number;
  readonly outcome: 'ok' | 'info' | 'fail';
  readonly partition?: number;
  readonly offset?: string;
}

/**
 * Publishes `messages` in order; ids in `duplicates` are published twice in a row.
 * Calls `record` for every attempt. Throws if a publish is not confirmed by `deadline` (epoch ms).
 */
export async function produce(
  info: BrokerInfo,
  target: RunTarget,
  messages: readonly Message[],
  duplicates: ReadonlySet<string>,
  record: (r: ProduceRecord) => void,
  deadline: number,
): Promise<void> {
  const copies = new Map<string, number>();
  const nextCopy = (id: string) => {
    const c = copies.get(id) ?? 0;
    copies.set(id, c + 1);
    return c;
  };
  const plan = messages.flatMap((m) => (duplicates.has(m.id) ? [m, m] : [m]));
  const send = await adapterFor(info.kind).openSender(info, target);
  try {
    for (const message of plan) {
      for (;;) {
        const copy = nextCopy(message.id);
        try {
          const position = await send(message, copy);
          record({ id: message.id, copy, outcome: 'ok', ...position });
          break;
        } catch (error) {
          record({ id: message.id, copy, outcome: 'info' });
          if (Date.now() > deadline) throw error;
          await sleep(200);
        }
      }
    }
  } finally {
    await send.close();
  }
}

/**
 * Has everything published been consumed and acknowledged? Kafka: the group's committed
 * offset reached the end of every partition. RabbitMQ: the queue has no ready message and
 * no consumer holds an unacked one (checked by the caller through the history).
 */
export function remaining(info: BrokerInfo, target: RunTarget): Promise<number> {
  return adapterFor(info.kind).remaining(info, target);
}
