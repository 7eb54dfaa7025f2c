import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  erroringResult,
  failingResult,
  largeResult,
  NASTY_IDS,
  nastyResult,
  passingResult,
  stuckConsumerResult,
  realResult,
} from './__fixtures__/results.ts';
import { COVERAGE } from './__fixtures__/coverage.ts';
import { escapeHtml, formatHtml, scriptSafeJson } from './html.ts';
import { REPORT_FILES, writeReports } from './index.ts';
import { renderTimeline, timelineLanes } from './timeline.ts';

const now = new Date('2026-01-02T03:04:05Z');

describe('reported findings in the HTML report', () => {
  it('a passing result shows its stuck-consumer finding with its events', () => {
    const html = formatHtml([stuckConsumerResult()], { now });
    const section = html.slice(html.indexOf('data-testid="reported-0"'));
    expect(section).toMatch(/<h3>Reported findings<\/h3>/);
    expect(section).toMatch(/first seen in run 3/);
    expect(section).toMatch(/<strong>stuck-consumer<\/strong>.*reported only/s);
    expect(section).toMatch(/fault #-1 consumer-restart/);
  });
});

/** The JSON embedded in the page, read back as the page script reads it. */
function embedded(html: string): unknown {
  const match = /<script type="application\/json" id="ackcheck-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match?.[1]) throw new Error('no embedded data');
  return JSON.parse(match[1]);
}

describe('HTML report (markup)', () => {
  it('embeds the data so that no string can close the script element, and reads it back unchanged', () => {
    const value = { ids: [...NASTY_IDS, '<!--', '\u2028'] };
    const text = scriptSafeJson(value);
    expect(text).not.toMatch(/<|>|&|\u2028/);
    expect(JSON.parse(text)).toEqual(value);

    const html = formatHtml([nastyResult()], { now });
    expect(html.match(/<script/g)).toHaveLength(2); // the data and the page script, nothing injected
    expect(html).not.toContain('<script><script>alert');
    expect(html).not.toContain(NASTY_IDS[0]);
    expect(html).toContain(escapeHtml(NASTY_IDS[0]));
    const data = embedded(html) as {
      results: Array<{ counterexample: { scenario: { messages: Array<{ id: string }> } } }>;
    };
    expect(data.results[0]?.counterexample.scenario.messages.map((m) => m.id)).toEqual([...NASTY_IDS]);
  });

  it('refers to nothing outside the file', () => {
    const html = formatHtml(
      [passingResult(), failingResult(), erroringResult(), largeResult(), realResult()],
      { now },
    );
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/\s(src|href)="(?!#)/);
    expect(html).not.toMatch(/@import|url\(/);
  });

  it('a summary row per result, a section per failing or erroring result', () => {
    const html = formatHtml([passingResult(), failingResult(), erroringResult()], { now });
    expect(html.match(/data-testid="result-row-\d+"/g)).toHaveLength(3);
    expect(html).not.toContain('data-testid="result-0"');
    expect(html).toContain('data-testid="result-1"');
    expect(html).toContain('data-testid="timeline-1"');
    expect(html).toContain('data-testid="errors-2"');
    expect(html).toContain('$[0].total: expected 3, got 5');
    expect(html).toContain('ackcheck replay /repo/.ackcheck/counterexample-kafka-1.json');
  });

  it('no results: a page that says so', () => {
    const html = formatHtml([], { now });
    expect(html).toContain('No results: nothing was certified.');
    expect(embedded(html)).toMatchObject({ summary: { total: 0 } });
  });
});

describe('timeline (markup)', () => {
  it('lanes: producer, each worker in natural order, broker/network', () => {
    const history = largeResult(20).counterexample?.outcome.history ?? [];
    const shuffled = [...history].reverse();
    expect(timelineLanes(shuffled).map((l) => l.process)).toEqual([
      'producer',
      'w1',
      'w2',
      'w3',
      'w4',
      'harness',
    ]);
  });

  it('one mark per history event, highlighted where a finding names the message', () => {
    const result = realResult();
    const history = result.counterexample?.outcome.history ?? [];
    const { svg, marks } = renderTimeline(history, { result: 0, highlight: new Set(['m6']) });
    expect(marks).toBe(history.length);
    expect(svg.match(/class="ev /g)).toHaveLength(history.length);
    const highlighted = [...svg.matchAll(/class="ev [^"]* hl" [^>]*data-id="([^"]*)"/g)].map((m) => m[1]);
    expect(new Set(highlighted)).toEqual(new Set(['m6']));
    expect(highlighted).toHaveLength(history.filter((e) => 'id' in e && e.id === 'm6').length);
    // two kills at a phase end w1 and w1#2
    expect([...svg.matchAll(/<g class="crash" data-lane="([^"]*)"/g)].map((m) => m[1])).toEqual([
      'w1',
      'w1#2',
    ]);
  });

  it('x follows time; events in the same millisecond stay apart, in seq order', () => {
    const history = realResult().counterexample?.outcome.history ?? [];
    const { svg } = renderTimeline(history, { result: 0, highlight: new Set() });
    const xs = new Map<number, number>();
    for (const m of svg.matchAll(/data-ev="(\d+)" data-x="([\d.]+)"/g)) xs.set(Number(m[1]), Number(m[2]));
    expect(xs.size).toBe(history.length);
    const order = [...history.keys()].sort(
      (a, b) =>
        (history[a]?.time ?? 0) - (history[b]?.time ?? 0) || (history[a]?.seq ?? 0) - (history[b]?.seq ?? 0),
    );
    expect(history.some((e, i) => i > 0 && e.time === history[i - 1]?.time)).toBe(true); // the data has ties
    for (let k = 1; k < order.length; k++) {
      const gap = (xs.get(order[k] ?? 0) ?? 0) - (xs.get(order[k - 1] ?? 0) ?? 0);
      expect(gap).toBeGreaterThanOrEqual(7.9);
    }
  });
});

describe('writeReports', () => {
  const base = mkdtempSync(join(tmpdir(), 'ackcheck-reports-'));
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('writes the JSON, JUnit and HTML files into the directory, or only the formats asked for', () => {
    const dir = join(base, 'nested');
    const paths = writeReports([passingResult(), failingResult()], dir, undefined, { now });
    expect(paths).toEqual({
      json: join(dir, REPORT_FILES.json),
      junit: join(dir, REPORT_FILES.junit),
      html: join(dir, REPORT_FILES.html),
    });
    expect(readdirSync(dir).sort()).toEqual([
      'ackcheck-junit.xml',
      'ackcheck-report.html',
      'ackcheck-report.json',
    ]);
    expect(JSON.parse(readFileSync(paths.json ?? '', 'utf8'))).toMatchObject({
      generatedAt: now.toISOString(),
    });
    expect(readFileSync(paths.junit ?? '', 'utf8')).toMatch(/^<\?xml/);
    expect(readFileSync(paths.html ?? '', 'utf8')).toMatch(/^<!doctype html>/);

    const only = join(base, 'only');
    expect(writeReports([], only, ['junit'])).toEqual({ junit: join(only, REPORT_FILES.junit) });
    expect(readdirSync(only)).toEqual(['ackcheck-junit.xml']);
  });
});

describe('coverage in the HTML report', () => {
  it('has a coverage section with the summary and a row per cell', () => {
    const html = formatHtml([passingResult({ coverage: COVERAGE })], { now });
    const section = html.slice(html.indexOf('data-testid="coverage-0"'));
    expect(section).toContain('2 of 3 fault cells exercised (1 drawn but never fired)');
    expect(section).toMatch(
      /<tr class="hl-row"><td>broker-kill<\/td><td>progress<\/td><td>1<\/td><td>0<\/td><\/tr>/,
    );
    expect(formatHtml([passingResult()], { now })).not.toContain('data-testid="coverage-0"');
  });
});
