/**
 * CertifyResult values for the report tests, built by hand (histories from the check tests'
 * HistoryBuilder, verdicts from the real check()), plus the real counterexample captured by
 * capture-counterexample.ts.
 */
import { readFileSync } from 'node:fs';
import { history, messages, scenario } from '../../check/__test-helpers__/history-builder.ts';
import { check } from '../../check/check.ts';
import type { CertifyResult } from '../../harness/certify.ts';
import type { FaultKind } from '../../model/fault.ts';
import type { HistoryEvent } from '../../model/history.ts';
import type { JsonValue, Message } from '../../model/message.ts';
import type { Scenario } from '../../model/scenario.ts';

const base = {
  processor: '/repo/fixtures/processors/sqlite-upsert.ts',
  broker: 'kafka-4.4',
  semantics: 'at-least-once',
  runtime: 'kafka-at-least-once',
  runs: 20,
  requestedRuns: 20,
  seed: 42,
  shrinkSteps: 0,
  durationMs: 12_345,
  interrupted: false,
  errors: [],
} as const satisfies Partial<CertifyResult>;

export function passingResult(overrides: Partial<CertifyResult> = {}): CertifyResult {
  return { ok: true, status: 'pass', ...base, ...overrides };
}

export function erroringResult(
  errors: readonly string[] = ['Kafka did not answer within 30 s'],
): CertifyResult {
  return {
    ok: false,
    status: 'incomplete',
    reason: `3 of 5 runs completed; ${errors.length} run(s) failed for infrastructure reasons`,
    ...base,
    runs: 3,
    requestedRuns: 5,
    errors,
    broker: 'rabbitmq-4.0',
    runtime: 'rabbitmq-at-least-once',
  };
}

/** Per-key totals of the messages' `n`, as sqlite-increment's snapshot() returns them. */
function totals(list: readonly Message[]): JsonValue {
  const sums = new Map<string, number>();
  for (const m of list) sums.set(m.key, (sums.get(m.key) ?? 0) + Number((m.payload as { n: number }).n));
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([key, total]) => ({ key, total }));
}

function failing(
  s: Scenario,
  events: readonly HistoryEvent[],
  processed: readonly Message[],
  overrides: Partial<CertifyResult> = {},
): CertifyResult {
  const finalState = totals(processed);
  const referenceState = totals(s.messages);
  const verdict = check({
    scenario: s,
    history: events,
    finalState,
    referenceState,
    liveness: { drained: true, stuckIds: [] },
  });
  return {
    ...base,
    ok: false,
    status: 'fail',
    reason: 'an invariant was violated',
    processor: '/repo/fixtures/processors/sqlite-increment.ts',
    seed: 7,
    path: '3:1:0',
    shrinkSteps: 12,
    firstFailureMs: 4_000,
    counterexample: {
      scenario: s,
      verdict,
      file: '/repo/.ackcheck/counterexample-kafka-1.json',
      outcome: {
        scenario: s,
        history: events,
        finalState,
        referenceState,
        drained: true,
        verdict,
        durationMs: 2_500,
      },
    },
    ...overrides,
  };
}

const withPayload = (list: Message[]): Message[] => list.map((m, i) => ({ ...m, payload: { n: i + 1 } }));

/**
 * Two messages, two workers: w1 is killed while processing m2 (after its write), w2 gets m2
 * again and processes it a second time. The final state counts m2 twice.
 */
export function failingResult(ids: readonly [string, string] = ['m1', 'm2']): CertifyResult {
  const [a, b] = ids;
  const msgs = withPayload(messages(a, b));
  const s = scenario({
    broker: 'kafka',
    messages: msgs,
    consumers: 2,
    kafka: { partitions: 1 },
    faults: [
      {
        trigger: { type: 'phase', messageId: b, phase: 'after-process', attempt: 1 },
        kind: 'consumer-kill',
        params: {},
      },
    ],
  });
  const events = history()
    .produce(a, { partition: 0 })
    .produce(b, { partition: 0 })
    .consume('w1', a, { partition: 0 })
    .deliver('w1', b, { partition: 0 })
    .begin('w1', b)
    .end('w1', b)
    .fault('consumer-kill', 0);
  // The kill is recorded by the dying worker (a phase trigger).
  const last = events.events.at(-1);
  if (last) events.events[events.events.length - 1] = { ...last, process: 'w1' };
  events
    .deliver('w2', b, { partition: 0, redelivered: true })
    .begin('w2', b)
    .end('w2', b)
    .ack('w2', b, { partition: 0 });
  return failing(s, events.events, [...msgs, msgs[1] as Message]);
}

/** Appends a harness fault-heal (the builder has no method for it). */
function heal(events: HistoryEvent[], fault: number, kind: FaultKind): void {
  const seq = events.length;
  events.push({ type: 'fault-heal', process: 'harness', fault, kind, seq, time: seq * 10 });
}

/** Ids and keys that must be escaped everywhere: `<&"` and `</script>`. */
export const NASTY_IDS = ['<m&1"', '</script><script>alert(1)</script>'] as const;

export function nastyResult(): CertifyResult {
  return failingResult([NASTY_IDS[0], NASTY_IDS[1]]);
}

/**
 * `n` messages over three workers with a harness-side broker pause and a progress-triggered
 * kill of w1; every fifth message is processed twice (w2 redelivers it after the kill).
 */
export function largeResult(n = 50): CertifyResult {
  const msgs = withPayload(
    messages(...Array.from({ length: n }, (_, i) => [`m${i + 1}`, `k${i % 4}`] as const)),
  );
  const s = scenario({
    broker: 'kafka',
    messages: msgs,
    consumers: 3,
    kafka: { partitions: 3 },
    faults: [
      { trigger: { type: 'progress', acks: 5 }, kind: 'broker-pause', params: { holdMs: 1000 } },
      { trigger: { type: 'progress', acks: 10 }, kind: 'consumer-kill', params: {} },
    ],
  });
  const h = history();
  for (const m of msgs) h.produce(m.id, { partition: Number(m.key.slice(1)) % 3 });
  const processed: Message[] = [];
  msgs.forEach((m, i) => {
    const worker = `w${(i % 3) + 1}`;
    if (i === 6) h.fault('broker-pause', 0);
    if (i === 9) heal(h.events, 0, 'broker-pause');
    if (i === 12) h.fault('consumer-kill', 1);
    if (i >= 12 && worker === 'w1') {
      h.consume('w4', m.id);
      processed.push(m);
      return;
    }
    h.consume(worker, m.id);
    processed.push(m);
    if (i % 5 === 4) {
      h.deliver('w2', m.id, { redelivered: true })
        .begin('w2', m.id)
        .end('w2', m.id, { outcome: i % 10 === 4 ? 'error' : 'ok' });
      if (i % 10 !== 4) processed.push(m);
    }
  });
  return failing(s, h.events, processed, { runs: 8 });
}

/** The real counterexample (Kafka 4.4, sqlite-increment, consumer-kill), as certify() returned it. */
export function realResult(): CertifyResult {
  return JSON.parse(
    readFileSync(new URL('./kafka-increment.result.json', import.meta.url), 'utf8'),
  ) as CertifyResult;
}

/** A passing certification in which the harness had to replace a stuck consumer (reported only). */
export function stuckConsumerResult(): CertifyResult {
  const s = scenario({ messages: messages('m1', 'm2'), semantics: 'at-least-once' });
  const events = history()
    .produce('m1')
    .produce('m2')
    .consume('w1', 'm1')
    .deliver('w1', 'm2')
    .fault('consumer-restart', -1)
    .consume('w2', 'm2').events;
  const verdict = check({ scenario: s, history: events });
  const finding = verdict.findings.find((f) => f.code === 'stuck-consumer');
  if (!finding) throw new Error('the stuck-consumer fixture raised no stuck-consumer finding');
  return passingResult({ reported: [{ run: 3, finding }] });
}
