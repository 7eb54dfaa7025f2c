/** The kit's RabbitMQ producer (confirm channel) for a run's queue, and what the queue still holds. */
import amqp from 'amqplib';
import type { BrokerInfo } from '../../model/broker.ts';
import type { Message } from '../../model/message.ts';
import { encodeMessage, HEADERS, type RunTarget } from '../../runtime/runtime.ts';
import type { PublishPosition, RemainingCounter, Sender } from '../adapter.ts';
import { amqpUrl, sharedConnection } from './admin.ts';

function queueOf(target: RunTarget): string {
  if (target.kind !== 'rabbitmq') throw new TypeError(`not a RabbitMQ target: ${target.kind}`);
  return target.queue;
}

export async function openRabbitmqSender(info: BrokerInfo, target: RunTarget): Promise<Sender> {
  const queue = queueOf(target);
  // The run's connection when the queue was provisioned with `share` (closed with the queue).
  const shared = sharedConnection(queue);
  const connection = shared ?? (await amqp.connect(amqpUrl(info)));
  connection.on('error', () => undefined);
  const channel = await connection.createConfirmChannel().catch(async (error: unknown) => {
    if (!shared) await connection.close().catch(() => undefined);
    throw error;
  });
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
      if (!shared) await connection.close().catch(() => undefined);
    },
  });
}

/**
 * Ready messages in the queue. Unacknowledged ones are not counted: the caller checks them
 * through the history (a live worker inside a stall still holds its delivery).
 */
export async function rabbitmqReady(info: BrokerInfo, target: RunTarget): Promise<number> {
  await using counter = await openRabbitmqReady(info, target);
  return await counter.count();
}

type Connection = Awaited<ReturnType<typeof amqp.connect>>;
type Channel = Awaited<ReturnType<Connection['createChannel']>>;

/** Ready messages over one connection (the drain polls it), reopened after an error. */
export async function openRabbitmqReady(info: BrokerInfo, target: RunTarget): Promise<RemainingCounter> {
  const queue = queueOf(target);
  let open: { connection: Connection; channel: Channel; shared: boolean } | undefined;
  const drop = async () => {
    const o = open;
    open = undefined;
    if (o?.shared) await o.channel.close().catch(() => undefined);
    else await o?.connection.close().catch(() => undefined);
  };
  return {
    async count() {
      try {
        if (!open) {
          // The run's connection when the queue was provisioned with `share`, else one of its own.
          const shared = sharedConnection(queue);
          const connection = shared ?? (await amqp.connect(amqpUrl(info)));
          connection.on('error', () => undefined);
          const channel = await connection.createChannel().catch(async (error: unknown) => {
            if (!shared) await connection.close().catch(() => undefined);
            throw error;
          });
          channel.on('error', () => undefined);
          open = { connection, channel, shared: shared !== undefined };
        }
        const { messageCount } = await open.channel.checkQueue(queue);
        return messageCount;
      } catch (error) {
        await drop(); // a failed checkQueue closes the channel; a broker fault closes the connection
        throw error;
      }
    },
    [Symbol.asyncDispose]: drop,
  };
}
