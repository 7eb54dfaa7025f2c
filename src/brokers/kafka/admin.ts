/** Kafka administration: readiness probe and per-run topics. */
import { randomUUID } from 'node:crypto';
import { withTimeout } from '../../deadline.ts';
import type { BrokerInfo } from '../container/started-broker.ts';
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

/**
 * Waits until every partition of a new topic has a leader. kafkajs's own `waitForLeaders`
 * retries only LEADER_NOT_AVAILABLE; right after a broker restart the broker's metadata can
 * lag behind the controller and answer UNKNOWN_TOPIC_OR_PARTITION for a topic just created,
 * which kafkajs then throws. Both mean "not yet" here.
 */
async function waitForLeaders(
  admin: ReturnType<ReturnType<typeof kafkaClient>['admin']>,
  topic: string,
  partitions: number,
  deadline: number,
): Promise<void> {
  for (;;) {
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
      const found = topics[0]?.partitions ?? [];
      if (found.length === partitions && found.every((p) => p.leader >= 0)) return;
    } catch (error) {
      // UNKNOWN_TOPIC_OR_PARTITION / LEADER_NOT_AVAILABLE, possibly wrapped by kafkajs's retrier.
      if (Date.now() > deadline) throw error;
    }
    if (Date.now() > deadline) throw new Error(`topic ${topic}: partition leaders not elected within 30 s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

type Admin = ReturnType<ReturnType<typeof kafkaClient>['admin']>;

/**
 * The admin client a topic was provisioned with, kept connected for the run when asked
 * (`share`): the drain's lag count uses it, and disposing deletes the topic with it, instead
 * of connecting a client each.
 */
const runAdmins = new Map<string, Admin>();

/** The connected admin client `topic` was provisioned with (`share`), until the topic is disposed. */
export function sharedAdmin(topic: string): Admin | undefined {
  return runAdmins.get(topic);
}

export interface KafkaTopic extends AsyncDisposable {
  readonly name: string;
  readonly partitions: number;
}

/** Creates a fresh topic with `partitions` partitions (leaders elected); disposing deletes it. */
export async function provisionTopic(
  info: BrokerInfo,
  options: { partitions?: number; name?: string; share?: boolean } = {},
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
    await waitForLeaders(admin, name, partitions, Date.now() + 30_000);
  } catch (error) {
    await admin.disconnect();
    throw error;
  }
  if (options.share) runAdmins.set(name, admin);
  else await admin.disconnect();
  return {
    name,
    partitions,
    async [Symbol.asyncDispose]() {
      const shared = runAdmins.get(name);
      runAdmins.delete(name);
      // With the run's admin client; with a fresh one if that failed (a broker fault broke it).
      for (const a of shared ? [shared, undefined] : [undefined]) {
        const admin = a ?? kafkaClient(info).admin();
        try {
          if (!a) await admin.connect();
          await admin.deleteTopics({ topics: [name], timeout: 10_000 });
          return;
        } catch {
          // The run is over; a topic that cannot be deleted now goes with the container.
        } finally {
          await admin.disconnect().catch(() => undefined);
        }
      }
    },
  };
}
