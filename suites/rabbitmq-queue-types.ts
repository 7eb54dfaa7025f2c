/**
 * Suite `rabbitmq-queue-types`: classic vs quorum queues, prefetch 1 vs 10, `noAck`, requeue
 * or not on nack/reject, and what happens to a message that always fails (RabbitMQ 4.0 quorum
 * queues have a default delivery limit of 20). Expectations are what we measured.
 */
import type { BrokerId } from '../src/brokers/registry.ts';
import { DEFAULT_FAULT_KINDS } from '../src/harness/certify.ts';
import type { Suite, SuiteCell } from '../src/harness/suite.ts';
import { deliveriesOf, processorModule, runtimeModule, UPSERT } from './common.ts';
import { POISONED_ID } from './processors/poisoned-upsert.ts';

const BROKER: BrokerId = 'rabbitmq-4.0';

const queueCells: SuiteCell[] = (['classic', 'quorum'] as const).flatMap((queueType) =>
  ([1, 10] as const).map((prefetch): SuiteCell => ({
    id: `${queueType}/prefetch-${prefetch}`,
    configuration: `${queueType} queue, prefetch ${prefetch}, ack after processing, nack+requeue on error`,
    broker: BROKER,
    semantics: 'at-least-once',
    processor: UPSERT,
    faults: DEFAULT_FAULT_KINDS.rabbitmq,
    rabbitmq: { queueType, prefetch },
    expect: 'keeps',
  })),
);

const clientCell = (
  name: string,
  configuration: string,
  expect: SuiteCell['expect'],
  faults: SuiteCell['faults'],
): SuiteCell => ({
  id: name,
  configuration,
  broker: BROKER,
  semantics: 'at-least-once',
  runtime: runtimeModule(`amqp-${name}`),
  processor: UPSERT,
  faults,
  rabbitmq: { queueType: 'classic' },
  expect,
  ...(expect === 'keeps' ? {} : { minFaults: 1, budget: { short: { runs: 4 } } }),
});

/**
 * A message that always fails, nacked with requeue 20 ms after each failure. The short pause
 * keeps redeliveries close together: the drain check sees only *ready* messages, so a long
 * pause while the consumer holds the message could end a run early (README "Limitations").
 */
const poisonCell = (
  broker: BrokerId,
  queueType: 'classic' | 'quorum',
  expect: SuiteCell['expect'],
): SuiteCell => ({
  id: `poison/${broker}/${queueType}`,
  configuration: `${broker} ${queueType} queue: ${POISONED_ID} always fails, nack+requeue after 20 ms`,
  broker,
  semantics: 'at-least-once',
  runtime: runtimeModule('amqp-nack-requeue-fast'),
  processor: processorModule('poisoned-upsert'),
  faults: [],
  rabbitmq: { queueType, prefetch: 1 },
  expect,
  // A dropped message drains the queue (the run ends by itself); one redelivered forever is
  // stopped by the drain deadline, long enough for well over 20 deliveries.
  budget: {
    short: { runs: 1, maxMessages: 2, drainTimeoutMs: expect === 'stalls' ? 8_000 : 30_000 },
    full: { runs: 3, maxMessages: 5, drainTimeoutMs: 30_000 },
  },
  measure: (result) => deliveriesOf(POISONED_ID, result),
});

export const rabbitmqQueueTypesSuite: Suite = {
  name: 'rabbitmq-queue-types',
  description:
    'RabbitMQ queue types, prefetch, noAck, requeue on nack/reject, and the quorum-queue delivery limit, by measurement',
  cells: [
    ...queueCells,
    clientCell('noack', 'noAck: true, claimed at-least-once', 'loses', ['consumer-kill']),
    clientCell('nack-no-requeue', 'nack without requeue on a processor error', 'loses', ['processor-throw']),
    clientCell('reject-requeue', 'reject with requeue on a processor error', 'keeps', [
      'processor-throw',
      'consumer-kill',
    ]),
    clientCell('reject-no-requeue', 'reject without requeue on a processor error', 'loses', [
      'processor-throw',
    ]),
    poisonCell('rabbitmq-4.0', 'quorum', 'loses'),
    poisonCell('rabbitmq-4.0', 'classic', 'stalls'),
    poisonCell('rabbitmq-3.10', 'quorum', 'stalls'),
  ],
};

export default rabbitmqQueueTypesSuite;
