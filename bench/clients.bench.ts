/**
 * Kafka clients benchmark (prints figures; asserts nothing), per client (kafkajs, Confluent's
 * @confluentinc/kafka-javascript, @platformatic/kafka):
 *  1. `overhead`: the cost per message of ackcheck's at-least-once runtime on the client (no-op
 *     processor, no-op history: the runtime's own loop — delivery bookkeeping, ownership checks,
 *     commits after processing) vs a plain consume loop of the same client with its default
 *     auto-commit (kafkajs and Confluent: eachBatch; platformatic: its message stream) that does
 *     the same user work: decode each message and await the (no-op) processor with it. A "bare"
 *     loop that only counts messages is measured too (its ratio shows the decode and the
 *     processor call as well). All read the same pre-published messages of one topic (one
 *     partition), each measurement with a fresh consumer group.
 *     Figures are msgs/s from consumer creation to the last message counted (plain loops: when
 *     processed; the runtime: when acknowledged, i.e. covered by a commit that succeeded), over
 *     200,000 messages by default, after one warm-up repeat per client that is run and
 *     discarded (the first measurement after a broker start was 3-5x off the others). At
 *     20,000 messages a plain loop reads them all in 60-90 ms, so the figure was mostly the
 *     group join (which varies between runs) and the end-of-run commit wait, not a cost per
 *     message; at 200,000 the join is under a tenth of the plain loop's time. "added µs/msg"
 *     is the runtime's time per message minus the plain loop's: the per-message overhead
 *     itself. A first-to-last ratio (first message delivered to last counted) is printed too,
 *     but is not the headline: @platformatic/kafka's stream buffers fetched messages before the
 *     loop reads the first one, so its plain loop's first-to-last rate is that of reading a
 *     buffer (millions/s), not of consuming.
 *  2. `runs`: property runs per minute of certify({ client }), fault-free and with the default
 *     faults (idempotent upsert, up to 20 messages, seed 1).
 *
 *   node bench/clients.bench.ts [--broker kafka-4.4] [--clients kafkajs,confluent,platformatic]
 *                               [--messages 200000] [--repeat 3] [--warmup 1] [--runs 10]
 *                               [--parts overhead,runs]
 * Run it under the broker lock; it prints the medians of --repeat measurements and each ratio.
 */
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { BrokerInfo } from '../src/brokers/container/started-broker.ts';
import { acquireBrokers } from '../src/brokers/container/fleet.ts';
import { provisionTopic } from '../src/brokers/kafka/admin.ts';
import { kafkaClient } from '../src/brokers/kafka/client.ts';
import { confluentConsumerFor } from '../src/brokers/kafka/clients/confluent/client.ts';
import { platformaticConsumerFor } from '../src/brokers/kafka/clients/platformatic/client.ts';
import { clientFor } from '../src/brokers/registry.ts';
import { table } from '../src/cli/output.ts';
import { certify } from '../src/harness/certify.ts';
import type { Message } from '../src/model/message.ts';
import {
  decodeMessage,
  encodeMessage,
  HEADERS,
  type RunTarget,
  type RuntimeContext,
} from '../src/runtime/runtime.ts';
import { benchArgs, brokersArg, numberArg } from './args.ts';

const USAGE =
  'usage: node bench/clients.bench.ts [--broker kafka-4.4] [--clients kafkajs,confluent,platformatic] ' +
  '[--messages 200000] [--repeat 3] [--warmup 1] [--runs 10] [--parts overhead,runs]';
const values = benchArgs(USAGE, {
  broker: { type: 'string', default: 'kafka-4.4' },
  clients: { type: 'string', default: 'kafkajs,confluent,platformatic' },
  messages: { type: 'string', default: '200000' },
  repeat: { type: 'string', default: '3' },
  warmup: { type: 'string', default: '1' },
  runs: { type: 'string', default: '10' },
  parts: { type: 'string', default: 'overhead,runs' },
});
const parts = new Set(values.parts.split(','));
const clients = values.clients.split(',');
const n = numberArg('messages', values.messages, USAGE, 1);
const repeat = numberArg('repeat', values.repeat, USAGE, 1);
const warmup = numberArg('warmup', values.warmup, USAGE);
const upsert = fileURLToPath(new URL('../fixtures/processors/sqlite-upsert.ts', import.meta.url));
const DEADLINE_MS = 180_000;

await using fleet = await acquireBrokers(brokersArg(values.broker, USAGE));
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
const fixed = (xs: number[]) => xs.map((r) => r.toFixed(2)).join(', ');

// One topic of n messages for every overhead measurement (each reads it with a fresh group).
const topic = parts.has('overhead') ? await prePublished(info, n) : undefined;
let groups = 0;

for (const client of clients) {
  if (topic) {
    const bare: Rate[] = [];
    const plain: Rate[] = [];
    const runtime: Rate[] = [];
    const show = (r: Rate) => `${r.fromStart.toFixed(0)} / ${r.firstToLast.toFixed(0)}`;
    for (let i = -warmup; i < repeat; i++) {
      const b = await measure(info, topic.name, (ctx, count) => plainLoop(client, ctx, count, false));
      const p = await measure(info, topic.name, (ctx, count) => plainLoop(client, ctx, count, true));
      const r = await measure(info, topic.name, (ctx) => runtimeLoop(client, ctx));
      console.error(
        `${client}: ${i < 0 ? 'warm-up (discarded)' : `overhead ${i + 1}/${repeat}`}: bare ${show(b)}, plain ${show(p)}, runtime ${show(r)} msgs/s (from start / first to last)`,
      );
      if (i < 0) continue;
      bare.push(b);
      plain.push(p);
      runtime.push(r);
    }
    const ratios = (base: Rate[], k: keyof Rate) => runtime.map((r, i) => r[k] / (base[i] as Rate)[k]);
    const fs = ratios(plain, 'fromStart');
    const f2l = ratios(plain, 'firstToLast');
    const vsBare = ratios(bare, 'fromStart');
    const med = (rs: Rate[]) => median(rs.map((x) => x.fromStart));
    const added = runtime.map((r, i) => 1e6 / r.fromStart - 1e6 / (plain[i] as Rate).fromStart);
    overhead.push([
      client,
      String(Math.round(med(bare))),
      String(Math.round(med(plain))),
      String(Math.round(med(runtime))),
      `${median(fs).toFixed(2)} (${fixed(fs)})`,
      `${median(f2l).toFixed(2)} (${fixed(f2l)})`,
      `${median(vsBare).toFixed(2)} (${fixed(vsBare)})`,
      median(added).toFixed(1),
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
      runs: numberArg('runs', values.runs, USAGE, 1),
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
await topic?.[Symbol.asyncDispose]();
console.error(
  `load average at end: ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);

if (overhead.length) {
  console.log(
    `\nruntime overhead on ${info.id} (${n} pre-published messages, 1 partition, no-op processor, msgs/s from consumer start to the last message, medians of ${repeat} after ${warmup} warm-up):`,
  );
  console.log(
    table(
      [
        'client',
        'bare loop',
        'plain loop',
        'at-least-once runtime',
        'ratio (each)',
        'ratio first-to-last (each)',
        'ratio vs bare loop (each)',
        'added µs/msg',
      ],
      overhead,
    ),
  );
}
if (runsRows.length) {
  console.log(
    `\nproperty runs per minute on ${info.id} (upsert, <= 20 messages, seed 1, ${values.runs} runs):`,
  );
  console.log(table(['client', 'fault-free', 'default faults'], runsRows));
}

type Count = { tick(): void };
type Rate = { fromStart: number; firstToLast: number };

/** A fresh topic (one partition) with `n` of the kit's messages, published in batches. */
async function prePublished(broker: BrokerInfo, count: number) {
  const t = await provisionTopic(broker);
  const producer = kafkaClient(broker, { clientId: 'clients-bench' }).producer();
  await producer.connect();
  try {
    for (let from = 0; from < count; from += 5_000) {
      const messages = Array.from({ length: Math.min(5_000, count - from) }, (_, j) => {
        const m: Message = { id: `m${from + j}`, key: `k${(from + j) % 4}`, payload: { n: from + j } };
        return { key: m.key, value: encodeMessage(m), headers: { [HEADERS.id]: m.id, [HEADERS.copy]: '0' } };
      });
      await producer.send({ topic: t.name, acks: -1, messages });
    }
  } finally {
    await producer.disconnect();
  }
  return t;
}

/** Measures `loop` reading the topic's n messages with a fresh group: msgs/s from start and first to last. */
async function measure(
  broker: BrokerInfo,
  topicName: string,
  loop: (ctx: RuntimeContext, count: Count) => Promise<() => Promise<void>>,
): Promise<Rate> {
  const target: RunTarget = { kind: 'kafka', topic: topicName, groupId: `${topicName}-g${++groups}` };
  let seen = 0;
  let first: number | undefined;
  let last = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const firstSeen = () => void (first ??= performance.now());
  const count = {
    tick: () => {
      firstSeen();
      if (++seen === n) {
        last = performance.now();
        done();
      }
    },
  };
  const ctx: RuntimeContext = {
    broker,
    target,
    worker: 'bench',
    delivered: firstSeen,
    process: async () => undefined,
    acknowledged: () => count.tick(),
    log: () => undefined,
    fail: (error) => {
      throw error;
    },
  };
  const began = performance.now();
  const stop = await loop(ctx, count);
  const progress = setInterval(
    () => console.error(`  ... ${seen} of ${n} after ${((performance.now() - began) / 1000).toFixed(0)} s`),
    10_000,
  );
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
  ]).finally(() => {
    clearTimeout(timer);
    clearInterval(progress);
  });
  await stop();
  return {
    fromStart: (n * 1000) / Math.max(1, last - began),
    firstToLast: ((n - 1) * 1000) / Math.max(1, last - (first ?? began)),
  };
}

/** The user's no-op processor, as a plain loop calls it (a declaration: the loops run before a `const` here would be initialized). */
async function processor(_message: Message): Promise<void> {}

/**
 * The client's own loop with its default auto-commit, counting every message: `work` decodes
 * each message and awaits the (no-op) processor with it, as a user's loop must to process it
 * (the plain loop); without, it only counts (the bare loop).
 */
async function plainLoop(
  client: string,
  ctx: RuntimeContext,
  count: Count,
  work: boolean,
): Promise<() => Promise<void>> {
  if (ctx.target.kind !== 'kafka') throw new Error('Kafka only');
  const each = work
    ? async (value: Buffer | null) => {
        await processor(decodeMessage(value));
        count.tick();
      }
    : async () => count.tick();
  if (client === 'kafkajs') {
    const consumer = kafkaClient(ctx.broker).consumer({ groupId: ctx.target.groupId, maxWaitTimeInMs: 250 });
    await consumer.connect();
    await consumer.subscribe({ topics: [ctx.target.topic], fromBeginning: true });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) await each(m.value);
      },
    });
    return () => consumer.disconnect();
  }
  if (client === 'confluent') {
    const { consumer, topic } = await confluentConsumerFor(ctx, { kafkaJS: { autoCommit: true } });
    await consumer.connect();
    await consumer.subscribe({ topics: [topic] });
    await consumer.run({
      eachBatch: async ({ batch }) => {
        for (const m of batch.messages) await each(m.value);
      },
    });
    return () => consumer.disconnect();
  }
  const { consumer, consume } = await platformaticConsumerFor(ctx, {}, { autocommit: true });
  const stream = await consumer.consume(consume);
  void (async () => {
    for await (const m of stream) await each(m.value);
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
