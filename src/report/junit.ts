/**
 * The JUnit XML report: one <testsuite> per processor, one <testcase> per processor × broker ×
 * semantics (classname = processor, name = "broker semantics"), a <failure> holding the
 * formatted verdict when an invariant was violated, an <error> for infrastructure errors.
 *
 * Hand-written: the document is a fixed, flat shape of a handful of elements, so a few lines
 * of escaping (attributes, text, and characters XML 1.0 forbids) are simpler than pulling an
 * XML builder into the runtime dependencies. The tests parse it back with fast-xml-parser.
 */
import { cellKey, describeCoverage, type FaultCoverage } from '../model/coverage.ts';
import type { CertifyResult } from '../model/results.ts';
import { processorName, resultStatus } from './common.ts';
import { formatResult } from './console.ts';

export interface JunitOptions {
  /** The timestamp of the suites. Default now. */
  readonly now?: Date;
}

// Characters XML 1.0 does not allow at all (most C0 controls, lone surrogates, U+FFFE/U+FFFF).
const INVALID_XML =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

function clean(text: string): string {
  return text.replace(ANSI, '').replace(INVALID_XML, '\uFFFD');
}

/** Escapes text for an XML attribute value (double-quoted). */
export function xmlAttr(text: string): string {
  return clean(text)
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll('\n', '&#10;')
    .replaceAll('\r', '&#13;')
    .replaceAll('\t', '&#9;');
}

/** Escapes text for XML element content. */
export function xmlText(text: string): string {
  return clean(text).replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

function element(name: string, attrs: Record<string, string | number>, body?: string): string {
  const a = Object.entries(attrs)
    .map(([k, v]) => ` ${k}="${xmlAttr(String(v))}"`)
    .join('');
  return body === undefined ? `<${name}${a}/>` : `<${name}${a}>${body}</${name}>`;
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);

function testcase(result: CertifyResult): string {
  const status = resultStatus(result);
  const parts: string[] = [];
  if (status === 'fail') {
    const findings = result.counterexample?.verdict.findings ?? [];
    const violated = findings.filter((f) => f.violation);
    const first = violated[0] ?? findings[0];
    parts.push(
      element(
        'failure',
        {
          message: first ? `${first.code}: ${first.detail}` : 'invariant violated',
          type: violated.map((f) => f.code).join(',') || 'violation',
        },
        xmlText(formatResult(result)),
      ),
    );
  } else if (status === 'error' || status === 'incomplete') {
    const type = result.processorError?.code ?? (status === 'incomplete' ? 'incomplete' : 'infrastructure');
    parts.push(
      element(
        'error',
        {
          message: [`${status}: ${result.reason ?? 'not certified'}`, result.errors[0]]
            .filter(Boolean)
            .join(' — '),
          type,
        },
        xmlText([result.processorError?.message, ...result.errors].filter(Boolean).join('\n')),
      ),
    );
  }
  if (result.coverage) parts.unshift(coverageProperties(result.coverage));
  if (status !== 'fail') parts.push(element('system-out', {}, xmlText(formatResult(result))));
  return element(
    'testcase',
    {
      classname: processorName(result),
      name: `${result.broker} ${result.semantics}`,
      time: seconds(result.durationMs),
    },
    `\n      ${parts.join('\n      ')}\n    `,
  );
}

/** Coverage as testcase properties: the summary, the counts, and the cells not exercised. */
function coverageProperties(coverage: FaultCoverage): string {
  const property = (name: string, value: string | number) => element('property', { name, value });
  const missing = coverage.cells.filter((c) => c.fired === 0).map(cellKey);
  const props = [
    property('ackcheck.coverage', describeCoverage(coverage)),
    property('ackcheck.coverage.exercised', coverage.exercised),
    property('ackcheck.coverage.total', coverage.total),
    property('ackcheck.coverage.missing', missing.join(',')),
  ];
  return element('properties', {}, props.join(''));
}

/** The JUnit XML document for a set of results. */
export function formatJunit(results: readonly CertifyResult[], options: JunitOptions = {}): string {
  const timestamp = (options.now ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '');
  const groups = new Map<string, CertifyResult[]>();
  for (const r of results) {
    const name = processorName(r);
    groups.set(name, [...(groups.get(name) ?? []), r]);
  }
  const tally = (rs: readonly CertifyResult[]) => ({
    tests: rs.length,
    failures: rs.filter((r) => resultStatus(r) === 'fail').length,
    errors: rs.filter((r) => ['error', 'incomplete'].includes(resultStatus(r))).length,
    skipped: 0,
    time: seconds(rs.reduce((sum, r) => sum + r.durationMs, 0)),
  });
  const suites = [...groups].map(([name, rs]) =>
    element('testsuite', { name, ...tally(rs), timestamp }, `\n    ${rs.map(testcase).join('\n    ')}\n  `),
  );
  const body = suites.length > 0 ? `\n  ${suites.join('\n  ')}\n` : '\n';
  return `<?xml version="1.0" encoding="UTF-8"?>\n${element('testsuites', { name: 'ackcheck', ...tally(results) }, body)}\n`;
}
