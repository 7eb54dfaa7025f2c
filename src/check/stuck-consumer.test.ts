import { describe, expect, it } from 'vitest';
import { history, messages, scenario } from './__test-helpers__/history-builder.ts';
import { check } from './check.ts';
import { CONSUMER_REFRESH_FAULT, stuckConsumerFindings } from './stuck-consumer.ts';

const ids = messages('m1', 'm2', 'm3');
const atLeastOnce = scenario({ messages: ids, semantics: 'at-least-once' });

/** w1 processes m1, stops; the harness replaces it; w2 processes the rest. */
function refreshed() {
  return history()
    .produce('m1')
    .produce('m2')
    .produce('m3')
    .consume('w1', 'm1')
    .deliver('w1', 'm2')
    .fault('consumer-restart', CONSUMER_REFRESH_FAULT)
    .consume('w2', 'm2')
    .consume('w2', 'm3');
}

describe('stuck-consumer', () => {
  it('reports a consumer replacement with the messages pending then and the events behind it', () => {
    const h = refreshed().events;
    const [finding, ...rest] = stuckConsumerFindings(h, false);
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({
      code: 'stuck-consumer',
      invariant: 'liveness',
      violation: false,
      messageIds: ['m2', 'm3'],
    });
    // The replacement itself, and the last thing each pending message did before it.
    expect(finding?.events.map((e) => [e.type, 'id' in e ? e.id : e.fault])).toEqual([
      ['produce', 'm3'],
      ['deliver', 'm2'],
      ['fault-start', CONSUMER_REFRESH_FAULT],
    ]);
    expect(finding?.detail).toMatch(/replaced them \(1 time\(s\)\).*Reported only; failOnStuckConsumer/);
  });

  it('is only reported by default, and a violation with failOnStuckConsumer', () => {
    const h = refreshed().events;
    const reported = check({ scenario: atLeastOnce, history: h });
    expect(reported.valid).toBe(true);
    expect(reported.findings.map((f) => [f.code, f.violation])).toEqual([['stuck-consumer', false]]);
    const failed = check({ scenario: atLeastOnce, history: h, failOnStuckConsumer: true });
    expect(failed.valid).toBe(false);
    expect(failed.findings.map((f) => [f.code, f.violation])).toEqual([['stuck-consumer', true]]);
  });

  it('says nothing when no consumer was replaced, even around scheduled consumer restarts', () => {
    const h = history().produce('m1').fault('consumer-restart', 0).consume('w1', 'm1').events;
    expect(stuckConsumerFindings(h, true)).toEqual([]);
  });
});
