import amqp from 'amqplib';
import { describe, expect, it } from 'vitest';
import { brokers } from '../../vitest/index.ts';
import { amqpUrl, provisionQueue, type QueueType, sharedConnection } from './admin.ts';
import { openRabbitmqReady, openRabbitmqSender } from './sender.ts';

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

  it("shares a run's connection: producer and count borrow it, disposing deletes the queue and closes it", async () => {
    let name: string;
    let closed = false;
    {
      await using queue = await provisionQueue(info, { share: true });
      name = queue.name;
      const connection = sharedConnection(name);
      expect(connection).toBeDefined();
      connection?.on('close', () => (closed = true));
      const target = { kind: 'rabbitmq', queue: name, prefetch: 1 } as const;
      const send = await openRabbitmqSender(info, target);
      await send({ id: 'm1', key: 'k', payload: {} }, 0);
      await send.close();
      await using counter = await openRabbitmqReady(info, target);
      expect(await counter.count()).toBe(1);
      expect(closed).toBe(false); // borrowers close their channels only
    }
    expect(sharedConnection(name)).toBeUndefined();
    expect(closed).toBe(true);
    const connection = await amqp.connect(amqpUrl(info));
    try {
      const channel = await connection.createChannel();
      channel.on('error', () => undefined);
      await expect(channel.checkQueue(name)).rejects.toThrow(/NOT_FOUND/);
    } finally {
      await connection.close().catch(() => undefined);
    }
  });
});
