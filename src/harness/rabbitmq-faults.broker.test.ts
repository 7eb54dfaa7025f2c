/**
 * The two RabbitMQ faults that needed broker work:
 * - consumer-stall: the kit's broker takes a delivery back after its 5 s consumer timeout
 *   (src/brokers/rabbitmq/recipe.ts) and the worker's stall outlasts it, so the stalled
 *   message is redelivered to a fresh consumer; a correct processor still passes;
 * - broker-kill on a quorum queue declared by the run: the run waits until the queue would
 *   survive a SIGKILL (QUORUM_KILL_SAFE_MS), so it comes back and the run drains.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { StartedBroker } from '../brokers/broker.ts';
import { brokers } from '../vitest/index.ts';
import { type RunScenarioOptions, runScenario } from './run-scenario.ts';

const UPSERT = fileURLToPath(new URL('../../fixtures/processors/sqlite-upsert.ts', import.meta.url));
const rabbit = brokers('rabbitmq').at(-1);

const options = (): RunScenarioOptions => ({
  broker: new StartedBroker(rabbit as NonNullable<typeof rabbit>, false),
  processorModule: UPSERT,
  runtime: { builtin: 'rabbitmq', semantics: 'at-least-once' },
  workDir: mkdtempSync(join(tmpdir(), 'ackcheck-rabbitmq-faults-')),
});

describe.runIf(rabbit)('RabbitMQ faults', () => {
  it('outlasts the consumer timeout: the broker takes the delivery back and redelivers it', async () => {
    const info = rabbit as NonNullable<typeof rabbit>;
    expect(info.consumerTimeout?.timeoutMs).toBe(5_000);
    const outcome = await runScenario(
      {
        broker: 'rabbitmq',
        semantics: 'at-least-once',
        messages: [
          { id: 'm1', key: 'k1', payload: { n: 1 } },
          { id: 'm2', key: 'k2', payload: { n: 2 } },
        ],
        producerDuplicates: [],
        consumers: 1,
        rabbitmq: { prefetch: 1, queueType: 'classic' },
        faults: [
          {
            trigger: { type: 'phase', messageId: 'm1', phase: 'before-process', attempt: 1 },
            kind: 'consumer-stall',
            params: { holdMs: 500 },
          },
        ],
      },
      options(),
    );
    expect(outcome.verdict.valid, JSON.stringify(outcome.verdict.findings)).toBe(true);
    const m1 = outcome.history.filter((e) => e.type === 'deliver' && e.id === 'm1');
    expect(m1.map((e) => e.type === 'deliver' && e.redelivered)).toEqual([false, true]);
    // The stalled worker lost its channel and was replaced.
    expect(new Set(m1.map((e) => e.process)).size).toBe(2);
    console.log(`consumer-stall run on ${info.id}: ${outcome.durationMs} ms`);
  });

  it('broker-kill right after a quorum queue is declared: the queue comes back and the run drains', async () => {
    const outcome = await runScenario(
      {
        broker: 'rabbitmq',
        semantics: 'at-least-once',
        messages: [1, 2, 3].map((n) => ({ id: `m${n}`, key: `k${n}`, payload: { n } })),
        producerDuplicates: [],
        consumers: 1,
        rabbitmq: { prefetch: 1, queueType: 'quorum' },
        faults: [{ trigger: { type: 'progress', acks: 0 }, kind: 'broker-kill', params: { holdMs: 500 } }],
      },
      options(),
    );
    expect(outcome.drained).toBe(true);
    expect(outcome.verdict.valid, JSON.stringify(outcome.verdict.findings)).toBe(true);
    expect(outcome.history.some((e) => e.type === 'fault-heal' && e.kind === 'broker-kill')).toBe(true);
  });
});
