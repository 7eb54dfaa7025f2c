/**
 * Suite `runtimes`: ackcheck's four runtimes (Kafka / RabbitMQ × at-least-once / at-most-once)
 * on every supported broker version, RabbitMQ on classic and quorum queues. Each must keep the
 * semantics it promises under every default fault kind (DEFAULT_FAULT_KINDS).
 */
import type { BrokerId } from '../src/brokers/registry.ts';
import { DEFAULT_FAULT_KINDS } from '../src/harness/certify.ts';
import type { Suite, SuiteCell } from '../src/harness/suite.ts';
import type { Semantics } from '../src/model/scenario.ts';
import { UPSERT } from './common.ts';

const SEMANTICS: readonly Semantics[] = ['at-least-once', 'at-most-once'];
const KAFKA: readonly BrokerId[] = ['kafka-3.9', 'kafka-4.4'];
const RABBITMQ: readonly BrokerId[] = ['rabbitmq-3.10', 'rabbitmq-4.0'];

const kafkaCells: SuiteCell[] = KAFKA.flatMap((broker) =>
  SEMANTICS.map((semantics): SuiteCell => ({
    id: `${broker}/${semantics}`,
    configuration: `ackcheck kafka-${semantics} runtime, 1–4 partitions`,
    broker,
    semantics,
    processor: UPSERT,
    faults: DEFAULT_FAULT_KINDS.kafka,
    expect: 'keeps',
  })),
);

const rabbitmqCells: SuiteCell[] = RABBITMQ.flatMap((broker) =>
  (['classic', 'quorum'] as const).flatMap((queueType) =>
    SEMANTICS.map((semantics): SuiteCell => ({
      id: `${broker}/${queueType}/${semantics}`,
      configuration: `ackcheck rabbitmq-${semantics} runtime, ${queueType} queue, prefetch 1–10`,
      broker,
      semantics,
      processor: UPSERT,
      faults: DEFAULT_FAULT_KINDS.rabbitmq,
      rabbitmq: { queueType },
      expect: 'keeps',
    })),
  ),
);

export const runtimesSuite: Suite = {
  name: 'runtimes',
  description:
    "ackcheck's four runtimes on Kafka 3.9 and 4.4, RabbitMQ 3.10 and 4.0 (classic and quorum queues), under every default fault kind",
  cells: [...kafkaCells, ...rabbitmqCells],
};

export default runtimesSuite;
