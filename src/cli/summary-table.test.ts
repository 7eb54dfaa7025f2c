import { describe, expect, it } from 'vitest';
import { passingResult } from '../report/__fixtures__/results.ts';
import { summaryTable } from './certify.ts';

describe('certify summary table', () => {
  it('names the runtime: the client of a built-in one, the file of a module', () => {
    const text = summaryTable([
      passingResult({ runtime: 'kafka-at-least-once/confluent' }),
      passingResult({ runtime: '/work/app/src/my-runtime.ts' }),
    ]);
    expect(text).toMatch(/\bruntime\b/);
    expect(text).toContain('kafka-at-least-once/confluent');
    expect(text).toContain('my-runtime.ts');
    expect(text).not.toContain('/work/app/src/');
  });
});
