/**
 * The two RabbitMQ faults that needed broker work:
 * - consumer-stall: the kit's broker takes a delivery back after its 4 s consumer timeout
 *   (src/brokers/rabbitmq/recipe.ts) and the worker's stall outlasts it, so the stalled
 *   message is redelivered to a fresh consumer; a correct processor still passes;
 * - broker-kill on a quorum queue declared just before: provisionQueue's `killSafe` waits
 *   until the queue would survive a SIGKILL (QUORUM_KILL_SAFE_MS), so it comes back.
 *   (ACKCHECK_TEST_NO_KILL_SAFE=1 turns the wait off: the test then fails, as measured.)
 * - broker-kill that loses the run's queue (RabbitMQ 4.0 can, README "Limitations"): the run
 *   fails as BROKER_LOST_TARGET (infrastructure, skipped), not with findings against the
 *   processor nor as a bare WORKER_FAILED. The loss is simulated: the kill also deletes the queue.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import amqp from 'amqplib';
import { StartedBroker } from '../brokers/container/started-broker.ts';
import { provisionQueue } from '../brokers/rabbitmq/admin.ts';
import { RABBITMQ_CONSUMER_TIMEOUT } from '../brokers/rabbitmq/recipe.ts';
import { withTimeout } from '../deadline.ts';
import { isAckcheckError } from '../errors.ts';
import type { BrokerFault } from '../brokers/container/started-broker.ts';
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
    expect(info.consumerTimeout).toEqual(RABBITMQ_CONSUMER_TIMEOUT);
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

  it('a quorum queue declared kill-safe survives a SIGKILL of the broker right after', async () => {
    const info = rabbit as NonNullable<typeof rabbit>;
    await using queue = await provisionQueue(info, {
      type: 'quorum',
      killSafe: process.env.ACKCHECK_TEST_NO_KILL_SAFE !== '1',
    });
    await new StartedBroker(info, false).injectFault('kill', 0);
    // Without the wait the queue comes back "as a new member" and never confirms (README "Limitations").
    const connection = await amqp.connect(info.amqpUrl as string);
    connection.on('error', () => undefined);
    try {
      const channel = await connection.createConfirmChannel();
      channel.on('error', () => undefined);
      channel.sendToQueue(queue.name, Buffer.from('after the kill'), { persistent: true });
      await withTimeout(channel.waitForConfirms(), 10_000, 'the publish was not confirmed within 10 s');
      const { messageCount } = await channel.checkQueue(queue.name);
      expect(messageCount).toBe(1);
    } finally {
      await connection.close().catch(() => undefined);
    }
  });

  it('a run whose queue the broker lost in a kill is an infrastructure error, not lost messages', async () => {
    const info = rabbit as NonNullable<typeof rabbit>;
    const queues = () =>
      execFileSync('docker', [
        'exec',
        info.containerId,
        'rabbitmqctl',
        'list_queues',
        '-q',
        '--no-table-headers',
        'name',
      ])
        .toString()
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l.startsWith('ackcheck-'));
    const before = new Set(queues());
    /** Kills the broker, and deletes the queues declared since `before` as the broker can lose them. */
    class QueueLosingBroker extends StartedBroker {
      override async injectFault(fault: BrokerFault, holdMs?: number): Promise<void> {
        await super.injectFault(fault, holdMs);
        if (fault !== 'kill') return;
        const connection = await amqp.connect(info.amqpUrl as string);
        connection.on('error', () => undefined);
        try {
          const channel = await connection.createChannel();
          for (const q of queues()) if (!before.has(q)) await channel.deleteQueue(q);
        } finally {
          await connection.close().catch(() => undefined);
        }
      }
    }
    const run = runScenario(
      {
        broker: 'rabbitmq',
        semantics: 'at-least-once',
        messages: ['m1', 'm2', 'm3', 'm4'].map((id, n) => ({ id, key: `k${n}`, payload: { n } })),
        producerDuplicates: [],
        consumers: 1,
        rabbitmq: { prefetch: 1, queueType: 'classic' },
        faults: [{ trigger: { type: 'progress', acks: 1 }, kind: 'broker-kill', params: { holdMs: 200 } }],
      },
      { ...options(), broker: new QueueLosingBroker(info, false), drainTimeoutMs: 5_000 },
    );
    const error = await run.then(
      (outcome) =>
        new Error(
          `the run ended with findings ${JSON.stringify(outcome.verdict.findings.map((f) => f.code))}`,
        ),
      (e: unknown) => e,
    );
    expect(isAckcheckError(error, 'BROKER_LOST_TARGET'), String(error)).toBe(true);
  });
});
