/**
 * Progress of `ackcheck certify` on stderr: a bar per cell on a terminal (cli-progress), one
 * plain line per event otherwise (CI logs), nothing with --json.
 */
import { runsDone } from '../report/common.ts';
import cliProgress from 'cli-progress';
import type { CertifyProgress, CertifyResult } from '../harness/certify.ts';
import type { CertifyCell } from './options.ts';
import { count } from './output.ts';

export interface ProgressReporter {
  /** A cell starts; `index` is 1-based. */
  start(cell: CertifyCell, index: number, total: number, runs: number): void;
  event(event: CertifyProgress): void;
  end(result: CertifyResult): void;
  /** Prints a line without breaking the bar. */
  notice(message: string): void;
  /** Stops the bar (also on errors). */
  close(): void;
}

export function cellLabel(cell: CertifyCell): string {
  const name = cell.processor.split(/[\\/]/).at(-1) ?? cell.processor;
  return `${name} on ${cell.broker} (${cell.semantics})`;
}

/** Whether stderr is a terminal the bar may draw on. */
export function barWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  return Boolean(process.stderr.isTTY) && env.CI !== 'true' && env.TERM !== 'dumb';
}

export function silentReporter(): ProgressReporter {
  const noop = () => undefined;
  return { start: noop, event: noop, end: noop, notice: noop, close: noop };
}

/** One line per event, for logs. */
export function lineReporter(
  write: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): ProgressReporter {
  let label = '';
  let total = 0;
  let faults = 0;
  return {
    start(cell, index, cells, runs) {
      label = cellLabel(cell);
      total = runs;
      faults = 0;
      write(`[${index}/${cells}] ${label}: ${runs} runs`);
    },
    event(e) {
      if (e.type === 'run') {
        faults += e.faultsInjected;
        const verdict = e.valid === true ? 'ok' : e.valid === false ? 'VIOLATION' : 'unknown';
        write(
          `  run ${e.run}/${total}: ${verdict} (${count(e.messages, 'message')}, ${e.faultsInjected} of ${count(e.faults, 'fault')} injected, ${(e.durationMs / 1000).toFixed(1)} s; ${faults} faults injected so far)`,
        );
      } else if (e.type === 'shrink')
        write(
          `  shrinking step ${e.step}: ${count(e.messages, 'message')}, ${count(e.faults, 'fault')} -> ${e.valid === false ? 'still fails' : 'passes'}`,
        );
      else if (e.type === 'error') write(`  run error (skipped): ${e.message}`);
      else write(`  notice: ${e.message}`);
    },
    end(result) {
      write(
        `  ${label}: ${statusWord(result)} after ${runsDone(result)} runs in ${(result.durationMs / 1000).toFixed(1)} s`,
      );
    },
    notice(message) {
      write(`notice: ${message}`);
    },
    close() {},
  };
}

/** A progress bar per cell on a terminal: runs done of total, faults injected, shrinking step. */
export function barReporter(stream: NodeJS.WritableStream = process.stderr): ProgressReporter {
  const multi = new cliProgress.MultiBar(
    {
      stream,
      // Numbers first: a narrow terminal truncates the end of the line, so the label goes last.
      format: '{bar} {value}/{total} runs | {faults} faults injected | {status} | {label}',
      barsize: 16,
      hideCursor: true,
      clearOnComplete: false,
      stopOnComplete: false,
      autopadding: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let bar: cliProgress.SingleBar | undefined;
  let faults = 0;
  return {
    start(cell, index, cells, runs) {
      faults = 0;
      bar = multi.create(runs, 0, {
        label: `[${index}/${cells}] ${cellLabel(cell)}`,
        faults,
        status: 'running',
      });
    },
    event(e) {
      if (!bar) return;
      if (e.type === 'run') {
        faults += e.faultsInjected;
        bar.update(e.run, { faults, status: e.valid === false ? 'violation found' : 'running' });
      } else if (e.type === 'shrink')
        bar.update({ status: `shrinking step ${e.step} (${e.messages} msgs, ${e.faults} faults)` });
      else multi.log(`${e.type}: ${e.message}\n`);
    },
    end(result) {
      bar?.update(result.runs, {
        status: result.status === 'fail' ? `FAIL (${result.shrinkSteps} shrink steps)` : statusWord(result),
      });
      bar?.stop();
      bar = undefined;
    },
    notice(message) {
      multi.log(`notice: ${message}\n`);
    },
    close() {
      multi.stop();
    },
  };
}

/** The status word as the CLI shows it: `pass`, or in capitals when it is not a pass. */
export function statusWord(result: Pick<CertifyResult, 'status'>): string {
  return result.status === 'pass' ? 'pass' : result.status.toUpperCase();
}
