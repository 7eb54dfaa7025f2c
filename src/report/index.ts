/**
 * Reports of certify() results: console text, JSON, JUnit XML and a self-contained HTML
 * timeline. The CLI and the vitest helpers print `formatResult()`; `writeReports()` writes
 * the files into a report directory.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { CertifyResult } from '../model/results.ts';
import { formatHtml } from './html.ts';
import { formatJsonReport } from './json.ts';
import { formatJunit } from './junit.ts';
import { REPORT_FORMATS, type ReportFormat } from '../model/results.ts';

export { type ResultStatus, resultStatus } from './common.ts';
export { eventTable, type FormatOptions, formatResult, formatScenario } from './console.ts';
export { escapeHtml, formatHtml, type HtmlOptions, scriptSafeJson } from './html.ts';
export {
  formatJsonReport,
  JSON_REPORT_FORMAT_VERSION,
  type JsonCounterexample,
  type JsonReport,
  type JsonReportOptions,
  type JsonResult,
  jsonReport,
} from './json.ts';
export { formatJunit, type JunitOptions } from './junit.ts';

export { REPORT_FORMATS, type ReportFormat } from '../model/results.ts';

/** File names writeReports() uses, per format. */
export const REPORT_FILES: Readonly<Record<ReportFormat, string>> = {
  json: 'ackcheck-report.json',
  junit: 'ackcheck-junit.xml',
  html: 'ackcheck-report.html',
};

/** Paths of the files writeReports() wrote. */
export interface ReportPaths {
  json?: string;
  junit?: string;
  html?: string;
}

export interface WriteReportsOptions {
  /** The time stamped into the reports. Default now. */
  readonly now?: Date;
}

/**
 * Writes the reports for a set of results into `dir` (created if missing):
 * `ackcheck-report.json`, `ackcheck-junit.xml`, `ackcheck-report.html` (those in `formats`).
 * All three share one timestamp.
 */
export function writeReports(
  results: readonly CertifyResult[],
  dir: string,
  formats: readonly ReportFormat[] = REPORT_FORMATS,
  options: WriteReportsOptions = {},
): ReportPaths {
  const out = resolve(dir);
  mkdirSync(out, { recursive: true });
  const now = options.now ?? new Date();
  const render: Record<ReportFormat, () => string> = {
    json: () => formatJsonReport(results, { now }),
    junit: () => formatJunit(results, { now }),
    html: () => formatHtml(results, { now }),
  };
  const paths: ReportPaths = {};
  for (const format of REPORT_FORMATS) {
    if (!formats.includes(format)) continue;
    const path = join(out, REPORT_FILES[format]);
    writeFileSync(path, render[format]());
    paths[format] = path;
  }
  return paths;
}
