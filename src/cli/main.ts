/**
 * The `ackcheck` command. Exit codes: 0 pass, 1 invariant violated (or a round trip lost
 * messages), 2 usage or infrastructure error. The executable is bin/ackcheck.ts, which hands
 * in the ready-made suites (the CLI does not import suites/).
 */
import { Command, CommanderError } from 'commander';
import { isAckcheckError } from '../errors.ts';
import { registerBrokersCommand } from './brokers.ts';
import { EXIT, registerCertifyCommand, registerReplayCommand } from './certify.ts';
import { registerDemoCommand } from './demo.ts';
import { printJson } from './output.ts';
import { registerSuiteCommand, type SuiteList } from './suite.ts';

export { EXIT };

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

  registerBrokersCommand(program);
  registerCertifyCommand(program);
  registerReplayCommand(program);
  registerDemoCommand(program);
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
