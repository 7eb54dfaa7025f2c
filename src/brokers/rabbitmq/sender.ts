/** The kit's RabbitMQ producer (confirm channel) for a run's queue, and what the queue still holds. */
import amqp from 'amqplib';
import type { BrokerInfo } from '../../model/broker.ts';
import type { Message } from '../../model/message.ts';
import { encodeMessage, HEADERS, type RunTarget } from '../../runtime/runtime.ts';
import type { PublishPosition, Sender } from '../adapter.ts';
import { amqpUrl } from './admin.ts';

function queueOf(target: RunTarget): string {
  if (target.kind !== 'rabbitmq') throw new TypeError(`not a RabbitMQ target: ${target.kind}`);
  return target.queue;
}

export async function openRabbitmqSender(info: BrokerInfo, target: RunTarget): Promise<Sender> {
  const queue = queueOf(target);
  const connection = await amqp.connect(amqpUrl(info));
  connection.on('error', () => undefined);
  const channel = await connection.createConfirmChannel();
  channel.on('error', () => undefined);
  const send = (m: Message, copy: number) =>
    new Promise<PublishPosition>((resolve, reject) => {
      channel.sendToQueue(
        queue,
        encodeMessage(m),
        { persistent: true, messageId: m.id, headers: { [HEADERS.id]: m.id, [HEADERS.copy]: copy } },
        (err) => (err ? reject(err) : resolve({})),
      );
    });
  return Object.assign(send, {
    close: async () => {
      await channel.close().catch(() => undefined);
      await connection.close().catch(() => undefined);
    },
  });
}

/**
 * Ready messages in the queue. Unacknowledged ones are not counted: the caller checks them
 * through the history (a live worker inside a stall still holds its delivery).
 */
export async function rabbitmqReady(info: BrokerInfo, target: RunTarget): Promise<number> {
  const queue = queueOf(target);
  const connection = await amqp.connect(amqpUrl(info));
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(queue);
    return messageCount;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
