/**
 * Project configuration: `ackcheck.config.ts` (or `.js`, `.mjs`, `.json`) in the working
 * directory, or the file given with `--config`. Validated with zod; every error names the
 * field and the accepted values. Relative paths in the file are resolved from its folder.
 *
 * @example
 * // ackcheck.config.ts
 * import { defineConfig } from 'ackcheck';
 * export default defineConfig({
 *   processors: [{ path: './src/orders-processor.ts', semantics: ['at-least-once'] }],
 *   brokers: ['kafka', 'rabbitmq-4.0'],
 *   runs: 30,
 * });
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { BROKER_IDS, type BrokerId, parseBrokerSelection } from '../brokers/registry.ts';
import { AckcheckError, describeError } from '../errors.ts';
import { importUserModule } from '../import-user-module.ts';
import { FAULT_KINDS, type FaultKind } from '../model/fault.ts';
import type { Semantics } from '../model/scenario.ts';
import { REPORT_FORMATS, type ReportFormat } from '../model/results.ts';

export const SEMANTICS: readonly Semantics[] = ['at-least-once', 'at-most-once'];
export const CONFIG_FILES = [
  'ackcheck.config.ts',
  'ackcheck.config.mts',
  'ackcheck.config.js',
  'ackcheck.config.mjs',
  'ackcheck.config.json',
] as const;

/** One processor to certify. */
export interface ProcessorConfig {
  /** Path of the processor module (relative to the config file). */
  path: string;
  /** Semantics it claims. Default `['at-least-once']`. */
  semantics?: Semantics[];
  /** Module exporting `createRuntime({ broker })`, when the processor brings its own consume loop. */
  runtime?: string;
}

/** What `ackcheck.config.*` may hold. Every field is optional; CLI flags override them. */
export interface AckcheckConfig {
  /** Processors `ackcheck certify` runs when no module is named on the command line. */
  processors?: Array<string | ProcessorConfig>;
  /** `"kafka"`, `"rabbitmq"`, `"all"` or broker ids, as a comma list or an array. */
  brokers?: string | string[];
  /** Property runs per processor × broker × semantics. */
  runs?: number;
  /** Time budget per cell, in ms. */
  timeLimit?: number;
  /** Shrinking budget per failure, in ms. */
  shrinkTimeLimit?: number;
  /** Deadline of one process() call, in ms (default 10 000). */
  processTimeout?: number;
  /** Runs at once on the shared broker (default: the cores, 2..4; broker faults run alone). */
  concurrency?: number;
  seed?: number;
  /** Fault kinds to draw from (default: all that the broker supports). */
  faults?: FaultKind[];
  /** Messages per scenario, at most. */
  maxMessages?: number;
  /** Check per-key order (a violation). Default: on for Kafka at-least-once, off otherwise. */
  checkOrder?: boolean;
  /** Client library of ackcheck's runtime: Kafka `kafkajs` (default), `confluent`, `platformatic`. */
  client?: string;
  /** A consumer replaced for making no progress after the faults healed fails the run. Default false. */
  failOnStuckConsumer?: boolean;
  /** Where reports and counterexamples go (relative to the config file). */
  reportDir?: string;
  /** Report formats to write. */
  formats?: ReportFormat[];
  /** Broker images by broker id, e.g. `{ 'kafka-4.4': 'apache/kafka:4.4.0' }`. `ACKCHECK_IMAGE_*` variables win. */
  images?: Partial<Record<BrokerId, string>>;
}

/** Identity function that types an ackcheck configuration. */
export function defineConfig(config: AckcheckConfig): AckcheckConfig {
  return config;
}

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
const positiveInt = (what: string) =>
  z
    .number({ error: `expected ${what}` })
    .int({ error: `expected ${what}` })
    .positive({ error: `expected ${what}` });
const path = z
  .string({ error: 'expected a file path (string)' })
  .min(1, { error: 'expected a non-empty path' });
const semantics = z.enum(SEMANTICS as [Semantics, ...Semantics[]], {
  error: `expected one of ${quoted(SEMANTICS)}`,
});
const brokerSelection = z
  .union([z.string(), z.array(z.string())], {
    error: `expected "kafka", "rabbitmq", "all" or broker ids (${BROKER_IDS.join(', ')}), as a string or an array`,
  })
  .superRefine((value, ctx) => {
    try {
      parseBrokerSelection(Array.isArray(value) ? value.join(',') : value);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: describeError(error) });
    }
  });

export const configSchema = z
  .strictObject(
    {
      processors: z.array(
        // A bare path is short for { path }: normalising first keeps the errors of the object's fields.
        z.preprocess(
          (p) => (typeof p === 'string' ? { path: p } : p),
          z.strictObject(
            {
              path,
              semantics: z.array(semantics).min(1, { error: 'list at least one semantics' }).optional(),
              runtime: path.optional(),
            },
            { error: 'expected a path or { path, semantics?, runtime? }' },
          ),
        ),
        { error: 'expected an array of processors' },
      ),
      brokers: brokerSelection,
      runs: positiveInt('a positive integer (property runs)'),
      timeLimit: positiveInt('a positive integer (milliseconds)'),
      shrinkTimeLimit: positiveInt('a positive integer (milliseconds)'),
      processTimeout: positiveInt('a positive integer (milliseconds)'),
      concurrency: positiveInt('a positive integer (runs at once)'),
      seed: z.number({ error: 'expected an integer' }).int({ error: 'expected an integer' }),
      faults: z.array(z.enum(FAULT_KINDS, { error: `expected one of ${quoted(FAULT_KINDS)}` }), {
        error: 'expected an array of fault kinds',
      }),
      maxMessages: positiveInt('a positive integer'),
      checkOrder: z.boolean({ error: 'expected true or false' }),
      client: z.string({ error: 'expected a client name, e.g. "confluent"' }).min(1),
      failOnStuckConsumer: z.boolean({ error: 'expected true or false' }),
      reportDir: path,
      formats: z.array(
        z.enum(REPORT_FORMATS as [ReportFormat, ...ReportFormat[]], {
          error: `expected one of ${quoted(REPORT_FORMATS)}`,
        }),
      ),
      images: z.partialRecord(
        z.enum(BROKER_IDS, { error: `expected broker ids as keys: ${quoted(BROKER_IDS)}` }),
        z.string().min(1, { error: 'expected an image name such as apache/kafka:4.4.0' }),
      ),
    },
    { error: 'expected an object (export default defineConfig({...}))' },
  )
  .partial();

/** Validates a configuration value; throws INVALID_OPTION naming each bad field and what it accepts. */
export function parseConfig(value: unknown, source = 'configuration'): AckcheckConfig {
  const parsed = configSchema.safeParse(value);
  if (parsed.success) return parsed.data as AckcheckConfig;
  const problems = parsed.error.issues.map((issue) => {
    const field = issue.path.length ? issue.path.map(String).join('.') : '(root)';
    if (issue.code === 'unrecognized_keys') {
      const accepted =
        field === '(root)'
          ? `fields: ${quoted(Object.keys(configSchema.shape))}`
          : issue.path[0] === 'images'
            ? `broker ids: ${quoted(BROKER_IDS)}`
            : `fields: ${quoted(['path', 'semantics', 'runtime'])}`;
      return `${field === '(root)' ? '' : `${field}: `}unknown ${quoted(issue.keys)}; accepted ${accepted}`;
    }
    return `${field}: ${issue.message}`;
  });
  throw new AckcheckError('INVALID_OPTION', `${source} is invalid:\n  - ${problems.join('\n  - ')}`);
}

/** The config file to use: `explicit` (must exist), else the first of CONFIG_FILES in `cwd`, else none. */
export function findConfigFile(cwd: string, explicit?: string): string | undefined {
  if (explicit) {
    const file = resolve(cwd, explicit);
    if (!existsSync(file))
      throw new AckcheckError(
        'INVALID_OPTION',
        `--config: ${file} does not exist. Pass the path of an ackcheck.config.ts, .js or .json file.`,
      );
    return file;
  }
  return CONFIG_FILES.map((f) => resolve(cwd, f)).find((f) => existsSync(f));
}

export interface LoadedConfig {
  readonly file?: string;
  readonly config: AckcheckConfig;
}

/** Finds, loads and validates the configuration; paths in it come back absolute. */
export async function loadConfig(cwd = process.cwd(), explicit?: string): Promise<LoadedConfig> {
  const file = findConfigFile(cwd, explicit);
  if (!file) return { config: {} };
  let raw: unknown;
  try {
    if (file.endsWith('.json')) raw = JSON.parse(readFileSync(file, 'utf8'));
    else {
      // Through the same loader as processors: a .ts config may use the project's tsconfig
      // (paths, enums, CommonJS packages) and loads on Node versions without type stripping.
      raw = (await importUserModule(file)).default;
    }
  } catch (error) {
    throw new AckcheckError(
      'INVALID_OPTION',
      `cannot load ${file}: ${describeError(error)}. A .ts/.js config must \`export default defineConfig({...})\`; a .json config holds the same object.`,
      { cause: error },
    );
  }
  const config = parseConfig(raw, file);
  const base = dirname(file);
  const abs = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  return {
    file,
    config: {
      ...config,
      ...(config.processors
        ? {
            processors: config.processors.map((p) =>
              typeof p === 'string'
                ? { path: abs(p) }
                : { ...p, path: abs(p.path), ...(p.runtime ? { runtime: abs(p.runtime) } : {}) },
            ),
          }
        : {}),
      ...(config.reportDir ? { reportDir: abs(config.reportDir) } : {}),
    },
  };
}
