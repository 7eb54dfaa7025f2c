/**
 * Round trips: publish a batch with confirms, consume it, and report what was lost or
 * duplicated. The smallest end-to-end proof that a broker and its client work, used by the
 * broker tests, `ackcheck demo` and the broker benchmark (opened through the registry's
 * `openRoundTripper`; each broker folder implements it). One client session lives across
 * batches so that tests can check it reconnects after a broker fault.
 */

export interface RoundTripOptions {
  /** Payload size of each message in bytes. Default 1024. */
  payloadBytes?: number;
  /** Kafka: partitions of the fresh topic. Default 1. */
  partitions?: number;
  /** RabbitMQ: type of the fresh queue. Default "classic". */
  queueType?: 'classic' | 'quorum';
}

export interface RoundTripResult {
  readonly messages: number;
  /** Milliseconds until every message of the batch was confirmed by the broker. */
  readonly produceMs: number;
  /** Milliseconds from the start of the batch until every message was consumed. */
  readonly totalMs: number;
  /** Ids of the batch never consumed before the deadline. */
  readonly lost: readonly number[];
  /** Ids of the batch consumed more than once. */
  readonly duplicated: readonly number[];
  /** Publishes that had to be retried (unknown outcome at first). */
  readonly publishRetries: number;
}

export interface RoundTripper extends AsyncDisposable {
  /** Publishes `count` new messages with confirms, then waits until each was consumed or `timeoutMs` passed. */
  batch(count: number, timeoutMs?: number): Promise<RoundTripResult>;
  close(): Promise<void>;
}

/** Bookkeeping shared by both brokers: which ids were consumed how often. */
export class ConsumptionLedger {
  readonly #seen = new Map<number, number>();
  #waiters: Array<() => void> = [];

  record(id: number): void {
    this.#seen.set(id, (this.#seen.get(id) ?? 0) + 1);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when every id in [from, to) was seen at least once, or at `deadline` (epoch ms). */
  async waitFor(from: number, to: number, deadline: number): Promise<void> {
    let next = from;
    while (Date.now() < deadline) {
      while (next < to && this.#seen.has(next)) next++;
      if (next >= to) return;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(500, Math.max(0, deadline - Date.now())));
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  outcome(from: number, to: number): { lost: number[]; duplicated: number[] } {
    const lost: number[] = [];
    const duplicated: number[] = [];
    for (let id = from; id < to; id++) {
      const n = this.#seen.get(id) ?? 0;
      if (n === 0) lost.push(id);
      else if (n > 1) duplicated.push(id);
    }
    return { lost, duplicated };
  }
}

export function payloadOf(id: number, bytes: number): Buffer {
  const head = `${id}:`;
  return Buffer.concat([Buffer.from(head), Buffer.alloc(Math.max(0, bytes - head.length), 'x')]);
}

export function idOf(payload: Buffer | null): number {
  if (!payload) return -1;
  const colon = payload.indexOf(0x3a);
  return Number(payload.subarray(0, colon).toString('utf8'));
}
