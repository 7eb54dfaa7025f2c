import { describe, expect, it } from 'vitest';
import { history, messages, scenario } from './__test-helpers__/history-builder.ts';
import { check } from './check.ts';

const s = scenario({ messages: messages('m1', 'm2'), semantics: 'at-least-once' });

describe('stuck-processing and self-exiting workers', () => {
  it('a process() that never settled is a stuck-processing violation naming the message and its events', () => {
    const h = history().produce('m1').produce('m2').consume('w1', 'm1').deliver('w1', 'm2').begin('w1', 'm2');
    const verdict = check({
      scenario: s,
      history: h.events,
      liveness: { drained: false, stuckIds: ['m2'] },
      stuckProcessing: [{ worker: 'w1', id: 'm2', attempt: 1, timeoutMs: 10_000 }],
    });
    expect(verdict.valid).toBe(false);
    const stuck = verdict.findings.find((f) => f.code === 'stuck-processing');
    expect(stuck).toMatchObject({ invariant: 'liveness', violation: true, messageIds: ['m2'] });
    expect(stuck?.detail).toMatch(
      /^process\(\) did not settle within 10000 ms for m2 \(attempt 1, worker w1\)/,
    );
    expect(stuck?.events.map((e) => `${e.type} ${'id' in e ? e.id : ''}`)).toEqual([
      'produce m2',
      'deliver m2',
      'process-begin m2',
    ]);
  });

  it('the liveness finding says when workers exited by themselves', () => {
    const h = history().produce('m1').produce('m2');
    const note =
      'Workers exited by themselves 5 times (not an injected fault): w1 with exit code 3 during process() of m1.';
    const verdict = check({
      scenario: s,
      history: h.events,
      liveness: { drained: false, stuckIds: ['m1', 'm2'], note },
    });
    const liveness = verdict.findings.find((f) => f.code === 'liveness');
    expect(liveness?.detail).toContain(note);
    expect(verdict.valid).toBe(false);
  });
});
