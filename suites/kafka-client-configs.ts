/**
 * Suite `kafka-client-configs`: common kafkajs consumer settings, each written as a runtime
 * module (suites/runtimes/) that claims at-least-once, certified under consumer faults to
 * classify what it actually delivers. The processor is an idempotent upsert that takes 20 ms,
 * like a real one doing I/O. The expectations are what we measured (README
 * "Conformance suites"), not what the settings suggest.
 */
import type { FaultKind } from '../src/model/fault.ts';
import type { Suite, SuiteCell } from '../src/harness/suite.ts';
import { processorModule, runtimeModule } from './common.ts';

/** The idempotent upsert after 20 ms of simulated I/O (suites/processors/slow-upsert.ts). */
const PROCESSOR = processorModule('slow-upsert');

/** Faults on the consumer side, where client settings differ; broker faults are the runtimes suite's. */
const CONSUMER_FAULTS: readonly FaultKind[] = [
  'consumer-kill',
  'processor-throw',
  'consumer-join',
  'consumer-leave',
  'consumer-restart',
];

const cell = (
  name: string,
  configuration: string,
  expect: SuiteCell['expect'],
  extra: Partial<SuiteCell> = {},
): SuiteCell => ({
  id: name,
  configuration,
  broker: 'kafka-4.4',
  semantics: 'at-least-once',
  runtime: runtimeModule(name),
  processor: PROCESSOR,
  faults: CONSUMER_FAULTS,
  expect,
  ...extra,
});

export const kafkaClientConfigsSuite: Suite = {
  name: 'kafka-client-configs',
  description:
    'kafkajs consumer settings on Kafka 4.4, classified by what they deliver under consumer faults',
  cells: [
    cell(
      'autocommit-interval',
      'eachMessage, autoCommit, autoCommitInterval 500 ms, awaited handler',
      'keeps',
    ),
    cell('autocommit-threshold', 'eachMessage, autoCommit, autoCommitThreshold 3, awaited handler', 'keeps'),
    cell(
      'autocommit-background',
      'eachMessage, autoCommit, handler queues the work in-process (not awaited)',
      'loses',
      {
        faults: ['consumer-kill'],
        minFaults: 1,
        budget: { short: { runs: 4 } },
      },
    ),
    cell('eachbatch-autoresolve', 'eachBatch, eachBatchAutoResolve, autoCommit, docs loop', 'keeps'),
    cell('eachbatch-resolve-each', 'eachBatch, resolveOffset per message, autoCommit', 'keeps'),
    cell('manual-commit', 'eachMessage, autoCommit off, commitOffsets after processing', 'keeps'),
  ],
};

export default kafkaClientConfigsSuite;
