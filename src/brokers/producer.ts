/**
 * The kit's own producer: publishes a run's messages in order with confirms (Kafka acks=-1,
 * RabbitMQ confirm channel), pipelined, retrying until confirmed. Every publish attempt gets its own
 * `copy` number; an attempt that errors has an unknown outcome (it may have reached the
 * broker) and is recorded as `info`, never dropped (Jepsen's indeterminate operation).
 */
import { sleep } from '../deadline.ts';
import type { BrokerInfo } from '../model/broker.ts';
import type { Message } from '../model/message.ts';
import type { RunTarget } from '../runtime/runtime.ts';
import type { PublishPosition } from './adapter.ts';
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
  const plan = messages.flatMap((m) => (duplicates.has(m.id) ? [m, m] : [m]));
  const send = await adapterFor(info.kind).openSender(info, target);
  try {
    await publishAll(send, plan, record, deadline);
  } finally {
    await send.close();
  }
}

/**
 * Publishes `plan` over `send`: every message at once, in order (one AMQP channel, or one
 * Kafka connection, keeps the order of its publishes), then the confirms are awaited in order
 * — one round trip for the run instead of one per message (bench/phases.bench.ts: produce).
 * An attempt that errors is recorded `info` and the message is published again, one at a
 * time, with the next copy number, until confirmed or `deadline` passes.
 */
export async function publishAll(
  send: (message: Message, copy: number) => Promise<PublishPosition>,
  plan: readonly Message[],
  record: (r: ProduceRecord) => void,
  deadline: number,
  pause: (ms: number) => Promise<void> = sleep,
): Promise<void> {
  const copies = new Map<string, number>();
  const nextCopy = (id: string) => {
    const c = copies.get(id) ?? 0;
    copies.set(id, c + 1);
    return c;
  };
  const first = plan.map((message) => {
    const copy = nextCopy(message.id);
    const sent = send(message, copy).then(
      (position) => ({ position }),
      (error: unknown) => ({ error }),
    );
    return { message, copy, sent };
  });
  const again: { message: Message; error: unknown }[] = [];
  for (const { message, copy, sent } of first) {
    const result = await sent;
    if ('position' in result) record({ id: message.id, copy, outcome: 'ok', ...result.position });
    else {
      record({ id: message.id, copy, outcome: 'info' });
      again.push({ message, error: result.error });
    }
  }
  for (const failed of again) {
    let error = failed.error;
    for (;;) {
      if (Date.now() > deadline) throw error;
      await pause(200);
      const copy = nextCopy(failed.message.id);
      try {
        const position = await send(failed.message, copy);
        record({ id: failed.message.id, copy, outcome: 'ok', ...position });
        break;
      } catch (e) {
        error = e;
        record({ id: failed.message.id, copy, outcome: 'info' });
      }
    }
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
