/**
 * What every report format derives from a CertifyResult the same way: its status, the
 * processor's display name, one-line descriptions of events, triggers and faults, the
 * final-state diff, the replay command, and ackcheck's version.
 */
import { readFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareFinalState } from '../check/final-state.ts';
import type { CertifyResult } from '../model/results.ts';
import type { CertifyStatus } from '../model/results.ts';
import type { Fault, Trigger } from '../model/fault.ts';
import type { HistoryEvent } from '../model/history.ts';

/** The status word of a result (see CertifyStatus): `pass`, `fail`, `incomplete` or `error`. */
export type ResultStatus = CertifyStatus;

export function resultStatus(result: CertifyResult): ResultStatus {
  return result.status;
}

/** "3 of 5" when fewer runs completed than were requested, else "5". */
export function runsDone(result: CertifyResult): string {
  return result.runs < result.requestedRuns ? `${result.runs} of ${result.requestedRuns}` : `${result.runs}`;
}

/** The processor as reports name it: its module's file name without the extension. */
export function processorName(result: CertifyResult): string {
  const file = basename(result.processor);
  const stem = file.replace(/\.(m|c)?(t|j)sx?$/, '');
  return stem === 'index' ? basename(dirname(result.processor)) || stem : stem;
}

/** `ackcheck replay <file>`, the file quoted when it holds characters a shell would split on. */
export function replayCommand(file: string): string {
  return `ackcheck replay ${/^[\w./@%+=:,-]+$/.test(file) ? file : `'${file.replaceAll("'", "'\\''")}'`}`;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** The columns of one history event in a table: everything but seq/time/process/type/id in `info`. */
export interface EventRow {
  readonly seq: number;
  readonly time: number;
  readonly process: string;
  readonly type: string;
  readonly id: string;
  readonly info: string;
}

export function eventRow(event: HistoryEvent): EventRow {
  const parts: string[] = [];
  const id = 'id' in event ? event.id : '';
  if ('copy' in event && event.copy > 0) parts.push(`copy ${event.copy}`);
  switch (event.type) {
    case 'produce':
      parts.push(event.outcome);
      break;
    case 'deliver':
      if (event.redelivered) parts.push('redelivered');
      break;
    case 'process-begin':
      parts.push(`attempt ${event.attempt}`);
      break;
    case 'process-end':
      parts.push(`attempt ${event.attempt}`, event.outcome);
      if (event.error) parts.push(event.error);
      break;
    case 'fault-start':
    case 'fault-heal':
      parts.push(`fault #${event.fault} ${event.kind}`);
      if (event.phase) parts.push(event.phase);
      break;
    case 'ack':
      break;
  }
  if ('partition' in event && event.partition !== undefined) parts.push(`partition ${event.partition}`);
  if ('offset' in event && event.offset !== undefined) parts.push(`offset ${event.offset}`);
  if ('deliveryTag' in event && event.deliveryTag !== undefined) parts.push(`tag ${event.deliveryTag}`);
  return {
    seq: event.seq,
    time: event.time,
    process: event.process,
    type: event.type,
    id,
    info: parts.join(', '),
  };
}

export function describeTrigger(trigger: Trigger): string {
  return trigger.type === 'phase'
    ? `at ${trigger.phase} of ${trigger.messageId} (attempt ${trigger.attempt})`
    : `after ${trigger.acks} acks`;
}

export function describeFault(fault: Fault): string {
  const params = Object.entries(fault.params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${String(v)}`);
  return `${fault.kind} ${describeTrigger(fault.trigger)}${params.length ? ` (${params.join(', ')})` : ''}`;
}

export { describeSettings } from '../model/scenario.ts';

/**
 * The final state against the exactly-once reference, one line per differing path; empty
 * when equal or when there is no counterexample. A snapshot that is not JSON is reported as
 * a line, not thrown: the report must still be written.
 */
export function stateDiff(result: CertifyResult): readonly string[] {
  const outcome = result.counterexample?.outcome;
  if (!outcome) return [];
  try {
    return compareFinalState(outcome.finalState, outcome.referenceState).diff;
  } catch (error) {
    return [`(cannot compare: ${error instanceof Error ? error.message : String(error)})`];
  }
}

let version: string | undefined;

/** ackcheck's version, from the package.json above this module (src/ or dist/src/). */
export function ackcheckVersion(): string {
  if (version) return version;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'ackcheck' && pkg.version) return (version = pkg.version);
    } catch {
      // not here: look one folder up
    }
    dir = dirname(dir);
  }
  return (version = 'unknown');
}
