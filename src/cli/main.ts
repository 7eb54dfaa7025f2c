#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
/**
 * The `ackcheck` command. Exit codes: 0 pass, 1 invariant violated (or a round trip lost
 * messages), 2 usage or infrastructure error.
 */
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { BROKER_IDS, type BrokerId, parseBrokerSelection } from '../brokers/catalog.ts';
import { docker, listOurContainers, removeUnusedContainers } from '../brokers/docker.ts';
import { acquireBrokers } from '../brokers/fleet.ts';
import { isAckcheckError } from '../errors.ts';
import { runDemo } from './demo.ts';
import { printBrokers, printJson } from './output.ts';
import { registerSuiteCommand } from './suite.ts';

export const EXIT = { pass: 0, violated: 1, error: 2 } as const;

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

export function buildProgram(): Command {
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
    .action(async () => {
      const removed = await removeUnusedContainers(await docker());
      console.log(removed.length ? `removed ${removed.join(', ')}` : 'nothing to remove');
    });

  program
    .command('demo')
    .description('start the brokers, round-trip messages through each, and print addresses and timings')
    .option('-b, --broker <selection>', 'kafka, rabbitmq, all, or ids', brokerSelection, [...BROKER_IDS])
    .option('-n, --messages <n>', 'messages per broker', positiveInt, 1_000)
    .option('--json', 'print one JSON object')
    .addHelpText(
      'after',
      '\nExamples:\n  $ ackcheck demo\n  $ ackcheck demo --broker rabbitmq --messages 5000',
    )
    .action(async (opts: { broker: BrokerId[]; messages: number; json?: boolean }) => {
      process.exitCode = await runDemo(opts);
    });
  registerSuiteCommand(program);
  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.pass;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.exitCode === 0
        ? EXIT.pass
        : EXIT.error;
    }
    if (isAckcheckError(error)) console.error(`ackcheck: ${error.message} [${error.code}]`);
    else
      console.error(
        `ackcheck: unexpected error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    return EXIT.error;
  }
}

function invokedDirectly(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === fileURLToPath(import.meta.url);
  } catch {
    return false;
  }
}

if (invokedDirectly()) {
  process.exit(await main(process.argv));
}
