/**
 * The `ackcheck` command. Exit codes: 0 pass, 1 invariant violated (or a round trip lost
 * messages), 2 usage or infrastructure error. The executable is bin/ackcheck.ts, which hands
 * in the ready-made suites (the CLI does not import suites/).
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { BROKER_IDS, type BrokerId, parseBrokerSelection } from '../brokers/registry.ts';
import { docker, listOurContainers, removeUnusedContainers } from '../brokers/container/docker.ts';
import { acquireBrokers } from '../brokers/container/fleet.ts';
import { isAckcheckError } from '../errors.ts';
import { runBrokersCheck } from './brokers-check.ts';
import { EXIT, runCertify, runReplay } from './certify.ts';
import { runDemo } from './demo.ts';
import { type CertifyFlags, newestBrokers, parseDuration, parseSeed } from './options.ts';
import { printBrokers, printJson } from './output.ts';
import { registerSuiteCommand, type SuiteList } from './suite.ts';

export { EXIT };

function brokerSelection(value: string): BrokerId[] {
  try {
    return parseBrokerSelection(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

export interface ProgramOptions {
  /** The suites `ackcheck suite` runs, by name. Default: none. */
  readonly suites?: SuiteList;
}

export function buildProgram(options: ProgramOptions = {}): Command {
  const program = new Command('ackcheck')
    .description(
      'Property-based conformance tests for Kafka and RabbitMQ message processors, on real brokers.',
    )
    .version('0.1.0')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');

  const brokers = program
    .command('brokers')
    .description('start, inspect and remove the shared broker containers that later commands reuse');
  brokers
    .command('up')
    .description('start (or find) the shared brokers and print their client addresses')
    .option(
      '-b, --broker <selection>',
      `kafka, rabbitmq, all, or ids (${BROKER_IDS.join(', ')})`,
      brokerSelection,
      [...BROKER_IDS],
    )
    .option('--ready-timeout <ms>', 'deadline for each broker to start', positiveInt, 90_000)
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ackcheck brokers up\n  $ ackcheck brokers up --broker kafka-3.9 --json',
    )
    .action(async (opts: { broker: BrokerId[]; readyTimeout: number; json?: boolean }) => {
      const fleet = await acquireBrokers(opts.broker, { scope: 'shared', readyTimeoutMs: opts.readyTimeout });
      if (opts.json) printJson({ brokers: fleet.infos });
      else printBrokers(fleet.infos);
    });
  brokers
    .command('status')
    .description("list ackcheck's broker containers")
    .option('--json', 'print one JSON object')
    .addHelpText('after', '\nExamples:\n  $ ackcheck brokers status\n  $ ackcheck brokers status --json')
    .action(async (opts: { json?: boolean }) => {
      const containers = await listOurContainers(await docker());
      if (opts.json) printJson({ containers });
      else if (containers.length === 0) console.log('no ackcheck broker containers');
      else
        for (const c of containers)
          console.log(
            `${c.broker.padEnd(14)} ${c.state.padEnd(8)} ${c.scope.padEnd(7)} 127.0.0.1:${c.port}  ${c.name}`,
          );
    });
  brokers
    .command('down')
    .description(
      'remove every ackcheck broker container (shared ones and leftovers; not those of live test runs)',
    )
    .addHelpText('after', '\nExamples:\n  $ ackcheck brokers down')
    .action(async () => {
      const removed = await removeUnusedContainers(await docker());
      console.log(removed.length ? `removed ${removed.join(', ')}` : 'nothing to remove');
    });

  brokers
    .command('check')
    .description(
      'start (or reuse) the brokers, round-trip messages through each, print addresses and timings',
    )
    .option('-b, --broker <selection>', 'kafka, rabbitmq, all, or ids', brokerSelection, [...BROKER_IDS])
    .option('-n, --messages <n>', 'messages per broker', positiveInt, 1_000)
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ackcheck brokers check\n  $ ackcheck brokers check --broker rabbitmq --messages 5000',
    )
    .action(async (opts: { broker: BrokerId[]; messages: number; json?: boolean }) => {
      process.exitCode = await runBrokersCheck(opts);
    });

  program
    .command('certify')
    .description(
      'certify a processor: random messages and faults on real brokers; checks no loss, no duplicates, idempotent state',
    )
    .argument(
      '[processor-module]',
      'path of the processor module (.ts or .js); default: processors in ackcheck.config.*',
    )
    .option(
      '-b, --broker <selection>',
      `kafka, rabbitmq, all, or ids (${BROKER_IDS.join(', ')}) [default: ${newestBrokers().join(',')}]`,
    )
    .addOption(
      new Option(
        '-s, --semantics <semantics>',
        'promised delivery semantics [default: at-least-once]',
      ).choices(['at-least-once', 'at-most-once', 'both']),
    )
    .option('-r, --runs <n>', 'property runs per processor × broker × semantics [default: 20]')
    .option('-t, --time-limit <duration>', 'time budget per cell, e.g. 90s, 10m [default: 10m]')
    .option('--shrink-time-limit <duration>', 'time budget for shrinking a failure [default: 2m]')
    .option('--seed <n>', 'fast-check seed (printed with every failure)')
    .option(
      '-f, --faults <kinds>',
      'comma list of fault kinds to draw from [default: all the broker supports]',
    )
    .option('-m, --max-messages <n>', 'messages per scenario, at most [default: 20]')
    .option('--runtime <module>', "module exporting createRuntime({ broker }) (default: ackcheck's runtime)")
    .option(
      '--check-order',
      'check per-key order (a violation) [default: on for Kafka at-least-once, off otherwise]',
    )
    .option('--no-check-order', 'do not check per-key order')
    .option(
      '--fail-on-stuck-consumer',
      'a consumer replaced for making no progress after the faults healed fails the run [default: reported only]',
    )
    .option('--report-dir <dir>', 'where reports and counterexamples go [default: .ackcheck/report]')
    .option('--format <formats>', 'comma list of report formats: json, junit, html [default: all]')
    .option(
      '-c, --config <file>',
      'configuration file [default: ackcheck.config.{ts,js,json} in the working directory]',
    )
    .option('--json', 'print one JSON object on stdout, no progress')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 all certified, 1 an invariant was violated, 2 usage or infrastructure error.',
        'External brokers: ACKCHECK_KAFKA_BOOTSTRAP=host:port, ACKCHECK_AMQP_URL=amqp://... (no container is started).',
        '',
        'Examples:',
        '  $ ackcheck certify ./src/orders-processor.ts',
        '  $ ackcheck certify ./src/orders-processor.ts --broker kafka --semantics both --runs 50 --time-limit 15m',
        '  $ ackcheck certify ./dist/processor.js --broker rabbitmq-4.0 --faults consumer-kill,broker-restart --seed 42',
        '  $ ackcheck certify --config ci/ackcheck.config.ts --json > result.json',
      ].join('\n'),
    )
    .action(async (processor: string | undefined, opts: CertifyFlags) => {
      process.exitCode = await runCertify(processor, opts);
    });

  program
    .command('replay')
    .description('rerun a counterexample saved by certify and print its verdict')
    .argument('<scenario.json>', 'the counterexample file (printed by certify)')
    .option('--report-dir <dir>', 'where run histories go [default: .ackcheck]')
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 the scenario now passes, 1 it still violates an invariant, 2 usage or infrastructure error.',
        '',
        'Examples:',
        '  $ ackcheck replay .ackcheck/report/counterexample-kafka-1763855000000.json',
        '  $ ackcheck replay counterexample.json --json',
      ].join('\n'),
    )
    .action(async (file: string, opts: { json?: boolean; reportDir?: string }) => {
      process.exitCode = await runReplay(file, opts);
    });

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
    .action(
      async (opts: {
        broker?: BrokerId[];
        runs: number;
        timeLimit: number;
        seed: number;
        reportDir: string;
        json?: boolean;
      }) => {
        process.exitCode = await runDemo(opts);
      },
    );

  registerSuiteCommand(program, options.suites ?? {});
  return program;
}

export async function main(argv: string[], options: ProgramOptions = {}): Promise<number> {
  try {
    await buildProgram(options).parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.pass;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
        ? EXIT.pass
        : EXIT.error;
    }
    // With --json, a program reading stdout gets the error too (the person reads stderr).
    if (argv.includes('--json'))
      printJson({
        ok: false,
        error: {
          code: isAckcheckError(error) ? error.code : 'UNEXPECTED',
          message: error instanceof Error ? error.message : String(error),
        },
      });
    if (isAckcheckError(error)) console.error(`ackcheck: ${error.message} [${error.code}]`);
    else
      console.error(
        `ackcheck: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    return EXIT.error;
  }
}
