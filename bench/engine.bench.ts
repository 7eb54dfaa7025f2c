/**
 * Engine benchmark (prints figures; asserts nothing):
 *  1. property runs per minute on each broker, fault-free and with the default faults,
 *     on scenarios of up to 20 messages (idempotent upsert processor);
 *  2. time to the first counterexample and to the shrunk one (non-idempotent increment);
 *  3. runtime overhead: messages/s through ackcheck's at-least-once runtime with a no-op
 *     processor vs a plain client loop on the same broker.
 *
 *   node bench/engine.bench.ts [--broker kafka-4.4,rabbitmq-4.0] [--runs 10] [--messages 2000]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { type BrokerInfo } from '../src/brokers/broker.ts';
import { parseBrokerSelection } from '../src/brokers/catalog.ts';
import { acquireBrokers } from '../src/brokers/fleet.ts';
import { kafkaRuntime } from '../src/brokers/kafka/runtime.ts';
import { produce } from '../src/brokers/producer.ts';
import { provisionTopic } from '../src/brokers/kafka/admin.ts';
import { provisionQueue } from '../src/brokers/rabbitmq/admin.ts';
import { rabbitmqRuntime } from '../src/brokers/rabbitmq/runtime.ts';
import { openRoundTripper } from '../src/brokers/roundtrip.ts';
import type { RunTarget } from '../src/brokers/runtime.ts';
import { table } from '../src/cli/output.ts';
import { certify } from '../src/harness/certify.ts';
import type { Message } from '../src/model/message.ts';

const { values } = parseArgs({
  options: {
    broker: { type: 'string', default: 'kafka-4.4,rabbitmq-4.0' },
    runs: { type: 'string', default: '10' },
    messages: { type: 'string', default: '2000' },
  },
});
const runs = Number(values.runs);
const fixture = (p: string) => fileURLToPath(new URL(`../fixtures/processors/${p}`, import.meta.url));
await using fleet = await acquireBrokers(parseBrokerSelection(values.broker));

const perMinute = (n: number, ms: number) => ((n * 60_000) / ms).toFixed(1);
const rows: string[][] = [];
const detection: string[][] = [];
const overhead: string[][] = [];

for (const info of fleet.infos) {
  const base = {
    processor: fixture('sqlite-upsert.ts'),
    broker: info,
    semantics: 'at-least-once' as const,
    maxMessages: 20,
    seed: 1,
  };
  const clean = await certify({ ...base, runs, faults: [] });
  const faulty = await certify({ ...base, runs });
  rows.push([info.id, perMinute(clean.runs, clean.durationMs), perMinute(faulty.runs, faulty.durationMs)]);
  console.error(`${info.id}: runs/min done`);

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

  const n = Number(values.messages);
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

console.log('\nproperty runs per minute (upsert, <= 20 messages, seed 1):');
console.log(table(['broker', 'fault-free', 'with faults'], rows));
console.log('\nincrement processor (consumer-kill faults, seed 7):');
console.log(
  table(['broker', 'first counterexample', 'shrunk (total)', 'shrunk to', 'shrink steps'], detection),
);
console.log(`\nruntime overhead (${values.messages} messages, no-op processor, msgs/s):`);
console.log(table(['broker', 'plain client loop', 'at-least-once runtime', 'ratio'], overhead));

/** A plain consumer loop: the round tripper's consumer (kafkajs autoCommit / amqplib acks). */
async function plainLoop(info: BrokerInfo, n: number): Promise<number> {
  await using tripper = await openRoundTripper(info, { payloadBytes: 64 });
  await tripper.batch(200);
  const r = await tripper.batch(n, 300_000);
  return (n * 1000) / (r.totalMs - r.produceMs || 1);
}

/** ackcheck's at-least-once runtime in-process, with a no-op processor and no history. */
async function runtimeLoop(info: BrokerInfo, n: number): Promise<number> {
  const messages: Message[] = Array.from({ length: n }, (_, i) => ({
    id: `m${i}`,
    key: `k${i % 4}`,
    payload: { n: i },
  }));
  await using resource = info.kind === 'kafka' ? await provisionTopic(info) : await provisionQueue(info);
  const target: RunTarget =
    info.kind === 'kafka'
      ? { kind: 'kafka', topic: resource.name, groupId: `${resource.name}-g` }
      : { kind: 'rabbitmq', queue: resource.name, prefetch: 50 };
  await produce(info, target, messages, new Set(), () => undefined, Date.now() + 120_000);
  const runtime =
    info.kind === 'kafka'
      ? kafkaRuntime({ semantics: 'at-least-once' })
      : rabbitmqRuntime({ semantics: 'at-least-once' });
  let acked = 0;
  let began = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  await runtime.start({
    broker: info,
    target,
    worker: 'bench',
    delivered: () => {
      if (began === 0) began = Date.now();
    },
    process: async () => undefined,
    acknowledged: () => {
      if (++acked === n) done();
    },
    log: () => undefined,
    fail: (error) => {
      throw error;
    },
  });
  await finished;
  const rate = (n * 1000) / (Date.now() - began);
  await runtime.stop();
  return rate;
}
