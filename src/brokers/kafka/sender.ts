/** The kit's Kafka producer (acks=-1) for a run's topic, and the group's lag for the drain. */
import type { BrokerInfo } from '../../model/broker.ts';
import type { Message } from '../../model/message.ts';
import { encodeMessage, HEADERS, type RunTarget } from '../../runtime/runtime.ts';
import type { RemainingCounter, Sender } from '../adapter.ts';
import { sharedAdmin } from './admin.ts';
import { kafkaClient } from './client.ts';

function topicOf(target: RunTarget): { topic: string; groupId: string } {
  if (target.kind !== 'kafka') throw new TypeError(`not a Kafka target: ${target.kind}`);
  return target;
}

export async function openKafkaSender(info: BrokerInfo, target: RunTarget): Promise<Sender> {
  const { topic } = topicOf(target);
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

/** The group's lag: messages between its committed offset (or the log start) and the end, over all partitions. */
export async function kafkaLag(info: BrokerInfo, target: RunTarget): Promise<number> {
  await using counter = await openKafkaLag(info, target);
  return await counter.count();
}

type Admin = ReturnType<ReturnType<typeof kafkaClient>['admin']>;

/** The group's lag over one admin connection (a new connection per drain poll cost ~100 ms). */
export async function openKafkaLag(info: BrokerInfo, target: RunTarget): Promise<RemainingCounter> {
  const { topic, groupId } = topicOf(target);
  let admin: Admin | undefined;
  // The admin client the topic was provisioned with (`share`), until a count fails on it.
  let borrow = true;
  let borrowed = false;
  const drop = async () => {
    const a = admin;
    admin = undefined;
    if (borrowed)
      borrow = borrowed = false; // its owner disconnects it
    else await a?.disconnect().catch(() => undefined);
  };
  return {
    async count() {
      try {
        if (!admin) {
          const shared = borrow ? sharedAdmin(topic) : undefined;
          borrowed = shared !== undefined;
          admin = shared ?? kafkaClient(info).admin();
          if (!shared) await admin.connect();
        }
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
        let lag = 0;
        for (const end of ends) {
          const c = committed?.partitions.find((p) => p.partition === end.partition)?.offset ?? '-1';
          const start = BigInt(c) < 0n ? BigInt(end.low) : BigInt(c);
          lag += Number(BigInt(end.high) - start);
        }
        return lag;
      } catch (error) {
        await drop(); // reconnect on the next count (the broker may have restarted)
        throw error;
      }
    },
    [Symbol.asyncDispose]: drop,
  };
}
