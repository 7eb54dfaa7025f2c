/**
 * Suite `kafka-clients`: the same processor and consumer-fault scenarios on kafkajs, Confluent's
 * @confluentinc/kafka-javascript and @platformatic/kafka — ackcheck's runtimes on each (both
 * semantics, selected with `client` as `--client` does) and each client's common consumer
 * configurations written as users write them. It answers "is my consumer still at-least-once
 * after the switch?". The expectations are what was measured (README "Kafka clients beside
 * kafkajs" and "Conformance suites"), not what the settings suggest.
 */
import type { Suite, SuiteCell } from '../src/harness/suite.ts';
import { moduleBeside } from '../src/harness/suite.ts';
import type { FaultKind } from '../src/model/fault.ts';
import { processorModule, runtimeModule, UPSERT } from './common.ts';

/** Faults on the consumer side, where clients and their settings differ. */
const CONSUMER_FAULTS: readonly FaultKind[] = [
  'consumer-kill',
  'processor-throw',
  'consumer-join',
  'consumer-leave',
  'consumer-restart',
];
/** At-most-once promises nothing about a crash's message; these are the faults it must survive without duplicating. */
const AT_MOST_ONCE_FAULTS: readonly FaultKind[] = ['consumer-kill', 'processor-throw'];

/** A broken-configuration runtime of fixtures/runtimes/ (users' own runtimes on the client helpers). */
const fixtureRuntime = (name: string): string =>
  moduleBeside(import.meta.url, `../fixtures/runtimes/${name}`);

/** ackcheck's runtime on `client`. */
const builtin = (client: string, semantics: SuiteCell['semantics']): SuiteCell => ({
  id: `${client}/${semantics}`,
  configuration: `ackcheck's runtime (--client ${client}): ${
    semantics === 'at-least-once' ? 'process, then commit offset + 1' : 'commit offset + 1, then process'
  }`,
  broker: 'kafka-4.4',
  semantics,
  client,
  processor: UPSERT,
  faults: semantics === 'at-least-once' ? CONSUMER_FAULTS : AT_MOST_ONCE_FAULTS,
  expect: 'keeps',
});

/** A user's configuration of a client, claiming at-least-once. */
const config = (
  id: string,
  configuration: string,
  runtime: string,
  expect: SuiteCell['expect'],
  extra: Partial<SuiteCell> = {},
): SuiteCell => ({
  id,
  configuration,
  broker: 'kafka-4.4',
  semantics: 'at-least-once',
  runtime,
  processor: processorModule('slow-upsert'),
  faults: CONSUMER_FAULTS,
  expect,
  ...extra,
});

/** A loss needs a crash while work is in hand: every scenario has one, and a few runs. */
const LOSS = { faults: ['consumer-kill'], minFaults: 1, budget: { short: { runs: 4 } } } as const;

export const kafkaClientsSuite: Suite = {
  name: 'kafka-clients',
  description:
    "kafkajs, Confluent's and Platformatic's Kafka clients on Kafka 4.4: ackcheck's runtimes and common user configurations under consumer faults",
  cells: [
    builtin('kafkajs', 'at-least-once'),
    builtin('kafkajs', 'at-most-once'),
    config(
      'kafkajs/autocommit-interval',
      'kafkajs eachMessage, autoCommit (interval 500 ms), awaited handler',
      runtimeModule('autocommit-interval'),
      'keeps',
    ),
    config(
      'kafkajs/eachbatch-autoresolve',
      'kafkajs eachBatch, eachBatchAutoResolve, autoCommit, docs loop',
      runtimeModule('eachbatch-autoresolve'),
      'keeps',
    ),
    config(
      'kafkajs/manual-commit',
      'kafkajs eachMessage, autoCommit off, commitOffsets after processing',
      runtimeModule('manual-commit'),
      'keeps',
    ),
    config(
      'kafkajs/autocommit-background',
      'kafkajs eachMessage, autoCommit, handler queues the work (not awaited)',
      runtimeModule('autocommit-background'),
      'loses',
      LOSS,
    ),
    builtin('confluent', 'at-least-once'),
    builtin('confluent', 'at-most-once'),
    config(
      'confluent/autocommit-background',
      'Confluent KafkaJS API, eachMessage, default autoCommit (interval 200 ms), handler hands the work to a background task',
      fixtureRuntime('confluent-autocommit-background'),
      'loses',
      { ...LOSS, processor: UPSERT },
    ),
    config(
      'confluent/autocommit-awaited',
      'Confluent KafkaJS API, eachMessage, default autoCommit (every 5 s), awaited handler',
      runtimeModule('confluent-autocommit-awaited'),
      'keeps',
    ),
    config(
      'confluent/eachbatch-autoresolve',
      'Confluent KafkaJS API, eachBatch, default autoCommit and eachBatchAutoResolve, docs loop',
      runtimeModule('confluent-eachbatch'),
      'keeps',
    ),
    config(
      'confluent/native-autostore',
      "Confluent native API (KafkaConsumer), consume() loop, each message processed before the next, librdkafka's auto-commit (interval 100 ms) and auto offset store",
      runtimeModule('confluent-native-autostore'),
      'loses',
      LOSS,
    ),
    config(
      'confluent/native-store-after',
      'Confluent native API (KafkaConsumer), consume() loop, auto-commit (100 ms), enable.auto.offset.store false, offsetsStore after processing',
      runtimeModule('confluent-native-store-after'),
      'keeps',
    ),
    builtin('platformatic', 'at-least-once'),
    builtin('platformatic', 'at-most-once'),
    config(
      'platformatic/stream-autocommit',
      "platformatic stream, default autocommit: true (mode 'committed'), each message processed before the next",
      fixtureRuntime('platformatic-stream-autocommit'),
      'loses',
      { ...LOSS, processor: UPSERT },
    ),
    config(
      'platformatic/defaults',
      "platformatic stream on the client's defaults (mode 'latest', fallbackMode 'latest', autocommit), as its README shows",
      runtimeModule('platformatic-defaults'),
      // Measured: the stream starts at the end of the log, so the messages produced before it
      // are never read nor committed past: the run never drains (liveness), short of a loss.
      'stalls',
      { faults: [], processor: UPSERT, budget: { short: { runs: 2, drainTimeoutMs: 15_000 } } },
    ),
  ],
};

export default kafkaClientsSuite;
