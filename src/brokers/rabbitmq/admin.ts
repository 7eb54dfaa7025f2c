/** RabbitMQ administration: readiness probe and per-run queues. */
import { randomUUID } from 'node:crypto';
import amqp from 'amqplib';
import { withTimeout } from '../../deadline.ts';
import type { BrokerInfo } from '../broker.ts';

export type QueueType = 'classic' | 'quorum';

export function amqpUrl(info: Pick<BrokerInfo, 'amqpUrl'>): string {
  if (!info.amqpUrl) throw new TypeError('not a RabbitMQ broker: no amqpUrl');
  return info.amqpUrl;
}

/** Opens and closes a connection and a channel; throws if the broker cannot serve them. */
export async function probeRabbitmq(info: BrokerInfo, timeoutMs: number): Promise<void> {
  const connection = await withTimeout(
    amqp.connect(amqpUrl(info), { timeout: Math.min(timeoutMs, 3_000) }),
    Math.min(timeoutMs, 5_000),
    'AMQP connect timed out',
  );
  // A broker still booting closes connections with 541 INTERNAL_ERROR; that is a failed probe, not a crash.
  connection.on('error', () => undefined);
  try {
    const channel = await withTimeout(connection.createChannel(), 5_000, 'AMQP channel open timed out');
    await channel.close();
  } finally {
    await connection.close().catch(() => undefined);
  }
}

export interface RabbitmqQueue extends AsyncDisposable {
  readonly name: string;
  readonly type: QueueType;
}

/** Declares a fresh durable queue of `type`; disposing deletes it. */
export async function provisionQueue(
  info: BrokerInfo,
  options: { type?: QueueType; name?: string } = {},
): Promise<RabbitmqQueue> {
  const type = options.type ?? 'classic';
  if (type !== 'classic' && type !== 'quorum') {
    throw new RangeError(`provisionQueue: type must be "classic" or "quorum", got "${String(type)}"`);
  }
  const name = options.name ?? `ackcheck-${randomUUID()}`;
  const connection = await amqp.connect(amqpUrl(info));
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    await channel.assertQueue(name, { durable: true, arguments: { 'x-queue-type': type } });
    await channel.close();
  } finally {
    await connection.close();
  }
  return {
    name,
    type,
    async [Symbol.asyncDispose]() {
      try {
        const c = await amqp.connect(amqpUrl(info));
        c.on('error', () => undefined);
        try {
          const ch = await c.createChannel();
          await ch.deleteQueue(name);
          await ch.close();
        } finally {
          await c.close();
        }
      } catch {
        // The run is over; a queue that cannot be deleted now goes with the container.
      }
    },
  };
}
