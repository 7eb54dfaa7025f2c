/**
 * The console report of one certify() result: a PASS/FAIL/ERROR line, then for a failure
 * each finding with the events that explain it, the shrunk scenario, the final-state diff and
 * the replay command; then infrastructure errors. Colour (ANSI) only when asked.
 */
import { cellKey, describeCoverage, type FaultCoverage } from '../model/coverage.ts';
import type { CertifyResult } from '../model/results.ts';
import type { HistoryEvent } from '../model/history.ts';
import type { Scenario } from '../model/scenario.ts';
import {
  describeFault,
  describeSettings,
  eventRow,
  formatDuration,
  processorName,
  replayCommand,
  resultStatus,
  runsDone,
  stateDiff,
} from './common.ts';

export interface FormatOptions {
  /** ANSI colours. Default false. */
  readonly color?: boolean;
}

type Paint = (text: string) => string;

function painter(color: boolean, code: number): Paint {
  return color ? (text) => `\u001b[${code}m${text}\u001b[0m` : (text) => text;
}

/** A human-readable account of one certify() result: verdict, findings, counterexample, replay command. */
export function formatResult(result: CertifyResult, options: FormatOptions = {}): string {
  const color = options.color === true;
  const red = painter(color, 31);
  const green = painter(color, 32);
  const yellow = painter(color, 33);
  const bold = painter(color, 1);
  const dim = painter(color, 2);

  const status = resultStatus(result);
  const word = status.toUpperCase();
  const label = status === 'pass' ? green(word) : status === 'fail' ? red(word) : yellow(word);
  const facts = [
    `runtime ${result.runtime}`,
    `${runsDone(result)} run${result.requestedRuns === 1 ? '' : 's'}${result.interrupted ? ' (time limit reached)' : ''}`,
    `seed ${result.seed}`,
    formatDuration(result.durationMs),
  ];
  const lines = [
    `${label} ${bold(processorName(result))} on ${result.broker} (${result.semantics}), ${facts.join(', ')}`,
  ];
  if (result.reason && status !== 'fail')
    lines.push(`  ${status === 'pass' ? result.reason : yellow(result.reason)}`);
  if (result.coverage) lines.push(...coverageLines(result.coverage));

  const ce = result.counterexample;
  if (ce) {
    const findings = ce.verdict.findings;
    if (findings.length === 0) lines.push(`  ${red('verdict invalid')} with no findings`);
    for (const f of findings) {
      const kind = f.violation ? red('violation') : yellow('reported only');
      lines.push('', `  ${bold(f.code)} (${f.invariant}, ${kind}): ${f.detail.replaceAll('\n', '\n    ')}`);
      if (f.messageIds.length > 0) lines.push(`    messages: ${f.messageIds.join(', ')}`);
      if (f.events.length > 0) lines.push(indent(eventTable(f.events), '    '));
    }
    for (const e of ce.verdict.errors) lines.push(`  ${yellow('checker error')}: ${e}`);

    lines.push('', `  ${bold('counterexample')} (${result.shrinkSteps} shrink steps):`);
    lines.push(indent(formatScenario(ce.scenario), '    '));
    const faultEvents = ce.outcome.history.filter((e) => e.type === 'fault-start' || e.type === 'fault-heal');
    if (faultEvents.length > 0) {
      lines.push('    faults as they happened:');
      lines.push(indent(eventTable(faultEvents), '      '));
    }

    const diff = stateDiff(result);
    if (diff.length > 0) {
      lines.push('', `  ${bold('final state')} differs from the exactly-once reference:`);
      for (const d of diff) lines.push(`    ${d}`);
    }
    if (!ce.outcome.drained) lines.push(`  ${yellow('the run did not drain')} before its deadline`);
    lines.push(
      '',
      `  replay: ${replayCommand(ce.file)}${result.path ? dim(`  (fast-check path ${result.path})`) : ''}`,
    );
  }
  if (result.reported?.length) {
    lines.push('', `  ${bold('reported')} (seen in the runs, not violations):`);
    for (const { run, finding: f } of result.reported) {
      lines.push(`  ${bold(f.code)} (${f.invariant}, run ${run}): ${f.detail.replaceAll('\n', '\n    ')}`);
      if (f.messageIds.length > 0) lines.push(`    messages: ${f.messageIds.join(', ')}`);
      if (f.events.length > 0) lines.push(indent(eventTable(f.events), '    '));
    }
  }
  if (result.errors.length > 0) {
    lines.push('', `  ${yellow('infrastructure errors')} (runs skipped, not counted, topped up):`);
    for (const e of result.errors) lines.push(`    - ${e}`);
  }
  return lines.join('\n');
}

/** The events as an aligned table: seq, time, process, type, id, and the rest. */
export function eventTable(events: readonly HistoryEvent[]): string {
  const header = ['seq', 'time', 'process', 'type', 'id', ''];
  const rows = events.map((e) => {
    const r = eventRow(e);
    return [String(r.seq), `${Math.round(r.time)}ms`, r.process, r.type, r.id, r.info];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const right = new Set([0, 1]);
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right.has(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

/** The scenario, one fact per line. */
export function formatScenario(scenario: Scenario): string {
  const lines = [`${scenario.broker}, ${scenario.semantics}, ${describeSettings(scenario)}`];
  lines.push(`messages (${scenario.messages.length}):`);
  for (const m of scenario.messages) lines.push(`  ${m.id}  key ${m.key}  ${JSON.stringify(m.payload)}`);
  lines.push(
    `producer duplicates: ${scenario.producerDuplicates.length > 0 ? scenario.producerDuplicates.join(', ') : 'none'}`,
  );
  if (scenario.faults.length === 0) lines.push('faults: none');
  else {
    lines.push(`faults (${scenario.faults.length}):`);
    scenario.faults.forEach((f, i) => lines.push(`  #${i} ${describeFault(f)}`));
  }
  return lines.join('\n');
}

/** "coverage: 21 of 28 fault cells exercised" and, when some were not, which. */
function coverageLines(coverage: FaultCoverage): string[] {
  const lines = [`  coverage: ${describeCoverage(coverage)}`];
  const missing = coverage.cells.filter((c) => c.fired === 0);
  if (missing.length > 0 && coverage.exercised > 0)
    lines.push(`    not exercised: ${missing.map(cellKey).join(', ')}`);
  return lines;
}

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => (l ? prefix + l : l))
    .join('\n');
}
