/**
 * Option parsing for `ackcheck certify`: flag values, the configuration file and the
 * environment merge into one plan (flags override the config). Pure: no Docker, no I/O
 * beyond what the caller passes in, so every rule is unit-tested.
 */
import { resolve } from 'node:path';
import { InvalidArgumentError } from 'commander';
import {
  BROKER_IDS,
  BROKER_VERSIONS,
  type BrokerId,
  brokerVersion,
  clientsOf,
  parseBrokerSelection,
} from '../brokers/registry.ts';

export { collapseExternal };
import { collapseExternal } from '../brokers/container/external.ts';
import type { AckcheckConfig } from '../config/index.ts';
import { AckcheckError, describeError } from '../errors.ts';
import { FAULT_KINDS, type FaultKind } from '../model/fault.ts';
import type { Semantics } from '../model/scenario.ts';
import { REPORT_FORMATS, type ReportFormat } from '../report/index.ts';

/** Raw `ackcheck certify` flags as commander hands them over (strings unless parsed). */
export interface CertifyFlags {
  broker?: string;
  semantics?: string;
  runs?: string;
  timeLimit?: string;
  shrinkTimeLimit?: string;
  processTimeout?: string;
  concurrency?: string;
  seed?: string;
  faults?: string;
  maxMessages?: string;
  runtime?: string;
  /** `--check-order` true, `--no-check-order` false, neither undefined. */
  checkOrder?: boolean;
  client?: string;
  failOnStuckConsumer?: boolean;
  reportDir?: string;
  format?: string;
  config?: string;
  json?: boolean;
}

/** One processor × broker × semantics to certify. */
export interface CertifyCell {
  readonly processor: string;
  readonly runtime?: string;
  readonly broker: BrokerId;
  readonly semantics: Semantics;
}

export interface CertifyPlan {
  readonly cells: readonly CertifyCell[];
  readonly brokers: readonly BrokerId[];
  readonly runs: number;
  readonly timeLimit: number;
  readonly shrinkTimeLimit: number;
  /** Deadline of one process() call, in ms (certify()'s processTimeoutMs). */
  readonly processTimeout?: number;
  /** Runs at once (certify()'s concurrency); undefined: DEFAULT_CONCURRENCY. */
  readonly concurrency?: number;
  readonly seed?: number;
  /** Undefined: the per-broker default (DEFAULT_FAULT_KINDS). */
  readonly faults?: readonly FaultKind[];
  readonly maxMessages: number;
  /** Undefined: the per-broker default (run-settings.ts). */
  readonly checkOrder?: boolean;
  /** Client library of ackcheck's runtime, for the cells whose broker has it. */
  readonly client?: string;
  /** Default false. */
  readonly failOnStuckConsumer?: boolean;
  readonly reportDir: string;
  readonly formats: readonly ReportFormat[];
  /** Things to tell the user before the runs start (e.g. external brokers collapsed). */
  readonly notices: readonly string[];
}

export const DEFAULTS = {
  runs: 20,
  timeLimit: 600_000,
  shrinkTimeLimit: 120_000,
  processTimeout: 10_000,
  maxMessages: 20,
  reportDir: '.ackcheck/report',
  semantics: ['at-least-once'] as Semantics[],
} as const;

const SEMANTICS_CHOICES = ['at-least-once', 'at-most-once', 'both'] as const;

function invalid(option: string, message: string): never {
  throw new AckcheckError('INVALID_OPTION', `${option}: ${message}`);
}

/** The newest version of each broker kind: the default selection. */
export function newestBrokers(): BrokerId[] {
  const newest = new Map<string, BrokerId>();
  for (const v of BROKER_VERSIONS) newest.set(v.kind, v.id);
  return [...newest.values()];
}

export function parseBrokers(value: string, option = '--broker'): BrokerId[] {
  try {
    return parseBrokerSelection(value);
  } catch (error) {
    return invalid(
      option,
      `${describeError(error)}. Accepted: kafka, rabbitmq, all, or a comma list of ${BROKER_IDS.join(', ')}`,
    );
  }
}

export function parseSemantics(value: string, option = '--semantics'): Semantics[] {
  const v = value.trim();
  if (v === 'both') return ['at-least-once', 'at-most-once'];
  if (v === 'at-least-once' || v === 'at-most-once') return [v];
  return invalid(option, `expected one of ${SEMANTICS_CHOICES.join(', ')}, got "${value}"`);
}

export function parsePositiveInt(value: string, option: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isInteger(n) || n <= 0)
    invalid(option, `expected a positive integer, got "${value}"`);
  return n;
}

export function parseSeed(value: string, option = '--seed'): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n)) invalid(option, `expected an integer, got "${value}"`);
  return n;
}

const UNITS: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };

/** "1500ms", "90s", "5m", "1h"; a bare number is seconds. Returns milliseconds. */
export function parseDuration(value: string, option: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  const ms = match ? Math.round(Number(match[1]) * (UNITS[match[2] ?? 's'] ?? 1_000)) : NaN;
  if (!match || !(ms > 0))
    invalid(
      option,
      `expected a duration such as 90s, 5m or 1500ms (a bare number is seconds), got "${value}"`,
    );
  return ms;
}

function commaList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseFaults(value: string, option = '--faults'): FaultKind[] {
  const kinds = commaList(value);
  const known: readonly string[] = FAULT_KINDS;
  const unknown = kinds.filter((k) => !known.includes(k));
  if (kinds.length === 0 || unknown.length > 0)
    invalid(
      option,
      `${unknown.length ? `unknown fault kind(s) ${unknown.map((k) => `"${k}"`).join(', ')}` : 'empty list'}; ` +
        `expected a comma list of: ${FAULT_KINDS.join(', ')}`,
    );
  return [...new Set(kinds)] as FaultKind[];
}

export function parseFormats(value: string, option = '--format'): ReportFormat[] {
  const formats = commaList(value);
  const known: readonly string[] = REPORT_FORMATS;
  const unknown = formats.filter((f) => !known.includes(f));
  if (formats.length === 0 || unknown.length > 0)
    invalid(
      option,
      `${unknown.length ? `unknown format(s) ${unknown.map((f) => `"${f}"`).join(', ')}` : 'empty list'}; ` +
        `expected a comma list of: ${REPORT_FORMATS.join(', ')}`,
    );
  return [...new Set(formats)] as ReportFormat[];
}

type ProcessorEntry = { path: string; semantics: readonly Semantics[]; runtime?: string };

/** The processors a certify command names: the argument, else the config's list (flags override). */
function processorsToCertify(
  processorArg: string | undefined,
  flags: CertifyFlags,
  config: AckcheckConfig,
  cwd: string,
): ProcessorEntry[] {
  const semanticsFlag = flags.semantics === undefined ? undefined : parseSemantics(flags.semantics);
  const runtimeFlag = flags.runtime === undefined ? undefined : resolve(cwd, flags.runtime);
  if (processorArg !== undefined) {
    return [
      {
        path: resolve(cwd, processorArg),
        semantics: semanticsFlag ?? DEFAULTS.semantics,
        ...(runtimeFlag ? { runtime: runtimeFlag } : {}),
      },
    ];
  } else if (config.processors?.length) {
    return config.processors.map((p) => {
      const entry = typeof p === 'string' ? { path: p } : p;
      const runtime = runtimeFlag ?? entry.runtime;
      return {
        path: resolve(cwd, entry.path),
        semantics: semanticsFlag ?? entry.semantics ?? DEFAULTS.semantics,
        ...(runtime ? { runtime } : {}),
      };
    });
  } else {
    throw new AckcheckError(
      'INVALID_OPTION',
      'no processor to certify: name a processor module (ackcheck certify ./my-processor.ts) or list ' +
        'processors in ackcheck.config.ts (export default defineConfig({ processors: [...] })).',
    );
  }
}

/** Merges flags over the config (paths in the config are already absolute) into a plan. */
export function resolvePlan(
  processorArg: string | undefined,
  flags: CertifyFlags,
  config: AckcheckConfig,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env,
): CertifyPlan {
  const processors = processorsToCertify(processorArg, flags, config, cwd);
  const selected =
    flags.broker !== undefined
      ? parseBrokers(flags.broker)
      : config.brokers !== undefined
        ? parseBrokers(
            Array.isArray(config.brokers) ? config.brokers.join(',') : config.brokers,
            'config brokers',
          )
        : newestBrokers();
  const { ids: brokers, notices } = collapseExternal(selected, env);
  const cells: CertifyCell[] = [];
  for (const p of processors)
    for (const broker of brokers)
      for (const semantics of p.semantics)
        cells.push({ processor: p.path, broker, semantics, ...(p.runtime ? { runtime: p.runtime } : {}) });

  const num = (flag: string | undefined, option: string, fromConfig: number | undefined, fallback: number) =>
    flag !== undefined ? parsePositiveInt(flag, option) : (fromConfig ?? fallback);
  const dur = (flag: string | undefined, option: string, fromConfig: number | undefined, fallback: number) =>
    flag !== undefined ? parseDuration(flag, option) : (fromConfig ?? fallback);
  const seed = flags.seed !== undefined ? parseSeed(flags.seed) : config.seed;
  const concurrency =
    flags.concurrency !== undefined
      ? parsePositiveInt(flags.concurrency, '--concurrency')
      : config.concurrency;
  const faults = flags.faults !== undefined ? parseFaults(flags.faults) : config.faults;
  const checkOrder = flags.checkOrder ?? config.checkOrder;
  const client = flags.client ?? config.client;
  if (client !== undefined) checkClient(client, brokers);
  return {
    cells,
    brokers,
    runs: num(flags.runs, '--runs', config.runs, DEFAULTS.runs),
    timeLimit: dur(flags.timeLimit, '--time-limit', config.timeLimit, DEFAULTS.timeLimit),
    shrinkTimeLimit: dur(
      flags.shrinkTimeLimit,
      '--shrink-time-limit',
      config.shrinkTimeLimit,
      DEFAULTS.shrinkTimeLimit,
    ),
    processTimeout: dur(
      flags.processTimeout,
      '--process-timeout',
      config.processTimeout,
      DEFAULTS.processTimeout,
    ),
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(faults !== undefined ? { faults } : {}),
    maxMessages: num(flags.maxMessages, '--max-messages', config.maxMessages, DEFAULTS.maxMessages),
    ...(checkOrder !== undefined ? { checkOrder } : {}),
    ...(client !== undefined ? { client } : {}),
    failOnStuckConsumer: flags.failOnStuckConsumer ?? config.failOnStuckConsumer ?? false,
    reportDir: resolve(cwd, flags.reportDir ?? config.reportDir ?? DEFAULTS.reportDir),
    formats: flags.format !== undefined ? parseFormats(flags.format) : (config.formats ?? REPORT_FORMATS),
    notices,
  };
}

/** Sets ACKCHECK_IMAGE_* from the config's `images` where the environment does not already name one. */
export function applyImages(images: AckcheckConfig['images'], env: NodeJS.ProcessEnv = process.env): void {
  for (const [id, image] of Object.entries(images ?? {})) {
    const variable = brokerVersion(id).imageEnv;
    if (image && !env[variable]) env[variable] = image;
  }
}

/** commander parser for a broker selection (`kafka`, `all`, ids). */
export function brokerSelection(value: string): BrokerId[] {
  try {
    return parseBrokerSelection(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

/** commander parser for a positive integer. */
export function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0)
    throw new InvalidArgumentError(`expected a positive integer, got "${value}"`);
  return n;
}

/** Does `client` name a client of a selected broker? (It applies to the cells of those brokers.) */
function checkClient(client: string, brokers: readonly BrokerId[]): void {
  const kinds = [...new Set(brokers.map((b) => brokerVersion(b).kind))];
  if (kinds.some((k) => clientsOf(k).some((c) => c.name === client))) return;
  const known = kinds.flatMap((k) => clientsOf(k).map((c) => `${c.name} (${k})`));
  throw new AckcheckError(
    'INVALID_OPTION',
    `--client ${client}: no selected broker has that client; expected one of: ${known.join(', ')}`,
  );
}

/** Whether the cell's broker has `client` (a Kafka client does not apply to RabbitMQ cells). */
export function clientApplies(client: string | undefined, broker: BrokerId): client is string {
  return client !== undefined && clientsOf(brokerVersion(broker).kind).some((c) => c.name === client);
}
