/**
 * Engine benchmark (prints figures; asserts nothing):
 *  1. `runs`: property runs per minute on each broker, fault-free and with the default faults,
 *     on scenarios of up to 20 messages (idempotent upsert processor);
 *  2. `detection`: time to the first counterexample and to the shrunk one (non-idempotent increment);
 *  3. `overhead`: messages/s through ackcheck's at-least-once runtime with a no-op processor vs a
 *     plain client loop, both on the same pre-published messages.
 *
 *   node bench/engine.bench.ts [--broker kafka-4.4,rabbitmq-4.0] [--runs 10] [--messages 2000]
 *                              [--parts runs,detection,overhead] [--concurrency 2]
 *                              [--seeds 1,2,3] [--faults both|free|default]
 *
 * `runs` certifies once per seed (default: seed 1) and prints the median runs/min (and each
 * seed's figure): a 10-run figure on one seed is noisy, it depends on which faults it drew.
 */
import { fileURLToPath } from 'node:url';
import amqp from 'amqplib';
import type { BrokerInfo } from '../src/brokers/container/started-broker.ts';
import { acquireBrokers } from '../src/brokers/container/fleet.ts';
import { provisionTopic } from '../src/brokers/kafka/admin.ts';
import { kafkaClient } from '../src/brokers/kafka/client.ts';
import { kafkaRuntime } from '../src/brokers/kafka/runtime.ts';
import { produce } from '../src/brokers/producer.ts';
import { provisionQueue } from '../src/brokers/rabbitmq/admin.ts';
import { rabbitmqRuntime } from '../src/brokers/rabbitmq/runtime.ts';
import type { RunTarget } from '../src/runtime/runtime.ts';
import { table } from '../src/cli/output.ts';
import { certify, DEFAULT_CONCURRENCY } from '../src/harness/certify.ts';
import type { Message } from '../src/model/message.ts';
import { benchArgs, brokersArg, numberArg } from './args.ts';

const USAGE =
  'usage: node bench/engine.bench.ts [--broker kafka-4.4,rabbitmq-4.0] [--runs 10] [--messages 2000] ' +
  '[--parts runs,detection,overhead] [--concurrency 2] [--seeds 1,2,3] [--faults both|free|default]';
const values = benchArgs(USAGE, {
  broker: { type: 'string', default: 'kafka-4.4,rabbitmq-4.0' },
  runs: { type: 'string', default: '10' },
  messages: { type: 'string', default: '2000' },
  parts: { type: 'string', default: 'runs,detection,overhead' },
  /** Runs at once in `runs` (default: certify()'s DEFAULT_CONCURRENCY). */
  concurrency: { type: 'string' },
  /** Seeds of `runs`, comma-separated: one certification each, the median printed. */
  seeds: { type: 'string', default: '1' },
  /** `runs` fault-free, with the default faults, or both. */
  faults: { type: 'string', default: 'both' },
});
const seeds = values.seeds.split(',').map((seed) => numberArg('seeds', seed, USAGE));
const runs = numberArg('runs', values.runs, USAGE, 1);
const parts = new Set(values.parts.split(','));
const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/processors/${p}`, import.meta.url));
await using fleet = await acquireBrokers(brokersArg(values.broker, USAGE));

const rows: string[][] = [];
const detection: string[][] = [];
const overhead: string[][] = [];

for (const info of fleet.infos) {
  const base = { broker: info, semantics: 'at-least-once' as const, maxMessages: 20 };
  if (parts.has('runs')) {
    const upsert = {
      ...base,
      processor: fixture('sqlite-upsert.ts'),
      runs,
      ...(values.concurrency ? { concurrency: numberArg('concurrency', values.concurrency, USAGE, 1) } : {}),
    };
    const figures = async (faults: object) => {
      const each: number[] = [];
      for (const seed of seeds) {
        const result = await certify({ ...upsert, ...faults, seed });
        if (!result.ok) console.error(`${info.id} seed ${seed}: NOT A PASS`, result.status, result.reason);
        each.push((result.runs * 60_000) / result.durationMs);
      }
      const median = [...each].sort((a, b) => a - b)[Math.floor(each.length / 2)] as number;
      return seeds.length === 1
        ? median.toFixed(1)
        : `${median.toFixed(1)} (${each.map((x) => x.toFixed(1)).join(', ')})`;
    };
    const clean = values.faults === 'default' ? '-' : await figures({ faults: [] });
    const faulty = values.faults === 'free' ? '-' : await figures({});
    rows.push([info.id, clean, faulty]);
    console.error(`${info.id}: runs/min done`);
  }
  if (parts.has('detection')) {
    const broken = await certify({
      ...base,
      processor: fixture('sqlite-increment.ts'),
      runs: 30,
      seed: 7,
      faults: ['consumer-kill'],
    });
    const c = broken.counterexample;
    detection.push([
      info.id,
      broken.firstFailureMs === undefined ? 'not found' : `${(broken.firstFailureMs / 1000).toFixed(1)} s`,
      `${(broken.durationMs / 1000).toFixed(1)} s`,
      c ? `${c.scenario.messages.length} msgs, ${c.scenario.faults.length} faults` : '-',
      String(broken.shrinkSteps),
    ]);
    console.error(`${info.id}: detection done`);
  }
  if (parts.has('overhead')) {
    const n = numberArg('messages', values.messages, USAGE, 1);
    const plain = await plainLoop(info, n);
    const runtime = await runtimeLoop(info, n);
    overhead.push([
      info.id,
      String(Math.round(plain)),
      String(Math.round(runtime)),
      (runtime / plain).toFixed(2),
    ]);
    console.error(`${info.id}: overhead done`);
  }
}

if (rows.length) {
  console.log(
    `\nproperty runs per minute (upsert, <= 20 messages, ${runs} runs, seeds ${values.seeds}: median (each), concurrency ${values.concurrency ?? DEFAULT_CONCURRENCY}):`,
  );
  console.log(table(['broker', 'fault-free', 'with faults'], rows));
}
if (detection.length) {
  console.log('\nincrement processor (consumer-kill faults, seed 7):');
  console.log(
    table(['broker', 'first counterexample', 'shrunk (total)', 'shrunk to', 'shrink steps'], detection),
  );
}
if (overhead.length) {
  console.log(`\nruntime overhead (${values.messages} pre-published messages, no-op processor, msgs/s):`);
  console.log(table(['broker', 'plain client loop', 'at-least-once runtime', 'ratio'], overhead));
}

/** Publishes `n` messages to a fresh topic/queue before any consumer starts. */
async function prePublished(info: BrokerInfo, n: number) {
  const messages: Message[] = Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    key: `k${i % 4}`,
    payload: { n: i },
  }));
  const resource = info.kind === 'kafka' ? await provisionTopic(info) : await provisionQueue(info);
  const target: RunTarget =
    info.kind === 'kafka'
      ? { kind: 'kafka', topic: resource.name, groupId: `${resource.name}-g` }
      : { kind: 'rabbitmq', queue: resource.name, prefetch: 50 };
  await produce(info, target, messages, new Set(), () => undefined, Date.now() + 120_000);
  return { resource, target };
}

/** Counts to `n`; `rate()` is messages/s from the counter's creation (consumer start, group join included) to the last. */
function counter(n: number) {
  let seen = 0;
  const began = Date.now();
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  return {
    tick() {
      if (++seen === n) done();
    },
    async rate() {
      await finished;
      return (n * 1000) / Math.max(1, Date.now() - began);
    },
  };
}

/** A plain client loop: kafkajs eachBatch with autoCommit, or amqplib consume with acks. */
async function plainLoop(info: BrokerInfo, n: number): Promise<number> {
  const { resource, target } = await prePublished(info, n);
  await using _topicOrQueue = resource;
  const count = counter(n);
  if (target.kind === 'kafka') {
    const consumer = kafkaClient(info).consumer({ groupId: target.groupId, maxWaitTimeInMs: 250 });
    await consumer.connect();
    await consumer.subscribe({ topics: [target.topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const _m of batch.messages) count.tick();
      },
    });
    const rate = await count.rate();
    await consumer.disconnect();
    return rate;
  }
  const connection = await amqp.connect(info.amqpUrl as string);
  const channel = await connection.createChannel();
  await channel.prefetch(target.prefetch);
  await channel.consume(target.queue, (msg) => {
    if (!msg) return;
    channel.ack(msg);
    count.tick();
  });
  const rate = await count.rate();
  await connection.close();
  return rate;
}

/** ackcheck's at-least-once runtime in-process, with a no-op processor and no history. */
async function runtimeLoop(info: BrokerInfo, n: number): Promise<number> {
  const { resource, target } = await prePublished(info, n);
  await using _topicOrQueue = resource;
  const count = counter(n);
  const runtime =
    info.kind === 'kafka'
      ? kafkaRuntime({ semantics: 'at-least-once' })
      : rabbitmqRuntime({ semantics: 'at-least-once' });
  await runtime.start({
    broker: info,
    target,
    worker: 'bench',
    delivered: () => undefined,
    process: async () => undefined,
    acknowledged: () => count.tick(),
    log: () => undefined,
    fail: (error) => {
      throw error;
    },
  });
  const rate = await count.rate();
  await runtime.stop();
  return rate;
}
