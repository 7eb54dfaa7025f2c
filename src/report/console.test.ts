import { describe, expect, it } from 'vitest';
import {
  erroringResult,
  failingResult,
  largeResult,
  passingResult,
  stuckConsumerResult,
  realResult,
} from './__fixtures__/results.ts';
import { COVERAGE } from './__fixtures__/coverage.ts';
import { eventTable, formatResult, formatScenario } from './console.ts';

const ESC = '\u001b[';

describe('formatResult', () => {
  it('a passing result is one PASS line with processor, broker, semantics, runtime, runs, seed, duration', () => {
    const text = formatResult(passingResult());
    expect(text).toBe(
      'PASS sqlite-upsert on kafka-4.4 (at-least-once), runtime kafka-at-least-once, 20 runs, seed 42, 12.3 s',
    );
  });

  it('a failure names each finding, its messages and events, the scenario, the state diff and the replay command', () => {
    const text = formatResult(failingResult());
    expect(text.split('\n')[0]).toMatch(/^FAIL sqlite-increment on kafka-4\.4 \(at-least-once\), .*seed 7/);
    expect(text).toContain('final-state (idempotent-state, violation):');
    expect(text).toContain('duplicated (at-most-once, reported only):');
    expect(text).toContain('messages: m2');
    // the explaining events, as a table
    expect(text).toMatch(/seq +time +process +type +id/);
    expect(text).toMatch(/\n +10 +100ms +w2 +deliver +m2 +redelivered, partition 0\n/);
    // the shrunk scenario
    expect(text).toContain('counterexample (12 shrink steps):');
    expect(text).toContain('kafka, at-least-once, 2 consumers, 1 partition(s)');
    expect(text).toMatch(/m1 +key k +\{"n":1\}/);
    expect(text).toContain('producer duplicates: none');
    expect(text).toContain('#0 consumer-kill at after-process of m2 (attempt 1)');
    // the final-state diff and the replay command
    expect(text).toContain(
      'final state differs from the exactly-once reference:\n    $[0].total: expected 3, got 5',
    );
    expect(text).toContain('replay: ackcheck replay /repo/.ackcheck/counterexample-kafka-1.json');
    expect(text).toContain('fast-check path 3:1:0');
    expect(text).not.toContain(ESC);
  });

  it('colours only when asked', () => {
    expect(formatResult(failingResult(), { color: true })).toContain(`${ESC}31mFAIL${ESC}0m`);
    expect(formatResult(passingResult(), { color: true })).toContain(`${ESC}32mPASS${ESC}0m`);
    expect(formatResult(failingResult(), { color: false })).not.toContain(ESC);
  });

  it('an erroring result lists its infrastructure errors', () => {
    const text = formatResult(erroringResult(['Kafka did not answer', 'worker w1 exited']));
    expect(text.split('\n')[0]).toMatch(
      /^INCOMPLETE sqlite-upsert on rabbitmq-4\.0 \(at-least-once\), runtime \S+, 3 of 5 runs/,
    );
    expect(text.split('\n')[1]).toMatch(
      /^ {2}3 of 5 runs completed; 2 run\(s\) failed for infrastructure reasons/,
    );
    expect(text).toContain('infrastructure errors');
    expect(text).toContain('- Kafka did not answer\n    - worker w1 exited');
  });

  it('quotes a replay file a shell would split', () => {
    const r = failingResult();
    const ce = r.counterexample;
    if (!ce) throw new Error('fixture without counterexample');
    const text = formatResult({ ...r, counterexample: { ...ce, file: "/tmp/my dir/it's.json" } });
    expect(text).toContain(`ackcheck replay '/tmp/my dir/it'\\''s.json'`);
  });

  it('describes a real counterexample: crashes at a phase, replacement workers, the faults as they happened', () => {
    const text = formatResult(realResult());
    expect(text.split('\n')[0]).toMatch(
      /^FAIL sqlite-increment on kafka-4\.4 \(at-least-once\), .*1 run, seed 23/,
    );
    expect(text).toContain('#0 consumer-kill at during-process of m6 (attempt 1)');
    expect(text).toMatch(/\n +37 +13721ms +w1#3 +deliver +m6 +partition 0, offset 1\n/);
    expect(text).toContain('$[1].total: expected 1029, got 1184');
    expect(text).toMatch(
      /faults as they happened:\n.*seq.*\n +12 +8282ms +w1 +fault-start +fault #1 consumer-kill, before-process\n +36 +11381ms +w1#2 +fault-start +fault #0 consumer-kill, during-process\n/,
    );
  });
});

describe('reported findings', () => {
  it('a passing result lists its reported findings (stuck-consumer) with run, messages and events', () => {
    const text = formatResult(stuckConsumerResult());
    expect(text).toMatch(/^PASS /);
    expect(text).toMatch(
      /reported \(seen in the runs, not violations\):\n {2}stuck-consumer \(liveness, run 3\): After the faults healed/,
    );
    expect(text).toContain('    messages: m2');
    expect(text).toMatch(/fault-start\s+fault #-1 consumer-restart/);
  });
});

describe('eventTable', () => {
  it('aligns every column', () => {
    const events = largeResult(12).counterexample?.outcome.history ?? [];
    const lines = eventTable(events).split('\n');
    expect(lines).toHaveLength(events.length + 1);
    const typeColumn = (lines[0] ?? '').indexOf('type');
    for (const line of lines.slice(1)) expect(line.slice(typeColumn - 2, typeColumn)).toBe('  ');
    expect(lines.slice(1).every((l) => /^( *\d+) +\d+ms /.test(l))).toBe(true);
  });
});

describe('formatScenario', () => {
  it('shows RabbitMQ prefetch and queue type, producer duplicates and progress triggers', () => {
    const base = failingResult().counterexample?.scenario;
    if (!base) throw new Error('fixture without scenario');
    const text = formatScenario({
      ...base,
      broker: 'rabbitmq',
      rabbitmq: { prefetch: 5, queueType: 'quorum' },
      producerDuplicates: ['m1'],
      faults: [{ trigger: { type: 'progress', acks: 3 }, kind: 'broker-pause', params: { holdMs: 1500 } }],
    });
    expect(text).toContain('rabbitmq, at-least-once, 2 consumers, prefetch 5, quorum queue');
    expect(text).toContain('producer duplicates: m1');
    expect(text).toContain('#0 broker-pause after 3 acks (holdMs 1500)');
  });
});

describe('coverage in the console report', () => {
  it('says how many fault cells were exercised and which were not', () => {
    const text = formatResult(passingResult({ coverage: COVERAGE }));
    expect(text).toContain('coverage: 2 of 3 fault cells exercised (1 drawn but never fired)');
    expect(text).toContain('not exercised: broker-kill@progress');
  });
});
