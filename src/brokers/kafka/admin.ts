/** Kafka administration: readiness probe and per-run topics. */
import { randomUUID } from 'node:crypto';
import type { Admin } from 'kafkajs';
import { sleep, withTimeout } from '../../deadline.ts';
import type { BrokerInfo } from '../broker.ts';
import { kafkaClient } from './client.ts';

/** One metadata round trip through the advertised listener; throws if the broker cannot serve it. */
export async function probeKafka(info: BrokerInfo, timeoutMs: number): Promise<void> {
  const admin = kafkaClient(info, {
    retry: { retries: 0 },
    requestTimeout: Math.min(timeoutMs, 5_000),
  }).admin();
  try {
    await withTimeout(
      (async () => {
        await admin.connect();
        const cluster = await admin.describeCluster();
        if (cluster.controller === null || cluster.controller < 0)
          throw new Error('no active controller yet');
      })(),
      Math.min(timeoutMs, 6_000),
      'metadata request timed out',
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

export interface KafkaTopic extends AsyncDisposable {
  readonly name: string;
  readonly partitions: number;
}

/** Creates a fresh topic with `partitions` partitions (leaders elected); disposing deletes it. */
export async function provisionTopic(
  info: BrokerInfo,
  options: { partitions?: number; name?: string } = {},
): Promise<KafkaTopic> {
  const partitions = options.partitions ?? 1;
  if (!Number.isInteger(partitions) || partitions < 1 || partitions > 64) {
    throw new RangeError(`provisionTopic: partitions must be an integer 1..64, got ${partitions}`);
  }
  const name = options.name ?? `ackcheck-${randomUUID()}`;
  const admin = kafkaClient(info).admin();
  await admin.connect();
  try {
    await admin.createTopics({
      waitForLeaders: false,
      topics: [{ topic: name, numPartitions: partitions, replicationFactor: 1 }],
    });
    await waitForLeaders(admin, name, partitions);
  } finally {
    await admin.disconnect();
  }
  return {
    name,
    partitions,
    async [Symbol.asyncDispose]() {
      const a = kafkaClient(info).admin();
      try {
        await a.connect();
        await a.deleteTopics({ topics: [name], timeout: 10_000 });
      } catch {
        // The run is over; a topic that cannot be deleted now goes with the container.
      } finally {
        await a.disconnect().catch(() => undefined);
      }
    },
  };
}

/**
 * Waits until every partition of a new topic has a leader. Not kafkajs's `waitForLeaders`: it
 * retries only LEADER_NOT_AVAILABLE, while a KRaft broker may first answer
 * UNKNOWN_TOPIC_OR_PARTITION for a topic it has just created.
 */
async function waitForLeaders(
  admin: Admin,
  topic: string,
  partitions: number,
  timeoutMs = 30_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const [meta] = (await admin.fetchTopicMetadata({ topics: [topic] })).topics;
      const led = meta?.partitions.filter((p) => p.leader >= 0).length ?? 0;
      if (led === partitions) return;
      last = new Error(`${led} of ${partitions} partitions have a leader`);
    } catch (error) {
      last = error;
    }
    await sleep(100);
  }
  throw new Error(`topic ${topic} has no leader for every partition after ${timeoutMs} ms: ${String(last)}`, {
    cause: last,
  });
}
