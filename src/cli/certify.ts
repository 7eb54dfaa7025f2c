/**
 * `ackcheck certify` and `ackcheck replay`: the CLI around certify() and replay(). Brokers
 * are started once and reused by every processor × broker × semantics cell.
 */
import { type Command, Option } from 'commander';
import { acquireBrokers, type BrokerFleet } from '../brokers/container/fleet.ts';
import { BROKER_IDS, clientsOf } from '../brokers/registry.ts';
import { BROKER_KINDS } from '../model/broker.ts';
import { loadConfig } from '../config/index.ts';
import { type CertifyResult, certify, DEFAULT_CONCURRENCY } from '../harness/certify.ts';
import { replay } from '../harness/replay.ts';
import { harnessProcessor } from '../harness/run-scenario.ts';
import { formatResult, type ReportPaths, writeReports } from '../report/index.ts';
import { onInterrupt } from './interrupt.ts';
import {
  applyImages,
  type CertifyFlags,
  type CertifyPlan,
  clientApplies,
  newestBrokers,
  resolvePlan,
} from './options.ts';
import { count, green, printJson, red, table, useColor } from './output.ts';
import {
  barReporter,
  barWanted,
  cellLabel,
  lineReporter,
  type ProgressReporter,
  silentReporter,
  statusWord,
} from './progress.ts';
import { runsDone } from '../report/common.ts';

export const EXIT = { pass: 0, violated: 1, error: 2 } as const;

/** A compact, stable JSON account of one result (the full one is in the JSON report). */
export function resultSummary(r: CertifyResult) {
  const ce = r.counterexample;
  return {
    ok: r.ok,
    status: r.status,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.processorError ? { processorError: r.processorError } : {}),
    requestedRuns: r.requestedRuns,
    processor: r.processor,
    broker: r.broker,
    semantics: r.semantics,
    runtime: r.runtime,
    runs: r.runs,
    seed: r.seed,
    ...(r.path ? { path: r.path } : {}),
    durationMs: r.durationMs,
    interrupted: r.interrupted,
    shrinkSteps: r.shrinkSteps,
    errors: r.errors,
    ...(ce
      ? {
          counterexample: {
            file: ce.file,
            replay: `ackcheck replay ${ce.file}`,
            messages: ce.scenario.messages.length,
            faults: ce.scenario.faults.map((f) => f.kind),
            findings: ce.verdict.findings.map((f) => ({
              code: f.code,
              invariant: f.invariant,
              violation: f.violation,
              messageIds: f.messageIds,
              detail: f.detail,
            })),
          },
        }
      : {}),
  };
}

/** The summary table; the runtime column names the client (`kafka-at-least-once/confluent`) or the module's file. */
export function summaryTable(results: readonly CertifyResult[]): string {
  return table(
    ['processor', 'broker', 'semantics', 'runtime', 'verdict', 'runs', 'shrink steps', 'time'],
    results.map((r) => [
      r.processor.split(/[\\/]/).at(-1) ?? r.processor,
      r.broker,
      r.semantics,
      /\.[cm]?[jt]s$/.test(r.runtime) ? (r.runtime.split(/[\\/]/).at(-1) ?? r.runtime) : r.runtime,
      r.ok ? green(statusWord(r)) : red(statusWord(r)),
      runsDone(r) +
        (r.interrupted ? ' (time limit)' : '') +
        (r.errors.length ? ` (+${r.errors.length} skipped: infrastructure errors)` : ''),
      String(r.shrinkSteps),
      `${(r.durationMs / 1000).toFixed(1)} s`,
    ]),
  );
}

function printPaths(paths: ReportPaths): void {
  for (const [format, path] of Object.entries(paths))
    if (path) console.log(`${format.padEnd(5)} report: ${path}`);
}

function reporterFor(json: boolean | undefined): ProgressReporter {
  if (json) return silentReporter();
  return barWanted() ? barReporter() : lineReporter();
}

export interface PlanOutcome {
  /** In plan order. */
  readonly results: CertifyResult[];
  /** Notices shown during the runs (e.g. faults skipped on an external broker). */
  readonly notices: string[];
}

/** Runs every cell of a plan on one fleet of brokers. */
export async function runPlan(plan: CertifyPlan, reporter: ProgressReporter): Promise<PlanOutcome> {
  // A missing or broken processor module fails here, before any broker starts.
  for (const processor of new Set(plan.cells.map((c) => c.processor))) await harnessProcessor(processor);
  const notices = [...plan.notices];
  for (const notice of plan.notices) reporter.notice(notice);
  let fleet: BrokerFleet | undefined;
  const release = onInterrupt(async () => {
    reporter.close();
    await fleet?.stop();
  });
  try {
    fleet = await acquireBrokers(plan.brokers);
    const results: CertifyResult[] = [];
    for (const [i, cell] of plan.cells.entries()) {
      reporter.start(cell, i + 1, plan.cells.length, plan.runs);
      // certify() can resolve at its time limit while a run is still winding down; that run's
      // late events must not land on the next cell's progress.
      let current = true;
      const result = await certify({
        processor: cell.processor,
        ...(cell.runtime ? { runtime: cell.runtime } : {}),
        broker: fleet.get(cell.broker).info,
        semantics: cell.semantics,
        runs: plan.runs,
        timeLimit: plan.timeLimit,
        shrinkTimeLimit: plan.shrinkTimeLimit,
        ...(plan.processTimeout ? { processTimeoutMs: plan.processTimeout } : {}),
        ...(plan.concurrency ? { concurrency: plan.concurrency } : {}),
        ...(plan.seed !== undefined ? { seed: plan.seed } : {}),
        ...(plan.faults ? { faults: plan.faults } : {}),
        maxMessages: plan.maxMessages,
        ...(plan.checkOrder !== undefined ? { checkOrder: plan.checkOrder } : {}),
        ...(clientApplies(plan.client, cell.broker) ? { client: plan.client } : {}),
        ...(plan.failOnStuckConsumer ? { failOnStuckConsumer: true } : {}),
        reportDir: plan.reportDir,
        onProgress: (e) => {
          if (!current) return;
          if (e.type === 'notice') notices.push(e.message);
          reporter.event(e);
        },
      });
      current = false;
      reporter.end(result);
      results.push(result);
    }
    return { results, notices };
  } finally {
    reporter.close();
    release();
    await fleet?.stop();
  }
}

/** Prints the outcome of a plan (summary, failures, report paths) and returns the exit code. */
export function printOutcome(
  { results, notices }: PlanOutcome,
  paths: ReportPaths,
  json: boolean | undefined,
): number {
  const ok = results.every((r) => r.ok);
  const code = exitCode(results);
  if (json) {
    printJson({ ok, results: results.map(resultSummary), notices, reports: paths });
  } else {
    console.log(`\n${summaryTable(results)}\n`);
    for (const r of results.filter((x) => !x.ok)) console.log(`${formatResult(r, { color: useColor })}\n`);
    printPaths(paths);
    console.log(ok ? green(`\nall ${results.length} certified`) : red(`\n${outcomeLine(results)}`));
  }
  return code;
}

/** 1 when an invariant was violated, else 2 when a cell is incomplete or stopped on an error, else 0. */
export function exitCode(results: readonly CertifyResult[]): number {
  if (results.some((r) => r.status === 'fail')) return EXIT.violated;
  return results.every((r) => r.status === 'pass') ? EXIT.pass : EXIT.error;
}

/** "1 of 3 violated an invariant, 1 incomplete (nothing certified), 1 error": what was not certified. */
export function outcomeLine(results: readonly CertifyResult[]): string {
  const n = (s: CertifyResult['status']) => results.filter((r) => r.status === s).length;
  const parts = [
    n('fail') ? `${n('fail')} violated an invariant` : '',
    n('incomplete') ? `${n('incomplete')} incomplete (not certified: too few runs completed)` : '',
    n('error') ? `${n('error')} stopped on an error` : '',
  ].filter(Boolean);
  return `${results.length - n('pass')} of ${results.length} not certified: ${parts.join(', ')}`;
}

export async function runCertify(processorArg: string | undefined, flags: CertifyFlags): Promise<number> {
  const cwd = process.cwd();
  const { config } = await loadConfig(cwd, flags.config);
  applyImages(config.images);
  const plan = resolvePlan(processorArg, flags, config, cwd);
  const outcome = await runPlan(plan, reporterFor(flags.json));
  const paths = writeReports(outcome.results, plan.reportDir, plan.formats);
  return printOutcome(outcome, paths, flags.json);
}

export async function runReplay(
  file: string,
  flags: { json?: boolean; reportDir?: string },
): Promise<number> {
  {
    const outcome = await replay(file, flags.reportDir ? { reportDir: flags.reportDir } : {});
    const { verdict } = outcome;
    const code = verdict.valid === true ? EXIT.pass : verdict.valid === false ? EXIT.violated : EXIT.error;
    if (flags.json) {
      printJson({
        ok: verdict.valid === true,
        valid: verdict.valid,
        file,
        drained: outcome.drained,
        durationMs: outcome.durationMs,
        findings: verdict.findings.map((f) => ({
          code: f.code,
          invariant: f.invariant,
          violation: f.violation,
          messageIds: f.messageIds,
          detail: f.detail,
        })),
        stats: verdict.stats,
        errors: verdict.errors,
      });
    } else {
      const s = outcome.scenario;
      console.log(
        `replayed ${file}: ${count(s.messages.length, 'message')}, ${count(s.faults.length, 'fault')} (${s.faults.map((f) => f.kind).join(', ') || 'none'}) on ${s.broker}, ${(outcome.durationMs / 1000).toFixed(1)} s`,
      );
      for (const f of verdict.findings)
        console.log(
          `  ${f.violation ? red(f.code) : f.code} (${f.invariant}): ${f.detail.replaceAll('\n', '\n    ')} [${f.messageIds.join(', ')}]`,
        );
      for (const e of verdict.errors) console.log(`  checker error: ${e}`);
      console.log(
        verdict.valid === true
          ? green('verdict: pass')
          : verdict.valid === false
            ? red('verdict: FAIL (invariant violated)')
            : red('verdict: unknown (a checker failed)'),
      );
    }
    return code;
  }
}

export { cellLabel };

const CERTIFY_HELP = [
  '',
  'Exit codes: 0 all certified, 1 an invariant was violated, 2 usage or infrastructure error.',
  'External brokers: ACKCHECK_KAFKA_BOOTSTRAP=host:port, ACKCHECK_AMQP_URL=amqp://... (no container is started).',
  '',
  'Examples:',
  '  $ ackcheck certify ./src/orders-processor.ts',
  '  $ ackcheck certify ./src/orders-processor.ts --broker kafka --semantics both --runs 50 --time-limit 15m',
  '  $ ackcheck certify ./dist/processor.js --broker rabbitmq-4.0 --faults consumer-kill,broker-restart --seed 42',
  '  $ ackcheck certify --config ci/ackcheck.config.ts --json > result.json',
].join('\n');

/** Adds `ackcheck certify` to the program. */
export function registerCertifyCommand(program: Command): void {
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
    .option(
      '--process-timeout <duration>',
      'deadline of one process() call: a hang is a stuck-processing finding [default: 10s]',
    )
    .option(
      '-j, --concurrency <n>',
      `runs at once on the shared broker; broker faults run alone [default: ${DEFAULT_CONCURRENCY}, from the cores]`,
    )
    .option('--seed <n>', 'fast-check seed (printed with every failure)')
    .option(
      '-f, --faults <kinds>',
      'comma list of fault kinds to draw from [default: all the broker supports]',
    )
    .option('-m, --max-messages <n>', 'messages per scenario, at most [default: 20]')
    .option('--runtime <module>', "module exporting createRuntime({ broker }) (default: ackcheck's runtime)")
    .option(
      '--client <name>',
      `client library of ackcheck's runtime: ${BROKER_KINDS.map(
        (k) =>
          `${k}: ${clientsOf(k)
            .map((c) => c.name)
            .join('|')}`,
      ).join('; ')} [default: the first]`,
    )
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
    .addHelpText('after', CERTIFY_HELP)
    .action(async (processor: string | undefined, opts: CertifyFlags) => {
      process.exitCode = await runCertify(processor, opts);
    });
}

/** Adds `ackcheck replay` to the program. */
export function registerReplayCommand(program: Command): void {
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
}
