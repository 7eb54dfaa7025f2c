/**
 * Verdict-guided shrinking: before fast-check's generic shrink, the scenario cut to what the
 * verdict of a failing run names. fast-check shrinks blindly (drop a message, drop a fault,
 * retry), which on a real broker costs seconds a step and often stalls at "8 messages, 0 faults:
 * passes / 8 messages, 1 fault: fails"; the verdict already says which messages matter (the
 * findings' ids), which faults did anything (fault-start events) and which consumers took part
 * (the workers that delivered those messages; also all of them when a message was never
 * delivered, since who lost it is unknown). Cuts: the messages the fired faults target,
 * then every message a violation names, each with one fired fault, with all of them, and
 * with every fault; then every message with only the fired faults. They are tried smallest
 * first; each is a real run, and a cut that still fails is cut again from its own verdict.
 *
 * A finding often names more messages than its failure needs: an order finding names every
 * message of a key that overtook or was overtaken (two are enough), a lost finding every
 * message lost with the one a crash hit (one is enough). So the named messages are also cut in
 * parts (always with the fired faults' targets): each finding's own, each half, and each
 * without one of them.
 * And since what a message goes through can depend on its neighbours, more cuts in case the
 * named ones alone pass (the fired faults' targets, then all named messages, each set): with the message just before each (in the same partition on Kafka: a
 * batch it was fetched with, a prefetch it shared), and with the next message of each one's
 * key (a stale delivery of the named message overwrote it: a final-state finding names the
 * message delivered twice, not the newer one whose value it overwrote).
 */
import { firedFaults } from '../../model/coverage.ts';
import type { Fault } from '../../model/fault.ts';
import type { RunOutcome } from '../../model/results.ts';
import { isPartitioned, type Scenario } from '../../model/scenario.ts';
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
  const cutFor = (messages: ReadonlySet<string>, faults: readonly Fault[]) => {
    for (const consumers of consumerCounts(outcome, messages))
      cuts.push(cut(scenario, messages, faults, consumers));
  };
  for (const messages of [targets, named]) {
    if (messages.size === 0) continue;
    const [consumers = 1] = consumerCounts(outcome, messages);
    if (firedList.length > 1)
      for (const fault of firedList) cuts.push(cut(scenario, messages, [fault], consumers));
    cuts.push(cut(scenario, messages, firedList, consumers));
    cuts.push(cut(scenario, messages, firedList, scenario.consumers));
  }
  // The fired faults' targets with their neighbours, before the parts of the named messages: a
  // run with a stall costs seconds, and the target with the next message of its key is often
  // the whole counterexample (the zombie's stale write over a newer value).
  if (targets.size > 0)
    for (const neighbours of [withNextOfKey(scenario, targets), withPredecessors(outcome, targets)])
      cutFor(neighbours, firedList);
  // Several findings: each one's messages alone (with the fired faults' targets).
  const violations = outcome.verdict.findings.filter((f) => f.violation && f.messageIds.length > 0);
  if (violations.length > 1)
    for (const finding of violations) {
      const own = new Set([...targets, ...finding.messageIds.filter((id) => named.has(id))]);
      cutFor(own, firedList);
    }
  const { halves, allButOne } = parts(scenario, named, targets);
  for (const part of halves) {
    cutFor(part, firedList);
    const withBefore = withPredecessors(outcome, part);
    cutFor(withBefore, firedList);
  }
  for (const part of allButOne) cutFor(part, firedList);
  if (named.size > 0) {
    for (const neighbours of [withPredecessors(outcome, named), withNextOfKey(scenario, named)])
      cutFor(neighbours, firedList);
    cuts.push(cut(scenario, named, scenario.faults, scenario.consumers));
  }
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

/** Largest named set cut "all but one" (each part costs a run when it is tried); halves at any size. */
const MAX_PARTED = 8;

/**
 * Parts of the named messages, each with every target of a fired fault: the first and the
 * second half of the others (in produce order), and (up to MAX_PARTED of them) the others
 * without one of them. A half that still fails is halved again from its own verdict.
 */
function parts(
  scenario: Scenario,
  named: ReadonlySet<string>,
  targets: ReadonlySet<string>,
): { halves: Set<string>[]; allButOne: Set<string>[] } {
  const others = scenario.messages.map((m) => m.id).filter((id) => named.has(id) && !targets.has(id));
  if (others.length < 2) return { halves: [], allButOne: [] };
  const withTargets = (subset: readonly string[]) => new Set([...targets, ...subset]);
  const half = Math.ceil(others.length / 2);
  return {
    halves: [others.slice(0, half), others.slice(half)].map(withTargets),
    allButOne:
      others.length > 2 && others.length <= MAX_PARTED
        ? others.map((_, i) => withTargets(others.filter((_, j) => j !== i)))
        : [],
  };
}

/**
 * These messages and, for each, the message produced just before it in the same partition
 * (Kafka, as delivered in this run) or queue: the batch or prefetch it shared.
 */
function withPredecessors(outcome: RunOutcome, ids: ReadonlySet<string>): Set<string> {
  // Kafka: the partition the message was written to (its confirmed publish), else delivered from.
  const partition = new Map<string, number>();
  for (const e of outcome.history)
    if ((e.type === 'produce' || e.type === 'deliver') && e.partition !== undefined && !partition.has(e.id))
      partition.set(e.id, e.partition);
  const out = new Set(ids);
  const last = new Map<number | undefined, string>();
  for (const { id } of outcome.scenario.messages) {
    const lane = isPartitioned(outcome.scenario) ? partition.get(id) : undefined;
    const before = last.get(lane);
    if (ids.has(id) && before !== undefined) out.add(before);
    last.set(lane, id);
  }
  return out;
}

/** These messages and, for each, the next message produced with its key. */
function withNextOfKey(scenario: Scenario, ids: ReadonlySet<string>): Set<string> {
  const out = new Set(ids);
  const waiting = new Set<string>(); // keys of named messages whose next message is not seen yet
  for (const m of scenario.messages) {
    if (waiting.delete(m.key)) out.add(m.id);
    if (ids.has(m.id)) waiting.add(m.key);
  }
  return out;
}

/**
 * How many consumers a cut to these messages gets: the workers ("w2", a replacement "w2#2"
 * counts as w2) that delivered one of them, at least 1 — and also every consumer when one of
 * them was never delivered at all: who took part in its fate is unknown then (a consumer that
 * fetched and committed it before losing its partitions in a rebalance reports nothing), and
 * the group's rebalances may be what failed.
 */
function consumerCounts(outcome: RunOutcome, ids: ReadonlySet<string>): number[] {
  const delivered = new Set<string>();
  const workers = new Set<string>();
  for (const e of outcome.history)
    if (e.type === 'deliver' && ids.has(e.id)) {
      delivered.add(e.id);
      workers.add(e.process.replace(/#\d+$/, ''));
    }
  const takingPart = Math.max(1, Math.min(outcome.scenario.consumers, workers.size));
  return delivered.size < ids.size && takingPart < outcome.scenario.consumers
    ? [takingPart, outcome.scenario.consumers]
    : [takingPart];
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
