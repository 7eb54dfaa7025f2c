/**
 * One status word everywhere: a result stopped by the processor's own error reads `error`
 * (with its code) in the console account, the JSON report, JUnit and HTML alike.
 */
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import type { CertifyResult } from '../model/results.ts';
import { passingResult } from './__fixtures__/results.ts';
import { formatResult } from './console.ts';
import { formatHtml } from './html.ts';
import { jsonReport } from './json.ts';
import { formatJunit } from './junit.ts';

const stopped: CertifyResult = passingResult({
  ok: false,
  status: 'error',
  runs: 0,
  requestedRuns: 5,
  reason: 'snapshot() threw: db is down. … [PROCESSOR_SNAPSHOT_FAILED] (0 of 5 runs completed)',
  processorError: { code: 'PROCESSOR_SNAPSHOT_FAILED', message: 'snapshot() threw: db is down. …' },
});

describe('the status word', () => {
  it('is ERROR with the reason in the console account', () => {
    const [first, second] = formatResult(stopped).split('\n');
    expect(first).toMatch(/^ERROR sqlite-upsert on kafka-4\.4 \(at-least-once\), runtime \S+, 0 of 5 runs/);
    expect(second).toBe(`  ${stopped.reason}`);
  });

  it('is error in the JSON report, with the processor error apart from infrastructure errors', () => {
    const report = jsonReport([stopped]);
    expect(report.summary).toMatchObject({ total: 1, passed: 0, errored: 1 });
    expect(report.results[0]).toMatchObject({
      status: 'error',
      requestedRuns: 5,
      runs: 0,
      errors: [],
      processorError: { code: 'PROCESSOR_SNAPSHOT_FAILED' },
    });
  });

  it('is an <error> typed with the code in JUnit', () => {
    const xml = formatJunit([stopped]);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '' }).parse(xml) as {
      testsuites: { testsuite: { testcase: { error?: { type: string; message: string } } } };
    };
    expect(doc.testsuites.testsuite.testcase.error).toMatchObject({
      type: 'PROCESSOR_SNAPSHOT_FAILED',
      message: expect.stringMatching(/^error: snapshot\(\) threw: db is down/),
    });
  });

  it('is an ERROR badge with the reason in HTML', () => {
    const html = formatHtml([stopped]);
    expect(html).toContain('<span class="badge error">ERROR</span>');
    expect(html).toContain('data-testid="reason-0"');
  });
});
