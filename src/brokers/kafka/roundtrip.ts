/** Kafka round trips with kafkajs: producer with acks=-1, a consumer group reading from the start. */
import { sleep } from '../../deadline.ts';
import type { BrokerInfo } from '../container/started-broker.ts';
import {
  ConsumptionLedger,
  idOf,
  payloadOf,
  type RoundTripOptions,
  type RoundTripper,
} from '../roundtrip.ts';
import { provisionTopic } from './admin.ts';
import { kafkaClient } from './client.ts';

const PUBLISH_CHUNK = 500;

export async function openKafkaRoundTripper(
  info: BrokerInfo,
  options: RoundTripOptions,
): Promise<RoundTripper> {
  const payloadBytes = options.payloadBytes ?? 1024;
  const topic = await provisionTopic(info, { partitions: options.partitions ?? 1 });
  const kafka = kafkaClient(info, {
    clientId: 'ackcheck-roundtrip',
    retry: { retries: 8, maxRetryTime: 5_000 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const consumer = kafka.consumer({
    groupId: `${topic.name}-group`,
    sessionTimeout: 6_000,
    heartbeatInterval: 1_000,
    retry: { retries: 20, maxRetryTime: 5_000 },
  });
  const ledger = new ConsumptionLedger();
  await producer.connect();
  await consumer.connect();
  await consumer.subscribe({ topics: [topic.name], fromBeginning: true });
  await consumer.run({
    eachBatch: async ({ batch, resolveOffset, heartbeat }) => {
      for (const message of batch.messages) {
        ledger.record(idOf(message.value));
        resolveOffset(message.offset);
      }
      await heartbeat();
    },
  });
  let nextId = 0;
  let closed = false;

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    await consumer.disconnect().catch(() => undefined);
    await producer.disconnect().catch(() => undefined);
    await topic[Symbol.asyncDispose]();
  }

  return {
    async batch(count, timeoutMs = 120_000) {
      const from = nextId;
      const to = from + count;
      nextId = to;
      const began = Date.now();
      const deadline = began + timeoutMs;
      let publishRetries = 0;
      for (let start = from; start < to; start += PUBLISH_CHUNK) {
        const messages = [];
        for (let id = start; id < Math.min(to, start + PUBLISH_CHUNK); id++) {
          messages.push({ key: String(id % 16), value: payloadOf(id, payloadBytes) });
        }
        // A send that fails has an unknown outcome: retry it (duplicates are reported, not hidden).
        for (;;) {
          try {
            await producer.send({ topic: topic.name, acks: -1, messages });
            break;
          } catch (error) {
            publishRetries++;
            if (Date.now() > deadline) throw error;
            await sleep(250);
          }
        }
      }
      const produceMs = Date.now() - began;
      await ledger.waitFor(from, to, deadline);
      return {
        messages: count,
        produceMs,
        totalMs: Date.now() - began,
        publishRetries,
        ...ledger.outcome(from, to),
      };
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
