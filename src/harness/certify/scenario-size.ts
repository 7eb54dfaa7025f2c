/** How big a counterexample is (the loop keeps the smallest; verdict cuts are tried smallest first). */
import type { Scenario } from '../../model/scenario.ts';

/** Messages weigh most, then faults, consumers, duplicates. */
export function scenarioSize(s: Scenario): number {
  return s.messages.length * 10 + s.faults.length * 3 + s.consumers + s.producerDuplicates.length;
}
