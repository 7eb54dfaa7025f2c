/**
 * Detection benchmark (prints figures; asserts nothing). For each broken fixture of the
 * catalog (fixtures/catalog.ts), on each broker it runs on, over several seeds: property runs
 * and seconds until the first failure, whether the expected finding was reported, and the size
 * of the shrunk counterexample. Then the false-alarm count: total runs of the correct
 * fixtures under the default fault kinds, and how many failed (zero expected).
 *
 * The budget is certify()'s default (20 runs of up to 20 messages, up to 2 faults, up to 3
 * consumers), restricted to the fault kinds that expose each fixture; shrinking gets
 * --shrink seconds. Each trial prints one line on stderr as it ends (so a chunk cut short still
 * leaves its figures). Detection cells (consumer faults only) run --parallel at a time; the
 * false-alarm cells (default faults, broker faults included) one at a time per broker.
 *
 *   node bench/detection.bench.ts [--broker kafka-4.4,rabbitmq-4.0] [--seeds 5] [--first-seed 1] [--shrink 30]
 *                                 [--correct-runs 10] [--parallel 2] [--parts detection,false-alarms]
 *                                 [--fixtures name,name] (default: every fixture, broken and correct)
 */
import { mkdtempSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrokerInfo } from '../src/brokers/container/started-broker.ts';
import { acquireBrokers } from '../src/brokers/container/fleet.ts';
import { certify } from '../src/harness/certify.ts';
import { BROKEN, CORRECT } from '../fixtures/catalog.ts';
import { explain, violations } from '../fixtures/explain.ts';
import { usePostgres } from '../fixtures/stores/postgres.ts';
import { benchArgs, brokersArg, numberArg } from './args.ts';

const USAGE =
  'usage: node bench/detection.bench.ts [--broker kafka-4.4,rabbitmq-4.0] [--seeds 5] [--first-seed 1] [--shrink 30] ' +
  '[--correct-runs 10] [--parallel 2] [--parts detection,false-alarms] [--fixtures name,name]';
const values = benchArgs(USAGE, {
  broker: { type: 'string', default: 'kafka-4.4,rabbitmq-4.0' },
  seeds: { type: 'string', default: '5' },
  'first-seed': { type: 'string', default: '1' },
  shrink: { type: 'string', default: '30' },
  'correct-runs': { type: 'string', default: '10' },
  parallel: { type: 'string', default: '2' },
  parts: { type: 'string', default: 'detection,false-alarms' },
  fixtures: { type: 'string' },
});
const count = (name: 'seeds' | 'first-seed' | 'shrink' | 'correct-runs' | 'parallel', min: number) =>
  numberArg(name, values[name], USAGE, min);
const [seedCount, firstSeed, shrinkSeconds, correctRuns, parallel] = [
  count('seeds', 1),
  count('first-seed', 0),
  count('shrink', 0),
  count('correct-runs', 1),
  count('parallel', 1),
];
const known = [...BROKEN, ...CORRECT].map((f) => f.name);
const unknown = values.fixtures?.split(',').filter((name) => !known.includes(name)) ?? [];
if (unknown.length > 0) {
  console.error(`unknown fixture ${unknown.join(', ')}; known: ${known.join(', ')}\n${USAGE}`);
  process.exit(2);
}
const seeds = Array.from({ length: seedCount }, (_, i) => i + firstSeed);
const parts = new Set(values.parts.split(','));
const reportDir = mkdtempSync(join(tmpdir(), 'ackcheck-detection-'));
await using fleet = await acquireBrokers(brokersArg(values.broker, USAGE));
const postgres = await usePostgres();

/** A Markdown table, to paste into README "Performance". */
function table(header: string[], rows: string[][]): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/** Runs the tasks with at most `limit` at a time, in order of the list. */
async function pool<T>(tasks: (() => Promise<T>)[], limit: number): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await (tasks[i] as () => Promise<T>)();
      }
    }),
  );
  return results;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? (s[Math.floor((s.length - 1) / 2)] as number) : Number.NaN;
};
const range = (xs: number[], digits = 0) =>
  xs.length ? `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}` : '-';

/** Interleaves the cells of different brokers so that --parallel 2 keeps both brokers busy. */
function interleave<T extends { info: BrokerInfo }>(cells: T[]): T[] {
  const byBroker = fleet.infos.map((b) => cells.filter((c) => c.info.id === b.id));
  const out: T[] = [];
  for (let i = 0; byBroker.some((l) => i < l.length); i++)
    for (const l of byBroker) if (l[i]) out.push(l[i] as T);
  return out;
}

try {
  if (parts.has('detection')) {
    const cells = interleave(
      BROKEN.filter((f) => !values.fixtures || values.fixtures.split(',').includes(f.name)).flatMap(
        (fixture) =>
          fleet.infos.filter((b) => fixture.brokers.includes(b.kind)).map((info) => ({ fixture, info })),
      ),
    );
    const rows = await pool(
      cells.map(({ fixture, info }) => async () => {
        const trials = [];
        for (const seed of seeds) {
          const r = await certify({
            processor: fixture.processor,
            ...(fixture.runtime ? { runtime: fixture.runtime } : {}),
            broker: info,
            semantics: fixture.semantics,
            faults: fixture.faults,
            seed,
            shrinkTimeLimit: shrinkSeconds * 1000,
            reportDir,
          });
          const caught = !r.ok && violations(r).includes(fixture.caught);
          if (!caught)
            console.error(`${fixture.name} on ${info.id}, seed ${seed}: NOT CAUGHT\n${explain(r)}`);
          const trial = {
            caught,
            runs: r.runs,
            seconds: (r.firstFailureMs ?? r.durationMs) / 1000,
            messages: r.counterexample?.scenario.messages.length ?? Number.NaN,
            faults: r.counterexample?.scenario.faults.length ?? Number.NaN,
          };
          console.error(
            `trial ${fixture.name} ${info.id} seed ${seed}: ${caught ? 'caught' : 'MISSED'} run ${trial.runs}, ` +
              `${trial.seconds.toFixed(1)} s, shrunk ${trial.messages} msgs ${trial.faults} faults ` +
              `(${r.shrinkSteps} shrink steps, ${(r.durationMs / 1000).toFixed(0)} s in all; load ${loadavg()[0]?.toFixed(1)})`,
          );
          trials.push(trial);
        }
        const hit = trials.filter((t) => t.caught);
        console.error(`${fixture.name} on ${info.id}: caught ${hit.length}/${trials.length}`);
        return [
          fixture.name,
          info.id,
          fixture.caught,
          `${hit.length}/${trials.length}`,
          `${median(hit.map((t) => t.runs))} (${range(hit.map((t) => t.runs))})`,
          `${median(hit.map((t) => t.seconds)).toFixed(1)} (${range(
            hit.map((t) => t.seconds),
            1,
          )})`,
          `${median(hit.map((t) => t.messages))} (${range(hit.map((t) => t.messages))})`,
          `${median(hit.map((t) => t.faults))} (${range(hit.map((t) => t.faults))})`,
        ];
      }),
      parallel,
    );
    console.log(
      `\n${new Date().toISOString()}, load ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}, ${cpus().length} cores`,
    );
    console.log(
      `\nDetection over seeds ${seeds.join(', ')} (median (range) over the seeds that caught it):\n`,
    );
    console.log(
      table(
        [
          'fixture',
          'broker',
          'finding',
          'caught',
          'runs to failure',
          's to failure',
          'shrunk msgs',
          'shrunk faults',
        ],
        rows,
      ),
    );
  }

  if (parts.has('false-alarms')) {
    // The default faults include broker faults, which act on the shared container: one cell at
    // a time per broker (Kafka and RabbitMQ side by side).
    const lanes = await Promise.all(
      fleet.infos.map(async (info) => {
        const out = [];
        for (const fixture of CORRECT.filter(
          (f) => !values.fixtures || values.fixtures.split(',').includes(f.name),
        )) {
          const r = await certify({
            processor: fixture.processor,
            broker: info,
            semantics: 'at-least-once',
            runs: correctRuns,
            seed: 1,
            reportDir,
          });
          if (!r.ok) console.error(`FALSE ALARM: ${fixture.name} on ${info.id}\n${explain(r)}`);
          console.error(`${fixture.name} on ${info.id}: ${r.runs} runs, ${r.ok ? 'passed' : 'FAILED'}`);
          out.push({
            fixture: fixture.name,
            broker: info.id,
            runs: r.runs,
            failed: r.ok ? 0 : 1,
            errors: r.errors.length,
            coverage: r.coverage ? `${r.coverage.exercised}/${r.coverage.total}` : '-',
          });
        }
        return out;
      }),
    );
    const results = lanes.flat();
    console.log('\nFalse alarms (correct fixtures, default fault kinds, seed 1):\n');
    console.log(
      table(
        ['fixture', 'broker', 'runs', 'failed', 'run errors', 'fault cells exercised'],
        results.map((r) => [
          r.fixture,
          r.broker,
          String(r.runs),
          String(r.failed),
          String(r.errors),
          r.coverage,
        ]),
      ),
    );
    const total = results.reduce((n, r) => n + r.runs, 0);
    const failed = results.reduce((n, r) => n + r.failed, 0);
    console.log(`\nTotal: ${total} runs of correct fixtures, ${failed} failed.`);
  }
} finally {
  await postgres.stop();
}
