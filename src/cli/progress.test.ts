import { existsSync } from 'node:fs';
import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { CertifyResult } from '../harness/certify.ts';
import { exampleProcessor } from './demo.ts';
import type { CertifyCell } from './options.ts';
import { table } from './output.ts';
import { barReporter, lineReporter } from './progress.ts';

const cell: CertifyCell = { processor: '/p/orders.ts', broker: 'kafka-4.4', semantics: 'at-least-once' };
const result = {
  ok: false,
  status: 'fail',
  runs: 2,
  requestedRuns: 5,
  shrinkSteps: 1,
  durationMs: 12_345,
} as CertifyResult;

function drive(reporter: ReturnType<typeof lineReporter>) {
  reporter.start(cell, 1, 2, 5);
  reporter.event({
    type: 'run',
    run: 1,
    valid: true,
    findings: [],
    messages: 4,
    faults: 2,
    faultsInjected: 2,
    durationMs: 900,
  });
  reporter.event({
    type: 'run',
    run: 2,
    valid: false,
    findings: ['final-state'],
    messages: 6,
    faults: 2,
    faultsInjected: 1,
    durationMs: 1_100,
  });
  reporter.event({ type: 'shrink', step: 1, messages: 3, faults: 1, valid: false });
  reporter.notice('broker-restart skipped');
  reporter.end(result);
  reporter.close();
}

describe('progress', () => {
  it('prints one plain line per event when not on a terminal', () => {
    const lines: string[] = [];
    drive(lineReporter((l) => lines.push(l)));
    expect(lines).toEqual([
      '[1/2] orders.ts on kafka-4.4 (at-least-once): 5 runs',
      '  run 1/5: ok (4 messages, 2 of 2 faults injected, 0.9 s; 2 faults injected so far)',
      '  run 2/5: VIOLATION (6 messages, 1 of 2 faults injected, 1.1 s; 3 faults injected so far)',
      '  shrinking step 1: 3 messages, 1 fault -> still fails',
      'notice: broker-restart skipped',
      '  orders.ts on kafka-4.4 (at-least-once): FAIL after 2 of 5 runs in 12.3 s',
    ]);
  });

  it('draws a bar with runs done of total, faults injected and the shrinking step on a terminal', () => {
    let out = '';
    const tty = Object.assign(
      new Writable({
        write(chunk: Buffer, _enc, done) {
          out += chunk.toString();
          done();
        },
      }),
      { isTTY: true, columns: 160 },
    );
    const reporter = barReporter(tty);
    reporter.start(cell, 1, 2, 5);
    reporter.event({
      type: 'run',
      run: 2,
      valid: false,
      findings: ['final-state'],
      messages: 6,
      faults: 4,
      faultsInjected: 3,
      durationMs: 1_100,
    });
    reporter.event({ type: 'shrink', step: 4, messages: 3, faults: 1, valid: false });
    reporter.end(result);
    reporter.close();
    expect(out).toMatch(
      / 2\/5 runs \| 3 faults injected \| .+ \| \[1\/2\] orders\.ts on kafka-4\.4 \(at-least-once\)/,
    );
    expect(out).toContain('FAIL (1 shrink steps)');
  });
});

describe('demo examples', () => {
  it('resolve next to the running file (.ts here, .js in dist/)', () => {
    for (const name of ['sqlite-upsert', 'sqlite-increment'] as const) {
      const path = exampleProcessor(name);
      expect(path).toMatch(new RegExp(`fixtures/processors/${name}\\.ts$`));
      expect(existsSync(path)).toBe(true);
    }
  });
});

describe('table', () => {
  it('aligns coloured cells by their visible width', () => {
    const esc = String.fromCharCode(27);
    const text = table(
      ['a', 'b'],
      [
        [`${esc}[32mpass${esc}[0m`, 'x'],
        ['failed', 'y'],
      ],
    );
    expect(stripVTControlCharacters(text).split('\n')).toEqual([
      'a       b',
      '------  -',
      'pass    x',
      'failed  y',
    ]);
  });
});
