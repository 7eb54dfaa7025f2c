/**
 * `ackcheck demo`: certifies the bundled example processors on the newest Kafka and RabbitMQ:
 * sqlite-upsert (correct, must pass) and sqlite-increment (not idempotent, must be caught).
 * Few runs under a time limit, so it ends within a couple of minutes. Exit 0 when both
 * verdicts are the expected ones, 1 otherwise.
 */
import { extname } from 'node:path';
import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import type { BrokerId } from '../brokers/registry.ts';
import type { CertifyResult } from '../harness/certify.ts';
import { type ReportPaths, writeReports } from '../report/index.ts';
import { resultSummary, runPlan } from './certify.ts';
import {
  brokerSelection,
  collapseExternal,
  newestBrokers,
  parseDuration,
  parseSeed,
  positiveInt,
} from './options.ts';
import { count, green, printJson, red, table } from './output.ts';
import { barReporter, barWanted, lineReporter, silentReporter } from './progress.ts';

/** The bundled examples: `.ts` next to the sources in development, `.js` in dist/. */
export function exampleProcessor(name: 'sqlite-upsert' | 'sqlite-increment'): string {
  const ext = extname(fileURLToPath(import.meta.url)); // .ts (type-stripped) or .js (built)
  return fileURLToPath(new URL(`../../fixtures/processors/${name}${ext}`, import.meta.url));
}

export const DEMO = [
  { name: 'sqlite-upsert', expect: 'pass' },
  { name: 'sqlite-increment', expect: 'fail' },
] as const;

export interface DemoOptions {
  broker?: BrokerId[];
  runs: number;
  timeLimit: number;
  seed: number;
  reportDir: string;
  json?: boolean;
}

type DemoRow = { result: CertifyResult; want: string; got: string; asExpected: boolean };

/** The verdict table, the counterexamples and where the reports are. */
function printDemo(rows: readonly DemoRow[], paths: ReportPaths): void {
  console.log(
    `\n${table(
      ['processor', 'broker', 'expected', 'verdict', 'runs', 'caught by'],
      rows.map(({ result: r, want, got, asExpected }) => [
        r.processor.split(/[\\/]/).at(-1) ?? r.processor,
        r.broker,
        want,
        asExpected ? green(got) : red(`${got} (unexpected)`),
        String(r.runs),
        r.counterexample?.verdict.findings
          .filter((f) => f.violation)
          .map((f) => f.code)
          .join(', ') ?? '-',
      ]),
    )}\n`,
  );
  for (const { result: r } of rows.filter((x) => x.result.counterexample)) {
    const ce = r.counterexample;
    if (!ce) continue;
    console.log(
      `${r.broker}: sqlite-increment counterexample, ${count(ce.scenario.messages.length, 'message')}, faults: ${ce.scenario.faults.map((f) => f.kind).join(', ') || 'none'}`,
    );
    for (const f of ce.verdict.findings.filter((x) => x.violation))
      console.log(`  ${f.code}: ${f.detail.replaceAll('\n', '\n    ')}`);
    console.log(`  replay: ackcheck replay ${ce.file}\n`);
  }
  for (const [format, path] of Object.entries(paths))
    if (path) console.log(`${format.padEnd(5)} report: ${path}`);
}

export async function runDemo(opts: DemoOptions): Promise<number> {
  const began = Date.now();
  const { ids: brokers, notices } = collapseExternal(opts.broker ?? newestBrokers(), process.env);
  const expected = new Map(DEMO.map((d) => [exampleProcessor(d.name), d]));
  const reporter = opts.json ? silentReporter() : barWanted() ? barReporter() : lineReporter();
  if (!opts.json)
    console.log(
      `ackcheck demo: certifying a correct processor (sqlite-upsert) and a broken one (sqlite-increment)\n` +
        `on ${brokers.join(' and ')}, at-least-once, ${opts.runs} runs each (time limit ${opts.timeLimit / 1000} s per cell)\n`,
    );
  const { results, notices: shown } = await runPlan(
    {
      cells: DEMO.flatMap((d) =>
        brokers.map((broker) => ({
          processor: exampleProcessor(d.name),
          broker,
          semantics: 'at-least-once' as const,
        })),
      ),
      brokers,
      runs: opts.runs,
      timeLimit: opts.timeLimit,
      shrinkTimeLimit: Math.max(10_000, Math.round(opts.timeLimit / 2)),
      seed: opts.seed,
      // Consumer faults only: they are quick, and redeliveries are what an increment gets wrong.
      faults: ['consumer-kill', 'processor-throw', 'consumer-restart', 'consumer-join', 'consumer-leave'],
      maxMessages: 8,
      reportDir: opts.reportDir,
      formats: ['json', 'junit', 'html'],
      notices,
    },
    reporter,
  );
  const paths = writeReports(results, opts.reportDir);
  const row = (r: CertifyResult) => {
    const want = expected.get(r.processor)?.expect ?? 'pass';
    // The status word, not `ok`: an incomplete or errored certification is not "caught".
    const got = r.status;
    return { result: r, want, got, asExpected: want === got };
  };
  const rows = results.map(row);
  const ok = rows.every((r) => r.asExpected);
  if (opts.json) {
    printJson({
      ok,
      results: rows.map((r) => ({ expected: r.want, asExpected: r.asExpected, ...resultSummary(r.result) })),
      notices: shown,
      reports: paths,
      totalMs: Date.now() - began,
    });
  } else {
    printDemo(rows, paths);
    console.log(
      ok
        ? green(
            `\ndemo passed: the correct processor passed and the broken one was caught (${((Date.now() - began) / 1000).toFixed(1)} s)`,
          )
        : red('\ndemo FAILED: a verdict was not the expected one (see above)'),
    );
  }
  return ok ? 0 : 1;
}

/** Adds `ackcheck demo` to the program. */
export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'certify the bundled examples on Kafka and RabbitMQ: a correct processor passes, a broken one is caught',
    )
    .option('-b, --broker <selection>', 'kafka, rabbitmq, all, or ids', brokerSelection)
    .option('-r, --runs <n>', 'property runs per cell', positiveInt, 5)
    .option(
      '-t, --time-limit <duration>',
      'time budget per cell',
      (v) => parseDuration(v, '--time-limit'),
      30_000,
    )
    .option('--seed <n>', 'fast-check seed', (v) => parseSeed(v), 7)
    .option('--report-dir <dir>', 'where reports and counterexamples go', '.ackcheck/demo')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExit codes: 0 verdicts as expected (upsert passes, increment caught), 1 otherwise, 2 infrastructure error.\n\nExamples:\n  $ ackcheck demo\n  $ ackcheck demo --broker kafka-3.9,rabbitmq-3.10 --runs 10',
    )
    .action(async (opts: DemoOptions) => {
      process.exitCode = await runDemo(opts);
    });
}
