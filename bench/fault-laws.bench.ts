/**
 * Repeats the broker laws' fault cases (src/brokers/broker-laws.broker.test.ts) in the order
 * the suite runs them — restart, kill, pause — and counts failures (prints figures; asserts
 * nothing). Written to hunt the RabbitMQ kill-law flake (README "Limitations": 4.0 can lose a
 * queue declared just before a SIGKILL); on RabbitMQ it also counts the kills after which the
 * broker recovered no classic queue (its log's "Recovering 0 queues of type
 * rabbit_classic_queue"), i.e. lost the round-tripper's queue. Kept out of CI: a loop of 20
 * takes about 8 minutes. Run it under the shared broker lock.
 *
 *   node bench/fault-laws.bench.ts [--broker rabbitmq-4.0] [--reps 10] [--faults restart,kill,pause]
 */
import { execFileSync } from 'node:child_process';
import { acquireBrokers } from '../src/brokers/container/fleet.ts';
import type { BrokerFault } from '../src/brokers/container/started-broker.ts';
import { openRoundTripper } from '../src/brokers/registry.ts';
import { benchArgs, brokersArg, numberArg } from './args.ts';

const USAGE =
  'usage: node bench/fault-laws.bench.ts [--broker rabbitmq-4.0] [--reps 10] [--faults restart,kill,pause]';

const values = benchArgs(USAGE, {
  broker: { type: 'string', default: 'rabbitmq-4.0' },
  reps: { type: 'string', default: '10' },
  faults: { type: 'string', default: 'restart,kill,pause' },
});
const reps = numberArg('reps', values.reps, USAGE, 1);
const faults = values.faults.split(',') as BrokerFault[];

await using fleet = await acquireBrokers(brokersArg(values.broker, USAGE));
const broker = fleet.brokers[0];
if (!broker) throw new Error(`no broker for ${values.broker}`);
const { info } = broker;

/** Classic queues the broker recovered at its last start after `sinceSeconds` (RabbitMQ only). */
function recoveredClassicQueues(sinceSeconds: number): string {
  if (info.kind !== 'rabbitmq' || !info.containerId) return '-';
  const log = execFileSync('docker', ['logs', '--since', String(sinceSeconds), info.containerId], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return /Recovering (\d+) queues of type rabbit_classic_queue/.exec(log)?.[1] ?? '?';
}

const failures: string[] = [];
let queuesLost = 0;
for (let rep = 0; rep < reps; rep++) {
  for (const fault of faults) {
    const began = Date.now();
    try {
      // As the law: a classic queue for the kill, a quorum queue otherwise; Kafka: 2 partitions.
      const queueType = fault === 'kill' ? 'classic' : 'quorum';
      await using tripper = await openRoundTripper(
        info,
        info.kind === 'kafka' ? { partitions: 2 } : { queueType },
      );
      const before = await tripper.batch(200, 60_000);
      if (before.lost.length > 0) throw new Error(`${before.lost.length} lost before the fault`);
      const injectedAt = Math.floor(Date.now() / 1000);
      await broker.injectFault(fault, 1_000);
      const recovered = fault === 'kill' ? recoveredClassicQueues(injectedAt) : '-';
      if (recovered === '0') queuesLost += 1;
      const after = await tripper.batch(500, 120_000);
      if (after.lost.length > 0) throw new Error(`${after.lost.length} lost after the fault`);
      console.log(
        `rep ${rep} ${fault}: ok in ${Date.now() - began} ms` +
          (recovered === '-' ? '' : ` (classic queues recovered: ${recovered})`),
      );
    } catch (error) {
      const line = `rep ${rep} ${fault}: FAILED after ${Date.now() - began} ms: ${(error as Error).message}`;
      failures.push(line);
      console.log(line);
    }
  }
}
console.log(
  `${info.id}: ${reps} repetitions of ${faults.join(', ')}: ${failures.length} failed` +
    (faults.includes('kill') && info.kind === 'rabbitmq'
      ? `; the broker lost the round-tripper's queue in ${queuesLost} of ${reps} kills`
      : ''),
);
