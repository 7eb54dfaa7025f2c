/**
 * Broker benchmark: start-to-ready time of each broker version (each started alone, so the
 * figure is not inflated by parallel starts), and raw produce+consume throughput with kafkajs
 * and amqplib on 1 KiB messages. Prints a table; asserts nothing.
 *
 *   node bench/brokers.bench.ts [--repeats 3] [--messages 20000] [--broker all]
 */
import { openRoundTripper } from '../src/brokers/registry.ts';
import { startBroker } from '../src/brokers/container/start-broker.ts';
import { table } from '../src/cli/output.ts';
import { benchArgs, brokersArg, numberArg } from './args.ts';

const USAGE = 'usage: node bench/brokers.bench.ts [--repeats 3] [--messages 20000] [--broker all]';
const values = benchArgs(USAGE, {
  repeats: { type: 'string', default: '3' },
  messages: { type: 'string', default: '20000' },
  broker: { type: 'string', default: 'all' },
});
const repeats = numberArg('repeats', values.repeats, USAGE, 1);
const messages = numberArg('messages', values.messages, USAGE, 1);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const rows: string[][] = [];
for (const id of brokersArg(values.broker, USAGE)) {
  const ready: number[] = [];
  const rates: number[] = [];
  for (let i = 0; i < repeats; i++) {
    await using broker = await startBroker({ broker: id });
    ready.push(broker.info.readyInMs);
    await using tripper = await openRoundTripper(broker.info);
    await tripper.batch(1_000); // warm-up
    const r = await tripper.batch(messages, 300_000);
    if (r.lost.length || r.duplicated.length)
      throw new Error(`${id}: lost ${r.lost.length}, duplicated ${r.duplicated.length}`);
    rates.push((messages * 1000) / r.totalMs);
  }
  rows.push([
    id,
    `${(median(ready) / 1000).toFixed(1)} s`,
    `${(Math.min(...ready) / 1000).toFixed(1)}–${(Math.max(...ready) / 1000).toFixed(1)} s`,
    `${Math.round(median(rates))}`,
  ]);
  console.error(`${id} done`);
}
console.log(
  `\nbrokers: ${repeats} starts each; throughput: ${messages} x 1 KiB messages, produce (confirmed) + consume`,
);
console.log(table(['broker', 'ready (median)', 'ready (range)', 'msgs/s (median)'], rows));
