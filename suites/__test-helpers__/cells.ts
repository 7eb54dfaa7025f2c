/**
 * One vitest test per suite cell, on the brokers of the vitest global setup (ACKCHECK_BROKERS);
 * cells on brokers that were not started are skipped. Uses the short profile.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type CellResult, expectationLabel, runCell, type Suite } from '../../src/harness/suite.ts';
import { brokers } from '../../src/vitest/index.ts';

function explain(r: CellResult): string {
  return [
    `${r.suite}/${r.cell} (seed ${r.seed}): ${r.reason}`,
    `observed: ${r.observed.join(', ') || 'nothing'} in ${r.runs} runs`,
    r.errors.length > 0 ? `errors: ${r.errors.join(' | ')}` : '',
    r.counterexample ? `replay: ackcheck replay ${r.counterexample}` : '',
  ]
    .filter(Boolean)
    .join('\n');
}

export function suiteTests(suite: Suite): void {
  const running = brokers();
  const reportDir = mkdtempSync(join(tmpdir(), `ackcheck-suite-${suite.name}-`));
  describe(`suite ${suite.name}`, () => {
    for (const cell of suite.cells) {
      const info = running.find((b) => b.id === cell.broker);
      it.skipIf(!info)(
        `${cell.id} (${cell.broker}): ${expectationLabel(cell.expect, cell.semantics)}`,
        async () => {
          const result = await runCell(suite, cell, { profile: 'short', broker: info!, reportDir });
          expect(result.ok, explain(result)).toBe(true);
          if (cell.expect === 'keeps') expect(result.violations).toEqual([]);
        },
      );
    }
  });
}
