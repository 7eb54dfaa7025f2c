/**
 * `ackcheck suite <name>`: runs a conformance suite (suites/) and prints a table of its cells:
 * configuration, expected verdict, what was observed, whether it meets the expectation.
 * Exit codes: 0 every cell meets its expectation, 1 one does not, 2 usage or infrastructure error.
 */
import { type Command, InvalidArgumentError } from 'commander';
import { type BrokerId, parseBrokerSelection } from '../brokers/registry.ts';
import { AckcheckError } from '../errors.ts';
import {
  type CellResult,
  expectationLabel,
  type ProfileName,
  runSuite,
  runsLabel,
  type Suite,
  type SuiteResult,
} from '../harness/suite.ts';
import { dim, green, printJson, red, table } from './output.ts';

export interface SuiteCommandOptions {
  profile: ProfileName;
  broker?: BrokerId[];
  cell?: string[];
  seed?: number;
  reportDir?: string;
  json?: boolean;
}

function profileOption(value: string): ProfileName {
  if (value !== 'short' && value !== 'full') throw new InvalidArgumentError('expected "short" or "full"');
  return value;
}

function brokerOption(value: string): BrokerId[] {
  try {
    return parseBrokerSelection(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function integerOption(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`expected an integer, got "${value}"`);
  return n;
}

/** The rows of a suite's result table. */
export function suiteRows(result: SuiteResult): string[][] {
  return result.cells.map((c: CellResult) => [
    c.cell,
    expectationLabel(c.expected, c.semantics),
    c.delivered,
    runsLabel(c),
    c.ok ? green('met') : red(`NOT met: ${c.reason}`),
  ]);
}

/** The suites `ackcheck suite` knows, by name (bin/ackcheck.ts passes the ready-made ones). */
export type SuiteList = Readonly<Record<string, Suite>>;

export async function runSuiteCommand(
  name: string,
  opts: SuiteCommandOptions,
  suites: SuiteList,
): Promise<number> {
  const suite = suites[name];
  if (!suite)
    throw new AckcheckError(
      'INVALID_OPTION',
      `unknown suite "${name}"; expected one of: ${Object.keys(suites).join(', ') || '(none)'}`,
    );
  const result = await runSuite(suite, {
    profile: opts.profile,
    ...(opts.broker ? { brokers: opts.broker } : {}),
    ...(opts.cell ? { cells: opts.cell } : {}),
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.reportDir ? { reportDir: opts.reportDir } : {}),
    onProgress: opts.json
      ? undefined
      : (event) => {
          if (event.type === 'cell-start')
            process.stderr.write(`[${event.index + 1}/${event.total}] ${event.cell} ...\n`);
          if (event.type === 'cell-end') {
            const r = event.result;
            process.stderr.write(
              `  ${r.ok ? green('met') : red('NOT met')}: ${r.reason} (${(r.durationMs / 1000).toFixed(1)} s)\n`,
            );
          }
        },
  });
  if (opts.json) {
    printJson(result);
  } else {
    console.log(`\nsuite ${result.suite} (${result.profile} profile)`);
    console.log(table(['cell', 'expected', 'delivered (observed)', 'runs', 'verdict'], suiteRows(result)));
    for (const c of result.cells) {
      if (c.measurement) console.log(dim(`${c.cell}: ${c.measurement}`));
      if (!c.ok && c.counterexample)
        console.log(dim(`${c.cell}: replay with ackcheck replay ${c.counterexample}`));
    }
    if (result.skipped.length > 0)
      console.log(dim(`skipped (broker not selected): ${result.skipped.join(', ')}`));
    const met = result.cells.filter((c) => c.ok).length;
    const summary = `${met}/${result.cells.length} cells meet their expectation in ${(result.durationMs / 1000).toFixed(0)} s`;
    console.log(result.ok ? green(summary) : red(summary));
  }
  return result.ok ? 0 : 1;
}

/** Adds `ackcheck suite` to the program. */
export function registerSuiteCommand(program: Command, suites: SuiteList): void {
  program
    .command('suite')
    .description(`run a conformance suite: ${Object.keys(suites).join(', ')}`)
    .argument('<name>', 'suite name')
    .option('-p, --profile <profile>', 'short (few runs per cell, CI) or full', profileOption, 'short')
    .option(
      '-b, --broker <selection>',
      'only cells on these brokers (kafka, rabbitmq, all, or ids)',
      brokerOption,
    )
    .option('-c, --cell <id...>', 'only these cells')
    .option('--seed <n>', 'seed for every cell (default: one per cell, derived from its name)', integerOption)
    .option('--report-dir <dir>', 'where counterexamples go', '.ackcheck/suites')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ackcheck suite runtimes\n  $ ackcheck suite rabbitmq-queue-types --profile full --broker rabbitmq-4.0 --json',
    )
    .action(async (name: string, opts: SuiteCommandOptions) => {
      process.exitCode = await runSuiteCommand(name, opts, suites);
    });
}
