/**
 * Conformance suites: a suite is a named matrix of cells (broker × queue type / prefetch or
 * partitions × runtime × semantics × fault set × processor), each with the verdict it must
 * reach. runSuite() starts the brokers the cells need once, runs certify() per cell and says,
 * per cell, what was observed and whether that meets the expectation. The suites themselves
 * live in `suites/` (DESIGN.md "Where things live").
 */
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { BrokerInfo } from '../brokers/container/started-broker.ts';
import {
  BROKER_IDS,
  type BrokerId,
  type BrokerName,
  parseBrokerSelection,
  resolveBrokerId,
} from '../brokers/registry.ts';
import { acquireBrokers, type BrokerFleet } from '../brokers/container/fleet.ts';
import { AckcheckError, describeError } from '../errors.ts';
import type { FaultKind } from '../model/fault.ts';
import type { Semantics } from '../model/scenario.ts';
import type { FindingCode } from '../model/verdict.ts';
import { type CertifyResult, certify } from './certify.ts';

/**
 * What a cell must show:
 * - `keeps`: the claimed semantics holds over every run (no violation found);
 * - `loses` / `duplicates` / `stalls`: some run loses a message (`lost`), processes one twice
 *   (`duplicated`) or never drains (`liveness`) — an expected violation, observed.
 */
export type Expectation = 'keeps' | 'loses' | 'duplicates' | 'stalls';

export const EXPECTATIONS: readonly Expectation[] = ['keeps', 'loses', 'duplicates', 'stalls'];

/** The finding that shows each expected violation. */
const EXPECTED_FINDING: Record<Exclude<Expectation, 'keeps'>, FindingCode> = {
  loses: 'lost',
  duplicates: 'duplicated',
  stalls: 'liveness',
};

export type ProfileName = 'short' | 'full';

/** How much work one cell does under a profile. */
export interface CellBudget {
  /** Property runs. */
  readonly runs: number;
  /** Messages per scenario, at most. */
  readonly maxMessages: number;
  /** Messages per scenario, at least. */
  readonly minMessages: number;
  /** Faults per scenario, at most. */
  readonly maxFaults: number;
  /** Consumers, at most. */
  readonly maxConsumers: number;
  /** Shrinking budget (ms) once a violation is found; the short profile barely shrinks. */
  readonly shrinkTimeLimit: number;
  /** Per-run drain deadline (ms). */
  readonly drainTimeoutMs: number;
  /** Time budget of the whole cell (ms). */
  readonly timeLimit: number;
}

/** Default budgets: short = CI (few small runs per cell), full = many runs of larger scenarios. */
export const PROFILES: Readonly<Record<ProfileName, CellBudget>> = {
  short: {
    runs: 1,
    maxMessages: 5,
    minMessages: 1,
    maxFaults: 1,
    maxConsumers: 2,
    shrinkTimeLimit: 0,
    drainTimeoutMs: 60_000,
    timeLimit: 180_000,
  },
  full: {
    runs: 25,
    maxMessages: 20,
    minMessages: 1,
    maxFaults: 2,
    maxConsumers: 3,
    shrinkTimeLimit: 60_000,
    drainTimeoutMs: 60_000,
    timeLimit: 1_800_000,
  },
};

export interface SuiteCell {
  /** Unique within the suite, e.g. `rabbitmq-4.0/quorum/at-least-once`. */
  readonly id: string;
  /** The configuration in words, for tables (e.g. "autoCommit, interval 500 ms, sync handler"). */
  readonly configuration: string;
  /** A broker id, or a kind (`'kafka'`, `'rabbitmq'`) for its newest version. */
  readonly broker: BrokerName;
  /** The semantics the runtime claims (what certify() checks). */
  readonly semantics: Semantics;
  /** Runtime module path; default: ackcheck's runtime for the broker and semantics. */
  readonly runtime?: string;
  /** The client library of ackcheck's runtime (certify()'s `client`), when `runtime` is not set. */
  readonly client?: string;
  /** Processor module path. */
  readonly processor: string;
  /** Fault kinds drawn; an empty list runs fault-free. */
  readonly faults: readonly FaultKind[];
  /** Every scenario has at least this many faults (for a cell that expects a fault's effect). Default 0. */
  readonly minFaults?: number;
  readonly kafka?: { readonly partitions?: number };
  readonly rabbitmq?: { readonly queueType?: 'classic' | 'quorum'; readonly prefetch?: number };
  readonly expect: Expectation;
  /** Check per-key order (an `order` finding is a violation). Default: certify()'s, per broker and semantics. */
  readonly checkOrder?: boolean;
  /** Per-profile changes to the budget (e.g. fewer messages for a slow cell). */
  readonly budget?: Partial<Record<ProfileName, Partial<CellBudget>>>;
  /** Fixed seed; default derived from the suite and cell names, so runs are reproducible. */
  readonly seed?: number;
  /** A measurement to note in the result (e.g. how often a dropped message was delivered). */
  readonly measure?: (result: CertifyResult) => string | undefined;
}

export interface Suite {
  readonly name: string;
  readonly description: string;
  readonly cells: readonly SuiteCell[];
}

/** What the runs of one cell showed. */
export interface Observation {
  /** Runs completed (not counting shrink steps). */
  readonly runs: number;
  /** Every finding code seen in any run, violation or not, sorted. */
  readonly observed: readonly FindingCode[];
  /** Codes of findings that broke the claimed semantics. */
  readonly violations: readonly FindingCode[];
  /** Infrastructure errors (runs skipped). */
  readonly errors: readonly string[];
}

export interface CellResult extends Observation {
  readonly suite: string;
  readonly cell: string;
  readonly configuration: string;
  readonly broker: BrokerId;
  readonly semantics: Semantics;
  readonly expected: Expectation;
  /** The cell meets its expectation. */
  readonly ok: boolean;
  /** Why it does or does not, in words. */
  readonly reason: string;
  /** What the runs show the configuration delivers. */
  readonly delivered: string;
  readonly seed: number;
  readonly durationMs: number;
  /** Replay file of the (shrunk) violating scenario, if any. */
  readonly counterexample?: string;
  /** The cell's measurement, if it has one. */
  readonly measurement?: string;
}

export interface SuiteResult {
  readonly suite: string;
  readonly profile: ProfileName;
  readonly ok: boolean;
  readonly cells: readonly CellResult[];
  /** Cells left out because their broker was not selected. */
  readonly skipped: readonly string[];
  readonly durationMs: number;
}

export type SuiteProgress =
  | { readonly type: 'cell-start'; readonly cell: string; readonly index: number; readonly total: number }
  | {
      readonly type: 'run';
      readonly cell: string;
      readonly run: number;
      readonly findings: readonly FindingCode[];
    }
  | { readonly type: 'cell-end'; readonly result: CellResult };

export interface RunCellOptions {
  readonly profile?: ProfileName;
  /** The running broker for the cell (its id must match the cell's broker). */
  readonly broker: BrokerInfo;
  /** Overrides the cell's seed. */
  readonly seed?: number;
  /** Where counterexamples and run histories go. Default `.ackcheck/suites`. */
  readonly reportDir?: string;
  readonly onProgress?: (event: SuiteProgress) => void;
}

export interface RunSuiteOptions {
  readonly profile?: ProfileName;
  /**
   * Only cells on these brokers run; the rest are reported as skipped. Ids, or kinds meaning
   * every version of the kind (as `ackcheck suite --broker kafka`). Default: all.
   */
  readonly brokers?: readonly BrokerName[];
  /** Brokers already running (e.g. from the vitest global setup); others needed are started. */
  readonly running?: readonly BrokerInfo[];
  /** Only these cells (ids) run. Default: all. */
  readonly cells?: readonly string[];
  readonly seed?: number;
  readonly reportDir?: string;
  readonly onProgress?: (event: SuiteProgress) => void;
}

/** The path of a module next to `base` (an `import.meta.url`): `.ts` in the sources, `.js` once built. */
export function moduleBeside(base: string, relative: string): string {
  const ts = fileURLToPath(new URL(`${relative}.ts`, base));
  if (existsSync(ts)) return ts;
  return fileURLToPath(new URL(`${relative}.js`, base));
}

/** A seed from a name (FNV-1a), so that a cell draws the same scenarios on every machine. */
export function seedOf(name: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < name.length; i += 1) {
    hash ^= name.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash | 0;
}

export function cellBudget(cell: SuiteCell, profile: ProfileName): CellBudget {
  return { ...PROFILES[profile], ...cell.budget?.[profile] };
}

/** Runs, with the runs skipped for infrastructure errors if any: "24 (+1 error)". */
export function runsLabel(result: Pick<Observation, 'runs' | 'errors'>): string {
  const n = result.errors.length;
  return n === 0 ? String(result.runs) : `${result.runs} (+${n} error${n === 1 ? '' : 's'})`;
}

/** Label of an expectation for a claimed semantics: "keeps at-least-once", "loses", … */
export function expectationLabel(expectation: Expectation, semantics: Semantics): string {
  return expectation === 'keeps' ? `keeps ${semantics}` : expectation;
}

/**
 * What the observations show a configuration delivers: loss and duplicates seen or not.
 * (A few runs can show a violation, never prove its absence: "no loss seen in n runs".)
 */
export function deliveredSemantics(observation: Observation): string {
  const lost = observation.observed.includes('lost');
  const duplicated = observation.observed.includes('duplicated');
  const stalled = observation.observed.includes('liveness');
  const parts: string[] = [];
  if (stalled) parts.push('stalls: never drained');
  else if (lost && duplicated) parts.push('neither: loses and duplicates');
  else if (lost) parts.push('at-most-once (loses)');
  else if (duplicated) parts.push('at-least-once (duplicates)');
  else if (observation.runs > 0) parts.push('no loss, no duplicate seen');
  else parts.push('nothing observed');
  const other = observation.observed.filter((c) => !['lost', 'duplicated', 'liveness'].includes(c));
  if (other.length > 0) parts.push(other.join(', '));
  return parts.join('; ');
}

/** Does an observation meet the expectation? Pure: the runner's whole decision. */
export function meetsExpectation(
  expectation: Expectation,
  observation: Observation,
): { ok: boolean; reason: string } {
  if (expectation === 'keeps') {
    if (observation.violations.length > 0)
      return { ok: false, reason: `violated: ${observation.violations.join(', ')}` };
    if (observation.runs === 0) return { ok: false, reason: 'no run completed' };
    return { ok: true, reason: `held over ${observation.runs} run${observation.runs === 1 ? '' : 's'}` };
  }
  const code = EXPECTED_FINDING[expectation];
  if (observation.observed.includes(code)) return { ok: true, reason: `observed ${code}` };
  return {
    ok: false,
    reason: `expected ${code}, not observed in ${observation.runs} run${observation.runs === 1 ? '' : 's'}`,
  };
}

/** Collects an observation from certify()'s run events and results (one, or a top-up too). */
export function observe(
  runFindings: readonly (readonly FindingCode[])[],
  result: CertifyResult | readonly CertifyResult[],
): Observation {
  const results: readonly CertifyResult[] = Array.isArray(result) ? result : [result as CertifyResult];
  const observed = new Set<FindingCode>(runFindings.flat());
  const violations = new Set<FindingCode>();
  for (const f of results.flatMap((r) => r.counterexample?.verdict.findings ?? [])) {
    observed.add(f.code);
    if (f.violation) violations.add(f.code);
  }
  return {
    runs: results.reduce((n, r) => n + r.runs, 0),
    observed: [...observed].sort(),
    violations: [...violations].sort(),
    errors: results.flatMap((r) => r.errors),
  };
}

function validateSuite(suite: Suite): void {
  const fail = (what: string) => {
    throw new AckcheckError('INVALID_OPTION', `suite ${suite?.name ?? '(unnamed)'}: ${what}`);
  };
  if (!suite || typeof suite.name !== 'string' || !Array.isArray(suite.cells))
    fail('a suite needs a name and a list of cells');
  const ids = new Set<string>();
  for (const cell of suite.cells) {
    if (ids.has(cell.id)) fail(`cell id "${cell.id}" is used twice`);
    ids.add(cell.id);
    try {
      resolveBrokerId(cell.broker);
    } catch {
      fail(
        `cell ${cell.id}: unknown broker "${cell.broker}"; expected one of ${BROKER_IDS.join(', ')} (or kafka, rabbitmq)`,
      );
    }
    if (!EXPECTATIONS.includes(cell.expect))
      fail(`cell ${cell.id}: expect must be one of ${EXPECTATIONS.join(', ')}, got "${cell.expect}"`);
  }
}

/** Runs one cell on a running broker. Throws only on infrastructure errors (like certify()). */
export async function runCell(suite: Suite, cell: SuiteCell, options: RunCellOptions): Promise<CellResult> {
  const profile = options.profile ?? 'short';
  const cellBroker = resolveBrokerId(cell.broker);
  if (options.broker.id !== cellBroker)
    throw new AckcheckError(
      'INVALID_OPTION',
      `cell ${cell.id} needs ${cellBroker}, was given ${options.broker.id}`,
    );
  const budget = cellBudget(cell, profile);
  const seed = options.seed ?? cell.seed ?? seedOf(`${suite.name}/${cell.id}`);
  const reportDir = options.reportDir ?? '.ackcheck/suites';
  mkdirSync(reportDir, { recursive: true });
  const runFindings: FindingCode[][] = [];
  const attempt = (attemptSeed: number, runs: number) =>
    certify({
      processor: cell.processor,
      broker: options.broker,
      semantics: cell.semantics,
      ...(cell.runtime ? { runtime: cell.runtime } : {}),
      ...(cell.client ? { client: cell.client } : {}),
      faults: cell.faults,
      ...(cell.minFaults ? { minFaults: Math.min(cell.minFaults, budget.maxFaults) } : {}),
      ...(cell.kafka ? { kafka: cell.kafka } : {}),
      ...(cell.rabbitmq ? { rabbitmq: cell.rabbitmq } : {}),
      ...(cell.checkOrder !== undefined ? { checkOrder: cell.checkOrder } : {}),
      runs,
      maxMessages: budget.maxMessages,
      minMessages: budget.minMessages,
      maxFaults: budget.maxFaults,
      maxConsumers: budget.maxConsumers,
      shrinkTimeLimit: budget.shrinkTimeLimit,
      drainTimeoutMs: budget.drainTimeoutMs,
      timeLimit: budget.timeLimit,
      seed: attemptSeed,
      reportDir,
      onProgress: (event) => {
        if (event.type !== 'run') return;
        runFindings.push([...event.findings]);
        options.onProgress?.({
          type: 'run',
          cell: cell.id,
          run: runFindings.length,
          findings: event.findings,
        });
      },
    });
  const results = [await attempt(seed, budget.runs)];
  const first = results[0] as CertifyResult;
  // Runs lost to infrastructure errors are skipped, not counted: top up once, with the next seed,
  // so that a cell is judged on its runs (the errors are still reported).
  if (first.runs < budget.runs && first.errors.length > 0 && !first.counterexample && !first.interrupted)
    results.push(await attempt(seed + 1, budget.runs - first.runs));
  const result = results.find((r) => r.counterexample) ?? first;
  const observation = observe(runFindings, results);
  const { ok, reason } = meetsExpectation(cell.expect, observation);
  let measurement: string | undefined;
  try {
    measurement = cell.measure?.(result);
  } catch (error) {
    measurement = `measurement failed: ${describeError(error)}`;
  }
  return {
    suite: suite.name,
    cell: cell.id,
    configuration: cell.configuration,
    broker: cellBroker,
    semantics: cell.semantics,
    expected: cell.expect,
    ...observation,
    ok,
    reason,
    delivered: deliveredSemantics(observation),
    seed,
    durationMs: results.reduce((n, r) => n + r.durationMs, 0),
    ...(result.counterexample ? { counterexample: result.counterexample.file } : {}),
    ...(measurement ? { measurement } : {}),
  };
}

/**
 * Runs a suite: starts (or reuses) the brokers its selected cells need once, runs each cell,
 * and stops what it started. Resolves to per-cell results; throws on infrastructure errors.
 */
export async function runSuite(suite: Suite, options: RunSuiteOptions = {}): Promise<SuiteResult> {
  validateSuite(suite);
  const began = Date.now();
  const profile = options.profile ?? 'short';
  if (profile !== 'short' && profile !== 'full')
    throw new AckcheckError('INVALID_OPTION', `profile must be "short" or "full", got "${String(profile)}"`);
  let wanted: BrokerId[] | undefined;
  try {
    wanted = options.brokers ? parseBrokerSelection(options.brokers.join(',')) : undefined;
  } catch (error) {
    throw new AckcheckError('INVALID_OPTION', `runSuite: brokers: ${describeError(error)}`);
  }
  const unknownCells = (options.cells ?? []).filter((id) => !suite.cells.some((c) => c.id === id));
  if (unknownCells.length > 0)
    throw new AckcheckError(
      'INVALID_OPTION',
      `suite ${suite.name} has no cell ${unknownCells.join(', ')}; its cells: ${suite.cells.map((c) => c.id).join(', ')}`,
    );
  const selected = suite.cells.filter(
    (c) =>
      (!wanted || wanted.includes(resolveBrokerId(c.broker))) &&
      (!options.cells || options.cells.includes(c.id)),
  );
  const skipped = suite.cells.filter((c) => !selected.includes(c)).map((c) => c.id);
  const needed = [...new Set(selected.map((c) => resolveBrokerId(c.broker)))];
  const running = new Map((options.running ?? []).map((info) => [info.id, info] as const));
  const toStart = needed.filter((id) => !running.has(id));
  let fleet: BrokerFleet | undefined;
  try {
    if (toStart.length > 0) {
      fleet = await acquireBrokers(toStart);
      for (const info of fleet.infos) running.set(info.id, info);
    }
    const cells: CellResult[] = [];
    for (const [index, cell] of selected.entries()) {
      options.onProgress?.({ type: 'cell-start', cell: cell.id, index, total: selected.length });
      const broker = running.get(resolveBrokerId(cell.broker)) as BrokerInfo;
      const result = await runCell(suite, cell, {
        profile,
        broker,
        ...(options.seed !== undefined ? { seed: options.seed } : {}),
        ...(options.reportDir ? { reportDir: options.reportDir } : {}),
        ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      });
      cells.push(result);
      options.onProgress?.({ type: 'cell-end', result });
    }
    return {
      suite: suite.name,
      profile,
      ok: cells.every((c) => c.ok),
      cells,
      skipped,
      durationMs: Date.now() - began,
    };
  } finally {
    await fleet?.stop();
  }
}
