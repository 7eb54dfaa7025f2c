/** certify()'s options, their defaults, and their validation. */
import { availableParallelism } from 'node:os';
import { brokerVersion, type BrokerName } from '../../brokers/registry.ts';
import { AckcheckError, describeError } from '../../errors.ts';
import type { BrokerInfo, BrokerKind } from '../../model/broker.ts';
import { FAULT_KINDS, type FaultKind } from '../../model/fault.ts';
import type { CertifyProgress } from '../../model/results.ts';
import type { Semantics } from '../../model/scenario.ts';

/**
 * Fault kinds certify() injects by default, per broker: every kind on both. (On RabbitMQ a
 * scenario with a broker-kill waits for its quorum queue to be on disk first, see
 * QUORUM_KILL_SAFE_MS; its consumer-stall outlasts the kit broker's 4 s consumer timeout.)
 */
export const DEFAULT_FAULT_KINDS: Readonly<Record<BrokerKind, readonly FaultKind[]>> = {
  kafka: FAULT_KINDS,
  rabbitmq: FAULT_KINDS,
};

/** Runs that fail for infrastructure reasons before certify() gives up (each is topped up). */
export const MAX_RUN_ERRORS = 3;

export interface CertifyOptions {
  /** Path of the processor module (default export or `processor`). */
  processor: string;
  /**
   * A broker id or kind (`'kafka'`: its newest version), started or reused for this call, or a
   * running broker (e.g. from `ackcheck/vitest`).
   */
  broker: BrokerName | BrokerInfo;
  semantics: Semantics;
  /** Module exporting `createRuntime({ broker })`. Default: ackcheck's runtime for the broker and semantics. */
  runtime?: string;
  /**
   * The client library of ackcheck's built-in runtime (ignored with `runtime`). Kafka: `kafkajs`
   * (default), `confluent` (@confluentinc/kafka-javascript), `platformatic` (@platformatic/kafka);
   * RabbitMQ: `amqplib`. The optional clients must be installed in your project.
   */
  client?: string;
  /** Property runs. Default 20. */
  runs?: number;
  /** Total time budget in ms; runs stop when it is spent. Default 600 000. */
  timeLimit?: number;
  /** Time budget for shrinking once a failure is found, in ms (0: do not shrink). Default 120 000. */
  shrinkTimeLimit?: number;
  seed?: number;
  /** Fault kinds to draw from. Default DEFAULT_FAULT_KINDS[broker kind]. */
  faults?: readonly FaultKind[];
  /** At most this many faults per scenario. Default 2. */
  maxFaults?: number;
  /** At least this many faults per scenario. Default 0. */
  minFaults?: number;
  /** Messages per scenario, at most. Default 20. */
  maxMessages?: number;
  /** Messages per scenario, at least (>= 1: a run without messages exercises nothing). Default 1. */
  minMessages?: number;
  /** Pin Kafka settings instead of drawing them (partitions 1..4). */
  kafka?: { partitions?: number };
  /** Pin RabbitMQ settings instead of drawing them (queue type, prefetch 1..10). */
  rabbitmq?: { queueType?: 'classic' | 'quorum'; prefetch?: number };
  /** At most this many consumers. Default 3. */
  maxConsumers?: number;
  /** Where scenario files and run histories go. Default `.ackcheck`. */
  reportDir?: string;
  /** Per-run drain deadline (ms). Default 60 000. */
  drainTimeoutMs?: number;
  /**
   * Check per-key order of first completed processing (a finding `order`, a violation).
   * Default: on for Kafka at-least-once (a key's messages share a partition), off for Kafka
   * at-most-once and RabbitMQ (neither promises it; see run-settings.ts).
   */
  checkOrder?: boolean;
  /**
   * A consumer the harness had to replace because it stopped making progress after the faults
   * healed (finding `stuck-consumer`) fails the run. Default false: reported only.
   */
  failOnStuckConsumer?: boolean;
  /**
   * Deadline of one process() call (and of reset()/snapshot()) in ms: a process() that does not
   * settle by then is a `stuck-processing` finding. Default 10 000.
   */
  processTimeoutMs?: number;
  /**
   * Runs at once on the shared broker (each with its own topic/queue, group and namespace); runs
   * with broker faults, or Kafka network faults (one proxy per broker), run alone. Seed and path
   * replay as with 1, and shrinking is one run at a time. Default DEFAULT_CONCURRENCY: the
   * machine's cores, at least 2, at most 4 (a run mostly waits on the broker and its workers).
   */
  concurrency?: number;
  onProgress?: (event: CertifyProgress) => void;
}

/**
 * The cores, 2..4: a run spends most of its time waiting (group join, acknowledgements, the drain),
 * so two share a 2-core machine well; more than 4 crowd the broker the runs share.
 */
export const DEFAULT_CONCURRENCY = Math.min(4, Math.max(2, availableParallelism()));

/** Fails eagerly on options out of range, naming certify() and the accepted values. */
export function validateCertifyOptions(options: CertifyOptions): void {
  const fail = (what: string) => {
    throw new AckcheckError('INVALID_OPTION', `certify: ${what}`);
  };
  if (!options?.processor) fail('processor (path of the processor module) is required');
  if (options.semantics !== 'at-least-once' && options.semantics !== 'at-most-once')
    fail(`semantics must be "at-least-once" or "at-most-once", got "${String(options.semantics)}"`);
  for (const [name, value] of Object.entries({
    runs: options.runs,
    timeLimit: options.timeLimit,
    maxMessages: options.maxMessages,
    minMessages: options.minMessages,
    processTimeoutMs: options.processTimeoutMs,
    concurrency: options.concurrency,
  })) {
    if (value !== undefined && !(Number.isInteger(value) && value > 0))
      fail(`${name} must be a positive integer, got ${value}`);
  }
  if (typeof options.broker === 'string') {
    try {
      brokerVersion(options.broker);
    } catch (error) {
      fail(`broker: ${describeError(error)}`);
    }
  } else if (!options.broker?.id) fail('broker (an id, a kind or a running broker) is required');
  const shrink = options.shrinkTimeLimit;
  if (shrink !== undefined && !(Number.isInteger(shrink) && shrink >= 0))
    fail(`shrinkTimeLimit must be an integer >= 0 (0: do not shrink), got ${shrink}`);
}
