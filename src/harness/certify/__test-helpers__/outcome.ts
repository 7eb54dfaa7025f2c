/** Run outcomes for the certify loop's unit tests: what a real run would return, minus the broker. */
import type { Finding, HistoryEvent } from '../../../model/index.ts';
import type { RunOutcome } from '../../../model/results.ts';
import type { Scenario } from '../../../model/scenario.ts';
import { EMPTY_STATS } from '../../../model/verdict.ts';

/** A final-state violation naming `ids` (what a broken processor's run reports). */
export function finalStateFinding(ids: readonly string[] = ['m1']): Finding {
  return {
    code: 'final-state',
    invariant: 'idempotent-state',
    violation: true,
    messageIds: ids,
    events: [],
    detail: 'x',
  };
}

/** A run of `scenario` that passes, or fails with `findings` (default: one final-state violation). */
export function fakeOutcome(
  scenario: Scenario,
  valid: boolean,
  extra: { history?: HistoryEvent[]; findings?: Finding[] } = {},
): RunOutcome {
  return {
    scenario,
    history: extra.history ?? [],
    finalState: null,
    referenceState: null,
    drained: true,
    durationMs: 1,
    verdict: {
      valid,
      errors: [],
      stats: EMPTY_STATS,
      findings: valid ? [] : (extra.findings ?? [finalStateFinding()]),
    },
  };
}
