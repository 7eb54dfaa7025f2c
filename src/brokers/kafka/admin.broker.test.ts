import { describe, expect, it } from 'vitest';
import { sleep } from '../../deadline.ts';
import { brokers } from '../../vitest/index.ts';
import { provisionTopic, sharedAdmin } from './admin.ts';
import { kafkaClient } from './client.ts';
import { openKafkaLag } from './sender.ts';

describe.each(brokers('kafka').map((b) => [b.id, b] as const))('%s topics', (_id, info) => {
  it('provisions a fresh topic with N partitions and deletes it afterwards', async () => {
    const admin = kafkaClient(info).admin();
    await admin.connect();
    try {
      let name: string;
      {
        // share: the run's lag count borrows the admin client that created the topic.
        await using topic = await provisionTopic(info, { partitions: 3, share: true });
        name = topic.name;
        const meta = await admin.fetchTopicMetadata({ topics: [name] });
        expect(meta.topics[0]?.partitions).toHaveLength(3);
        expect(sharedAdmin(name)).toBeDefined();
        await using lag = await openKafkaLag(info, { kind: 'kafka', topic: name, groupId: `g-${name}` });
        // A broker that just started may not have a group coordinator yet (the drain retries too).
        const counted = async (until: number): Promise<number> =>
          lag.count().catch(async (error: unknown) => {
            if (Date.now() > until) throw error;
            await sleep(200);
            return counted(until);
          });
        expect(await counted(Date.now() + 15_000)).toBe(0);
      }
      expect(sharedAdmin(name)).toBeUndefined();
      // Deletion is asynchronous in Kafka: the topic leaves the listing within seconds.
      const deadline = Date.now() + 15_000;
      while ((await admin.listTopics()).includes(name) && Date.now() < deadline) await sleep(200);
      expect(await admin.listTopics()).not.toContain(name);
    } finally {
      await admin.disconnect();
    }
  });

  it('rejects an invalid partition count before touching the broker', async () => {
    await expect(provisionTopic(info, { partitions: 0 })).rejects.toThrow(
      /partitions must be an integer 1..64/,
    );
  });
});
