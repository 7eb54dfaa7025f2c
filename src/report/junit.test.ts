import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CertifyResult } from '../model/results.ts';
import {
  erroringResult,
  failingResult,
  NASTY_IDS,
  nastyResult,
  passingResult,
  stuckConsumerResult,
} from './__fixtures__/results.ts';
import { COVERAGE } from './__fixtures__/coverage.ts';
import { formatJunit, xmlAttr, xmlText } from './junit.ts';

interface Case {
  classname: string;
  name: string;
  time: string;
  failure?: { message: string; type: string; '#text': string };
  error?: { message: string; type: string; '#text': string };
  'system-out'?: string;
}
interface Suite {
  name: string;
  tests: string;
  failures: string;
  errors: string;
  testcase: Case[];
}
interface Doc {
  testsuites: { tests: string; failures: string; errors: string; time: string; testsuite?: Suite[] };
}

const now = new Date('2026-01-02T03:04:05Z');

function parse(results: readonly CertifyResult[]): Doc {
  const xml = formatJunit(results, { now });
  const valid = XMLValidator.validate(xml);
  if (valid !== true) throw new Error(`invalid XML: ${JSON.stringify(valid)}\n${xml}`);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    parseTagValue: false,
    trimValues: false,
    isArray: (name) => name === 'testsuite' || name === 'testcase',
  }).parse(xml) as Doc;
}

describe('JUnit XML', () => {
  it('one testcase per processor × broker × semantics, grouped in a suite per processor', () => {
    const doc = parse([passingResult(), failingResult(), erroringResult()]);
    expect(doc.testsuites).toMatchObject({ tests: '3', failures: '1', errors: '1', time: '37.035' });
    const suites = doc.testsuites.testsuite ?? [];
    expect(suites.map((s) => [s.name, s.tests, s.failures, s.errors])).toEqual([
      ['sqlite-upsert', '2', '0', '1'],
      ['sqlite-increment', '1', '1', '0'],
    ]);
    const cases = suites.flatMap((s) => s.testcase);
    expect(cases.map((c) => [c.classname, c.name, c.time])).toEqual([
      ['sqlite-upsert', 'kafka-4.4 at-least-once', '12.345'],
      ['sqlite-upsert', 'rabbitmq-4.0 at-least-once', '12.345'],
      ['sqlite-increment', 'kafka-4.4 at-least-once', '12.345'],
    ]);
  });

  it('a violation is a <failure> with the formatted verdict; an infrastructure error is an <error>', () => {
    const cases = (
      parse([passingResult(), failingResult(), erroringResult()]).testsuites.testsuite ?? []
    ).flatMap((s) => s.testcase);
    const [pass, error, fail] = cases;
    expect(pass?.failure).toBeUndefined();
    expect(pass?.error).toBeUndefined();
    expect(pass?.['system-out']).toMatch(/^PASS sqlite-upsert/);
    expect(fail?.failure?.type).toBe('final-state');
    expect(fail?.failure?.message).toMatch(/^final-state: The final state differs/);
    expect(fail?.failure?.['#text']).toContain(
      'replay: ackcheck replay /repo/.ackcheck/counterexample-kafka-1.json',
    );
    expect(fail?.failure?.['#text']).toContain('$[0].total: expected 3, got 5');
    expect(fail?.error).toBeUndefined();
    expect(error?.error).toMatchObject({
      type: 'incomplete',
      message:
        'incomplete: 3 of 5 runs completed; 1 run(s) failed for infrastructure reasons — Kafka did not answer within 30 s',
    });
    expect(error?.failure).toBeUndefined();
  });

  it('escapes ids with <&" and </script> in attributes and text', () => {
    const [c] = (parse([nastyResult()]).testsuites.testsuite ?? []).flatMap((s) => s.testcase);
    for (const id of NASTY_IDS) expect(c?.failure?.['#text']).toContain(id);
    expect(c?.failure?.message).toContain(NASTY_IDS[1]);
  });

  it('replaces characters XML forbids and drops ANSI colours', () => {
    const doc = parse([erroringResult(['bad \u0000 byte \u001b[31mred\u001b[0m \ud800 lone'])]);
    const [c] = (doc.testsuites.testsuite ?? []).flatMap((s) => s.testcase);
    expect(c?.error?.message).toContain(' — bad \uFFFD byte red \uFFFD lone');
    expect(xmlAttr('a"b<c>&\n')).toBe('a&quot;b&lt;c&gt;&amp;&#10;');
    expect(xmlText('</x>&')).toBe('&lt;/x&gt;&amp;');
  });

  it('a passing testcase shows its reported findings (stuck-consumer) in system-out', () => {
    const out = parse([stuckConsumerResult()]).testsuites.testsuite?.[0]?.testcase[0]?.['system-out'];
    expect(out).toMatch(/stuck-consumer \(liveness, run 3\)/);
    expect(out).toMatch(/fault #-1 consumer-restart/);
  });

  it('no results: a valid document with zero tests', () => {
    const doc = parse([]);
    expect(doc.testsuites).toMatchObject({ tests: '0', failures: '0', errors: '0' });
    expect(doc.testsuites.testsuite).toBeUndefined();
  });
});

describe('coverage in the JUnit report', () => {
  it('puts the fault-cell coverage in the testcase properties', () => {
    const xml = formatJunit([passingResult({ coverage: COVERAGE })], { now });
    expect(XMLValidator.validate(xml)).toBe(true);
    expect(xml).toContain(
      '<property name="ackcheck.coverage" value="2 of 3 fault cells exercised (1 drawn but never fired)"/>',
    );
    expect(xml).toContain('<property name="ackcheck.coverage.exercised" value="2"/>');
    expect(xml).toContain('<property name="ackcheck.coverage.total" value="3"/>');
    expect(xml).toContain('<property name="ackcheck.coverage.missing" value="broker-kill@progress"/>');
  });
});
