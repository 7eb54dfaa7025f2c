/**
 * False-alarm soak (prints figures; asserts nothing): certifies the correct fixtures of the
 * catalog (fixtures/catalog.ts) over and over, seed after seed, under certify()'s default fault
 * kinds (broker faults included) with concurrency on, until --runs property runs are done or
 * --minutes have passed. A correct processor must never fail: every failure is printed with its
 * explanation and replay file, and counted. One lane per broker (broker faults act on the shared
 * container); each certification runs --concurrency runs at once.
 *
 *   node bench/soak.bench.ts [--runs 1000] [--minutes 90] [--broker kafka-4.4,rabbitmq-4.0]
 *                            [--concurrency 2] [--fixtures name,name] [--semantics at-least-once,at-most-once]
 *                            [--first-seed 1]
 */
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { acquireBrokers } from '../src/brokers/container/fleet.ts';
import { certify } from '../src/harness/certify.ts';
import type { Semantics } from '../src/model/scenario.ts';
import { CORRECT } from '../fixtures/catalog.ts';
import { explain } from '../fixtures/explain.ts';
import { usePostgres } from '../fixtures/stores/postgres.ts';
import { benchArgs, brokersArg, numberArg } from './args.ts';

const USAGE =
  'usage: node bench/soak.bench.ts [--runs 1000] [--minutes 90] [--broker kafka-4.4,rabbitmq-4.0] ' +
  '[--concurrency 2] [--fixtures name,name] [--semantics at-least-once,at-most-once] [--first-seed 1]';

const values = benchArgs(USAGE, {
  runs: { type: 'string', default: '1000' },
  minutes: { type: 'string', default: '90' },
  broker: { type: 'string', default: 'kafka-4.4,rabbitmq-4.0' },
  concurrency: { type: 'string', default: '2' },
  fixtures: { type: 'string' },
  semantics: { type: 'string', default: 'at-least-once,at-most-once' },
  'first-seed': { type: 'string', default: '1' },
});
const targetRuns = numberArg('runs', values.runs, USAGE, 1);
const deadline = Date.now() + numberArg('minutes', values.minutes, USAGE) * 60_000;
const concurrency = numberArg('concurrency', values.concurrency, USAGE, 1);
const semantics = values.semantics.split(',') as Semantics[];
if (semantics.some((x) => x !== 'at-least-once' && x !== 'at-most-once')) {
  console.error(`--semantics takes at-least-once, at-most-once or both (comma list)\n${USAGE}`);
  process.exit(2);
}
const fixtures = CORRECT.filter((f) => !values.fixtures || values.fixtures.split(',').includes(f.name));
if (fixtures.length === 0) {
  console.error(
    `no correct fixture matches --fixtures ${values.fixtures}; known: ${CORRECT.map((f) => f.name).join(', ')}`,
  );
  process.exit(2);
}
const reportDir = mkdtempSync(join(tmpdir(), 'ackcheck-soak-'));
const started = Date.now();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
console.error(
  `soak: ${targetRuns} runs or ${values.minutes} min, concurrency ${concurrency}; load ${load()}`,
);

await using fleet = await acquireBrokers(brokersArg(values.broker, USAGE));
const postgres = fixtures.some((f) => f.postgres) ? await usePostgres() : undefined;

interface Tally {
  runs: number;
  certifications: number;
  failed: number;
  errored: number;
  faultsFired: number;
}
const tallies = new Map<string, Tally>();
let totalRuns = 0;
const done = () => totalRuns >= targetRuns || Date.now() >= deadline;

try {
  await Promise.all(
    fleet.infos.map(async (info, lane) => {
      // Cells of this broker in turn; seeds step by the number of lanes so no two lanes share one.
      const cells = fixtures.flatMap((fixture) => semantics.map((s) => ({ fixture, semantics: s })));
      for (let i = 0; !done(); i++) {
        const cell = cells[i % cells.length]!;
        const seed = numberArg('first-seed', values['first-seed'], USAGE) + i;
        const result = await certify({
          processor: cell.fixture.processor,
          broker: info,
          semantics: cell.semantics,
          seed,
          concurrency,
          reportDir,
          shrinkTimeLimit: 30_000,
        });
        const key = `${cell.fixture.name} | ${info.id} | ${cell.semantics}`;
        const t = tallies.get(key) ?? { runs: 0, certifications: 0, failed: 0, errored: 0, faultsFired: 0 };
        t.runs += result.runs;
        t.certifications += 1;
        if (result.status === 'fail') t.failed += 1;
        if (result.status === 'error' || result.status === 'incomplete') t.errored += 1;
        t.faultsFired += result.coverage?.cells.reduce((n, c) => n + c.fired, 0) ?? 0;
        tallies.set(key, t);
        totalRuns += result.runs;
        const elapsed = ((Date.now() - started) / 60_000).toFixed(1);
        console.error(
          `[${elapsed} min] lane ${lane} ${key} seed ${seed}: ${result.status}, ${result.runs} runs ` +
            `(total ${totalRuns}); load ${load()}`,
        );
        if (result.status !== 'pass') console.error(`NOT A PASS (${result.status}):\n${explain(result)}`);
      }
    }),
  );
} finally {
  await postgres?.stop();
}

const rows = [...tallies.entries()].map(([key, t]) => [
  ...key.split(' | '),
  String(t.certifications),
  String(t.runs),
  String(t.failed),
  String(t.errored),
  String(t.faultsFired),
]);
const line = (cells: string[]) => `| ${cells.join(' | ')} |`;
const header = [
  'fixture',
  'broker',
  'semantics',
  'certifications',
  'runs',
  'failed',
  'error/incomplete',
  'faults fired',
];
console.log(
  [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n') +
    `\n\nTotal: ${totalRuns} runs in ${((Date.now() - started) / 60_000).toFixed(1)} min, ` +
    `${rows.reduce((n, r) => n + Number(r[5]), 0)} failed certifications (false alarms), ` +
    `${rows.reduce((n, r) => n + Number(r[6]), 0)} errored/incomplete; load at the end ${load()}; ` +
    `reports in ${reportDir}.`,
);
