/** Kafka administration: readiness probe and per-run topics. */
import { randomUUID } from 'node:crypto';
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

/** How long a fresh topic may take to get a leader for every partition. */
const LEADER_TIMEOUT_MS = 30_000;

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
    // kafkajs's own waitForLeaders gives up on the first UNKNOWN_TOPIC_OR_PARTITION, which a
    // loaded or just-restarted broker answers for a while: poll the metadata ourselves.
    const deadline = Date.now() + LEADER_TIMEOUT_MS;
    for (;;) {
      let failure: string | undefined;
      const meta = await admin.fetchTopicMetadata({ topics: [name] }).catch((error: unknown) => {
        failure = error instanceof Error ? error.message : String(error);
        return undefined;
      });
      const found = meta?.topics[0]?.partitions;
      const ready = found?.length === partitions && found.every((p) => p.leader >= 0);
      if (ready) break;
      if (Date.now() > deadline)
        throw new Error(
          `provisionTopic: topic ${name} has no leader for every partition after ${LEADER_TIMEOUT_MS / 1000} s` +
            (failure ? ` (${failure})` : ''),
        );
      await sleep(200);
    }
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
