/**
 * Command-line options of a bench: `--help` prints the usage and exits 0; an unknown option or
 * a missing value prints what was wrong with the usage and exits 2 — never a stack trace alone.
 * A thin layer over node:util parseArgs (which throws on bad input), shared by every bench.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { type BrokerId, parseBrokerSelection } from '../src/brokers/registry.ts';

type Options = NonNullable<ParseArgsConfig['options']>;

export function benchArgs<const O extends Options>(
  usage: string,
  options: O,
): ReturnType<typeof parseArgs<{ options: O }>>['values'] {
  let values: Record<string, unknown>;
  try {
    values = parseArgs({ options: { ...options, help: { type: 'boolean' } } }).values;
  } catch (error) {
    fail(`${(error as Error).message}`, usage);
  }
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  return values as ReturnType<typeof parseArgs<{ options: O }>>['values'];
}

/** `value` as a number of at least `min`; else the usage, exit 2. */
export function numberArg(name: string, value: string | undefined, usage: string, min = 0): number {
  const n = Number(value);
  if (value === undefined || value.trim() === '' || !Number.isFinite(n) || n < min)
    fail(`--${name} must be a number >= ${min} (got ${JSON.stringify(value)})`, usage);
  return n;
}

function fail(message: string, usage: string): never {
  console.error(`${message}\n${usage}`);
  process.exit(2);
}

/** The brokers `--broker` names (parseBrokerSelection); an unknown one: the message and the usage, exit 2. */
export function brokersArg(value: string, usage: string): BrokerId[] {
  try {
    return parseBrokerSelection(value);
  } catch (error) {
    fail((error as Error).message, usage);
  }
}
