/**
 * The runtime: the consume → process → acknowledge loop for one broker and one semantics.
 * ackcheck ships four (Kafka/RabbitMQ × at-least-once/at-most-once); a user plugs in their
 * own by exporting `createRuntime()` from a module, and the kit certifies it like its own.
 *
 * The runtime owns the *order* of the steps; the kit owns what each step records. A runtime
 * calls, for every message it receives:
 *   - `ctx.delivered(d)` when the broker hands it over,
 *   - `await ctx.process(d)` to run the processor (throws if the processor failed),
 *   - `ctx.acknowledged(d)` right after the ack/commit succeeded.
 * At-least-once runtimes process, then acknowledge; at-most-once ones acknowledge, then process.
 */
import type { BrokerInfo, BrokerKind } from '../model/broker.ts';
import type { Message } from '../model/message.ts';
import type { Semantics } from '../model/scenario.ts';

export interface Delivery {
  readonly message: Message;
  /** Which publish of the message this is (producer duplicates have copy 1, …). */
  readonly copy: number;
  readonly redelivered: boolean;
  readonly partition?: number;
  readonly offset?: string;
  readonly deliveryTag?: number;
}

/** Where a run's messages are: a Kafka topic read by a consumer group, or a RabbitMQ queue. */
export type RunTarget =
  | { readonly kind: 'kafka'; readonly topic: string; readonly groupId: string }
  | { readonly kind: 'rabbitmq'; readonly queue: string; readonly prefetch: number };

export interface RuntimeContext {
  readonly broker: BrokerInfo;
  readonly target: RunTarget;
  /** Name of this worker ("w1", …), usable as a client id. */
  readonly worker: string;
  delivered(delivery: Delivery): void;
  process(delivery: Delivery): Promise<void>;
  acknowledged(delivery: Delivery): void;
  /** Something the runtime wants in the history (e.g. a processor error it recovered from). */
  log(message: string): void;
  /** The runtime cannot go on (e.g. its connection is gone): the worker exits and is replaced. */
  fail(error: Error): void;
}

export interface Runtime {
  /** Shown in reports. */
  readonly name: string;
  readonly broker: BrokerKind;
  /** The semantics this runtime claims; certify() checks the claim. */
  readonly semantics: Semantics;
  /** Starts consuming; resolves once the consumer is subscribed. Rejects if it cannot start. */
  start(ctx: RuntimeContext): Promise<void>;
  /** Graceful stop: finish or abandon the current message, leave the group / close the channel. */
  stop(): Promise<void>;
}

/** A module that provides a runtime exports this as `createRuntime` (or default). */
export type RuntimeFactory = (context: { readonly broker: BrokerKind }) => Runtime;

/** Message headers the kit's producer sets, so runtimes can rebuild a Delivery. */
export const HEADERS = { id: 'ackcheck-id', copy: 'ackcheck-copy', key: 'ackcheck-key' } as const;

/** Encodes a message for the wire (value/body): the JSON of the message. */
export function encodeMessage(message: Message): Buffer {
  return Buffer.from(JSON.stringify(message));
}

/**
 * A message's copy number from its header value (decimal, as the kit's producer writes it; 0
 * without the header; of a header given as a list, as kafkajs-style clients may, the first). A
 * single digit is read from its byte without decoding a string: this runs for every message a
 * Kafka runtime takes.
 */
export function decodeCopy(
  header: Buffer | string | readonly (Buffer | string)[] | null | undefined,
): number {
  const value = Array.isArray(header) ? header[0] : (header as Buffer | string | null | undefined);
  if (value === undefined || value === null) return 0;
  if (typeof value !== 'string' && value.length === 1) {
    const digit = (value[0] as number) - 48;
    if (digit >= 0 && digit <= 9) return digit;
  }
  return Number(value.toString());
}

export function decodeMessage(body: Buffer | null): Message {
  if (!body) throw new Error('empty message body');
  return JSON.parse(body.toString('utf8')) as Message;
}

/** In which order a runtime processes and acknowledges. */
export type StepOrder = 'process-then-ack' | 'ack-then-process';

export interface RuntimeOptions {
  /** The semantics the runtime claims. */
  semantics: Semantics;
  /**
   * The order it actually uses. Default: the one that keeps the claim (at-least-once:
   * process-then-ack; at-most-once: ack-then-process). Set it to build a deliberately
   * broken runtime for a test.
   */
  order?: StepOrder;
  /** Backoff before a failed message is retried (at-least-once). Default 200 ms. */
  retryBackoffMs?: number;
}

export function orderFor(options: RuntimeOptions): StepOrder {
  return options.order ?? (options.semantics === 'at-least-once' ? 'process-then-ack' : 'ack-then-process');
}

/**
 * At-least-once: runs the processor on `delivery` until it succeeds, pausing between attempts
 * (the message is not acknowledged before). Gives up when `owned()` turns false (the consumer
 * stops, or its partition moved on: the message comes again to whoever owns it) and returns
 * the last error then; returns undefined once processed.
 */
export async function processUntilDone(
  ctx: Pick<RuntimeContext, 'process'>,
  delivery: Delivery,
  owned: () => boolean,
  pause: () => Promise<void>,
): Promise<{ readonly abandoned: unknown } | undefined> {
  for (;;) {
    try {
      await ctx.process(delivery);
      return undefined;
    } catch (error) {
      if (!owned()) return { abandoned: error };
      await pause();
    }
  }
}
