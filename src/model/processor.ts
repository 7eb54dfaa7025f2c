/**
 * The processor: user code under test. It runs inside worker processes, so the state it
 * writes must live outside the process (a database), in the namespace each run gives it.
 */
import type { Arbitrary } from 'fast-check';
import type { JsonValue, Message } from './message.ts';

export interface ProcessContext {
  /** The run's state namespace: write only there. */
  readonly namespace: string;
  /** 1 for the first attempt at this delivery in this worker, 2 for the retry, … */
  readonly attempt: number;
  /** The broker marked the delivery as a redelivery (RabbitMQ), or this worker saw it before. */
  readonly redelivered: boolean;
  /** Name of the worker process ("w1", …). */
  readonly worker: string;
  /**
   * Marks the middle of processing: crash faults with phase `during-process` fire here.
   * Call it between the statements of a multi-step effect; without it, `during-process`
   * faults fire at the first turn of the event loop after process() started.
   */
  checkpoint(): Promise<void>;
}

export interface Processor {
  /** Shown in reports. Default: the module's file name. */
  readonly name?: string;
  /** Once per process, before the first reset/process/snapshot (open connections, create tables). */
  setup?(): Promise<void> | void;
  /** Once per process at the end (close connections). */
  teardown?(): Promise<void> | void;
  /** Make `namespace` fresh and empty. */
  reset(namespace: string): Promise<void> | void;
  /** Handle one message. Throwing means the processing failed. */
  process(message: Message, ctx: ProcessContext): Promise<void> | void;
  /** The state in `namespace`, as JSON that compares structurally (sort rows). */
  snapshot(namespace: string): Promise<JsonValue> | JsonValue;
  /** Payloads to generate. Default: `{ n: 1..1000 }` (never 0: an increment by 0 leaves no trace). */
  readonly payload?: Arbitrary<JsonValue>;
}

/** Identity function that types a processor module's default export. */
export function defineProcessor(processor: Processor): Processor {
  return processor;
}
