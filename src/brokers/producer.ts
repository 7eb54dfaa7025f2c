/**
 * The kit's own producer: publishes a run's messages in order with confirms (Kafka acks=-1,
 * RabbitMQ confirm channel), retrying until confirmed. Every publish attempt gets its own
 * `copy` number; an attempt that errors has an unknown outcome (it may have reached the
 * broker) and is recorded as `info`, never dropped (Jepsen's indeterminate operation).
 */
import amqp from 'amqplib';
import { sleep } from '../deadline.ts';
import type { Message } from '../model/message.ts';
import type { BrokerInfo } from './container/started-broker.ts';
import { kafkaClient } from './kafka/client.ts';
import { amqpUrl } from './rabbitmq/admin.ts';
import { encodeMessage, HEADERS, type RunTarget } from '../runtime/runtime.ts';

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
  const send =
    target.kind === 'kafka' ? await kafkaSender(info, target.topic) : await rabbitSender(info, target.queue);
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

type Sender = ((m: Message, copy: number) => Promise<{ partition?: number; offset?: string }>) & {
  close(): Promise<void>;
};

async function kafkaSender(info: BrokerInfo, topic: string): Promise<Sender> {
  const producer = kafkaClient(info, { clientId: 'ackcheck-producer' }).producer({
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const send = async (m: Message, copy: number) => {
    const [meta] = await producer.send({
      topic,
      acks: -1,
      messages: [
        {
          key: m.key,
          value: encodeMessage(m),
          headers: { [HEADERS.id]: m.id, [HEADERS.copy]: String(copy) },
        },
      ],
    });
    return { partition: meta?.partition, offset: meta?.baseOffset };
  };
  return Object.assign(send, { close: () => producer.disconnect() });
}

async function rabbitSender(info: BrokerInfo, queue: string): Promise<Sender> {
  const connection = await amqp.connect(amqpUrl(info));
  connection.on('error', () => undefined);
  const channel = await connection.createConfirmChannel();
  channel.on('error', () => undefined);
  const send = (m: Message, copy: number) =>
    new Promise<{ partition?: number; offset?: string }>((resolve, reject) => {
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
 * Has everything published been consumed and acknowledged? Kafka: the group's committed
 * offset reached the end of every partition. RabbitMQ: the queue has no ready message and
 * no consumer holds an unacked one (checked by the caller through the history).
 */
export async function remaining(info: BrokerInfo, target: RunTarget): Promise<number> {
  if (target.kind === 'kafka') {
    const admin = kafkaClient(info).admin();
    await admin.connect();
    try {
      const ends = await admin.fetchTopicOffsets(target.topic);
      const [committed] = await admin.fetchOffsets({ groupId: target.groupId, topics: [target.topic] });
      let lag = 0;
      for (const end of ends) {
        const c = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
        const start = BigInt(c) < 0n ? BigInt(end.low) : BigInt(c);
        lag += Number(BigInt(end.high) - start);
      }
      return lag;
    } finally {
      await admin.disconnect();
    }
  }
  const connection = await amqp.connect(amqpUrl(info));
  connection.on('error', () => undefined);
  try {
    const channel = await connection.createChannel();
    const { messageCount } = await channel.checkQueue(target.queue);
    return messageCount;
  } finally {
    await connection.close().catch(() => undefined);
  }
}
