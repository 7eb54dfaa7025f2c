import { describe, expect, it } from 'vitest';
import { replaceSection, renderSection } from '../scripts/suite-table.ts';
import type { SuiteResult } from '../src/harness/suite.ts';

const result: SuiteResult = {
  suite: 's',
  profile: 'short',
  ok: false,
  skipped: [],
  durationMs: 12_000,
  cells: [
    {
      suite: 's',
      cell: 'c1',
      configuration: 'noAck | claimed at-least-once',
      broker: 'rabbitmq-4.0',
      semantics: 'at-least-once',
      expected: 'loses',
      runs: 1,
      observed: ['lost'],
      violations: ['lost'],
      errors: [],
      ok: true,
      reason: 'observed lost',
      delivered: 'at-most-once (loses)',
      seed: 1,
      durationMs: 1,
      measurement: 'm1 delivered 21 times',
    },
    {
      suite: 's',
      cell: 'c2',
      configuration: 'x',
      broker: 'kafka-4.4',
      semantics: 'at-most-once',
      expected: 'keeps',
      runs: 2,
      observed: ['duplicated'],
      violations: ['duplicated'],
      errors: [],
      ok: false,
      reason: 'violated: duplicated',
      delivered: 'at-least-once (duplicates)',
      seed: 2,
      durationMs: 1,
    },
  ],
};

describe('suite-table', () => {
  it('renders one row per cell with the verdict, escaping pipes, and the measurements', () => {
    const section = renderSection([result], 'short', 30_000);
    expect(section).toMatch(/1\/2 cells meet their expectation; 30 s in all/);
    expect(section).toContain(
      '| rabbitmq-4.0 | noAck \\| claimed at-least-once | at-least-once | at-most-once (loses) | 1 | loses | yes |',
    );
    expect(section).toContain('| keeps at-most-once | **no**: violated: duplicated |');
    expect(section).toContain('- c1: m1 delivered 21 times');
  });

  it('replaces only what is between the markers, and insists on them', () => {
    const readme = 'a\n<!-- suite-results:start -->\nold\n<!-- suite-results:end -->\nb\n';
    expect(replaceSection(readme, 'new')).toBe(
      'a\n<!-- suite-results:start -->\n\nnew\n\n<!-- suite-results:end -->\nb\n',
    );
    expect(() => replaceSection('no markers', 'new')).toThrow(/no <!-- suite-results:start -->/);
  });
});
