/**
 * Where a run's time goes (issue 13): runs drawn from a fixed seed are run one after another
 * on each broker, fault-free and with the default faults (idempotent upsert processor, <= 20
 * messages), and the median of each phase (RunOutcome.timings) is printed; with the default faults
 * also each fault kind's runs (median total, faults in effect, after the heal). Asserts nothing.
 *
 *   node bench/phases.bench.ts [--broker kafka-4.4,rabbitmq-4.0] [--runs 8] [--seed 1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { acquireBrokers } from '../src/brokers/container/fleet.ts';
import { table } from '../src/cli/output.ts';
import { scenarioArbitrary } from '../src/generate/index.ts';
import { DEFAULT_FAULT_KINDS } from '../src/harness/certify/options.ts';
import { runScenario } from '../src/harness/run-scenario.ts';
import { holdSpares } from '../src/harness/spare-workers.ts';
import type { RunTimings } from '../src/model/results.ts';
import { benchArgs, brokersArg, numberArg } from './args.ts';

const USAGE = 'usage: node bench/phases.bench.ts [--broker kafka-4.4,rabbitmq-4.0] [--runs 8] [--seed 1]';
const values = benchArgs(USAGE, {
  broker: { type: 'string', default: 'kafka-4.4,rabbitmq-4.0' },
  runs: { type: 'string', default: '8' },
  seed: { type: 'string', default: '1' },
});
const runs = numberArg('runs', values.runs, USAGE, 1);
const seed = numberArg('seed', values.seed, USAGE);
const processorModule = fileURLToPath(new URL('../fixtures/processors/sqlite-upsert.ts', import.meta.url));
const PHASES: (keyof RunTimings)[] = [
  'provision',
  'produce',
  'workerStart',
  'consumeStart',
  'firstDelivery',
  'consume',
  'faults',
  'afterHeal',
  'drainDetection',
  'teardown',
  'observe',
  'reference',
  'check',
  'dispose',
  'total',
];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await using fleet = await acquireBrokers(brokersArg(values.broker, USAGE));
const workDir = mkdtempSync(join(tmpdir(), 'ackcheck-phases-'));
// Warm spare workers wait for a run's config; released at the end, or the bench never exits.
const releaseSpares = holdSpares();
const rows: string[][] = [];
const byKind = new Map<string, RunTimings[]>();
for (const broker of fleet.brokers) {
  const kind = broker.info.kind;
  for (const [label, faultKinds] of [
    ['fault-free', []],
    ['default faults', DEFAULT_FAULT_KINDS[kind]],
  ] as const) {
    const arbitrary = scenarioArbitrary({
      broker: kind,
      semantics: 'at-least-once',
      maxMessages: 20,
      faultKinds,
    });
    const scenarios = fc.sample(arbitrary, { seed, numRuns: runs });
    const timings: RunTimings[] = [];
    const began = Date.now();
    let errors = 0;
    for (const scenario of scenarios) {
      const outcome = await runScenario(scenario, {
        broker,
        processorModule,
        runtime: { builtin: kind, semantics: 'at-least-once' },
        workDir,
      }).catch((error: unknown) => {
        errors += 1;
        console.error(`${broker.id} ${label}: run error: ${String(error)}`);
        return undefined;
      });
      if (!outcome) continue;
      if (outcome.verdict.valid === false)
        console.error(`${broker.id} ${label}: FALSE ALARM`, outcome.verdict);
      if (!outcome.timings) continue;
      timings.push(outcome.timings);
      for (const kind of new Set(scenario.faults.map((f) => f.kind))) {
        const key = `${broker.id} ${kind}`;
        byKind.set(key, [...(byKind.get(key) ?? []), outcome.timings]);
      }
    }
    const perMinute = ((runs * 60_000) / (Date.now() - began)).toFixed(1);
    const cell = (p: keyof RunTimings) => medianOf(timings, p);
    rows.push([broker.id, label, ...PHASES.map(cell), perMinute, String(errors)]);
    console.error(`${broker.id} ${label} done`);
  }
}
await releaseSpares();
rmSync(workDir, { recursive: true, force: true });
console.log(
  `\nmedian ms per phase, ${runs} runs each (upsert, <= 20 messages, seed ${values.seed}, one at a time):`,
);
console.log(table(['broker', 'faults', ...PHASES, 'runs/min', 'errors'], rows));
if (byKind.size > 0) {
  console.log('\nruns with each fault kind (a run with two kinds counts in both): median ms');
  console.log(
    table(
      ['broker', 'fault kind', 'runs', 'total', 'faults in effect', 'after the heal'],
      [...byKind].map(([key, ts]) => [
        ...key.split(' '),
        String(ts.length),
        medianOf(ts, 'total'),
        medianOf(ts, 'faults'),
        medianOf(ts, 'afterHeal'),
      ]),
    ),
  );
}

function medianOf(timings: readonly RunTimings[], p: keyof RunTimings): string {
  const xs = timings.flatMap((t) => (t[p] === undefined ? [] : [t[p]]));
  return xs.length ? String(median(xs)) : '-';
}
