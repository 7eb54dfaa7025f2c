/**
 * `ackcheck brokers up | status | down | check`: the shared broker containers that later
 * commands and test runs reuse.
 */
import type { Command } from 'commander';
import { acquireBrokers } from '../brokers/container/fleet.ts';
import { docker, listOurContainers, removeUnusedContainers } from '../brokers/container/docker.ts';
import { BROKER_IDS, type BrokerId } from '../brokers/registry.ts';
import { runBrokersCheck } from './brokers-check.ts';
import { brokerSelection, positiveInt } from './options.ts';
import { printBrokers, printJson } from './output.ts';

/** Adds `ackcheck brokers …` to the program. */
export function registerBrokersCommand(program: Command): void {
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
}
