/**
 * Pipelined ("group") commits for the at-least-once Kafka runtimes of every client (kafkajs,
 * Confluent, platformatic): one commit per processed message made them 3 to 30 times slower
 * than a plain loop of the same client (README "Performance"), so commits overlap processing.
 *
 * A processed message's position is added; at most one commit is in flight, and positions
 * added meanwhile go out together in the next one. The first commit after an idle spell is sent
 * on the next turn of the event loop (setImmediate), not at once: messages processed without
 * waiting for I/O (a fast processor over a fetched batch) then share one commit instead of two
 * (the first message's, then the rest's) — halving the commit round trips a batch waits for (the latest per partition: a partition is
 * processed in order, so offset + 1 of its latest processed message covers only processed
 * messages; the partitions of one flush are committed side by side). A delivery is reported
 * acknowledged only once a commit covering it succeeded; a commit that answers `false` (the partition is no longer owned: nothing was sent) acknowledges
 * nothing, and neither does one that fails (its error is kept for `settle()`/`takeError()`).
 * Client-neutral: the caller's `commit` knows the client, and checks ownership before sending.
 */

/** Commits `position` of `partition`; `false` when it chose not to (no longer owned). */
export type CommitPosition<P> = (partition: number, position: P) => Promise<boolean | void>;

export class GroupCommitter<P, D> {
  private pending = new Map<number, { position: P; deliveries: D[] }>();
  private inFlight: Promise<unknown> | undefined;
  private error: unknown;
  private scheduled: NodeJS.Immediate | undefined;
  private readonly commit: CommitPosition<P>;
  private readonly acknowledged: (d: D) => void;
  private readonly offsetOf: ((p: P) => bigint) | undefined;

  /**
   * `offsetOf`, where a partition can be read again from an older offset while positions are
   * pending (a reopened stream), keeps the highest pending position of each partition; without
   * it, each position added must be later than the ones before it.
   */
  constructor(commit: CommitPosition<P>, acknowledged: (d: D) => void, offsetOf?: (p: P) => bigint) {
    this.commit = commit;
    this.acknowledged = acknowledged;
    this.offsetOf = offsetOf;
  }

  /** A processed message of `partition` (its position, and the delivery to acknowledge). */
  add(partition: number, position: P, delivery: D): void {
    const entry = this.pending.get(partition) ?? { position, deliveries: [] };
    if (!this.offsetOf || this.offsetOf(position) >= this.offsetOf(entry.position)) entry.position = position;
    entry.deliveries.push(delivery);
    this.pending.set(partition, entry);
    this.scheduled ??= setImmediate(() => {
      this.scheduled = undefined;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight || this.pending.size === 0) return;
    const batch = [...this.pending];
    this.pending = new Map();
    this.inFlight = Promise.all(
      batch.map(async ([partition, { position, deliveries }]) => {
        try {
          if ((await this.commit(partition, position)) === false) return;
          for (const d of deliveries) this.acknowledged(d);
        } catch (error) {
          this.error ??= error;
        }
      }),
    ).finally(() => {
      this.inFlight = undefined;
      this.flush();
    });
  }

  /** Sends what is pending at once, waits until every added position was committed (or given up); rethrows the first commit error. */
  async settle(): Promise<void> {
    for (;;) {
      this.flush();
      if (!this.inFlight) break;
      await this.inFlight;
    }
    this.takeError();
  }

  /** Rethrows (once) the first commit error since the last `settle()`/`takeError()`, without waiting. */
  takeError(): void {
    const error = this.error;
    this.error = undefined;
    if (error) throw error;
  }
}
