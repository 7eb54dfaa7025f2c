/**
 * Kafka clients benchmark (prints figures; asserts nothing), per client (kafkajs, Confluent's
 * @confluentinc/kafka-javascript, @platformatic/kafka):
 *  1. `overhead`: messages/s through ackcheck's at-least-once runtime on the client, with a no-op
 *     processor, vs a plain consume loop of the same client with its default auto-commit (kafkajs
 *     and Confluent: eachBatch; platformatic: its message stream), both on the same number of
 *     pre-published messages, from consumer start (group join included) to the last message;
 *  2. `runs`: property runs per minute of certify({ client }), fault-free and with the default
 *     faults (idempotent upsert, up to 20 messages, seed 1).
 *
 *   node bench/clients.bench.ts [--broker kafka-4.4] [--clients kafkajs,confluent,platformatic]
 *                               [--messages 20000] [--repeat 3] [--runs 10] [--parts overhead,runs]
 * Run it under the broker lock; it prints the median ratio of --repeat measurements and each one.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BrokerInfo } from '../src/brokers/container/started-broker.ts';
import { acquireBrokers } from '../src/brokers/container/fleet.ts';
import { provisionTopic } from '../src/brokers/kafka/admin.ts';
import { kafkaClient } from '../src/brokers/kafka/client.ts';
import { confluentConsumerFor } from '../src/brokers/kafka/clients/confluent/client.ts';
import { platformaticConsumerFor } from '../src/brokers/kafka/clients/platformatic/client.ts';
import { produce } from '../src/brokers/producer.ts';
import { clientFor, parseBrokerSelection } from '../src/brokers/registry.ts';
import { table } from '../src/cli/output.ts';
import { certify } from '../src/harness/certify.ts';
import type { Message } from '../src/model/message.ts';
import type { RunTarget, RuntimeContext } from '../src/runtime/runtime.ts';

const { values } = parseArgs({
  options: {
    broker: { type: 'string', default: 'kafka-4.4' },
    clients: { type: 'string', default: 'kafkajs,confluent,platformatic' },
    messages: { type: 'string', default: '20000' },
    repeat: { type: 'string', default: '3' },
    runs: { type: 'string', default: '10' },
    parts: { type: 'string', default: 'overhead,runs' },
  },
});
const parts = new Set(values.parts.split(','));
const clients = values.clients.split(',');
const n = Number(values.messages);
const repeat = Number(values.repeat);
const upsert = fileURLToPath(new URL('../fixtures/processors/sqlite-upsert.ts', import.meta.url));
const DEADLINE_MS = 180_000;

await using fleet = await acquireBrokers(parseBrokerSelection(values.broker));
const info = fleet.infos.find((b) => b.kind === 'kafka');
if (!info) throw new Error('clients bench: select a Kafka broker');
console.error(
  `load average at start: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

const overhead: string[][] = [];
const runsRows: string[][] = [];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

for (const client of clients) {
  if (parts.has('overhead')) {
    const plain: number[] = [];
    const runtime: number[] = [];
    for (let i = 0; i < repeat; i++) {
      plain.push(await measure(info, (ctx, count) => plainLoop(client, ctx, count)));
      runtime.push(await measure(info, (ctx) => runtimeLoop(client, ctx)));
      console.error(
        `${client}: overhead ${i + 1}/${repeat}: plain ${plain.at(-1)?.toFixed(0)}, runtime ${runtime.at(-1)?.toFixed(0)} msgs/s`,
      );
    }
    const ratios = runtime.map((r, i) => r / (plain[i] as number));
    overhead.push([
      client,
      String(Math.round(median(plain))),
      String(Math.round(median(runtime))),
      `${median(ratios).toFixed(2)} (${ratios.map((r) => r.toFixed(2)).join(', ')})`,
    ]);
  }
  if (parts.has('runs')) {
    const base = {
      processor: upsert,
      broker: info,
      semantics: 'at-least-once' as const,
      client,
      maxMessages: 20,
      seed: 1,
      runs: Number(values.runs),
      shrinkTimeLimit: 30_000,
    };
    const clean = await certify({ ...base, faults: [] });
    const faulty = await certify(base);
    const perMinute = (r: typeof clean) =>
      `${((r.runs * 60_000) / r.durationMs).toFixed(1)}${r.ok ? '' : ` (${r.status})`}`;
    runsRows.push([client, perMinute(clean), perMinute(faulty)]);
    console.error(`${client}: runs/min done`);
  }
}
console.error(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

if (overhead.length) {
  console.log(
    `\nruntime overhead on ${info.id} (${n} pre-published messages, no-op processor, msgs/s, median of ${repeat}):`,
  );
  console.log(table(['client', 'plain client loop', 'at-least-once runtime', 'ratio (each)'], overhead));
}
if (runsRows.length) {
  console.log(
    `\nproperty runs per minute on ${info.id} (upsert, <= 20 messages, seed 1, ${values.runs} runs):`,
  );
  console.log(table(['client', 'fault-free', 'default faults'], runsRows));
}

type Count = { tick(): void };

/** Publishes `n` messages to a fresh topic, then measures `loop` consuming them: msgs/s. */
async function measure(
  broker: BrokerInfo,
  loop: (ctx: RuntimeContext, count: Count) => Promise<() => Promise<void>>,
): Promise<number> {
  const messages: Message[] = Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    key: `k${i % 4}`,
    payload: { n: i },
  }));
  await using topic = await provisionTopic(broker);
  const target: RunTarget = { kind: 'kafka', topic: topic.name, groupId: `${topic.name}-g` };
  await produce(broker, target, messages, new Set(), () => undefined, Date.now() + 120_000);
  let seen = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const count = { tick: () => void (++seen === n && done()) };
  const ctx: RuntimeContext = {
    broker,
    target,
    worker: 'bench',
    delivered: () => undefined,
    process: async () => undefined,
    acknowledged: () => count.tick(),
    log: () => undefined,
    fail: (error) => {
      throw error;
    },
  };
  const began = Date.now();
  const stop = await loop(ctx, count);
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    finished,
    new Promise(
      (_, reject) =>
        (timer = setTimeout(
          () => reject(new Error(`only ${seen} of ${n} consumed in ${DEADLINE_MS} ms`)),
          DEADLINE_MS,
        )),
    ),
  ]).finally(() => clearTimeout(timer));
  const rate = (n * 1000) / Math.max(1, Date.now() - began);
  await stop();
  return rate;
}

/** The client's own loop with its default auto-commit, counting every message. */
async function plainLoop(client: string, ctx: RuntimeContext, count: Count): Promise<() => Promise<void>> {
  if (ctx.target.kind !== 'kafka') throw new Error('Kafka only');
  if (client === 'kafkajs') {
    const consumer = kafkaClient(ctx.broker).consumer({ groupId: ctx.target.groupId, maxWaitTimeInMs: 250 });
    await consumer.connect();
    await consumer.subscribe({ topics: [ctx.target.topic], fromBeginning: true });
    await consumer.run({ eachBatch: async ({ batch }) => void batch.messages.forEach(() => count.tick()) });
    return () => consumer.disconnect();
  }
  if (client === 'confluent') {
    const { consumer, topic } = await confluentConsumerFor(ctx, { kafkaJS: { autoCommit: true } });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({ eachBatch: async ({ batch }) => void batch.messages.forEach(() => count.tick()) });
    return () => consumer.disconnect();
  }
  const { consumer, consume } = await platformaticConsumerFor(ctx, {}, { autocommit: true });
  const stream = await consumer.consume(consume);
  void (async () => {
    for await (const _m of stream) count.tick();
  })().catch(() => undefined);
  return async () => {
    await stream.close();
    await consumer.close();
  };
}

/** ackcheck's at-least-once runtime on `client`, in-process, with a no-op processor. */
async function runtimeLoop(client: string, ctx: RuntimeContext): Promise<() => Promise<void>> {
  const runtime = await clientFor('kafka', client).runtime({ semantics: 'at-least-once' });
  await runtime.start(ctx);
  return () => runtime.stop();
}
