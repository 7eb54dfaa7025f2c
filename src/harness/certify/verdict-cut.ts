/**
 * Verdict-guided shrinking: before fast-check's generic shrink, the scenario cut to what the
 * verdict of a failing run names. fast-check shrinks blindly (drop a message, drop a fault,
 * retry), which on a real broker costs seconds a step and often stalls at "8 messages, 0 faults:
 * passes / 8 messages, 1 fault: fails"; the verdict already says which messages matter (the
 * findings' ids), which faults did anything (fault-start events) and which consumers took part
 * (the workers that delivered those messages). Cuts: the messages the fired faults target,
 * then every message a violation names, each with one fired fault, with all of them, and
 * with every fault; then every message with only the fired faults. They are tried smallest
 * first; each is a real run, and a cut that still fails is cut again from its own verdict.
 */
import { firedFaults } from '../../model/coverage.ts';
import type { Fault } from '../../model/fault.ts';
import type { RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';
import { scenarioSize } from './scenario-size.ts';

/** The cuts of a failing run's scenario, smallest first; none equals the scenario itself. */
export function verdictCuts(outcome: RunOutcome): Scenario[] {
  const { scenario, history } = outcome;
  const fired = firedFaults(history);
  const firedList = scenario.faults.filter((_, i) => fired.has(i));
  const named = namedMessages(outcome, firedList);
  const targets = new Set(
    firedList.flatMap((f) => (f.trigger.type === 'phase' ? [f.trigger.messageId] : [])),
  );
  const cuts: Scenario[] = [];
  for (const messages of [targets, named]) {
    if (messages.size === 0) continue;
    const consumers = consumersTakingPart(outcome, messages);
    if (firedList.length > 1)
      for (const fault of firedList) cuts.push(cut(scenario, messages, [fault], consumers));
    cuts.push(cut(scenario, messages, firedList, consumers));
    cuts.push(cut(scenario, messages, firedList, scenario.consumers));
  }
  if (named.size > 0) cuts.push(cut(scenario, named, scenario.faults, scenario.consumers));
  cuts.push(cut(scenario, new Set(scenario.messages.map((m) => m.id)), firedList, scenario.consumers));
  const same = JSON.stringify(scenario);
  const seen = new Set<string>();
  return cuts
    .filter((c) => {
      const key = JSON.stringify(c);
      if (key === same || seen.has(key) || c.messages.length === 0) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => scenarioSize(a) - scenarioSize(b));
}

/** The violations' messages plus the messages the fired faults are triggered on. */
function namedMessages(outcome: RunOutcome, fired: readonly Fault[]): Set<string> {
  const ids = new Set(outcome.verdict.findings.flatMap((f) => (f.violation ? f.messageIds : [])));
  for (const fault of fired) if (fault.trigger.type === 'phase') ids.add(fault.trigger.messageId);
  const known = new Set(outcome.scenario.messages.map((m) => m.id));
  return new Set([...ids].filter((id) => known.has(id)));
}

/** Workers ("w2", a replacement "w2#2" counts as w2) that delivered one of these messages, at least 1. */
function consumersTakingPart(outcome: RunOutcome, ids: ReadonlySet<string>): number {
  const workers = new Set(
    outcome.history.flatMap((e) =>
      e.type === 'deliver' && ids.has(e.id) ? [e.process.replace(/#\d+$/, '')] : [],
    ),
  );
  return Math.max(1, Math.min(outcome.scenario.consumers, workers.size));
}

/**
 * The scenario with only these messages (in produce order) and these faults: a phase fault on
 * a message cut away goes with it, a progress trigger counts at most the messages left.
 */
function cut(
  scenario: Scenario,
  keep: ReadonlySet<string>,
  faults: readonly Fault[],
  consumers: number,
): Scenario {
  const messages = scenario.messages.filter((m) => keep.has(m.id));
  return {
    ...scenario,
    messages,
    producerDuplicates: scenario.producerDuplicates.filter((id) => keep.has(id)),
    consumers,
    faults: faults.flatMap((f): Fault[] => {
      if (f.trigger.type === 'phase') return keep.has(f.trigger.messageId) ? [f] : [];
      return [{ ...f, trigger: { type: 'progress', acks: Math.min(f.trigger.acks, messages.length) } }];
    }),
  };
}
