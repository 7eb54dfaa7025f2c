import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  erroringResult,
  failingResult,
  NASTY_IDS,
  nastyResult,
  passingResult,
  stuckConsumerResult,
  realResult,
} from './__fixtures__/results.ts';
import { COVERAGE } from './__fixtures__/coverage.ts';
import { formatJsonReport, type JsonReport, jsonReport } from './json.ts';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};
const now = new Date('2026-01-02T03:04:05.678Z');

describe('JSON report', () => {
  it('has a stable top-level shape with versions and a timestamp', () => {
    const report = jsonReport([passingResult()], { now });
    expect(Object.keys(report)).toEqual([
      'format',
      'formatVersion',
      'ackcheck',
      'node',
      'generatedAt',
      'summary',
      'results',
    ]);
    expect(report).toMatchObject({
      format: 'ackcheck-report',
      formatVersion: 1,
      ackcheck: pkg.version,
      node: process.version,
      generatedAt: '2026-01-02T03:04:05.678Z',
    });
  });

  it('counts passed, failed, incomplete and errored results', () => {
    const report = jsonReport([passingResult(), failingResult(), erroringResult(), nastyResult()], { now });
    expect(report.summary).toEqual({ total: 4, passed: 1, failed: 2, incomplete: 1, errored: 0 });
    expect(report.results.map((r) => r.status)).toEqual(['pass', 'fail', 'incomplete', 'fail']);
    expect(report.results[2]).toMatchObject({
      requestedRuns: 5,
      runs: 3,
      reason: expect.stringMatching(/^3 of 5/),
    });
    expect(report.results[2]?.errors).toEqual(['Kafka did not answer within 30 s']);
  });

  it('holds everything about a counterexample: scenario, history, verdict, states, diff, replay', () => {
    const result = realResult();
    const ce = result.counterexample;
    const [json] = jsonReport([result], { now }).results;
    expect(json?.processorName).toBe('sqlite-increment');
    expect(json?.counterexample?.scenario).toEqual(ce?.scenario);
    expect(json?.counterexample?.history).toEqual(ce?.outcome.history);
    expect(json?.counterexample?.verdict).toEqual(ce?.verdict);
    expect(json?.counterexample?.finalState).toEqual(ce?.outcome.finalState);
    expect(json?.counterexample?.referenceState).toEqual(ce?.outcome.referenceState);
    expect(json?.counterexample?.stateDiff).toEqual(['$[1].total: expected 1029, got 1184']);
    expect(json?.counterexample?.replay).toEqual({
      file: ce?.file,
      command: `ackcheck replay ${ce?.file}`,
      seed: 23,
      path: result.path,
    });
  });

  it('carries reported findings (stuck-consumer) with their run and events', () => {
    const [result] = jsonReport([stuckConsumerResult()]).results;
    expect(result?.status).toBe('pass');
    expect(result?.reported?.[0]).toMatchObject({
      run: 3,
      finding: { code: 'stuck-consumer', violation: false, messageIds: ['m2'] },
    });
    expect(result?.reported?.[0]?.finding.events.some((e) => e.type === 'fault-start')).toBe(true);
    expect(jsonReport([passingResult()]).results[0]).not.toHaveProperty('reported');
  });

  it('round-trips ids that need escaping', () => {
    const text = formatJsonReport([nastyResult()], { now });
    const back = JSON.parse(text) as JsonReport;
    expect(back.results[0]?.counterexample?.scenario.messages.map((m) => m.id)).toEqual([...NASTY_IDS]);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('an empty report is still a report', () => {
    const report = JSON.parse(formatJsonReport([], { now })) as JsonReport;
    expect(report.summary).toEqual({ total: 0, passed: 0, failed: 0, incomplete: 0, errored: 0 });
    expect(report.results).toEqual([]);
  });

  it('a snapshot that is not JSON does not stop the report; the diff says why', () => {
    const result = failingResult();
    const ce = result.counterexample;
    if (!ce) throw new Error('fixture without counterexample');
    const broken = {
      ...result,
      counterexample: { ...ce, outcome: { ...ce.outcome, finalState: Number.NaN } },
    };
    const [json] = jsonReport([broken], { now }).results;
    expect(json?.counterexample?.stateDiff[0]).toMatch(/^\(cannot compare: .*not a JSON value/);
  });
});

describe('coverage in the JSON report', () => {
  it('carries the cells with their drawn and fired counts and the summary', () => {
    const [result] = jsonReport([passingResult({ coverage: COVERAGE })], { now }).results;
    expect(result?.coverage?.summary).toBe('2 of 3 fault cells exercised (1 drawn but never fired)');
    expect(result?.coverage?.cells).toEqual(COVERAGE.cells);
    expect(jsonReport([passingResult()], { now }).results[0]?.coverage).toBeUndefined();
  });
});
