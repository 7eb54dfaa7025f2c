import amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { brokers } from '../../vitest/index.ts';
import { amqpUrl, provisionQueue, type QueueType } from './admin.ts';

describe.each(brokers('rabbitmq').map((b) => [b.id, b] as const))('%s queues', (_id, info) => {
  it.each<QueueType>(['classic', 'quorum'])(
    'provisions a fresh %s queue and deletes it afterwards',
    async (type) => {
      const connection = await amqp.connect(amqpUrl(info));
      try {
        let name: string;
        {
          await using queue = await provisionQueue(info, { type });
          name = queue.name;
          const channel = await connection.createChannel();
          // Redeclaring with the other type fails: proof of the type the broker gave the queue.
          const other = type === 'classic' ? 'quorum' : 'classic';
          channel.on('error', () => undefined);
          await expect(
            channel.assertQueue(name, { durable: true, arguments: { 'x-queue-type': other } }),
          ).rejects.toThrow(/PRECONDITION_FAILED/);
        }
        const channel = await connection.createChannel();
        channel.on('error', () => undefined);
        await expect(channel.checkQueue(name)).rejects.toThrow(/NOT_FOUND/);
      } finally {
        await connection.close().catch(() => undefined);
      }
    },
  );
});
