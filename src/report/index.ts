/**
 * Reports of certify() results: console text, JSON, JUnit XML and a self-contained HTML
 * timeline. The CLI and the vitest helpers print `formatResult()`; `writeReports()` writes
 * the files into a report directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CertifyResult } from '../harness/certify.ts';

export type ReportFormat = 'json' | 'junit' | 'html';
export const REPORT_FORMATS: readonly ReportFormat[] = ['json', 'junit', 'html'];

/** Paths of the files writeReports() wrote. */
export interface ReportPaths {
  json?: string;
  junit?: string;
  html?: string;
}

export interface FormatOptions {
  /** ANSI colours. Default false. */
  readonly color?: boolean;
}

/** A human-readable account of one certify() result: verdict, findings, counterexample, replay command. */
export function formatResult(result: CertifyResult, _options: FormatOptions = {}): string {
  const head = `${result.ok ? 'PASS' : 'FAIL'} ${result.processor} on ${result.broker} (${result.semantics}), ${result.runs} runs, seed ${result.seed}`;
  const lines = [head];
  const ce = result.counterexample;
  if (ce) {
    for (const f of ce.verdict.findings) lines.push(`  ${f.code}: ${f.detail} [${f.messageIds.join(', ')}]`);
    lines.push(`  replay: ackcheck replay ${ce.file}`);
  }
  for (const e of result.errors) lines.push(`  error: ${e}`);
  return lines.join('\n');
}

/** Writes the reports for a set of results into `dir` (created if missing). */
export function writeReports(
  results: readonly CertifyResult[],
  dir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
): ReportPaths {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const paths: ReportPaths = {};
  if (formats.includes('json')) {
    paths.json = join(out, 'ackcheck-report.json');
    writeFileSync(paths.json, `${JSON.stringify({ ackcheck: 1, results }, null, 2)}\n`);
  }
  return paths;
}
