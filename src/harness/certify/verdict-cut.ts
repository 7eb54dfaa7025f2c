/**
 * Verdict-guided shrinking: before fast-check's generic shrink, the scenario cut to what the
 * verdict of a failing run names. fast-check shrinks blindly (drop a message, drop a fault,
 * retry), which on a real broker costs seconds a step and often stalls at "8 messages, 0 faults:
 * passes / 8 messages, 1 fault: fails"; the verdict already says which messages matter (the
 * findings' ids), which faults did anything (fault-start events) and which consumers took part
 * (the workers that delivered those messages). Cuts are tried smallest first; each is a real
 * run, and a cut that still fails is cut again from its own verdict.
 */
import { firedFaults } from '../../model/coverage.ts';
import type { Fault } from '../../model/fault.ts';
import type { RunOutcome } from '../../model/results.ts';
import type { Scenario } from '../../model/scenario.ts';

/** The cuts of a failing run's scenario, most aggressive first; none equals the scenario itself. */
export function verdictCuts(outcome: RunOutcome): Scenario[] {
  const { scenario, history } = outcome;
  const fired = firedFaults(history);
  const firedList = scenario.faults.filter((_, i) => fired.has(i));
  const named = namedMessages(outcome, firedList);
  const consumers = consumersTakingPart(outcome, named);
  const cuts: Scenario[] = [];
  if (named.size > 0) {
    if (firedList.length > 1)
      for (const fault of firedList) cuts.push(cut(scenario, named, [fault], consumers));
    cuts.push(cut(scenario, named, firedList, consumers));
    cuts.push(cut(scenario, named, firedList, scenario.consumers));
    cuts.push(cut(scenario, named, scenario.faults, scenario.consumers));
  }
  const all = new Set(scenario.messages.map((m) => m.id));
  cuts.push(cut(scenario, all, firedList, scenario.consumers));
  const same = JSON.stringify(scenario);
  const seen = new Set<string>();
  return cuts.filter((c) => {
    const key = JSON.stringify(c);
    if (key === same || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The findings' messages plus the messages the fired faults are triggered on. */
function namedMessages(outcome: RunOutcome, fired: readonly Fault[]): Set<string> {
  const ids = new Set(outcome.verdict.findings.flatMap((f) => f.messageIds));
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
